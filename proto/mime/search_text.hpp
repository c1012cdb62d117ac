// The text a message is indexed by: every text/* part, transfer-decoded,
// converted to UTF-8 and (for text/html) stripped of markup, joined by line
// breaks and cut at a byte limit. Attachments of other types are not read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "proto/mime/message.hpp"

namespace pillarbox::mime {

// At most `cap` bytes of valid UTF-8 (cut on a character boundary).
std::string search_text(std::string_view raw, const Part& root, std::size_t cap);

}  // namespace pillarbox::mime
