// libFuzzer target for the POP3 client engine (proto/pop3/client_session.hpp,
// with its reply reader). Built by `cmake -DPILLARBOX_FUZZ=ON
// -DCMAKE_CXX_COMPILER=clang++`; run `build/fuzz/bin/pop3_client_fuzz -max_total_time=60`.
//
// The first byte picks the TLS policy, the login method, whether passwords
// may cross in clear and a small or large message limit; the rest is server
// input, cut at "~~" marks where a pending STLS completes, or (after "~~T",
// "~~C") the timer fires or the connection closes. The host submits a fixed
// collector's round (login, STAT, UIDL, RETR 1, TOP 2 0, DELE 1, *ENV 1, QUIT)
// at the start. Oracles: whole, ragged and byte-by-byte input give the same
// trace; every request gets exactly one Result; nothing is written after
// Close; writes are whole CRLF-ended lines of at most 255 octets; the
// password never appears in a result's quoted command; a message body stays within
// the limit and has CRLF line ends only.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "proto/pop3/client_session.hpp"

using namespace pillarbox::pop3::client;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

constexpr std::string_view kPassword = "s3cret-pw";

void check_lines(const std::string& bytes) {
  check(bytes.size() >= 2 && bytes.compare(bytes.size() - 2, 2, "\r\n") == 0);
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const std::size_t end = bytes.find("\r\n", pos);
    check(end != std::string::npos && end - pos <= 255);
    for (std::size_t i = pos; i < end; ++i) check(bytes[i] != '\r' && bytes[i] != '\n');
    pos = end + 2;
  }
}

void check_body(const std::string& body, std::uint64_t limit) {
  check(body.size() <= limit);
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r') check(i + 1 < body.size() && body[i + 1] == '\n');
    if (body[i] == '\n') check(i > 0 && body[i - 1] == '\r');
  }
}

struct Config {
  Options options;
  bool timed_out_allowed = true;
};

class Player {
 public:
  explicit Player(const Options& o) : session_(o), limit_(o.max_message_size) {
    take(session_.on_connected());
    const std::vector<Request> round = {Request::login(), Request::stat(),       Request::uidl(),
                                        Request::retr(1), Request::top(2, 0),    Request::dele(1),
                                        Request::raw("*ENV 1", true), Request::quit()};
    for (std::size_t i = 0; i < round.size(); ++i) {
      Request r = round[i];
      r.id = i + 1;
      submitted_ += 1;
      take(session_.submit(r));
    }
  }

  void feed(std::string_view input, std::size_t step) {
    for (std::size_t pos = 0; pos < input.size(); pos += step) take(session_.on_bytes(input.substr(pos, step)));
  }

  void mark(char what) {
    if (tls_pending_) {
      tls_pending_ = false;
      take(session_.on_tls_started());
    }
    if (what == 'T' && session_.timeout()) take(session_.on_timeout());
    if (what == 'C') take(session_.on_closed());
  }

  std::string finish() {
    take(session_.on_closed());  // the end of input: the server went away
    for (const auto& [id, n] : results_) check(n == 1);
    check(results_.size() == submitted_);
    return trace_;
  }

 private:
  void take(std::vector<Action> actions) {
    for (auto& a : actions) {
      switch (a.kind) {
        case Action::Kind::Write:
          check(!closed_);
          check_lines(a.bytes);
          // Line by line: how writes merge depends on the slicing.
          for (std::size_t pos = 0; pos < a.bytes.size();) {
            const std::size_t end = a.bytes.find("\r\n", pos) + 2;
            trace_ += "C:" + a.bytes.substr(pos, end - pos);
            pos = end;
          }
          ++writes_;
          break;
        case Action::Kind::StartTls:
          check(!closed_);
          tls_pending_ = true;
          trace_ += "#tls\n";
          break;
        case Action::Kind::Close:
          closed_ = true;
          trace_ += "#close\n";
          break;
        case Action::Kind::Result: {
          const Result& r = a.result;
          ++results_[r.id];
          check(r.command.find(kPassword) == std::string::npos);
          if (r.kind == Request::Kind::Retr || r.kind == Request::Kind::Top) check_body(r.body, limit_);
          trace_ += "#result " + std::to_string(r.id) + " " + std::to_string(static_cast<int>(r.outcome)) + " " +
                    std::to_string(r.body.size()) + " " + r.command + "\n";
          break;
        }
      }
    }
    // Writes are confirmed at once: the trace must not depend on when.
    while (writes_ > 0) {
      --writes_;
      take(session_.on_written());
    }
  }

  Session session_;
  std::uint64_t limit_;
  std::string trace_;
  std::map<std::uint64_t, int> results_;
  std::size_t submitted_ = 0;
  int writes_ = 0;
  bool closed_ = false;
  bool tls_pending_ = false;
};

struct Segment {
  std::string_view bytes;
  char mark = 0;  // what follows it: 'S' (TLS done), 'T', 'C', or 0 at the end
};

std::vector<Segment> segments(std::string_view input) {
  std::vector<Segment> out;
  while (true) {
    const std::size_t cut = input.find("~~");
    if (cut == std::string_view::npos || cut + 2 >= input.size()) {
      out.push_back({input, 0});
      return out;
    }
    out.push_back({input.substr(0, cut), input[cut + 2]});
    input.remove_prefix(cut + 3);
  }
}

std::string play(const Options& o, const std::vector<Segment>& parts, std::size_t step) {
  Player p(o);
  for (const Segment& s : parts) {
    p.feed(s.bytes, step == 0 ? s.bytes.size() + 1 : step);
    if (s.mark) p.mark(s.mark);
  }
  return p.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t c = data[0];
  Options o;
  o.tls = static_cast<TlsPolicy>(c % 4);
  o.auth = static_cast<AuthMethod>((c >> 2) % 5);
  o.cleartext_password = (c & 0x20) != 0;
  o.max_message_size = (c & 0x40) != 0 ? 64 : 4096;
  o.user = "joe";
  o.password = std::string(kPassword);
  o.apop_digest = [](std::string_view ts, std::string_view secret) {
    return std::string(32, static_cast<char>('a' + (ts.size() + secret.size()) % 6));
  };
  o.hmac_md5 = [](std::string_view key, std::string_view d) {
    return std::string(16, static_cast<char>(key.size() + d.size()));
  };
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto parts = segments(input);
  const std::string whole = play(o, parts, 0);
  check(play(o, parts, 1 + (c >> 7) * 6) == whole);
  if (input.size() <= 4096) check(play(o, parts, 1) == whole);
  return 0;
}
