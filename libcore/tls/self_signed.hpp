// A self-signed server certificate for a host name (subject CN and DNS SAN,
// ECDSA P-256, ten years), written as PEM files. For a server with no
// configured certificate, and for tests. The key file gets mode 0640.
#pragma once

#include <string>

#include "libcore/base/expected.hpp"

namespace pillarbox::tls {

Expected<void> make_self_signed(const std::string& hostname, const std::string& cert_path,
                                const std::string& key_path);

}  // namespace pillarbox::tls
