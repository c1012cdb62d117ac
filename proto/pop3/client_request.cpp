// Names, the transient test and the STAT / LIST / UIDL parsers of the POP3
// client (client_request.hpp), RFC 1939 §5 (STAT drop listing, LIST scan
// listing) and §7 (UIDL unique-id listing).
#include "proto/pop3/client_request.hpp"

#include <optional>

namespace pillarbox::pop3::client {

namespace {

Unexpected bad(std::string what) { return fail(ErrorCode::InvalidInput, std::move(what)); }

// A decimal number of at most 19 digits (no overflow in uint64).
std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

// The first two space-separated words of `line` and whether more follow.
struct Words {
  std::string_view first, second;
  bool more = false;
};

Words two_words(std::string_view line) {
  Words w;
  std::size_t sp = line.find(' ');
  w.first = line.substr(0, sp);
  if (sp == std::string_view::npos) return w;
  std::string_view rest = line.substr(sp + 1);
  std::size_t sp2 = rest.find(' ');
  w.second = rest.substr(0, sp2);
  w.more = sp2 != std::string_view::npos;
  return w;
}

std::string excerpt(std::string_view line) {
  std::string out;
  for (char c : line.substr(0, 40)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u >= 0x7F) ? '?' : c;
  }
  if (line.size() > 40) out += "...";
  return out;
}

// Calls `each(line)` for every CRLF line of a body; stops at the first error.
template <class F>
Expected<void> for_lines(std::string_view body, std::size_t max_line, F each) {
  while (!body.empty()) {
    std::size_t end = body.find("\r\n");
    std::string_view line = body.substr(0, end);
    body.remove_prefix(end == std::string_view::npos ? body.size() : end + 2);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.size() > max_line) return bad("listing line longer than " + std::to_string(max_line) + " octets");
    if (auto r = each(line); !r) return r;
  }
  return {};
}

}  // namespace

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::Ok: return "ok";
    case Outcome::Refused: return "refused";
    case Outcome::Unsupported: return "unsupported";
    case Outcome::TooBig: return "too-big";
    case Outcome::Timeout: return "timeout";
    case Outcome::ConnectionLost: return "connection-lost";
    case Outcome::ProtocolError: return "protocol-error";
    case Outcome::NotRun: return "not-run";
  }
  return "?";
}

std::string_view to_string(Request::Kind kind) {
  switch (kind) {
    case Request::Kind::Login: return "login";
    case Request::Kind::Stat: return "stat";
    case Request::Kind::List: return "list";
    case Request::Kind::Uidl: return "uidl";
    case Request::Kind::Retr: return "retr";
    case Request::Kind::Top: return "top";
    case Request::Kind::Dele: return "dele";
    case Request::Kind::Rset: return "rset";
    case Request::Kind::Noop: return "noop";
    case Request::Kind::Quit: return "quit";
    case Request::Kind::Raw: return "raw";
  }
  return "?";
}

bool is_transient(const Result& result) {
  switch (result.outcome) {
    case Outcome::Timeout:
    case Outcome::ConnectionLost: return true;
    case Outcome::Refused: break;
    default: return false;
  }
  const Reply& r = result.reply;
  if (r.has_code("IN-USE") || r.has_code("LOGIN-DELAY") || r.has_code("SYS/TEMP")) return true;
  if (!r.code.empty()) return false;
  return result.kind == Request::Kind::Retr || result.kind == Request::Kind::Top ||
         result.kind == Request::Kind::Dele;
}

Expected<std::pair<std::size_t, std::uint64_t>> parse_stat(const Reply& reply) {
  Words w = two_words(reply.text);
  auto count = number(w.first);
  auto octets = number(w.second);
  if (!count || !octets) return bad("malformed STAT reply \"" + excerpt(reply.text) + "\"");
  return std::pair<std::size_t, std::uint64_t>{static_cast<std::size_t>(*count), *octets};
}

Expected<std::vector<ListEntry>> parse_list(std::string_view body, std::size_t max_line) {
  std::vector<ListEntry> out;
  auto r = for_lines(body, max_line, [&](std::string_view line) -> Expected<void> {
    Words w = two_words(line);
    auto msg = number(w.first);
    auto size = number(w.second);
    if (!msg || *msg == 0 || !size) return bad("malformed LIST line \"" + excerpt(line) + "\"");
    out.push_back({static_cast<std::size_t>(*msg), *size});
    return {};
  });
  if (!r) return Unexpected{r.error()};
  return out;
}

Expected<std::vector<UidEntry>> parse_uidl(std::string_view body, std::size_t max_line) {
  std::vector<UidEntry> out;
  auto r = for_lines(body, max_line, [&](std::string_view line) -> Expected<void> {
    Words w = two_words(line);
    auto msg = number(w.first);
    bool uid_ok = !w.second.empty() && w.second.size() <= 255 && !w.more;
    for (char c : w.second) {
      auto u = static_cast<unsigned char>(c);
      if (u < 0x21 || u > 0x7E) uid_ok = false;
    }
    if (!msg || *msg == 0 || !uid_ok) return bad("malformed UIDL line \"" + excerpt(line) + "\"");
    out.push_back({static_cast<std::size_t>(*msg), std::string(w.second)});
    return {};
  });
  if (!r) return Unexpected{r.error()};
  return out;
}

}  // namespace pillarbox::pop3::client
