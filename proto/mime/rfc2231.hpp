// RFC 2231 parameter value continuations (§3), charsets and languages (§4):
// joining "name*0*", "name*1", ... and decoding "charset'lang'%XX" values to
// UTF-8. Used by content.cpp; it does not tokenise header values.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "proto/mime/message.hpp"

namespace pillarbox::mime {

// One parameter as written: lower-case name, value with quotes removed.
struct RawParam {
  std::string name;
  std::string value;
};

// Joins and decodes `raw` into the final parameter list (see parse_params in
// content.hpp for the rules).
Params join_params(const std::vector<RawParam>& raw);

}  // namespace pillarbox::mime
