// Internal to libcore/config: the `children` section, which programs the
// master runs and which services each serves, and the default set used when
// the section is absent. Programs come back as written; config.cpp resolves
// relative ones against the config file's directory.
#pragma once

#include <string>
#include <vector>

#include "libcore/config/config.hpp"
#include "libcore/config/json_reader.hpp"

namespace pillarbox::config::internal {

// smtpd, pop3d, imapd, collectord, senderd, adminhttpd, programs "".
std::vector<ChildSpec> default_children();

// Reads `children` (at path "children"). Throws Problem for a bad name, an
// unknown key or service, or a service served by two children.
std::vector<ChildSpec> read_children(const Json& value);

bool is_known_service(std::string_view name);

}  // namespace pillarbox::config::internal
