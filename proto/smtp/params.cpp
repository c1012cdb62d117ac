// MAIL FROM / RCPT TO parameter parsing (params.hpp). Keywords are
// case-insensitive; enumerated values are stored upper case; xtext values are
// stored decoded.
#include "proto/smtp/params.hpp"

#include <limits>
#include <string>
#include <vector>

#include "proto/smtp/address.hpp"
#include "proto/smtp/reply.hpp"
#include "proto/smtp/xtext.hpp"

namespace pillarbox::smtp {

namespace {

struct Param {
  std::string key;  // upper case
  std::string_view value;
  bool has_value = false;
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

Unexpected syntax_error(std::string_view text) {
  return Unexpected{reply_error(ErrorCode::InvalidInput, "501 5.5.4 Bad parameter syntax",
                                std::string(text.substr(0, 256)))};
}

Unexpected invalid(const Param& p) {
  return Unexpected{reply_error(ErrorCode::InvalidInput,
                                "501 5.5.4 Invalid " + p.key + " value", std::string(p.value))};
}

Unexpected unsupported(const Param& p) {
  return Unexpected{reply_error(ErrorCode::InvalidInput, "555 5.5.4 Unsupported option: " + p.key)};
}

bool valid_keyword(std::string_view k) {
  if (k.empty() || k.front() == '-') return false;
  for (char c : k) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-') return false;
  }
  return true;
}

// esmtp-value: %d33-60 / %d62-126, and UTF-8 (RFC 6531 §3.3).
bool valid_value(std::string_view v) {
  if (v.empty()) return false;
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (u < 33 || u == '=' || u == 127) return false;
  }
  return is_valid_utf8(v);
}

// " KEY[=VALUE]" repeated; duplicates refused.
Expected<std::vector<Param>> split_params(std::string_view text) {
  std::vector<Param> params;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] != ' ') return syntax_error(text);
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos == text.size()) break;
    std::size_t end = text.find(' ', pos);
    std::string_view token = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? text.size() : end;
    std::size_t eq = token.find('=');
    Param p{upper(token.substr(0, eq)), {}, eq != std::string_view::npos};
    if (p.has_value) p.value = token.substr(eq + 1);
    if (!valid_keyword(p.key) || (p.has_value && !valid_value(p.value))) return syntax_error(text);
    for (const Param& seen : params) {
      if (seen.key == p.key) {
        return Unexpected{reply_error(ErrorCode::InvalidInput,
                                      "501 5.5.4 Duplicate " + p.key + " parameter")};
      }
    }
    params.push_back(std::move(p));
  }
  return params;
}

std::optional<std::uint64_t> parse_size(std::string_view v) {
  if (v.empty() || v.size() > 20) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    auto digit = static_cast<std::uint64_t>(c - '0');
    // A size beyond 64 bits is simply too large; the limit check says so.
    if (n > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      return std::numeric_limits<std::uint64_t>::max();
    }
    n = n * 10 + digit;
  }
  return n;
}

bool one_of(const std::string& v, std::initializer_list<std::string_view> allowed) {
  for (auto a : allowed) {
    if (v == a) return true;
  }
  return false;
}

// NOTIFY=NEVER or a comma list of SUCCESS, FAILURE, DELAY (RFC 3461 §4.1).
std::optional<std::string> parse_notify(std::string_view v) {
  std::string value = upper(v);
  if (value == "NEVER") return value;
  std::vector<std::string> seen;
  std::size_t pos = 0;
  while (true) {
    std::size_t comma = value.find(',', pos);
    std::string item = value.substr(pos, comma == std::string::npos ? comma : comma - pos);
    if (!one_of(item, {"SUCCESS", "FAILURE", "DELAY"})) return std::nullopt;
    for (const auto& s : seen) {
      if (s == item) return std::nullopt;
    }
    seen.push_back(item);
    if (comma == std::string::npos) return value;
    pos = comma + 1;
  }
}

// ORCPT=addr-type;xtext (RFC 3461 §4.2), at most 500 characters.
std::optional<std::string> parse_orcpt(std::string_view v) {
  std::size_t semi = v.find(';');
  if (semi == std::string_view::npos || semi == 0 || semi + 1 == v.size() || v.size() > 500) {
    return std::nullopt;
  }
  std::string type = upper(v.substr(0, semi));
  if (!valid_keyword(type)) return std::nullopt;
  if (type != "RFC822") return std::string(v);  // e.g. utf-8 (RFC 6533): kept as sent
  auto address = xtext_decode(v.substr(semi + 1));
  if (!address || address->empty()) return std::nullopt;
  return "rfc822;" + *address;
}

Expected<void> apply_mail_param(const Param& p, MailParams& out) {
  if (p.key == "SIZE") {
    out.size = p.has_value ? parse_size(p.value) : std::nullopt;
    if (!out.size) return invalid(p);
  } else if (p.key == "BODY") {
    out.body = upper(p.value);
    if (!one_of(out.body, {"7BIT", "8BITMIME", "BINARYMIME"})) return invalid(p);
  } else if (p.key == "SMTPUTF8") {
    if (p.has_value) return invalid(p);
    out.smtputf8 = true;
  } else if (p.key == "RET") {
    out.ret = upper(p.value);
    if (!one_of(out.ret, {"FULL", "HDRS"})) return invalid(p);
  } else if (p.key == "ENVID") {
    auto envid = xtext_decode(p.value);
    if (!envid || envid->empty() || p.value.size() > 100) return invalid(p);
    out.envid = *envid;
  } else if (p.key == "AUTH") {
    auto auth = xtext_decode(p.value);
    if (!auth || auth->empty()) return invalid(p);
    out.auth = *auth;
  } else {
    return unsupported(p);
  }
  return {};
}

}  // namespace

Expected<MailParams> parse_mail_params(std::string_view text) {
  auto params = split_params(text);
  if (!params) return Unexpected{params.error()};
  MailParams out;
  for (const Param& p : *params) {
    if (auto applied = apply_mail_param(p, out); !applied) return Unexpected{applied.error()};
  }
  return out;
}

Expected<RcptParams> parse_rcpt_params(std::string_view text) {
  auto params = split_params(text);
  if (!params) return Unexpected{params.error()};
  RcptParams out;
  for (const Param& p : *params) {
    std::optional<std::string> value;
    if (p.key == "NOTIFY") {
      value = parse_notify(p.value);
      if (value) out.notify = *value;
    } else if (p.key == "ORCPT") {
      value = parse_orcpt(p.value);
      if (value) out.orcpt = *value;
    } else {
      return unsupported(p);
    }
    if (!value) return invalid(p);
  }
  return out;
}

}  // namespace pillarbox::smtp
