// libFuzzer target for the SMTP engine (proto/smtp/session.hpp, with its framer
// and parser). Built by `cmake -DPILLARBOX_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++`;
// run `build/fuzz/bin/smtp_session_fuzz -max_total_time=60`.
//
// The first byte picks listener, TLS and limits; the rest is client input, cut
// into segments at "~~~" where a pending STARTTLS completes. Oracles: the
// input fed whole, in ragged slices and (when short) byte by byte gives the
// same trace; every write is whole CRLF-ended reply lines; nothing follows
// Close; a delivered message fits the limit and has only CRLF line ends.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "proto/smtp/session.hpp"

using namespace pillarbox::smtp;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void check_reply_lines(const std::string& bytes) {
  check(bytes.size() >= 2 && bytes.compare(bytes.size() - 2, 2, "\r\n") == 0);
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::size_t end = bytes.find("\r\n", pos);
    check(end != std::string::npos && end - pos >= 4);
    for (std::size_t i = pos; i < pos + 3; ++i) check(bytes[i] >= '0' && bytes[i] <= '9');
    check(bytes[pos + 3] == ' ' || bytes[pos + 3] == '-');
    for (std::size_t i = pos; i < end; ++i) check(bytes[i] != '\r' && bytes[i] != '\n');
    pos = end + 2;
  }
}

void check_message(const std::string& m, const Limits& limits) {
  check(m.size() <= limits.max_message_size);
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\r') check(i + 1 < m.size() && m[i + 1] == '\n');
    if (m[i] == '\n') check(i > 0 && m[i - 1] == '\r');
  }
}

// Plays the host with fixed answers and records what the session did.
class Player {
 public:
  Player(const Options& o, const Limits& l) : session_(o, l), limits_(l) { take(session_.start()); }

  void feed(std::string_view input, std::size_t step) {
    for (std::size_t pos = 0; pos < input.size(); pos += step) {
      take(session_.on_bytes(input.substr(pos, step)));
    }
  }

  void end_segment() {
    if (tls_pending_) {
      tls_pending_ = false;
      take(session_.on_tls_started());
    }
  }

  std::string trace;

 private:
  void take(std::vector<Action> actions) {
    for (auto& a : actions) {
      check(!closed_);
      switch (a.kind) {
        case Action::Kind::Write: check_reply_lines(a.bytes); trace += a.bytes; break;
        case Action::Kind::Close: closed_ = true; trace += "#close\n"; break;
        case Action::Kind::StartTls: tls_pending_ = true; trace += "#tls\n"; break;
        case Action::Kind::Authenticate:
          trace += "#auth " + a.user + "\n";
          take(session_.on_auth_result(a.password == "secret", a.user));
          break;
        case Action::Kind::CheckMail:
          trace += "#mail " + a.address + "\n";
          ++answers_;  // questions only: writes merge differently per slicing
          take(session_.on_mail_result(answers_ % 5 == 4 ? std::optional<Reply>(Reply{550, "5.7.1", "no"})
                                                         : std::nullopt));
          break;
        case Action::Kind::CheckRcpt:
          trace += "#rcpt " + a.address + "\n";
          ++answers_;
          take(session_.on_rcpt_result(answers_ % 3 == 2 ? std::optional<Reply>(Reply{550, "5.1.1", "no"})
                                                         : std::nullopt));
          break;
        case Action::Kind::Deliver:
          check_message(a.message, limits_);
          check(!a.envelope.rcpts.empty());
          trace += "#deliver " + a.protocol + " " + std::to_string(a.message.size()) + "\n" + a.message;
          take(session_.on_deliver_result(Reply{250, "2.0.0", "Ok"}));
          break;
      }
    }
  }

  Session session_;
  Limits limits_;
  bool closed_ = false;
  bool tls_pending_ = false;
  unsigned answers_ = 0;
};

std::vector<std::string_view> segments(std::string_view input) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t cut = input.find("~~~");
    out.push_back(input.substr(0, cut));
    if (cut == std::string_view::npos) return out;
    input.remove_prefix(cut + 3);
  }
}

std::string play(const Options& o, const Limits& l, const std::vector<std::string_view>& parts,
                 std::size_t step) {
  Player player(o, l);
  for (auto part : parts) {
    player.feed(part, step == 0 ? part.size() + 1 : step);
    player.end_segment();
  }
  return player.trace;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t config = data[0];
  Options options;
  options.hostname = "mx.example.org";
  options.listener = static_cast<Listener>(config % 3);
  options.tls_available = (config & 4) != 0;
  options.plain_auth_without_tls = (config & 8) != 0;
  options.auth_exempt = (config & 16) != 0;
  Limits limits;
  limits.max_command_line = 80;
  limits.max_auth_line = 200;
  limits.max_message_size = 300;
  limits.max_recipients = 3;
  limits.max_errors = (config & 32) != 0 ? 5 : 1000;
  limits.max_received_headers = 2;

  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto parts = segments(input);
  const std::string whole = play(options, limits, parts, 0);
  check(play(options, limits, parts, 1 + (config >> 6) * 5) == whole);
  if (input.size() <= 4096) check(play(options, limits, parts, 1) == whole);
  return 0;
}
