// The per-account routing decisions of admin guide 4.5 as small pure
// functions: time windows, size rules, "is the sender an assistant", and
// splitting the address fields ("a; b", blank entries ignored).
// They only decide; following the addresses is the expander's job.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/route/table.hpp"

namespace pillarbox::route {

// Dates and times are checked separately, both ends inclusive: "20070101
// 10:00 to 20070108 12:00" means 10:00-12:00 on each day from the 1st to the
// 8th. A blank end is open. A time range whose start is after its end
// (22:00-06:00) runs over midnight.
bool window_open(const Window& window, int date, int minute);

// kB are 1024 bytes; rules without addresses never apply.
bool size_rule_applies(const SizeRule& rule, uint64_t size);

// Entries may each hold several addresses separated by ';', ',' or newlines;
// surrounding blanks and empty entries are dropped.
std::vector<std::string> split_entries(const std::vector<std::string>& entries);

// Whether `sender` is one of the assistants (case-insensitive). An assistant
// written as a bare name ("phil") matches phil@<any of routing_domains>.
bool sender_is_assistant(std::string_view sender, const std::vector<std::string>& assistants,
                         const std::vector<std::string>& routing_domains);

}  // namespace pillarbox::route
