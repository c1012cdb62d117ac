// The bootstrap configuration (DESIGN.md §7): what the master must know before
// the database is reachable. JSON with // and /* */ comments. Everything else
// is data in PostgreSQL. Parsing only: no sockets, no user lookup, no checks
// that paths exist; the master does those when it uses the values.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/base/log.hpp"
#include "libcore/config/endpoint.hpp"

namespace pillarbox::config {

// One program the master runs, and the services whose sockets it inherits.
struct ChildSpec {
  std::string name;      // 1-32 of [a-z0-9_-]
  std::string program;   // absolute; "" = the master locates `name` itself
  std::vector<std::string> services;
  std::vector<std::string> args;
};

struct Bootstrap {
  std::string file;      // path read from ("" when parsed from text)
  std::string data_dir;  // absolute when a base dir was known; default /var/lib/pillarbox
  std::string database;  // "" = embedded PostgreSQL in data_dir; else libpq URL/conninfo
  std::string user = "pillarbox";
  std::string hostname;  // default gethostname()
  // Enabled services only (known_services() names), each with >= 1 endpoint.
  std::map<std::string, std::vector<Endpoint>> listen;
  std::string tls_cert, tls_key;  // both "" = self-signed pair in data_dir
  log::Level log_level = log::Level::Info;
  double heartbeat_interval = 5, heartbeat_timeout = 30, shutdown_timeout = 10;  // seconds
  std::vector<ChildSpec> children;  // always filled: the default set when absent
};

// smtp, submission, smtps, pop3, pop3s, imap, imaps, admin (in that order).
const std::vector<std::string>& known_services();

// Parses `text`. Relative paths (data_dir, tls.*, children.*.program) are
// resolved against `base_dir`; with an empty base_dir they stay relative.
// `file_name` only labels errors. Failure: ErrorCode::InvalidInput with the
// message "FILE:LINE: KEY: PROBLEM" (KEY a dotted path such as
// `listen.smtp[1]`), or "FILE:LINE: syntax error: ..." for bad JSON.
Expected<Bootstrap> parse(std::string_view text, std::string_view file_name, std::string_view base_dir);

// Reads and parses `path`; base_dir is the file's directory, made absolute.
// A file that cannot be read fails with NotFound (missing), PermissionDenied,
// or InvalidInput (anything else), the message naming the path and the cause.
Expected<Bootstrap> load(const std::string& path);

// The commented file `pillarboxd --data-dir DIR` writes on first start. Every
// key shows its default; parse(default_text(d), ..., base) gives the defaults
// with data_dir = d resolved against base.
std::string default_text(std::string_view data_dir);

// The certificate and key the services use: the configured pair, else the
// self-signed pair the master keeps in DATA/tls.
struct TlsFiles {
  std::string cert, key;
};
TlsFiles tls_files(const Bootstrap& config);

// The key that seals stored secrets (libcore/crypto): DATA/keys/server.key.
std::string server_key_file(const Bootstrap& config);

}  // namespace pillarbox::config
