// Modified UTF-7 mailbox names (RFC 3501 §5.1.3): the wire form of mailbox
// names <-> UTF-8. Pure conversions; whether a name is a valid mailbox (the
// hierarchy delimiter, INBOX) is for the caller.
#pragma once

#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"

namespace pillarbox::imap {

// Wire form -> UTF-8. Strict, as §5.1.3 requires of what a client sends:
// only printable US-ASCII; "&-" is "&"; a shifted run is modified base64
// ("," for "/", no padding) of UTF-16BE ending in "-", with zero leftover
// bits, no printable ASCII inside it, and well-paired surrogates.
// Errors: InvalidInput "Invalid modified UTF-7 mailbox name".
Expected<std::string> decode_mutf7(std::string_view wire);

// UTF-8 -> wire form. Invalid UTF-8 (overlong forms, surrogates, stray
// continuation bytes) fails with InvalidInput "Invalid UTF-8 mailbox name".
Expected<std::string> encode_mutf7(std::string_view utf8);

// Like encode_mutf7 but never fails: each invalid UTF-8 octet becomes
// U+FFFD. For writing names the server already holds.
std::string encode_mutf7_lossy(std::string_view utf8);

}  // namespace pillarbox::imap
