// libFuzzer target for the SMTP client engine (proto/smtp/client_session.hpp,
// with its reply parser, EHLO reader, SASL client and dot-stuffer). Built by
// `cmake -DPILLARBOX_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++`; run
// `build/fuzz/bin/smtp_client_fuzz -max_total_time=60`.
//
// Two config bytes pick the TLS policy, credentials, limits, write
// confirmation and the transactions queued; the rest is what the server
// sends, cut into segments at "~~X" marks where the host acts: a pending
// STARTTLS handshake completes, deferred writes are confirmed, and X may be
// T (the timer fires, if armed), C (connection lost), S (send one more
// transaction) or Q (quit). The input ends with the connection lost.
// Oracles: whole, ragged and byte-by-byte feeding give the same trace; every
// transaction gets exactly one Result, one entry per recipient, whose
// outcome agrees with its reply and with what was written (accepted only
// after the whole dot-stuffed text and its RCPT went out); writes are
// CRLF-only command lines in protocol order or the exact stuffed message
// (checked against an independent stuffer); nothing is written after Close,
// QUIT, or between StartTls and the handshake; no MAIL or AUTH in the clear
// under a required TLS policy, no PLAIN/LOGIN in the clear unless allowed,
// no MAIL before AUTH when AUTH is required; a session waiting for the
// server always has a timer; an armed timeout and on_closed end everything.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "proto/smtp/client_session.hpp"

using namespace pillarbox::smtp;
using namespace pillarbox::smtp::client;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

constexpr std::string_view kHelo = "client.example.net";

// ---- the transactions the host sends ----

// Reference dot-stuffing (RFC 5321 §4.5.2), written independently of
// DotStuffer: every CR, LF or CRLF ends a line, a leading "." is doubled, a
// missing final line end is added, then ".".
std::string stuffed(std::string_view message) {
  std::string out;
  std::string line;
  bool open = false;  // a line has started and not ended
  auto end_line = [&] {
    if (!line.empty() && line[0] == '.') out += '.';
    out += line + "\r\n";
    line.clear();
    open = false;
  };
  for (std::size_t i = 0; i < message.size(); ++i) {
    char c = message[i];
    if (c == '\r') {
      if (i + 1 < message.size() && message[i + 1] == '\n') ++i;
      end_line();
    } else if (c == '\n') {
      end_line();
    } else {
      line += c;
      open = true;
    }
  }
  if (open) end_line();
  return out + ".\r\n";
}

std::string long_message() {
  std::string m = "X-Fuzz: long\r\nSubject: several blocks\r\n\r\n";
  for (int i = 0; i < 12; ++i) m += "line " + std::to_string(i) + " of a message that spans several blocks\r\n.\r\n";
  return m;
}

// Templates covering the transaction features. Non-empty messages start
// with "X" or "." so the wire checker can tell text from a command line.
Transaction make_transaction(unsigned kind, std::uint64_t id) {
  Transaction t;
  t.id = id;
  t.mail_from = "s" + std::to_string(id) + "@example.org";
  switch (kind % 8) {
    case 0:
      t.recipients.push_back({"bob@example.net", 0, {}});
      t.message = "X-Fuzz: 0\r\n\r\nHello\r\n";
      break;
    case 1:
      t.recipients.push_back({"a@example.net", NotifySuccess | NotifyFailure, "rfc822;a+b=c@example.net"});
      t.recipients.push_back({"bad<rcpt@example.net", 0, {}});
      t.recipients.push_back({"c@example.net", NotifyNever, {}});
      t.envid = "ENV 1=x";
      t.ret = Ret::Headers;
      t.message = "X-Fuzz: 1\r\n\r\n.\r\n..two\r\n.end\r\nlast";
      break;
    case 2:
      t.mail_from = "";
      t.needs_8bitmime = true;
      t.recipients.push_back({"d@example.net", NotifyDelay, "e@example.net"});
      t.ret = Ret::Full;
      t.message = "X-Fuzz: 2\n\nbody \xC3\xA9\rmore\n.\n\r\r\n";
      break;
    case 3:
      t.recipients.push_back({"jos\xC3\xA9@example.net", 0, {}});
      t.recipients.push_back({"f@example.net", 0, {}});
      t.message = ".leading dot\r\n";
      break;
    case 4:
      t.recipients.push_back({"g@example.net", 0, {}});
      t.size = std::uint64_t{1} << 40;
      t.message = "";
      break;
    case 5:
      t.recipients.push_back({"h@example.net", 0, {}});
      t.recipients.push_back({"i@example.net", NotifyFailure | NotifyDelay, {}});
      t.message = long_message();
      break;
    case 6:
      t.mail_from = "bad\r\nsender@example.org";
      t.recipients.push_back({"j@example.net", 0, {}});
      t.message = "X-Fuzz: 6\r\n";
      break;
    default:
      t.recipients.push_back({"", 0, {}});
      t.recipients.push_back({"x>y@example.net", 0, {}});
      t.message = "X-Fuzz: 7\r\n";
      break;
  }
  return t;
}

std::string fake_hmac(std::string_view key, std::string_view data) {
  std::string out(16, '\0');
  std::size_t i = 0;
  for (char c : std::string(key) + "|" + std::string(data)) {
    out[i % 16] = static_cast<char>(out[i % 16] * 31 + c);
    ++i;
  }
  return out;
}

struct Config {
  Options options;
  Limits limits;
  bool deferred_acks = false;  // writes confirmed at marks, not at once
  unsigned initial = 0;        // transactions sent before connecting
  unsigned kinds = 0;          // template offset
  bool connect_fails = false;
};

Config make_config(std::uint8_t a, std::uint8_t b) {
  Config c;
  c.options.helo_name = std::string(kHelo);
  c.options.tls = static_cast<TlsPolicy>(a & 3);
  if ((a & 4) != 0) {
    Credentials cr;
    cr.user = "user";
    cr.password = (b & 32) != 0 ? std::string(400, 'p') : "secret";
    switch (b >> 6) {
      case 0: break;
      case 1: cr.mechanisms = {"LOGIN", "PLAIN"}; break;
      case 2:
        cr.mechanisms = {"CRAM-MD5", "PLAIN"};
        cr.hmac_md5 = fake_hmac;
        break;
      default:
        cr.mechanisms = {"cram-md5", "login"};
        cr.hmac_md5 = [](std::string_view, std::string_view) { return std::string("bad"); };
        break;
    }
    c.options.credentials = cr;
  }
  c.options.auth_required = (a & 8) != 0;
  c.options.cleartext_auth = (a & 16) != 0;
  c.deferred_acks = (a & 32) != 0;
  c.initial = a >> 6;
  c.kinds = b & 7;
  c.limits.data_block = (b & 8) != 0 ? 5 : 64;
  c.limits.max_reply_line = (b & 16) != 0 ? 40 : 512;
  c.limits.max_reply_lines = (b & 16) != 0 ? 4 : 30;
  c.limits.max_command_line = (b & 32) != 0 ? 40 : 512;
  c.connect_fails = b == 0xFF;
  return c;
}

// ---- the wire checker ----

bool is_base64(std::string_view s) {
  if (s.size() % 4 != 0) return false;
  std::size_t pad = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c == '=') {
      ++pad;
    } else if (pad > 0 || !(alnum || c == '+' || c == '/')) {
      return false;
    }
  }
  return pad <= 2;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Per transaction: what the host saw of it.
struct Seen {
  Transaction tx;
  unsigned results = 0;
  bool mail = false;
  bool data_command = false;
  bool text_complete = false;  // the whole stuffed text (or the lone ".") went out
  std::vector<bool> rcpt;      // RCPT written, per recipient
  std::size_t next_rcpt = 0;   // RCPTs go out in the transaction's order
};

// Reads the stream of written bytes as the server would and checks every
// command against the protocol and the security policy.
class Wire {
 public:
  Wire(const Config& config, std::map<std::uint64_t, Seen>& seen, std::vector<std::uint64_t>& order)
      : config_(config), seen_(seen), order_(order), tls_up_(config.options.tls == TlsPolicy::Implicit) {}

  void add(std::string_view bytes, const Session& session) {
    check(!quit_sent_);
    check(!handshake_);
    buf_ += bytes;
    parse(session);
  }

  void starttls() {
    check(starttls_sent_ && !handshake_);
    handshake_ = true;
  }
  void tls_started() {
    handshake_ = false;
    tls_up_ = true;
    want_ehlo_ = true;
  }
  bool handshake() const { return handshake_; }

  void result(std::uint64_t id) {
    if (current_ == id) current_.reset();
  }

  // The stream may end in the middle of a message (failure while writing);
  // never in the middle of a command line.
  void finish() const { check(buf_.empty() || text_); }

 private:
  void parse(const Session& session) {
    while (true) {
      if (text_) {
        Seen& s = seen_.at(*current_);
        const std::string& want = *text_;
        std::size_t n = std::min(buf_.size(), want.size() - text_pos_);
        check(buf_.compare(0, n, want, text_pos_, n) == 0);
        buf_.erase(0, n);
        text_pos_ += n;
        if (text_pos_ < want.size()) return;
        text_ = nullptr;
        s.text_complete = true;
        continue;
      }
      if (after_data_ && !buf_.empty()) {
        // Message text starts with "X" or ".."; "." alone is the terminator.
        if (buf_[0] == 'X' || (buf_[0] == '.' && buf_.size() >= 2 && buf_[1] == '.')) {
          after_data_ = false;
          check(current_.has_value());
          Seen& s = seen_.at(*current_);
          check(!s.text_complete && s.results == 0);
          text_storage_ = stuffed(s.tx.message);
          text_ = &text_storage_;
          text_pos_ = 0;
          continue;
        }
        if (buf_[0] == '.' && buf_.size() < 2) return;
        after_data_ = false;
      }
      std::size_t crlf = buf_.find("\r\n");
      std::size_t lf = buf_.find('\n');
      check(lf == std::string::npos || (crlf != std::string::npos && lf == crlf + 1));
      std::size_t cr = buf_.find('\r');
      check(cr == std::string::npos || cr == crlf || cr + 1 == buf_.size());
      if (crlf == std::string::npos) return;
      std::string line = buf_.substr(0, crlf);
      buf_.erase(0, crlf + 2);
      command(line, session);
    }
  }

  void command(const std::string& line, const Session& session) {
    const Options& o = config_.options;
    if (want_ehlo_) {
      // RFC 3207 §4.2: the first command after the handshake is EHLO.
      check(line == "EHLO " + std::string(kHelo));
      want_ehlo_ = false;
    }
    if (in_auth_) {
      if (line == "*" || is_base64(line)) return;
      in_auth_ = false;
    }
    check(line.size() + 2 <= 512);
    if (line == "EHLO " + std::string(kHelo) || line == "HELO " + std::string(kHelo)) {
      check(!current_);
      return;
    }
    if (line == "STARTTLS") {
      check((o.tls == TlsPolicy::Opportunistic || o.tls == TlsPolicy::Required) && !tls_up_ && !starttls_sent_);
      check(!current_);
      starttls_sent_ = true;
      return;
    }
    if (starts_with(line, "AUTH ")) {
      check(o.credentials.has_value() && !current_ && !auth_sent_);
      auth_sent_ = true;
      check(o.tls != TlsPolicy::Required || tls_up_);
      if (starts_with(line, "AUTH PLAIN") || starts_with(line, "AUTH LOGIN")) check(tls_up_ || o.cleartext_auth);
      in_auth_ = true;
      return;
    }
    if (line == "QUIT") {
      quit_sent_ = true;
      return;
    }
    if (line == "RSET") {
      check(!current_);
      return;
    }
    if (starts_with(line, "MAIL FROM:<")) {
      check(!current_);
      check(o.tls != TlsPolicy::Required || tls_up_);
      if (o.auth_required) check(session.authenticated());
      // The next transaction in send order that is still open.
      while (next_mail_ < order_.size() && seen_.at(order_[next_mail_]).results > 0) ++next_mail_;
      check(next_mail_ < order_.size());
      Seen& s = seen_.at(order_[next_mail_++]);
      check(starts_with(line, "MAIL FROM:<" + s.tx.mail_from + ">"));
      s.mail = true;
      current_ = s.tx.id;
      return;
    }
    check(current_.has_value());
    Seen& s = seen_.at(*current_);
    check(s.results == 0);
    if (starts_with(line, "RCPT TO:<")) {
      check(!s.data_command);
      std::size_t i = s.next_rcpt;
      while (i < s.tx.recipients.size() && !starts_with(line, "RCPT TO:<" + s.tx.recipients[i].address + ">")) ++i;
      check(i < s.tx.recipients.size());
      s.rcpt[i] = true;
      s.next_rcpt = i + 1;
      return;
    }
    if (line == "DATA") {
      check(!s.data_command);
      s.data_command = true;
      after_data_ = true;
      return;
    }
    // The lone "." after a 354 with nobody to send to, or an empty message.
    check(line == "." && s.data_command && !s.text_complete);
    s.text_complete = true;
  }

  const Config& config_;
  std::map<std::uint64_t, Seen>& seen_;
  std::vector<std::uint64_t>& order_;
  std::string buf_;
  bool tls_up_;
  bool starttls_sent_ = false;
  bool handshake_ = false;
  bool want_ehlo_ = false;
  bool in_auth_ = false;
  bool quit_sent_ = false;
  bool auth_sent_ = false;
  bool after_data_ = false;
  std::optional<std::uint64_t> current_;
  std::size_t next_mail_ = 0;
  std::string text_storage_;
  const std::string* text_ = nullptr;
  std::size_t text_pos_ = 0;
};

// ---- the host ----

std::string describe(const TransactionResult& r) {
  std::string out = "#result " + std::to_string(r.id) + (r.dsn_passed ? " dsn" : "") + "\n";
  for (const auto& rr : r.recipients) {
    out += " <" + rr.address + "> " + std::string(to_string(rr.outcome)) + " " + std::string(to_string(rr.stage)) +
           (rr.remote ? " " : " local ") + format_reply(rr.reply) + "\n";
  }
  return out;
}

class Host {
 public:
  explicit Host(const Config& config)
      : config_(config), session_(config.options, Timeouts{}, config.limits), wire_(config, seen_, order_) {}

  void start() {
    for (unsigned i = 0; i < config_.initial; ++i) send();
    if (config_.connect_fails) {
      handle(session_.on_connect_failed("refused"));
      check(session_.closed());
      check_all_done();
    } else {
      handle(session_.on_connected());
    }
  }

  void feed(std::string_view bytes) { handle(session_.on_bytes(bytes)); }

  void mark(char event) {
    if (event == 'C') {
      // The connection is lost (or the TLS handshake failed).
      trace += "#closed\n";
      handle(session_.on_closed());
      check(session_.closed());
      check_all_done();
    } else {
      if (config_.deferred_acks) {
        for (std::size_t n = std::exchange(unconfirmed_, 0); n > 0; --n) handle(session_.on_written());
      }
      if (wire_.handshake()) {
        trace += "#tls-started\n";
        wire_.tls_started();
        handle(session_.on_tls_started());
      }
      if (event == 'T') {
        if (session_.timeout()) {
          trace += "#timeout\n";
          handle(session_.on_timeout());
          check(session_.closed());
          check_all_done();
        } else {
          trace += "#no-timer\n";
        }
      } else if (event == 'S') {
        send();
      } else if (event == 'Q') {
        trace += "#quit\n";
        handle(session_.quit());
      }
    }
    auto t = session_.timeout();
    trace += "#state " + std::to_string(static_cast<int>(session_.state())) + " " +
             (t ? std::to_string(t->count()) : "-") + "\n";
  }

  void finish() {
    trace += "#end\n";
    handle(session_.on_closed());
    check(session_.closed());
    check(!session_.timeout());
    check_all_done();
    wire_.finish();
    // A closed session answers new work at once with a failure.
    Transaction t = make_transaction(0, 1000);
    seen_[t.id] = Seen{t, 0, false, false, false, std::vector<bool>(t.recipients.size()), 0};
    order_.push_back(t.id);
    auto actions = session_.send(t);
    check(actions.size() == 1 && actions[0].kind == Action::Kind::Result);
    handle(std::move(actions));
    for (const auto& r : last_result_.recipients) check(r.outcome != Outcome::Accepted && r.stage <= Stage::Mail);
    check_all_done();
  }

  std::string trace;

 private:
  void send() {
    if (sent_ >= 8) return;
    const unsigned kind = config_.kinds + sent_++;
    Transaction t = make_transaction(kind, sent_);
    seen_[t.id] = Seen{t, 0, false, false, false, std::vector<bool>(t.recipients.size()), 0};
    order_.push_back(t.id);
    trace += "#send " + std::to_string(t.id) + "\n";
    handle(session_.send(std::move(t)));
  }

  // Carries out the actions in order; writes confirmed at once are confirmed
  // after the whole batch, as a socket's write callback would.
  void handle(std::vector<Action> actions) {
    ++depth_;
    std::size_t writes = 0;
    for (auto& a : actions) {
      switch (a.kind) {
        case Action::Kind::Write:
          check(!closed_ && !a.bytes.empty());
          wire_.add(a.bytes, session_);
          trace += a.bytes;
          ++writes;
          break;
        case Action::Kind::StartTls:
          check(!closed_);
          wire_.starttls();
          trace += "#starttls\n";
          break;
        case Action::Kind::Close:
          check(!closed_);
          closed_ = true;
          trace += "#close\n";
          break;
        case Action::Kind::Result: take(a.result); break;
      }
    }
    if (config_.deferred_acks) {
      unconfirmed_ += writes;
    } else {
      for (; writes > 0; --writes) handle(session_.on_written());
    }
    check_session();
    --depth_;
  }

  void take(const TransactionResult& r) {
    trace += describe(r);
    auto it = seen_.find(r.id);
    check(it != seen_.end());
    Seen& s = it->second;
    check(++s.results == 1);
    wire_.result(r.id);
    check(r.recipients.size() == s.tx.recipients.size());
    for (std::size_t i = 0; i < r.recipients.size(); ++i) {
      const RecipientResult& rr = r.recipients[i];
      check(rr.address == s.tx.recipients[i].address);
      const int code = rr.reply.code;
      check(code >= 200 && code <= 599);
      check(rr.reply.enhanced.empty() || (is_enhanced_code(rr.reply.enhanced) && rr.reply.enhanced[0] == '0' + code / 100));
      switch (rr.outcome) {
        case Outcome::Accepted:
          check(code < 300 && rr.remote && rr.stage == Stage::Final);
          check(s.mail && s.rcpt[i] && s.text_complete);
          break;
        case Outcome::PermanentFailure: check(code >= 500); break;
        case Outcome::TemporaryFailure: check(code < 500); break;
      }
      if (!rr.remote) check(!rr.reply.enhanced.empty() && (code == 451 || code >= 550));
      // A 421 fails the whole session: recipients not yet offered share it.
      if (rr.remote && rr.stage == Stage::Rcpt && code != 421) check(s.rcpt[i]);
      if (rr.stage == Stage::Final) check(s.text_complete);
    }
    last_result_ = r;
  }

  // A session waiting for the server keeps a timer; a ready one has no work.
  void check_session() const {
    using S = Session::State;
    const S state = session_.state();
    if (state != S::Idle && state != S::Ready && state != S::Closed) check(session_.timeout().has_value());
    if (state == S::Ready) check(session_.idle());
    if (state == S::Closed) check(!session_.timeout());
    // Writes confirmed at once: by the end of the outermost batch every block went out.
    if (!config_.deferred_acks && depth_ == 1) check(state != S::Message);
  }

  void check_all_done() const {
    for (const auto& [id, s] : seen_) check(s.results == 1);
  }

  const Config& config_;
  Session session_;
  std::map<std::uint64_t, Seen> seen_;
  std::vector<std::uint64_t> order_;  // transaction ids in send order
  Wire wire_;
  unsigned sent_ = 0;
  bool closed_ = false;
  std::size_t unconfirmed_ = 0;
  int depth_ = 0;  // nesting of handle()
  TransactionResult last_result_;
};

struct Segment {
  std::string_view bytes;
  char event = 0;  // 0 at the end of the input
};

std::vector<Segment> segments(std::string_view input) {
  std::vector<Segment> out;
  while (true) {
    std::size_t cut = input.find("~~");
    if (cut == std::string_view::npos) {
      out.push_back({input, 0});
      return out;
    }
    char event = cut + 2 < input.size() ? input[cut + 2] : '\0';
    out.push_back({input.substr(0, cut), event});
    input.remove_prefix(std::min(input.size(), cut + 3));
  }
}

enum class Feed { Whole, Ragged, Bytes };

std::string play(const Config& config, const std::vector<Segment>& parts, Feed feed) {
  Host host(config);
  host.start();
  unsigned seed = 7;
  for (const auto& part : parts) {
    std::string_view bytes = part.bytes;
    while (!bytes.empty()) {
      std::size_t n = bytes.size();
      if (feed == Feed::Bytes) n = 1;
      if (feed == Feed::Ragged) {
        seed = seed * 1103515245U + 12345U;
        n = std::min<std::size_t>(bytes.size(), 1 + (seed >> 16) % 13);
      }
      host.feed(bytes.substr(0, n));
      bytes.remove_prefix(n);
    }
    if (part.event != 0) host.mark(part.event);
  }
  host.finish();
  return host.trace;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const Config config = make_config(data[0], data[1]);
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  const auto parts = segments(input);
  const std::string whole = play(config, parts, Feed::Whole);
  check(play(config, parts, Feed::Ragged) == whole);
  if (input.size() <= 4096) check(play(config, parts, Feed::Bytes) == whole);
  return 0;
}
