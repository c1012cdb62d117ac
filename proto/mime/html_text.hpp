// HTML to plain text for the search index: tags dropped (block-level ones
// become line breaks), script/style/comments removed, character references
// decoded, whitespace collapsed. Not a renderer and not an HTML sanitiser:
// the output is only ever indexed, never shown as HTML.
#pragma once

#include <string>
#include <string_view>

namespace pillarbox::mime {

// `html` is UTF-8; so is the result.
std::string html_to_text(std::string_view html);

// The UTF-8 encoding of code point `cp`; U+FFFD for NUL, surrogates and
// values above U+10FFFF.
std::string utf8_encode(unsigned long cp);

}  // namespace pillarbox::mime
