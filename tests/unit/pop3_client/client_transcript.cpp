// Transcript parsing and replay for the POP3 client (client_transcript.hpp).
// The runner plays the host: it feeds server bytes, raises events, submits
// requests and records every action.
#include "client_transcript.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace pillarbox::pop3::client::testing {

namespace {

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::pair<std::string, std::string> key_value(const std::string& w) {
  auto eq = w.find('=');
  if (eq == std::string::npos) return {w, "1"};
  return {w.substr(0, eq), w.substr(eq + 1)};
}

void apply_option(Options& o, const std::string& key, const std::string& value) {
  if (key == "tls") {
    if (value == "none") o.tls = TlsPolicy::None;
    else if (value == "opportunistic") o.tls = TlsPolicy::Opportunistic;
    else if (value == "required") o.tls = TlsPolicy::Required;
    else if (value == "implicit") o.tls = TlsPolicy::Implicit;
    else throw std::runtime_error("bad tls " + value);
  } else if (key == "user") o.user = unescape(value);
  else if (key == "password") o.password = unescape(value);
  else if (key == "auth") {
    if (value == "best") o.auth = AuthMethod::Best;
    else if (value == "user") o.auth = AuthMethod::UserPass;
    else if (value == "apop") o.auth = AuthMethod::Apop;
    else if (value == "cram-md5") o.auth = AuthMethod::CramMd5;
    else if (value == "plain") o.auth = AuthMethod::Plain;
    else throw std::runtime_error("bad auth " + value);
  } else if (key == "cleartext") o.cleartext_password = value != "0";
  else if (key == "max_message") o.max_message_size = std::stoull(value);
  else if (key == "hmac") {
    if (value == "fake") o.hmac_md5 = fake_hmac_md5;
    else o.hmac_md5 = [](std::string_view, std::string_view) { return std::string("bad"); };
  } else if (key == "apop") {
    if (value == "fake") o.apop_digest = fake_apop_digest;
    else o.apop_digest = [](std::string_view, std::string_view) { return std::string("bad"); };
  } else throw std::runtime_error("unknown option " + key);
}

void apply_limit(Limits& l, const std::string& key, const std::string& value) {
  auto n = std::stoull(value);
  if (key == "max_line") l.max_line = n;
  else if (key == "max_multiline") l.max_multiline = n;
  else if (key == "max_command_line") l.max_command_line = n;
  else throw std::runtime_error("unknown limit " + key);
}

// "retr 3" -> Request::retr(3) and so on; nullopt for host events.
std::optional<Request> parse_request(const std::string& e) {
  auto w = words(e);
  if (w.empty()) return std::nullopt;
  const std::string& verb = w[0];
  auto arg = [&](std::size_t i) -> std::size_t {
    if (i >= w.size()) throw std::runtime_error("missing argument: " + e);
    return std::stoull(w[i]);
  };
  if (verb == "login") return Request::login();
  if (verb == "stat") return Request::stat();
  if (verb == "list") return Request::list();
  if (verb == "uidl") return Request::uidl();
  if (verb == "retr") return Request::retr(arg(1));
  if (verb == "top") return Request::top(arg(1), arg(2));
  if (verb == "dele") return Request::dele(arg(1));
  if (verb == "rset") return Request::rset();
  if (verb == "noop") return Request::noop();
  if (verb == "quit") return Request::quit();
  if (verb == "raw" || verb == "raw+") {
    std::size_t sp = e.find(' ');
    return Request::raw(sp == std::string::npos ? "" : unescape(e.substr(sp + 1)), verb == "raw+");
  }
  return std::nullopt;
}

std::string request_text(const Result& r) {
  std::string out(to_string(r.kind));
  if (r.kind == Request::Kind::Retr || r.kind == Request::Kind::Dele || r.kind == Request::Kind::Top) {
    out += " " + std::to_string(r.msg);
  }
  return out;
}

// Plays the host and records the trace.
class Host {
 public:
  explicit Host(Session& session) : session_(session) {}

  void handle(std::vector<Action> actions) {
    for (auto& action : actions) {
      switch (action.kind) {
        case Action::Kind::Write: add_written(action.bytes); break;
        case Action::Kind::StartTls: trace.push_back("A: starttls"); break;
        case Action::Kind::Close: trace.push_back("A: close"); break;
        case Action::Kind::Result:
          for (auto& line : describe(action.result)) trace.push_back(std::move(line));
          break;
      }
    }
  }

  void event(const std::string& e) {
    if (e.empty()) return;
    if (auto request = parse_request(e)) {
      request->id = ++next_id_;
      handle(session_.submit(std::move(*request)));
    } else if (e == "connect") handle(session_.on_connected());
    else if (e.rfind("connect-failed", 0) == 0) handle(session_.on_connect_failed(e.size() > 15 ? e.substr(15) : ""));
    else if (e == "tls") handle(session_.on_tls_started());
    else if (e == "timeout") handle(session_.on_timeout());
    else if (e == "closed") handle(session_.on_closed());
    else if (e == "written") handle(session_.on_written());
    else if (e == "timer") {
      auto timeout = session_.timeout();
      trace.push_back(timeout ? "A: timer " + std::to_string(timeout->count()) : "A: timer off");
    } else if (e == "last") {
      trace.push_back("A: last " + escape(session_.last_command_masked()));
    } else throw std::runtime_error("unknown event " + e);
  }

  void finish() {
    if (!partial_.empty()) trace.push_back("C! unterminated " + escape(partial_));
  }

  std::vector<std::string> trace;

 private:
  void add_written(const std::string& bytes) {
    partial_ += bytes;
    std::size_t pos = 0;
    while (true) {
      std::size_t end = partial_.find("\r\n", pos);
      if (end == std::string::npos) break;
      std::string line = partial_.substr(pos, end - pos);
      trace.push_back(line.empty() ? "C:" : "C: " + escape(line));
      pos = end + 2;
    }
    partial_.erase(0, pos);
  }

  Session& session_;
  std::uint64_t next_id_ = 0;
  std::string partial_;
};

}  // namespace

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
  if (!out.empty() && out.back() == ' ') out.replace(out.size() - 1, 1, "\\x20");
  return out;
}

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

std::string fake_hmac_md5(std::string_view key, std::string_view data) {
  if (key == "tanstaaftanstaaf" && data == "<1896.697170952@postoffice.reston.mci.net>") {
    // RFC 2195 §2: b913a602c7eda7a495b4e6e7334d3890
    static const unsigned char kDigest[16] = {0xb9, 0x13, 0xa6, 0x02, 0xc7, 0xed, 0xa7, 0xa4,
                                              0x95, 0xb4, 0xe6, 0xe7, 0x33, 0x4d, 0x38, 0x90};
    return std::string(reinterpret_cast<const char*>(kDigest), 16);
  }
  std::string out(16, '\0');
  std::size_t i = 0;
  for (char c : std::string(key) + "|" + std::string(data)) {
    out[i % 16] = static_cast<char>(out[i % 16] * 31 + c);
    ++i;
  }
  return out;
}

std::string fake_apop_digest(std::string_view timestamp, std::string_view secret) {
  // RFC 1939 §7 example.
  if (timestamp == "<1896.697170952@dbc.mtview.ca.us>" && secret == "tanstaaf") {
    return "c4c9334bac560ecc979e58001b3e22fb";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string raw = fake_hmac_md5(timestamp, secret);
  std::string out;
  for (char c : raw) {
    auto u = static_cast<unsigned char>(c);
    out += kHex[u >> 4];
    out += kHex[u & 15];
  }
  return out;
}

std::vector<std::string> describe(const Result& r) {
  std::vector<std::string> out;
  out.push_back("R: " + request_text(r) + " " + std::string(to_string(r.outcome)) + " | " + escape(r.command) +
                " | " + (r.remote ? escape(format_reply(r.reply)) : "local: " + escape(r.reply.text)));
  if (r.kind == Request::Kind::Stat && r.ok()) {
    out.push_back("D: " + std::to_string(r.count) + " " + std::to_string(r.octets));
  }
  for (const auto& e : r.list) out.push_back("D: " + std::to_string(e.msg) + " " + std::to_string(e.size));
  for (const auto& e : r.uids) out.push_back("D: " + std::to_string(e.msg) + " " + escape(e.uid));
  std::string_view body = r.body;
  while (!body.empty()) {
    std::size_t end = body.find("\r\n");
    if (end == std::string_view::npos) {
      out.push_back("M! unterminated " + escape(std::string(body)));
      break;
    }
    std::string line(body.substr(0, end));
    out.push_back(line.empty() ? "M:" : "M: " + escape(line));
    body.remove_prefix(end + 2);
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
  t.options.user = "tim";
  t.options.password = "secret";
  t.options.tls = TlsPolicy::None;
  t.segments.emplace_back();
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line.size() < 2 || line[1] != ':') throw std::runtime_error("bad transcript line: " + line);
    std::string rest = line.size() > 3 ? line.substr(3) : "";
    switch (line[0]) {
      case 'O':
        for (const auto& w : words(rest)) {
          auto [key, value] = key_value(w);
          apply_option(t.options, key, value);
        }
        break;
      case 'L':
        for (const auto& w : words(rest)) {
          auto [key, value] = key_value(w);
          apply_limit(t.limits, key, value);
        }
        break;
      case 'S': t.segments.back().input += unescape(rest) + "\r\n"; break;
      case 's': t.segments.back().input += unescape(rest); break;
      case 'C':
      case 'A':
      case 'R':
      case 'D':
      case 'M':
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
        t.expected.push_back(line);
        break;
      case 'E':
        t.segments.back().event = rest;
        t.segments.emplace_back();
        break;
      default: throw std::runtime_error("bad transcript line: " + line);
    }
  }
  return t;
}

std::vector<std::string> replay(const Transcript& t, Feed feed) {
  Session session(t.options, Timeouts{}, t.limits);
  Host host(session);
  for (const auto& segment : t.segments) {
    std::string_view input = segment.input;
    while (!input.empty()) {
      std::size_t n = input.size();
      if (feed == Feed::ByteByByte) n = 1;
      if (feed == Feed::Slices7) n = std::min<std::size_t>(input.size(), 7);
      host.handle(session.on_bytes(input.substr(0, n)));
      input.remove_prefix(n);
    }
    host.event(segment.event);
  }
  host.finish();
  return host.trace;
}

}  // namespace pillarbox::pop3::client::testing
