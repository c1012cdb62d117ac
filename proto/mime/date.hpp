// RFC 5322 §3.3 date-time (and the obsolete forms of §4.3: two- and
// three-digit years, alphabetic zones, missing seconds) to Unix seconds.
// It does not read other date formats (ISO 8601, asctime) or validate the day name.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pillarbox::mime {

// Unix seconds (UTC) for a Date: value, or nullopt when it does not parse
// or names an impossible date or time.
std::optional<std::int64_t> parse_date(std::string_view value);

}  // namespace pillarbox::mime
