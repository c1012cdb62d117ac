// xtext (RFC 3461 §4): the encoding of ENVID=, ORCPT= and AUTH= values. Pure
// string functions; which parameter may hold what is decided in params.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pillarbox::smtp {

// Decodes "+XX" hex escapes. nullopt when a character is outside "!".."~",
// is "=", or a "+" is not followed by two hex digits (either case accepted).
std::optional<std::string> xtext_decode(std::string_view text);

// Encodes every octet outside "!".."~" and "+" / "=" as "+XX" (upper case).
std::string xtext_encode(std::string_view text);

}  // namespace pillarbox::smtp
