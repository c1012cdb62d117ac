// The server's TLS certificate and key files. When the config names none, the
// master makes a self-signed pair once, in DATA/tls, for the configured host
// name (ECDSA P-256, ten years), readable by the service user. It does not
// load them for serving: the children do that.
#pragma once

#include <string>

#include "daemons/master/service_user.hpp"
#include "libcore/base/expected.hpp"
#include "libcore/config/config.hpp"

namespace pillarbox::master {

struct TlsFiles {
  std::string cert;
  std::string key;
  bool generated = false;  // made by this call
};

// Returns the configured pair when both are set (checking they exist), else
// DATA/tls/{cert,key}.pem (config::tls_files), creating them if missing.
Expected<TlsFiles> ensure_tls_files(const config::Bootstrap& cfg, const ServiceUser& user);

}  // namespace pillarbox::master
