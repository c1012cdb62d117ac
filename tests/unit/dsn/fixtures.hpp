// Shared inputs and checks for the proto/dsn tests: a representative
// failure report input, the report parsed back with proto/mime, the
// delivery-status body split into its field groups, and the wire checks
// every report must pass (CRLF only, no line over 998 octets).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "proto/dsn/dsn.hpp"
#include "proto/mime/message.hpp"

namespace pillarbox::dsn::test {

// A plain ASCII original message (CRLF) with a Message-ID and a short body.
std::string sample_original();

// Input for a failure report about sample_original(): one recipient
// bob@example.net refused with "550 5.1.1 ..." by mx.example.net, fixed
// dates (2026-03-03 09:30 UTC), queue id "4F2A1B", unique "4F2A1B.1".
// `original` must outlive the input.
ReportInput failure_input(std::string_view original);

// build_report() that fails the test on error.
Report build_ok(const ReportInput& input);

// mime::parse() that fails the test on error.
mime::Message parse_ok(std::string_view raw);

// The body of `part` cut from `raw`.
std::string_view body_of(std::string_view raw, const mime::Part& part);

// The header blocks of a delivery-status body: [0] per-message fields,
// then one per recipient. Values unfolded as proto/mime reads them.
std::vector<std::vector<mime::Header>> status_groups(std::string_view body);

// The unfolded value of `name` in `group`, or "<absent>".
std::string field(const std::vector<mime::Header>& group, std::string_view name);

// Fails the test unless every line of `text` ends in CRLF (no bare CR or
// LF) and no line exceeds 998 octets.
void check_wire(std::string_view text);

// The file tests/data/dsn/<name> as stored (LF line ends).
std::string data_file(std::string_view name);

// LF -> CRLF.
std::string crlf(std::string_view text);

}  // namespace pillarbox::dsn::test
