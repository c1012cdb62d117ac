// The stored form of a part tree: parse() runs once at delivery, the store
// keeps this JSON beside the message, and IMAP rebuilds the tree from it to
// serve BODY[section] by offsets without reading the message again. Header
// blocks are not stored (their offsets are; read_headers re-reads one cheaply).
#pragma once

#include <nlohmann/json.hpp>

#include "libcore/base/expected.hpp"
#include "proto/mime/message.hpp"

namespace pillarbox::mime {

// {"o":[header_start,body_start,body_end],"t":"text/plain", ...}; fields
// holding their default value are left out. Strings are made valid UTF-8
// (raw 8-bit header bytes read as windows-1252), so dump() never throws.
nlohmann::json part_to_json(const Part& part);

// The inverse of part_to_json (Part::headers stays empty). Fails with
// InvalidInput on a malformed value or nesting deeper than `max_depth`;
// never throws.
Expected<Part> part_from_json(const nlohmann::json& j, std::size_t max_depth = 64);

}  // namespace pillarbox::mime
