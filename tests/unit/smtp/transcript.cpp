// Transcript parsing and replay (transcript.hpp). The runner plays the host:
// it answers pending actions from H: lines and records every action.
#include "transcript.hpp"

#include <deque>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "libcore/base/error.hpp"
#include "proto/smtp/reply.hpp"

namespace pillarbox::smtp::testing {

namespace {

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

// "M: text", or just "M:" for an empty line.
std::string with_text(const std::string& tag, const std::string& text) {
  return text.empty() ? tag : tag + " " + escape(text);
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

void apply_option(Options& o, const std::string& key, const std::string& value) {
  if (key == "hostname") o.hostname = value;
  else if (key == "listener")
    o.listener = value == "submission" ? Listener::Submission
                 : value == "smtps"    ? Listener::Smtps
                                       : Listener::Smtp;
  else if (key == "tls_available") o.tls_available = value != "0";
  else if (key == "tls_active") o.tls_active = value != "0";
  else if (key == "plain_auth_without_tls") o.plain_auth_without_tls = value != "0";
  else if (key == "auth_exempt") o.auth_exempt = value != "0";
  else throw std::runtime_error("unknown option " + key);
}

void apply_limit(Limits& l, const std::string& key, const std::string& value) {
  auto n = std::stoull(value);
  if (key == "max_command_line") l.max_command_line = n;
  else if (key == "max_message_size") l.max_message_size = n;
  else if (key == "max_recipients") l.max_recipients = n;
  else if (key == "max_errors") l.max_errors = static_cast<int>(n);
  else if (key == "max_auth_line") l.max_auth_line = n;
  else if (key == "max_received_headers") l.max_received_headers = static_cast<int>(n);
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

std::string params_text(const MailParams& p) {
  std::string out;
  if (p.size) out += " SIZE=" + std::to_string(*p.size);
  if (!p.body.empty()) out += " BODY=" + p.body;
  if (p.smtputf8) out += " SMTPUTF8";
  if (!p.ret.empty()) out += " RET=" + p.ret;
  if (!p.envid.empty()) out += " ENVID=" + escape(p.envid);
  if (!p.auth.empty()) out += " AUTH=" + escape(p.auth);
  return out;
}

std::string params_text(const RcptParams& p) {
  std::string out;
  if (!p.notify.empty()) out += " NOTIFY=" + p.notify;
  if (!p.orcpt.empty()) out += " ORCPT=" + escape(p.orcpt);
  return out;
}

std::vector<std::string> message_lines(const std::string& message) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < message.size()) {
    std::size_t end = message.find("\r\n", pos);
    if (end == std::string::npos) {
      out.push_back(with_text("M-", message.substr(pos)));
      break;
    }
    out.push_back(with_text("M:", message.substr(pos, end - pos)));
    pos = end + 2;
  }
  return out;
}

Reply parse_reply(const std::string& text) {
  return reply_for(Error{ErrorCode::Internal, text});
}

// Plays the host: answers pending actions and records the trace.
class Host {
 public:
  Host(Session& session, const std::vector<std::string>& script) : session_(session) {
    for (const auto& line : script) {
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
    if (action.kind == K::CheckMail || action.kind == K::CheckRcpt) {
      std::string a = next(action.kind == K::CheckMail ? "mail" : "rcpt");
      std::optional<Reply> refusal;
      if (a.rfind("reject ", 0) == 0) refusal = parse_reply(a.substr(7));
      handle(action.kind == K::CheckMail ? session_.on_mail_result(refusal)
                                         : session_.on_rcpt_result(refusal));
    } else if (action.kind == K::Authenticate) {
      std::string a = next("auth");
      bool ok = a.empty() ? action.password == "secret" : a.rfind("ok", 0) == 0;
      std::string user = a.size() > 3 ? a.substr(3) : action.user;
      handle(session_.on_auth_result(ok, user));
    } else if (action.kind == K::Deliver) {
      std::string a = next("deliver");
      if (a.empty()) a = "250 2.0.0 Ok: queued as Q" + std::to_string(++delivered_);
      handle(session_.on_deliver_result(parse_reply(a)));
    }
  }

  Session& session_;
  std::map<std::string, std::deque<std::string>> answers_;
  int delivered_ = 0;
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
        out.push_back(with_text("S:", action.bytes.substr(pos, end - pos)));
        pos = end + 2;
      }
      break;
    }
    case K::StartTls: out.push_back("A: starttls"); break;
    case K::Close: out.push_back("A: close"); break;
    case K::CheckMail: out.push_back("A: mail <" + escape(action.address) + ">" + params_text(action.mail)); break;
    case K::CheckRcpt: out.push_back("A: rcpt <" + escape(action.address) + ">" + params_text(action.rcpt)); break;
    case K::Authenticate:
      out.push_back("A: auth " + action.mechanism + " authzid=" + escape(action.authzid) +
                    " user=" + escape(action.user) + " password=" + escape(action.password));
      break;
    case K::Deliver: {
      std::string line = "A: deliver " + action.protocol + " helo=" + escape(action.envelope.helo) +
                         " from=<" + escape(action.envelope.mail_from) + "> to=";
      for (std::size_t i = 0; i < action.envelope.rcpts.size(); ++i) {
        line += (i ? ",<" : "<") + escape(action.envelope.rcpts[i].first) + ">";
      }
      out.push_back(line + params_text(action.envelope.mail));
      for (auto& m : message_lines(action.message)) out.push_back(std::move(m));
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
  t.options.hostname = "mx.example.org";
  t.segments.emplace_back();
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line.size() < 2 || (line[1] != ':' && line[1] != '-')) {
      throw std::runtime_error("bad transcript line: " + line);
    }
    std::string rest = line.size() > 3 ? line.substr(3) : "";
    switch (line[0]) {
      case 'O':
      case 'L': apply_settings(t, line[0], rest); break;
      case 'C': t.segments.back().input += unescape(rest) + "\r\n"; break;
      case 'c': t.segments.back().input += unescape(rest); break;
      case 'S':
      case 'A':
      case 'M':
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
        t.expected.push_back(line);
        break;
      case 'H': t.host.push_back(rest); break;
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
  Session session(t.options, t.limits);
  Host host(session, t.host);
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

}  // namespace pillarbox::smtp::testing
