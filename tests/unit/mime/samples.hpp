// Sample messages for the proto/mime tests, read from tests/data/mime. The
// files are stored with LF line endings (immune to git's line-ending
// settings); sample() gives the CRLF form every delivered message has.
#pragma once

#include <string>
#include <string_view>

#include "proto/mime/message.hpp"

namespace pillarbox::mime::test {

// The file as stored (bare LF line endings).
std::string sample_lf(std::string_view name);
// The file with every LF turned into CRLF.
std::string sample(std::string_view name);
// parse() that fails the test on error.
Message parse_ok(std::string_view raw);
// The body of `part` cut from `raw` by its offsets.
std::string_view body_of(std::string_view raw, const Part& part);

}  // namespace pillarbox::mime::test
