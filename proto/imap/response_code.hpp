// IMAP response codes (RFC 3501 §7.1, RFC 4315 UIDPLUS, RFC 5530, RFC 7162
// CONDSTORE/QRESYNC, RFC 9208 QUOTA, RFC 7888 TOOBIG): the text between
// "[" and "]" of a status response, built by named constructors so the
// engine never hand-writes one. Formatting only: when to send which is the
// engine's business.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pillarbox::imap {

struct ResponseCode {
  std::string text;  // without the brackets: "UIDVALIDITY 3857529045"
  bool operator==(const ResponseCode&) const = default;

  // Codes without arguments (RFC 3501, RFC 5530, RFC 7162, RFC 7888).
  static ResponseCode alert() { return {"ALERT"}; }
  static ResponseCode parse() { return {"PARSE"}; }
  static ResponseCode read_only() { return {"READ-ONLY"}; }
  static ResponseCode read_write() { return {"READ-WRITE"}; }
  static ResponseCode try_create() { return {"TRYCREATE"}; }
  static ResponseCode already_exists() { return {"ALREADYEXISTS"}; }
  static ResponseCode nonexistent() { return {"NONEXISTENT"}; }
  static ResponseCode closed() { return {"CLOSED"}; }
  static ResponseCode too_big() { return {"TOOBIG"}; }
  static ResponseCode over_quota() { return {"OVERQUOTA"}; }
  static ResponseCode authentication_failed() { return {"AUTHENTICATIONFAILED"}; }
  static ResponseCode authorization_failed() { return {"AUTHORIZATIONFAILED"}; }
  static ResponseCode unavailable() { return {"UNAVAILABLE"}; }
  static ResponseCode privacy_required() { return {"PRIVACYREQUIRED"}; }
  static ResponseCode cannot() { return {"CANNOT"}; }
  static ResponseCode limit() { return {"LIMIT"}; }
  static ResponseCode in_use() { return {"INUSE"}; }
  static ResponseCode no_perm() { return {"NOPERM"}; }
  static ResponseCode expunge_issued() { return {"EXPUNGEISSUED"}; }
  static ResponseCode server_bug() { return {"SERVERBUG"}; }
  static ResponseCode client_bug() { return {"CLIENTBUG"}; }
  static ResponseCode no_modseq() { return {"NOMODSEQ"}; }
  static ResponseCode uid_not_sticky() { return {"UIDNOTSTICKY"}; }

  static ResponseCode uid_validity(std::uint32_t v);
  static ResponseCode uid_next(std::uint32_t uid);
  static ResponseCode unseen(std::uint32_t seq);
  static ResponseCode highest_modseq(std::uint64_t modseq);
  // APPENDUID uidvalidity uid (RFC 4315 §3).
  static ResponseCode append_uid(std::uint32_t uidvalidity, std::uint32_t uid);
  // COPYUID uidvalidity source-uids destination-uids (RFC 4315 §3); the
  // lists pair up in order, so they are compressed only as sequences.
  static ResponseCode copy_uid(std::uint32_t uidvalidity, const std::vector<std::uint32_t>& source,
                               const std::vector<std::uint32_t>& destination);
  // MODIFIED set (RFC 7162 §3.1.3): the numbers a conditional STORE skipped.
  static ResponseCode modified(const std::vector<std::uint32_t>& sorted_numbers);
  static ResponseCode permanent_flags(const std::vector<std::string>& flags);
  static ResponseCode capability(const std::vector<std::string>& capabilities);
  static ResponseCode bad_charset(const std::vector<std::string>& supported);
};

}  // namespace pillarbox::imap
