// The server's TLS certificate and key files: the configured pair, or a
// self-signed pair made once in DATA/tls for the configured host name,
// readable by the service user. The children load them for serving.
#include "daemons/master/tls_material.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "daemons/master/data_dir.hpp"
#include "libcore/base/log.hpp"
#include "libcore/tls/self_signed.hpp"

namespace pillarbox::master {

Expected<TlsFiles> ensure_tls_files(const config::Bootstrap& cfg, const ServiceUser& user) {
  namespace fs = std::filesystem;
  auto paths = config::tls_files(cfg);
  TlsFiles files{paths.cert, paths.key, false};
  if (!cfg.tls_cert.empty()) {
    for (auto& p : {files.cert, files.key})
      if (!fs::exists(p)) return fail(ErrorCode::NotFound, "tls: " + p + " does not exist");
    return files;
  }
  if (fs::exists(files.cert) && fs::exists(files.key)) return files;
  std::string dir = fs::path(files.cert).parent_path().string();
  if (auto r = make_dirs(dir, 0750); !r) return Unexpected{r.error()};
  if (auto r = tls::make_self_signed(cfg.hostname, files.cert, files.key); !r) return Unexpected{r.error()};
  if (user.switch_to) {
    // Root owns the pair; the service user's group may read the key.
    if (::chown(dir.c_str(), 0, user.gid) != 0 || ::chown(files.key.c_str(), 0, user.gid) != 0)
      return fail(ErrorCode::PermissionDenied, "chown " + dir + ": " + std::strerror(errno));
  }
  files.generated = true;
  log::info("generated a self-signed certificate for {} in {}", cfg.hostname, dir);
  return files;
}

}  // namespace pillarbox::master
