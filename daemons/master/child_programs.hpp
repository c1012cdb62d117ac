// Where a child's program is: the path the config names, else beside
// pillarboxd (a build tree), else ../lib/pillarbox/ (an installed tree).
#pragma once

#include <string>

#include "libcore/base/expected.hpp"
#include "libcore/config/config.hpp"

namespace pillarbox::master {

// NotFound, naming the places looked at, when no executable file exists.
Expected<std::string> locate_child_program(const config::ChildSpec& spec);

}  // namespace pillarbox::master
