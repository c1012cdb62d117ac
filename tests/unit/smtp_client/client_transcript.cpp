// Transcript parsing and replay for the SMTP client (client_transcript.hpp).
// The runner plays the host: it feeds server bytes, raises events, confirms
// writes and records every action.
#include "client_transcript.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace pillarbox::smtp::client::testing {

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

std::string unbracket(const std::string& v) {
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') return v.substr(1, v.size() - 2);
  throw std::runtime_error("address without <>: " + v);
}

std::vector<std::string> split(const std::string& v, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : v) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

Credentials& credentials(Options& o) {
  if (!o.credentials) o.credentials = Credentials{};
  return *o.credentials;
}

void apply_option(Transcript& t, const std::string& key, const std::string& value) {
  Options& o = t.options;
  if (key == "helo") o.helo_name = value;
  else if (key == "tls") {
    if (value == "none") o.tls = TlsPolicy::None;
    else if (value == "opportunistic") o.tls = TlsPolicy::Opportunistic;
    else if (value == "required") o.tls = TlsPolicy::Required;
    else if (value == "implicit") o.tls = TlsPolicy::Implicit;
    else throw std::runtime_error("bad tls " + value);
  } else if (key == "user") credentials(o).user = value;
  else if (key == "password") credentials(o).password = value;
  else if (key == "authzid") credentials(o).authzid = value;
  else if (key == "mechs") credentials(o).mechanisms = split(value, ',');
  else if (key == "hmac") {
    if (value == "fake") credentials(o).hmac_md5 = fake_hmac_md5;
    else credentials(o).hmac_md5 = [](std::string_view, std::string_view) { return std::string("bad"); };
  } else if (key == "auth_required") o.auth_required = value != "0";
  else if (key == "cleartext_auth") o.cleartext_auth = value != "0";
  else if (key == "ack") t.manual_ack = value == "manual";
  else throw std::runtime_error("unknown option " + key);
}

void apply_limit(Limits& l, const std::string& key, const std::string& value) {
  auto n = std::stoull(value);
  if (key == "max_reply_line") l.max_reply_line = n;
  else if (key == "max_reply_lines") l.max_reply_lines = n;
  else if (key == "data_block") l.data_block = n;
  else if (key == "max_command_line") l.max_command_line = n;
  else throw std::runtime_error("unknown limit " + key);
}

unsigned parse_notify(const std::string& v) {
  unsigned out = 0;
  for (const auto& n : split(v, ',')) {
    if (n == "NEVER") out |= NotifyNever;
    else if (n == "SUCCESS") out |= NotifySuccess;
    else if (n == "FAILURE") out |= NotifyFailure;
    else if (n == "DELAY") out |= NotifyDelay;
    else throw std::runtime_error("bad notify " + n);
  }
  return out;
}

Transaction parse_transaction(const std::string& rest) {
  Transaction tx;
  for (const auto& w : words(rest)) {
    auto [key, value] = key_value(w);
    if (key == "id") tx.id = std::stoull(value);
    else if (key == "from") tx.mail_from = unescape(unbracket(value));
    else if (key == "to") tx.recipients.push_back({unescape(unbracket(value)), 0, {}});
    else if (key == "notify") tx.recipients.at(tx.recipients.size() - 1).notify = parse_notify(value);
    else if (key == "orcpt") tx.recipients.at(tx.recipients.size() - 1).orcpt = unescape(value);
    else if (key == "8bit") tx.needs_8bitmime = true;
    else if (key == "utf8") tx.needs_smtputf8 = true;
    else if (key == "size") tx.size = std::stoull(value);
    else if (key == "ret") tx.ret = value == "FULL" ? Ret::Full : Ret::Headers;
    else if (key == "envid") tx.envid = unescape(value);
    else throw std::runtime_error("unknown transaction key " + key);
  }
  return tx;
}

// Plays the host and records the trace.
class Host {
 public:
  Host(Session& session, const Transcript& t) : session_(session), t_(t) {}

  void handle(std::vector<Action> actions) {
    for (auto& action : actions) {
      switch (action.kind) {
        case Action::Kind::Write:
          add_written(action.bytes);
          if (t_.manual_ack) ++unconfirmed_;
          else handle(session_.on_written());
          break;
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
    if (e == "connect") handle(session_.on_connected());
    else if (e.rfind("connect-failed", 0) == 0) handle(session_.on_connect_failed(e.size() > 15 ? e.substr(15) : ""));
    else if (e == "send") {
      if (next_tx_ >= t_.transactions.size()) throw std::runtime_error("E: send without a T:");
      handle(session_.send(t_.transactions[next_tx_++]));
    } else if (e == "quit") handle(session_.quit());
    else if (e == "tls") handle(session_.on_tls_started());
    else if (e == "timeout") handle(session_.on_timeout());
    else if (e == "closed") handle(session_.on_closed());
    else if (e == "written") {
      // Confirms every write made so far, not those the confirmations cause.
      for (std::size_t n = std::exchange(unconfirmed_, 0); n > 0; --n) handle(session_.on_written());
    }
    else if (e == "timer") {
      auto timeout = session_.timeout();
      trace.push_back(timeout ? "A: timer " + std::to_string(timeout->count()) : "A: timer off");
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
  const Transcript& t_;
  std::size_t next_tx_ = 0;
  std::size_t unconfirmed_ = 0;  // ack=manual: Writes not yet confirmed
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

std::vector<std::string> describe(const TransactionResult& result) {
  std::vector<std::string> out;
  for (const auto& r : result.recipients) {
    std::string line = "R: " + std::to_string(result.id) + " <" + escape(r.address) + "> " +
                       std::string(to_string(r.outcome)) + " " + std::string(to_string(r.stage)) +
                       (r.remote ? " " : " local ") + escape(format_reply(r.reply));
    out.push_back(line);
  }
  if (result.recipients.empty()) out.push_back("R: " + std::to_string(result.id) + " (no recipients)");
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
  t.options.helo_name = "client.example.net";
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
          apply_option(t, key, value);
        }
        break;
      case 'L':
        for (const auto& w : words(rest)) {
          auto [key, value] = key_value(w);
          apply_limit(t.limits, key, value);
        }
        break;
      case 'T': t.transactions.push_back(parse_transaction(rest)); break;
      case 'B':
      case 'b':
        if (t.transactions.empty()) throw std::runtime_error("B: before any T:");
        t.transactions.back().message += unescape(rest) + (line[0] == 'B' ? "\r\n" : "");
        break;
      case 'S': t.segments.back().input += unescape(rest) + "\r\n"; break;
      case 's': t.segments.back().input += unescape(rest); break;
      case 'C':
      case 'A':
      case 'R':
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
  Host host(session, t);
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
    host.event(segment.event);
  }
  host.finish();
  return host.trace;
}

}  // namespace pillarbox::smtp::client::testing
