// Answer decoding over c-ares 1.18's parsers (ares_parse_mx_reply,
// ares_parse_a_reply, ares_parse_aaaa_reply), which follow CNAMEs inside the
// reply and validate names (CVE-2021-3672). The root name comes back from
// c-ares as "", which is how a null MX is recognised.
#include "libcore/dns/answer.hpp"

#include <ares.h>
#include <arpa/inet.h>
#include <netdb.h>

#include <algorithm>
#include <memory>

namespace pillarbox::dns {

namespace {

std::string lookup_text(std::string_view type, std::string_view name) {
  return std::string(type) + " " + std::string(name);
}

struct HostentFree {
  void operator()(hostent* h) const { ares_free_hostent(h); }
};

}  // namespace

Error query_error(int status, std::string_view type, std::string_view name) {
  std::string context = lookup_text(type, name) + ": " + ares_strerror(status);
  switch (status) {
    case ARES_ENOTFOUND:
      return Error{ErrorCode::NotFound, std::string(name) + ": domain does not exist", context};
    case ARES_EBADNAME:
      return Error{ErrorCode::InvalidInput, std::string(name) + ": not a valid domain name", context};
    default:
      // SERVFAIL, REFUSED, NOTIMP, FORMERR, timeouts, refused connections, a
      // malformed reply, out of memory: nothing here says the name is bad, so
      // the sender must retry later (RFC 5321 §5.1, §4.5.4.1).
      return Error{ErrorCode::Temporary,
                   std::string(name) + ": DNS lookup failed temporarily", context};
  }
}

Expected<void> check_name(std::string_view name) {
  const std::string quoted = "\"" + std::string(name) + "\"";
  auto bad = [&](std::string_view why) {
    return fail(ErrorCode::InvalidInput, quoted + ": not a valid domain name", std::string(why));
  };
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return bad("empty name");
  if (name.size() > 253) return bad("longer than 253 octets");
  size_t label = 0;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (c == '.') {
      if (label == 0) return bad("empty label");
      label = 0;
      continue;
    }
    if (u <= 0x20 || u >= 0x7f) return bad("characters other than printable ASCII (use A-labels)");
    if (++label > 63) return bad("label longer than 63 octets");
  }
  if (label == 0) return bad("empty label");
  return {};
}

Expected<std::vector<MxRecord>> mx_answer(int status, const unsigned char* reply, int len,
                                          std::string_view domain) {
  if (status == ARES_ENODATA) return std::vector<MxRecord>{};
  if (status != ARES_SUCCESS) return Unexpected{query_error(status, "MX", domain)};
  ares_mx_reply* head = nullptr;
  int rc = ares_parse_mx_reply(reply, len, &head);
  std::unique_ptr<ares_mx_reply, void (*)(void*)> owner(head, ares_free_data);
  if (rc == ARES_ENODATA) return std::vector<MxRecord>{};
  if (rc != ARES_SUCCESS) return Unexpected{query_error(rc, "MX", domain)};

  std::vector<MxRecord> out;
  bool null_mx = false;
  for (auto* r = head; r != nullptr; r = r->next) {
    std::string host = r->host != nullptr ? r->host : "";
    if (!host.empty() && host.back() == '.') host.pop_back();
    if (host.empty()) {
      null_mx = true;
      continue;
    }
    out.push_back(MxRecord{r->priority, std::move(host)});
  }
  if (null_mx && out.empty()) {
    return fail(ErrorCode::PermissionDenied,
                std::string(domain) + ": domain accepts no mail (null MX)",
                lookup_text("MX", domain) + ": null MX record (RFC 7505)");
  }
  return out;
}

void order_mx(std::vector<MxRecord>& records, std::mt19937* rng) {
  std::stable_sort(records.begin(), records.end(),
                   [](const MxRecord& a, const MxRecord& b) { return a.preference < b.preference; });
  if (rng == nullptr) return;
  for (auto first = records.begin(); first != records.end();) {
    auto last = std::find_if(first, records.end(),
                             [&](const MxRecord& r) { return r.preference != first->preference; });
    std::shuffle(first, last, *rng);
    first = last;
  }
}

Expected<std::vector<std::string>> address_answer(int status, const unsigned char* reply, int len,
                                                  bool v6, std::string_view host) {
  std::string_view type = v6 ? "AAAA" : "A";
  if (status == ARES_ENODATA) return std::vector<std::string>{};
  if (status != ARES_SUCCESS) return Unexpected{query_error(status, type, host)};
  hostent* raw = nullptr;
  int rc = v6 ? ares_parse_aaaa_reply(reply, len, &raw, nullptr, nullptr)
              : ares_parse_a_reply(reply, len, &raw, nullptr, nullptr);
  std::unique_ptr<hostent, HostentFree> he(raw);
  if (rc == ARES_ENODATA) return std::vector<std::string>{};
  if (rc != ARES_SUCCESS) return Unexpected{query_error(rc, type, host)};

  std::vector<std::string> out;
  int family = v6 ? AF_INET6 : AF_INET;
  for (char** a = he->h_addr_list; a != nullptr && *a != nullptr; ++a) {
    char text[INET6_ADDRSTRLEN] = {};
    if (inet_ntop(family, *a, text, sizeof text) != nullptr) out.emplace_back(text);
  }
  return out;
}

Expected<HostAddresses> join_families(Expected<std::vector<std::string>> v6,
                                      Expected<std::vector<std::string>> v4) {
  HostAddresses out;
  if (v6) out.v6 = std::move(*v6);
  if (v4) out.v4 = std::move(*v4);
  if (!out.empty()) return out;
  const Expected<std::vector<std::string>>* halves[] = {&v6, &v4};
  for (auto code : {ErrorCode::InvalidInput, ErrorCode::Temporary, ErrorCode::NotFound}) {
    for (const auto* h : halves) {
      if (!h->ok() && h->error().code == code) return Unexpected{h->error()};
    }
  }
  for (const auto* h : halves) {
    if (!h->ok()) return Unexpected{h->error()};  // any other code, as it came
  }
  return out;  // NODATA twice: the name exists without addresses
}

}  // namespace pillarbox::dns
