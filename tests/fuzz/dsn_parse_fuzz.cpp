// libFuzzer target for proto/dsn: reply parsing and status mapping
// (status.hpp), NOTIFY (notify.hpp) and the report builder (dsn.hpp) on
// fuzzed replies, addresses and original messages. Built by
// `cmake -DPILLARBOX_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++`; run
// `build/fuzz/bin/dsn_parse_fuzz -max_total_time=60`.
//
// Two config bytes pick actions, RET, SMTPUTF8, the size cap, a second
// recipient and its local failure; the rest is split at "|~|" into a reply in
// wire form, a NOTIFY value, the original message, an address and a detail
// text. Oracles: parse_reply and is_status_code agree with independent
// readings of RFC 5321 §4.2 and RFC 3463; every status produced is a status
// code of the reply's class; a reply read by proto/smtp's client parser and
// rebuilt by outcome_from_reply() parses again to the same wire lines; a
// NOTIFY value parses exactly when it is valid RFC 3461 and its canonical
// form round-trips; build_report() fails exactly on invalid input, and a
// report is deterministic, CRLF-only with no line over 998 octets, ASCII
// unless global or 8-bit content is returned, its boundary absent from its
// parts, read back by proto/mime as multipart/report with the parts,
// returned content and per-recipient fields the input called for.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/dsn/dsn.hpp"
#include "proto/dsn/format.hpp"
#include "proto/dsn/notify.hpp"
#include "proto/dsn/status.hpp"
#include "proto/mime/codec.hpp"
#include "proto/mime/headers.hpp"
#include "proto/mime/message.hpp"
#include "proto/smtp/client_reply_parser.hpp"

using namespace pillarbox;
using namespace pillarbox::dsn;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

bool digit(char c) { return c >= '0' && c <= '9'; }

bool ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::vector<std::string_view> split(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t cut = s.find(sep);
    out.push_back(s.substr(0, cut));
    if (cut == std::string_view::npos) return out;
    s.remove_prefix(cut + sep.size());
  }
}

// ---- status codes and replies ----

// RFC 3463 §2 / RFC 3464 §2.3.4: class "." subject "." detail, the class
// 2, 4 or 5, the others 1-3 digits without a leading zero.
bool reference_status_code(std::string_view s) {
  auto sub = [](std::string_view f) {
    if (f.empty() || f.size() > 3 || (f.size() > 1 && f[0] == '0')) return false;
    for (char c : f) {
      if (!digit(c)) return false;
    }
    return true;
  };
  auto parts = split(s, ".");
  return parts.size() == 3 && (parts[0] == "2" || parts[0] == "4" || parts[0] == "5") && sub(parts[1]) &&
         sub(parts[2]);
}

void check_status(std::string_view status) {
  check(is_status_code(status));
  check(reference_status_code(status));
  check(!status_class_name(status).empty());
}

// RFC 5321 §4.2: lines "ddd", "ddd text" or "ddd-text", one code, an
// optional final line break.
std::optional<std::vector<std::string>> reference_reply(std::string_view wire) {
  auto lines = split(wire, "\n");
  if (!wire.empty() && wire.back() == '\n') lines.pop_back();
  if (lines.empty()) return std::nullopt;
  std::vector<std::string> out;
  for (auto line : lines) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() < 3 || !digit(line[0]) || !digit(line[1]) || !digit(line[2])) return std::nullopt;
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-') return std::nullopt;
    if (line.substr(0, 3) != lines.front().substr(0, 3)) return std::nullopt;
    std::string kept;
    for (char c : line) {
      if (c != '\r') kept += c;
    }
    out.push_back(kept);
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

void check_replies(std::string_view wire) {
  const auto reply = parse_reply(wire);
  const auto reference = reference_reply(wire);
  check(reply.has_value() == reference.has_value());
  const Outcome o = outcome_from_reply(wire);
  check_status(o.status);
  if (!reply) {
    check(o.status == "4.5.0" && o.diagnostic_type == "x-pillarbox");
    check(o.diagnostic == "unparsable reply: " + std::string(wire));
    return;
  }
  check(reply->lines == *reference);
  check(reply->code == std::stoi(reply->lines.front().substr(0, 3)));
  const std::string status = status_of(*reply);
  check_status(status);
  const int cls = reply->code / 100;
  if (cls == 2 || cls == 4 || cls == 5) {
    check(status[0] == '0' + cls);
  } else {
    check(status == "4.5.0");
  }
  // The enhanced code is the first word after the code, when valid and of the same class.
  const std::string& first = reply->lines.front();
  const std::string token = first.size() > 4 ? first.substr(4, first.find(' ', 4) - 4) : "";
  const bool valid = reference_status_code(token) && token[0] == first[0];
  check(reply->enhanced == (valid ? token : ""));
  if (valid) check(status == token);
  check(o.diagnostic_type == "smtp" && o.diagnostic == joined(reply->lines) && o.status == status);
}

std::string rstrip_lines(const std::string& s) {
  std::string out;
  bool first = true;
  for (auto line : split(s, "\n")) {
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    if (!first) out += '\n';
    out += line;
    first = false;
  }
  return out;
}

// The pipeline senderd runs: proto/smtp reads the reply, proto/dsn rebuilds
// its wire lines for the report.
void check_client_replies(std::string_view wire) {
  smtp::client::ReplyParser parser(4096, 100);
  std::string input(wire);
  input += "\r\n";
  while (true) {
    auto r = parser.next(input);
    input.erase(0, r.consumed);
    if (r.kind != smtp::client::ReplyParser::Kind::Reply) return;
    const smtp::Reply& reply = r.reply;
    const Outcome o = outcome_from_reply(reply.code, reply.enhanced, reply.text);
    check_status(o.status);
    check(o.diagnostic_type == "smtp");
    check(o.diagnostic == rstrip_lines(smtp::client::format_reply(reply)));
    const int cls = reply.code / 100;
    if (cls == 2 || cls == 4 || cls == 5) check(o.status[0] == '0' + cls);
    if (reference_status_code(reply.enhanced)) check(o.status == reply.enhanced);
  }
}

// ---- NOTIFY ----

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// RFC 3461 §4.1: "NEVER" or a list of distinct SUCCESS, FAILURE, DELAY.
bool reference_notify(std::string_view value) {
  const std::string v = upper(value);
  if (v.empty() || v == "NEVER") return true;
  std::vector<std::string_view> seen;
  for (auto item : split(v, ",")) {
    if (item != "SUCCESS" && item != "FAILURE" && item != "DELAY") return false;
    for (auto s : seen) {
      if (s == item) return false;
    }
    seen.push_back(item);
  }
  return true;
}

std::string canonical(const Notify& n) {
  if (!n.specified) return "";
  std::string out;
  if (n.success) out += "SUCCESS";
  if (n.failure) out += out.empty() ? "FAILURE" : ",FAILURE";
  if (n.delay) out += out.empty() ? "DELAY" : ",DELAY";
  return out.empty() ? "NEVER" : out;
}

void check_notify(std::string_view value) {
  const auto n = parse_notify(value);
  check(n.ok() == reference_notify(value));
  if (n) {
    check(n->specified == !value.empty());
    const auto again = parse_notify(canonical(*n));
    check(again.ok() && *again == *n);
  } else {
    check(n.error().code == ErrorCode::InvalidInput);
  }
  for (Action a : {Action::Failed, Action::Delayed, Action::Delivered, Action::Relayed, Action::Expanded}) {
    check(wants_report(value, a) == wants(n ? *n : default_notify(), kind_of(a)));
  }
}

// ---- the report ----

// RFC 2045 §2.8: no NUL, no CR outside CRLF, lines of at most 998 octets;
// LF or CRLF line ends become CRLF, a missing final one is added.
std::optional<std::string> reference_crlf(std::string_view text) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t lf = text.find('\n', pos);
    std::string_view line = text.substr(pos, lf == std::string_view::npos ? lf : lf - pos);
    if (lf != std::string_view::npos && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > 998 || line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos)
      return std::nullopt;
    out += std::string(line) + "\r\n";
    pos = lf == std::string_view::npos ? text.size() : lf + 1;
  }
  return out;
}

std::string_view reference_header_section(std::string_view raw) {
  for (std::size_t pos = 0; pos < raw.size();) {
    std::size_t lf = raw.find('\n', pos);
    if (lf == std::string_view::npos) break;
    std::string_view line = raw.substr(pos, lf - pos);
    if (line.empty() || line == "\r") return raw.substr(0, pos);
    pos = lf + 1;
  }
  return raw;
}

void check_wire(std::string_view text) {
  check(text.size() >= 2 && text.substr(text.size() - 2) == "\r\n");
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') check(i > 0 && text[i - 1] == '\r');
    if (text[i] != '\r') continue;
    check(i + 1 < text.size() && text[i + 1] == '\n');
    check(i - line_start <= 998);
    line_start = i + 2;
  }
}

std::string_view body(std::string_view raw, const mime::Part& p) {
  return raw.substr(p.body_start, p.body_end - p.body_start);
}

std::string field(const std::vector<mime::Header>& headers, std::string_view name) {
  const mime::Header* h = mime::find_header(headers, name);
  return h == nullptr ? "<absent>" : h->value;
}

std::string type_of(const mime::Part& p) { return p.type + "/" + p.subtype; }

std::size_t count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t pos = hay.find(needle); pos != std::string_view::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

bool input_valid(const ReportInput& in) {
  if (in.recipients.empty() || in.envelope_sender.empty() || in.reporting_mta.empty() || in.postmaster.empty() ||
      in.unique.empty())
    return false;
  for (const auto& r : in.recipients) {
    if (r.final_recipient.empty() || !reference_status_code(r.status)) return false;
    if (r.will_retry_until && r.action != Action::Delayed) return false;
  }
  return true;
}

Returned expected_returned(const ReportInput& in) {
  bool failed = false;
  for (const auto& r : in.recipients) failed = failed || r.action == Action::Failed;
  const bool too_big = in.ret == Ret::Unspecified && in.original.size() > in.return_size_limit;
  if (failed && in.ret != Ret::Headers && !too_big) {
    auto full = reference_crlf(in.original);
    if (full && !full->empty()) return Returned::Full;
  }
  auto headers = reference_crlf(reference_header_section(in.original));
  return headers && !headers->empty() ? Returned::Headers : Returned::None;
}

void check_report(const ReportInput& in) {
  const auto built = build_report(in);
  check(built.ok() == input_valid(in));
  if (!built) {
    check(built.error().code == ErrorCode::InvalidInput);
    return;
  }
  const Report& report = *built;
  const auto again = build_report(in);
  check(again.ok() && again->message == report.message);

  const std::string& raw = report.message;
  check_wire(raw);
  check(report.eight_bit == !ascii(raw));
  check(report.returned == expected_returned(in));
  check(!report.boundary.empty() && report.boundary.size() <= 70);

  auto parsed = mime::parse(raw);
  check(parsed.ok());
  const mime::Message& m = *parsed;
  check(type_of(m.root) == "multipart/report");
  check(m.root.param("boundary") == report.boundary);
  check(m.root.param("report-type") == (report.smtputf8 ? "global-delivery-status" : "delivery-status"));
  check(field(m.headers, "Subject") == report.subject);
  check(field(m.headers, "Message-ID") == report.message_id);
  const std::size_t parts = report.returned == Returned::None ? 2 : 3;
  check(m.root.children.size() == parts);
  // The boundary: once in Content-Type (and maybe in From/To), then only as delimiters.
  check(count(raw, "\r\n--" + report.boundary) == parts + 1);
  for (const mime::Part& p : m.root.children) {
    check(raw.substr(p.header_start, p.body_end - p.header_start).find(report.boundary) == std::string::npos);
  }

  const mime::Part& text = m.root.children[0];
  const mime::Part& status = m.root.children[1];
  check(type_of(text) == "text/plain");
  check(ascii(raw.substr(text.header_start, text.body_end - text.header_start)));
  check(type_of(status) ==
        (report.smtputf8 ? "message/global-delivery-status" : "message/delivery-status"));
  if (!report.smtputf8) check(ascii(raw.substr(0, parts == 3 ? m.root.children[2].body_start : raw.size())));
  if (parts == 3) {
    const mime::Part& third = m.root.children[2];
    const std::string returned(body(raw, third));
    if (report.returned == Returned::Full) {
      check(type_of(third) == (report.smtputf8 ? "message/global" : "message/rfc822"));
      check(returned == *reference_crlf(in.original));
    } else {
      check(type_of(third) == (report.smtputf8 ? "message/global-headers" : "text/rfc822-headers"));
      check(returned == *reference_crlf(reference_header_section(in.original)));
    }
  }

  // The delivery-status body: per-message fields, then a group per recipient.
  const std::string_view ds = body(raw, status);
  std::vector<std::vector<mime::Header>> groups;
  for (std::size_t pos = 0; pos < ds.size();) {
    auto block = mime::read_headers(ds, pos, ds.size(), ds.size() + 1);
    check(block.ok());
    groups.push_back(block->headers);
    check(block->body_start > pos);
    pos = block->body_start;
  }
  check(groups.size() == 1 + in.recipients.size());
  check(field(groups[0], "Reporting-MTA") != "<absent>");
  for (std::size_t i = 0; i < in.recipients.size(); ++i) {
    const RecipientReport& r = in.recipients[i];
    const auto& g = groups[i + 1];
    check(field(g, "Action") == action_name(r.action));
    check(field(g, "Status") == r.status);
    check(field(g, "Final-Recipient") != "<absent>");
    check((field(g, "Original-Recipient") == "<absent>") == r.original_recipient.empty());
    check((field(g, "Diagnostic-Code") == "<absent>") == r.diagnostic_type.empty());
    check((field(g, "Will-Retry-Until") == "<absent>") == !r.will_retry_until);
  }
}

void check_format(std::string_view value) {
  std::string out;
  append_field(out, "Diagnostic-Code", clean_text(value, true));
  check_wire(out);
  const std::string qp = qp_encode(value);
  if (!qp.empty()) check_wire(qp);
  check(ascii(qp));
  for (auto line : split(qp, "\r\n")) check(line.size() <= 76);
  // Decoded, it is the text with CRLF line ends.
  std::string lines;
  for (std::size_t pos = 0; pos < value.size();) {
    const std::size_t lf = value.find('\n', pos);
    std::string_view line = value.substr(pos, lf == std::string_view::npos ? lf : lf - pos);
    if (lf != std::string_view::npos && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines += std::string(line) + "\r\n";
    pos = lf == std::string_view::npos ? value.size() : lf + 1;
  }
  check(mime::decode_transfer(qp, "quoted-printable") == lines);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t a = data[0];
  const std::uint8_t b = data[1];
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  auto fields = split(input, "|~|");
  fields.resize(5);
  const std::string_view wire = fields[0], notify = fields[1], original = fields[2], address = fields[3],
                         detail = fields[4];

  check(is_status_code(wire) == reference_status_code(wire));
  for (auto word : split(wire, " ")) {
    check(is_status_code(word) == reference_status_code(word));
    check(status_title(word).empty() || is_status_code(word));
    check(status_class_name(word).empty() == !is_status_code(word));
  }
  check_replies(wire);
  check_client_replies(wire);
  const int code = (b & 7) == 7 ? a * 10 : 100 + (b % 5) * 100 + a % 100;
  check_status(outcome_from_reply(code, wire.substr(0, wire.find(' ')), wire).status);
  check_notify(notify);
  check_format(wire);

  static constexpr Action kActions[] = {Action::Failed, Action::Delayed, Action::Delivered, Action::Relayed,
                                        Action::Expanded};
  ReportInput in;
  in.reporting_mta = "mail.example.com";
  in.postmaster = "MAILER-DAEMON@mail.example.com";
  in.envelope_sender = (b & 0x80) != 0 ? std::string(address) : "alice@example.org";
  in.envid = std::string(detail);
  in.ret = static_cast<Ret>(((a >> 3) & 3) % 3);
  in.smtputf8 = (a & 0x20) != 0;
  in.arrival_date = 1772528400;
  in.queue_id = std::string(detail.substr(0, 20));
  in.received_from_mta = "client.example.org";
  in.original = original;
  in.return_size_limit = (a & 0x40) != 0 ? 64 : 1 << 20;
  in.now = 1772530200 + static_cast<std::int64_t>(b) * 86400 * 97;
  in.utc_offset_minutes = (b * 37) % 1500 - 750;
  in.unique = "4F2A1B." + std::string(detail.substr(0, 30));

  const Outcome remote = outcome_from_reply(wire);
  RecipientReport r1;
  r1.final_recipient = "bob@example.net";
  r1.original_recipient = "rfc822;bob@example.net";
  r1.action = kActions[(a & 7) % 5];
  r1.status = remote.status;
  r1.remote_mta = "mx.example.net";
  r1.diagnostic_type = remote.diagnostic_type;
  r1.diagnostic = remote.diagnostic;
  r1.last_attempt = 1772530195;
  if (r1.action == Action::Delayed) r1.will_retry_until = 1772787600;
  in.recipients.push_back(r1);
  if ((a & 0x80) != 0) {
    const auto failure = static_cast<LocalFailure>(((b >> 3) & 15) % 12);
    const Outcome local = outcome_from_local(failure, detail);
    check_status(local.status);
    check(action_for(local.status, false) == (local.status[0] == '5' ? Action::Failed : Action::Delayed));
    RecipientReport r2;
    r2.final_recipient = std::string(address);
    r2.original_recipient = address.empty() ? "" : "rfc822;" + std::string(address);
    r2.action = kActions[b % 5];
    r2.status = local.status;
    r2.diagnostic_type = (b & 0x40) != 0 ? "" : local.diagnostic_type;
    r2.diagnostic = local.diagnostic;
    if (r2.action == Action::Delayed || (b & 0x20) != 0) r2.will_retry_until = 1772787600;
    in.recipients.push_back(r2);
  }
  check_report(in);
  return 0;
}
