// RFC 5322 §3.4 address lists (with the obsolete forms of §4.4: routes,
// obs-phrase, empty list members) turned into the four fields of an IMAP
// ENVELOPE address (RFC 3501 §7.4.2), group markers included. Strings stay
// raw: encoded words are not decoded here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillarbox::mime {

// One ENVELOPE address. A group opens with {nullopt, nullopt, name, nullopt}
// and closes with all four nullopt. Parsing is best effort: a missing local
// part or domain reads "MISSING_MAILBOX" / "MISSING_DOMAIN", as Dovecot writes.
struct Address {
  std::optional<std::string> name, adl, mailbox, host;
  bool operator==(const Address&) const = default;
};

std::vector<Address> parse_addresses(std::string_view header_value);

}  // namespace pillarbox::mime
