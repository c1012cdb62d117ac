// libFuzzer target for the POP3 engine (proto/pop3/session.hpp, with its
// framer, parser and message writer). Built by `cmake -DPILLARBOX_FUZZ=ON
// -DCMAKE_CXX_COMPILER=clang++`; run `build/fuzz/bin/pop3_session_fuzz
// -max_total_time=60`.
//
// The first byte picks the options and limits; the rest is client input, cut
// into segments at "~~~" where a pending STLS completes. The host logs in
// anyone whose password is "secret" and holds a maildrop of awkward messages.
// Oracles: the input fed whole, in ragged slices and (when short) byte by
// byte gives the same trace; every write is whole CRLF lines with no other
// CR or LF; nothing follows Close; Retrieve and Commit name real messages;
// a RETR/TOP response unstuffs to the message (or its TOP prefix).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/pop3/session.hpp"

using namespace pillarbox::pop3;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

const std::vector<std::string>& messages() {
  static const std::vector<std::string> kMessages = {
      "Subject: one\r\n\r\nbody\r\n.dot\r\n..two\r\n.\r\n",
      "Subject: no end\r\n\r\nlast line",
      "Subject: bare\n\nfirst\n.\nsec\rond\r\n",
      "",
      "Only: headers\r\n",
      ".Dotted: header\r\n\r\n\r\n\r\nx\r\n",
  };
  return kMessages;
}

std::vector<MaildropEntry> maildrop() {
  std::vector<MaildropEntry> out;
  for (std::size_t i = 0; i < messages().size(); ++i) {
    out.push_back({"uid" + std::to_string(i), messages()[i].size()});
  }
  return out;
}

// The message's lines as a POP3 client should see them: any of CRLF, LF or
// CR ends a line; with `top`, the headers, the blank line and `top` lines.
std::vector<std::string> expected_lines(std::string_view raw, std::optional<std::size_t> top) {
  std::vector<std::string> lines;
  std::string current;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r' || raw[i] == '\n') {
      if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      lines.push_back(current);
      current.clear();
    } else {
      current += raw[i];
    }
  }
  if (!current.empty()) lines.push_back(current);
  if (!top) return lines;
  std::vector<std::string> out;
  std::size_t i = 0;
  for (; i < lines.size(); ++i) {
    out.push_back(lines[i]);
    if (lines[i].empty()) break;
  }
  for (std::size_t n = 0; ++i < lines.size() && n < *top; ++n) out.push_back(lines[i]);
  return out;
}

void check_lines(const std::string& bytes) {
  check(bytes.size() >= 2 && bytes.compare(bytes.size() - 2, 2, "\r\n") == 0);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\r') check(i + 1 < bytes.size() && bytes[i + 1] == '\n');
    if (bytes[i] == '\n') check(i > 0 && bytes[i - 1] == '\r');
  }
}

// `text` starts with the response to a RETR or TOP; it must be the message.
void check_retrieval(const std::string& text, std::size_t index, std::optional<std::size_t> top) {
  std::vector<std::string> lines;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find("\r\n", pos);
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 2;
  }
  check(!lines.empty() && lines[0].rfind("+OK ", 0) == 0);
  std::vector<std::string> body;
  std::size_t i = 1;
  for (; i < lines.size() && lines[i] != "."; ++i) {
    std::string line = lines[i];
    if (!line.empty() && line[0] == '.') {
      check(line.size() > 1 && line[1] == '.');
      line.erase(0, 1);
    }
    body.push_back(line);
  }
  check(i < lines.size());  // the terminator came
  check(body == expected_lines(messages()[index], top));
}

// Plays the host with fixed answers and records what the session did.
class Player {
 public:
  Player(const Options& o, const Limits& l) : session_(o, l) { take(session_.start()); }

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
  static std::string writes(const std::vector<Action>& actions) {
    std::string out;
    for (const Action& a : actions) {
      if (a.kind == Action::Kind::Write) out += a.bytes;
    }
    return out;
  }

  void take(std::vector<Action> actions) {
    for (auto& a : actions) {
      check(!closed_);
      switch (a.kind) {
        case Action::Kind::Write: check_lines(a.bytes); trace += a.bytes; break;
        case Action::Kind::Close: closed_ = true; trace += "#close\n"; break;
        case Action::Kind::StartTls: tls_pending_ = true; trace += "#tls\n"; break;
        case Action::Kind::Authenticate: authenticate(a); break;
        case Action::Kind::Retrieve: retrieve(a); break;
        case Action::Kind::Commit:
          check(logged_in_);
          for (std::size_t i = 0; i < a.deleted.size(); ++i) {
            check(a.deleted[i] < messages().size());
            check(i == 0 || a.deleted[i - 1] < a.deleted[i]);
          }
          trace += "#commit " + std::to_string(a.deleted.size()) + "\n";
          take(session_.on_commit_result(++answers_ % 2 == 0));
          break;
      }
    }
  }

  void authenticate(const Action& a) {
    check(!logged_in_);
    check(a.mechanism == "USER" || a.mechanism == "APOP" || a.mechanism == "PLAIN" || a.mechanism == "LOGIN");
    trace += "#auth " + a.mechanism + " " + a.user + "\n";
    // Questions only count answers: writes merge differently per slicing.
    ++answers_;
    AuthResult result = a.password == "secret" ? AuthResult::Ok : static_cast<AuthResult>(1 + answers_ % 4);
    if (result == AuthResult::Ok) logged_in_ = true;
    take(session_.on_auth_result(result, maildrop()));
  }

  void retrieve(const Action& a) {
    check(logged_in_ && a.index < messages().size());
    trace += "#retrieve " + std::to_string(a.index) + "\n";
    if (++answers_ % 5 == 0) {
      take(session_.on_message_missing());
      return;
    }
    std::vector<Action> reply = session_.on_message(messages()[a.index]);
    check_retrieval(writes(reply), a.index, a.top_lines);
    take(std::move(reply));
  }

  Session session_;
  bool closed_ = false;
  bool tls_pending_ = false;
  bool logged_in_ = false;
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
  options.hostname = "pop.example.org";
  options.tls_available = (config & 1) != 0;
  options.tls_active = (config & 2) != 0;
  options.plain_login_without_tls = (config & 4) != 0;
  options.apop_required = (config & 8) != 0;
  if ((config & 16) != 0) options.apop_timestamp = "<1896.697170952@dbc.mtview.ca.us>";
  Limits limits;
  limits.max_command_line = 40;
  limits.max_auth_line = 120;
  limits.max_errors = (config & 32) != 0 ? 5 : 1000;
  limits.max_commands = 200;
  limits.max_pending_input = 4096;

  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto parts = segments(input);
  const std::string whole = play(options, limits, parts, 0);
  check(play(options, limits, parts, 1 + (config >> 6) * 5) == whole);
  if (input.size() <= 4096) check(play(options, limits, parts, 1) == whole);
  return 0;
}
