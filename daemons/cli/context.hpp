// What every CLI handler works with: the global options, the bootstrap
// config (read on first use, so --help and usage errors need no file), one
// database connection (opened on first use, on the caller's thread: the CLI
// has no event loop), and the output mode. Not thread-safe; one per process.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <pqxx/connection>

#include "daemons/cli/args.hpp"
#include "libcore/base/expected.hpp"
#include "libcore/config/config.hpp"
#include "libcore/crypto/secret_box.hpp"

namespace pillarbox::cli {

inline constexpr const char* kDefaultConfig = "/etc/pillarbox/pillarbox.conf";

// The config's `database`, or the embedded server pillarboxd runs: its Unix
// socket in DATA/run (the same string as master::EmbeddedPostgres::conninfo).
std::string database_conninfo(const config::Bootstrap& config);

// `conninfo` with any password replaced by "***" (URL and key=value forms),
// fit for an error message.
std::string redact_conninfo(std::string_view conninfo);

class Context {
 public:
  explicit Context(GlobalOptions globals) : globals_(std::move(globals)) {}

  bool json() const { return globals_.json; }
  // --config FILE, else DIR/pillarbox.conf for --data-dir DIR, else the default.
  std::string config_path() const;

  // Connected on first call. Unavailable when the database cannot be reached:
  // the message names it (password hidden) and suggests starting pillarboxd.
  Expected<pqxx::connection*> db();

  // The server key that seals stored secrets (config::server_key_file). The
  // CLI never creates it: pillarboxd does at first start.
  Expected<crypto::Key> server_key() const;

  // One JSON document (--json) or the human text, on stdout. `text` gets a
  // final newline when it lacks one; an empty `text` prints nothing.
  void print(const nlohmann::json& doc, const std::string& text) const;

 private:
  Expected<config::Bootstrap> load_config() const;

  GlobalOptions globals_;
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace pillarbox::cli
