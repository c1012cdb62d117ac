// The CLI's config and database. The connection fails fast (PGCONNECT_TIMEOUT)
// instead of libpq's unbounded default: an admin at a prompt wants the error.
#include "daemons/cli/context.hpp"

#include <cstdlib>
#include <iostream>

namespace pillarbox::cli {
namespace {

// libpq messages run over several lines ("...failed: No such file\n\tIs the
// server running..."): the first line is the cause.
std::string first_line(std::string_view text) {
  auto end = text.find('\n');
  std::string line(text.substr(0, end));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
}

}  // namespace

std::string database_conninfo(const config::Bootstrap& config) {
  if (!config.database.empty()) return config.database;
  return "host=" + config.data_dir + "/run dbname=pillarbox user=pillarbox";
}

std::string redact_conninfo(std::string_view conninfo) {
  std::string out(conninfo);
  if (auto scheme = out.find("://"); scheme != std::string::npos) {
    // postgresql://user:secret@host/db?password=x
    auto at = out.find('@', scheme + 3);
    auto colon = out.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at)
      out.replace(colon + 1, at - colon - 1, "***");
  }
  for (std::size_t pos = 0; (pos = out.find("password=", pos)) != std::string::npos;) {
    pos += 9;
    auto end = out.find_first_of(" &", pos);
    out.replace(pos, (end == std::string::npos ? out.size() : end) - pos, "***");
  }
  return out;
}

std::string Context::config_path() const {
  if (globals_.config) return *globals_.config;
  if (globals_.data_dir) return *globals_.data_dir + "/pillarbox.conf";
  return kDefaultConfig;
}

Expected<config::Bootstrap> Context::load_config() const {
  auto config = config::load(config_path());
  if (!config && config.error().code == ErrorCode::NotFound && !globals_.config && !globals_.data_dir) {
    return fail(ErrorCode::NotFound, config.error().message + " (give --config FILE or --data-dir DIR)");
  }
  return config;
}

Expected<pqxx::connection*> Context::db() {
  if (conn_) return conn_.get();
  auto config = load_config();
  if (!config) return Unexpected{config.error()};
  const std::string conninfo = database_conninfo(*config);
  setenv("PGCONNECT_TIMEOUT", "5", 0);  // keeps a value the user set
  try {
    conn_ = std::make_unique<pqxx::connection>(conninfo);
  } catch (const std::exception& e) {
    return fail(ErrorCode::Unavailable, "cannot connect to the database '" + redact_conninfo(conninfo) +
                                            "': " + first_line(e.what()) + " (is pillarboxd running?)");
  }
  return conn_.get();
}

void Context::print(const nlohmann::json& doc, const std::string& text) const {
  if (globals_.json) {
    // Text from the database is valid UTF-8; replace rather than throw if not.
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else if (!text.empty()) {
    std::cout << text;
    if (text.back() != '\n') std::cout << '\n';
  }
  std::cout.flush();
}

Expected<crypto::Key> Context::server_key() const {
  auto config = load_config();
  if (!config) return Unexpected{config.error()};
  auto key = crypto::load_key(config::server_key_file(*config));
  if (!key && key.error().code == ErrorCode::NotFound)
    return fail(ErrorCode::NotFound, key.error().message + " (pillarboxd creates it when it first starts)");
  return key;
}

}  // namespace pillarbox::cli
