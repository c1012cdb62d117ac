// Transcript parsing and replay (transcript.hpp). The runner plays the host:
// it answers pending actions from H: lines and the D: maildrop, and records
// every action.
#include "transcript.hpp"

#include <algorithm>
#include <deque>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace pillarbox::pop3::testing {

namespace {

// The RFC 1939 §7 example: timestamp <1896.697170952@dbc.mtview.ca.us>,
// secret "tanstaaf". The runner compares rather than computes MD5.
constexpr const char* kApopDigest = "c4c9334bac560ecc979e58001b3e22fb";

std::string escape(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\\') {
      out += "\\\\";
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  // A trailing blank would not survive editors, so it is written escaped.
  if (!out.empty() && out.back() == ' ') out.replace(out.size() - 1, 1, "\\x20");
  return out;
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

void apply_option(Options& o, const std::string& key, const std::string& value) {
  if (key == "hostname") o.hostname = value;
  else if (key == "apop_timestamp") o.apop_timestamp = value;
  else if (key == "tls_available") o.tls_available = value != "0";
  else if (key == "tls_active") o.tls_active = value != "0";
  else if (key == "plain_login_without_tls") o.plain_login_without_tls = value != "0";
  else if (key == "apop_required") o.apop_required = value != "0";
  else throw std::runtime_error("unknown option " + key);
}

void apply_limit(Limits& l, const std::string& key, const std::string& value) {
  auto n = std::stoull(value);
  if (key == "max_command_line") l.max_command_line = n;
  else if (key == "max_auth_line") l.max_auth_line = n;
  else if (key == "max_errors") l.max_errors = static_cast<int>(n);
  else if (key == "max_commands") l.max_commands = n;
  else if (key == "max_pending_input") l.max_pending_input = n;
  else throw std::runtime_error("unknown limit " + key);
}

void apply_settings(Transcript& t, char kind, const std::string& rest) {
  for (const auto& w : words(rest)) {
    auto eq = w.find('=');
    std::string key = w.substr(0, eq);
    std::string value = eq == std::string::npos ? "1" : w.substr(eq + 1);
    if (kind == 'O') apply_option(t.options, key, value);
    else apply_limit(t.limits, key, value);
  }
}

// "uidl [size=N] text"
void add_message(Transcript& t, const std::string& rest) {
  std::size_t space = rest.find(' ');
  MaildropEntry entry;
  entry.uidl = rest.substr(0, space);
  std::string text = space == std::string::npos ? "" : rest.substr(space + 1);
  std::optional<std::uint64_t> size;
  if (text.rfind("size=", 0) == 0) {
    std::size_t end = text.find(' ');
    size = std::stoull(text.substr(5, end - 5));
    text = end == std::string::npos ? "" : text.substr(end + 1);
  }
  text = unescape(text);
  entry.size = size ? *size : text.size();
  t.maildrop.push_back(entry);
  t.messages.push_back(text);
}

AuthResult auth_answer(const std::string& a) {
  if (a.rfind("ok", 0) == 0) return AuthResult::Ok;
  if (a == "invalid") return AuthResult::Invalid;
  if (a == "in-use") return AuthResult::InUse;
  if (a == "temporary") return AuthResult::Temporary;
  if (a == "not-allowed") return AuthResult::NotAllowed;
  throw std::runtime_error("unknown auth answer " + a);
}

// Plays the host: answers pending actions and records the trace.
class Host {
 public:
  Host(Session& session, const Transcript& t) : session_(session), t_(t) {
    for (const auto& line : t.host) {
      auto space = line.find(' ');
      answers_[line.substr(0, space)].push_back(space == std::string::npos ? "" : line.substr(space + 1));
    }
  }

  void handle(std::vector<Action> actions) {
    for (auto& action : actions) {
      for (auto& line : describe(action)) trace.push_back(std::move(line));
      answer(action);
    }
  }

  std::vector<std::string> trace;

 private:
  std::string next(const std::string& kind) {
    auto& queue = answers_[kind];
    if (queue.empty()) return {};
    std::string a = queue.front();
    queue.pop_front();
    return a;
  }

  void answer(const Action& action) {
    using K = Action::Kind;
    if (action.kind == K::Authenticate) {
      std::string a = next("auth");
      if (a.empty()) {
        bool good = action.mechanism == "APOP" ? action.password == kApopDigest : action.password == "secret";
        a = good ? "ok" : "invalid";
      }
      AuthResult result = auth_answer(a);
      std::string canonical = a.size() > 3 && result == AuthResult::Ok ? a.substr(3) : "";
      handle(session_.on_auth_result(result, t_.maildrop, canonical));
    } else if (action.kind == K::Retrieve) {
      if (next("retrieve") == "missing") {
        handle(session_.on_message_missing());
      } else {
        handle(session_.on_message(t_.messages.at(action.index)));
      }
    } else if (action.kind == K::Commit) {
      handle(session_.on_commit_result(next("commit") != "fail"));
    }
  }

  Session& session_;
  const Transcript& t_;
  std::map<std::string, std::deque<std::string>> answers_;
};

}  // namespace

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    char c = text[++i];
    if (c == 'r') out += '\r';
    else if (c == 'n') out += '\n';
    else if (c == 't') out += '\t';
    else if (c == 'x' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else out += c;
  }
  return out;
}

std::vector<std::string> describe(const Action& action) {
  using K = Action::Kind;
  std::vector<std::string> out;
  switch (action.kind) {
    case K::Write: {
      std::size_t pos = 0;
      while (pos < action.bytes.size()) {
        std::size_t end = action.bytes.find("\r\n", pos);
        if (end == std::string::npos) {
          out.push_back("S! unterminated " + escape(action.bytes.substr(pos)));
          break;
        }
        std::string line = action.bytes.substr(pos, end - pos);
        out.push_back(line.empty() ? "S:" : "S: " + escape(line));
        pos = end + 2;
      }
      break;
    }
    case K::StartTls: out.push_back("A: starttls"); break;
    case K::Close: out.push_back("A: close"); break;
    case K::Authenticate:
      out.push_back("A: auth " + action.mechanism + " authzid=" + escape(action.authzid) +
                    " user=" + escape(action.user) + " password=" + escape(action.password));
      break;
    case K::Retrieve:
      out.push_back("A: retrieve index=" + std::to_string(action.index) +
                    (action.top_lines ? " top=" + std::to_string(*action.top_lines) : ""));
      break;
    case K::Commit: {
      std::string line = "A: commit deleted=";
      for (std::size_t i = 0; i < action.deleted.size(); ++i) {
        line += (i ? "," : "") + std::to_string(action.deleted[i]);
      }
      out.push_back(line);
      break;
    }
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Transcript parse_transcript(const std::string& text) {
  Transcript t;
  t.options.hostname = "pop.example.org";
  t.segments.emplace_back();
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line.size() < 2 || line[1] != ':') throw std::runtime_error("bad transcript line: " + line);
    std::string rest = line.size() > 3 ? line.substr(3) : "";
    switch (line[0]) {
      case 'O':
      case 'L': apply_settings(t, line[0], rest); break;
      case 'D': add_message(t, rest); break;
      case 'C': t.segments.back().input += unescape(rest) + "\r\n"; break;
      case 'c': t.segments.back().input += unescape(rest); break;
      case 'S':
      case 'A':
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
        t.expected.push_back(line);
        break;
      case 'H': t.host.push_back(rest); break;
      case 'E':
        if (rest != "tls" && rest != "timeout") throw std::runtime_error("unknown event " + rest);
        t.segments.back().event = rest;
        t.segments.emplace_back();
        break;
      default: throw std::runtime_error("bad transcript line: " + line);
    }
  }
  return t;
}

std::vector<std::string> replay(const Transcript& t, Feed feed) {
  Session session(t.options, t.limits);
  Host host(session, t);
  host.handle(session.start());
  unsigned seed = 7;
  for (const auto& segment : t.segments) {
    std::string_view input = segment.input;
    while (!input.empty()) {
      std::size_t n = input.size();
      if (feed == Feed::ByteByByte) n = 1;
      if (feed == Feed::Ragged) {
        seed = seed * 1103515245U + 12345U;
        n = std::min<std::size_t>(input.size(), 1 + (seed >> 16) % 13);
      }
      host.handle(session.on_bytes(input.substr(0, n)));
      input.remove_prefix(n);
    }
    if (segment.event == "tls") host.handle(session.on_tls_started());
    if (segment.event == "timeout") host.handle(session.on_timeout());
  }
  return host.trace;
}

}  // namespace pillarbox::pop3::testing
