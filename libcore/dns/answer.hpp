// Turns c-ares answers into results: a query status into an Error, an MX
// reply into an ordered list (RFC 5321 §5.1 ordering, RFC 7505 null MX), an
// A/AAAA reply into text addresses, and the two families into one answer.
// Pure functions over reply bytes: no channel, no loop. `status` is the
// c-ares status given to the query callback (ARES_SUCCESS, ARES_ENODATA...).
//
// The error codes every lookup shares:
//   NXDOMAIN (the name does not exist)            -> NotFound      (permanent)
//   NODATA (the name exists, no record this type) -> success, empty list
//   null MX (RFC 7505: the domain takes no mail)  -> PermissionDenied (permanent)
//   SERVFAIL, REFUSED, timeout, no server, a malformed reply -> Temporary
//   a name that cannot be a DNS name              -> InvalidInput
#pragma once

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/dns/records.hpp"

namespace pillarbox::dns {

// The Error for a query that failed with `status` (neither success nor
// NODATA). `type` ("MX", "A", "AAAA") and `name` go into the message.
Error query_error(int status, std::string_view type, std::string_view name);

// Accepts what can be sent as a query name: ASCII (A-labels for IDN), labels
// of 1..63 octets, at most 253 octets, one optional trailing dot.
Expected<void> check_name(std::string_view name);

// An MX answer. NODATA: an empty list. A null MX (an exchange of ".") alone:
// PermissionDenied. A null MX among real exchanges breaks RFC 7505 §3; it is
// dropped and the real exchanges are returned. Order is the answer's: see
// order_mx.
Expected<std::vector<MxRecord>> mx_answer(int status, const unsigned char* reply, int len,
                                          std::string_view domain);

// Sorts by preference, lowest first (RFC 5321 §5.1). Records of equal
// preference are shuffled with `rng` (the RFC's MUST, to spread load), or
// keep their answer order when `rng` is null (tests, predictable routing).
void order_mx(std::vector<MxRecord>& records, std::mt19937* rng);

// One family of a host's addresses: A when !v6, AAAA when v6. NODATA (or a
// reply holding only a CNAME) is an empty list.
Expected<std::vector<std::string>> address_answer(int status, const unsigned char* reply, int len,
                                                  bool v6, std::string_view host);

// Joins the AAAA and A halves of one host: any address wins (a failure of
// the other family is dropped — the sender can use what it has); else a
// Temporary half makes the whole Temporary; else NXDOMAIN gives NotFound;
// else both were NODATA: success with both lists empty.
Expected<HostAddresses> join_families(Expected<std::vector<std::string>> v6,
                                      Expected<std::vector<std::string>> v4);

}  // namespace pillarbox::dns
