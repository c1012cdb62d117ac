// BODY[section] contents (RFC 3501 §6.4.5 section-spec): the octets of a
// section cut from the raw message by the offsets of its stored part tree
// (proto/mime part_json.hpp), without parsing the message again. A section
// that does not exist (part 4 of a 3-part message, HEADER of a part that is
// not message/rfc822) is empty, as Dovecot answers it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "proto/imap/command.hpp"
#include "proto/mime/message.hpp"

namespace pillarbox::imap {

std::string section_text(std::string_view raw, const mime::Part& root, const Section& section);

// The lines of a header block whose field names are (with `exclude`: are
// not) among `fields` (upper-case), folded lines kept whole, then the blank
// line that ends a header block (HEADER.FIELDS, HEADER.FIELDS.NOT).
std::string filter_header(std::string_view block, const std::vector<std::string>& fields, bool exclude);

// `text` cut to <offset.length> (RFC 3501 §6.4.5: empty past the end).
std::string_view partial_of(std::string_view text, const std::optional<std::pair<std::uint32_t, std::uint32_t>>& p);

// "BODY[1.2.HEADER.FIELDS (A B)]" as a FETCH response names it (with
// "<offset>" when partial).
std::string section_name(const FetchItem& item);

}  // namespace pillarbox::imap
