// Bootstrap parsing: top-level keys in file order, each section checked for
// unknown keys and types, then the checks that span sections (heartbeat
// interval vs timeout, the TLS pair, every listened service has a child).
// Errors are thrown as internal::Problem and become `file:line: key: what`.
#include "libcore/config/config.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <set>
#include <sstream>
#include <system_error>

#include "libcore/base/owner.hpp"
#include "libcore/config/children.hpp"
#include "libcore/config/json_reader.hpp"
#include "libcore/config/key_lines.hpp"

namespace pillarbox::config {
namespace {

using internal::as_number;
using internal::as_object;
using internal::as_string;
using internal::as_strings;
using internal::element;
using internal::join;
using internal::Json;
using internal::problem;

constexpr double kMaxSeconds = 86400;
constexpr std::size_t kMaxFileSize = 1 << 20;
constexpr const char* kDefaultDataDir = "/var/lib/pillarbox";

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string resolve(const std::string& path, std::string_view base_dir) {
  if (path.empty()) return path;
  std::filesystem::path p(path);
  if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
  std::string out = p.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string system_hostname() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

std::map<std::string, std::vector<Endpoint>> default_listen() {
  return {
      {"smtp", {{"127.0.0.1", 2525, false}}},  {"submission", {{"127.0.0.1", 2587, false}}},
      {"pop3", {{"127.0.0.1", 2110, false}}},  {"imap", {{"127.0.0.1", 2143, false}}},
      {"admin", {{"127.0.0.1", 5108, false}}},
  };
}

class Parser {
 public:
  explicit Parser(std::string_view base_dir) : base_dir_(base_dir) {}

  Bootstrap run(const Json& root) {
    as_object(root, "");
    Bootstrap b;
    for (const auto& [key, value] : root.items()) {
      given_.insert(key);
      read_top(key, value, b);
    }
    if (!given_.count("data_dir")) b.data_dir = kDefaultDataDir;
    if (b.hostname.empty()) b.hostname = system_hostname();
    if (!given_.count("listen")) b.listen = default_listen();
    if (!given_.count("children")) b.children = internal::default_children();
    check_heartbeat(b);
    check_tls(b);
    check_served(b);
    return b;
  }

 private:
  void read_top(const std::string& key, const Json& value, Bootstrap& b) {
    if (key == "data_dir") {
      b.data_dir = resolve(as_string(value, key), base_dir_);
      if (b.data_dir.empty()) problem(key, "must not be empty");
    } else if (key == "database") {
      b.database = as_string(value, key);
    } else if (key == "user") {
      b.user = as_string(value, key);
      if (b.user.empty() || b.user.find_first_of(":/ \t\r\n") != std::string::npos) {
        problem(key, "must be a user name");
      }
    } else if (key == "hostname") {
      b.hostname = as_string(value, key);
      if (b.hostname.size() > 253 ||
          b.hostname.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") !=
              std::string::npos) {
        problem(key, "must be a host name (letters, digits, '-' and '.')");
      }
    } else if (key == "listen") {
      read_listen(value, b);
    } else if (key == "tls") {
      read_tls(value, b);
    } else if (key == "log") {
      read_log(value, b);
    } else if (key == "heartbeat") {
      read_heartbeat(value, b);
    } else if (key == "shutdown_timeout") {
      b.shutdown_timeout = seconds(value, key);
    } else if (key == "children") {
      b.children = internal::read_children(value);
      for (auto& child : b.children) child.program = resolve(child.program, base_dir_);
    } else {
      problem(key, "unknown key");
    }
  }

  void read_listen(const Json& value, Bootstrap& b) {
    as_object(value, "listen");
    std::map<std::string, std::string> seen;  // endpoint text -> where
    for (const auto& [service, item] : value.items()) {
      std::string path = join("listen", service);
      if (!internal::is_known_service(service)) problem(path, "unknown service");
      std::vector<std::string> entries = as_strings(item, path);
      std::vector<Endpoint> endpoints;
      for (std::size_t i = 0; i < entries.size(); ++i) {
        std::string entry_path = element(path, i);
        auto parsed = parse_endpoint(entries[i]);
        if (!parsed) problem(entry_path, parsed.error().message);
        for (const Endpoint& e : *parsed) {
          // Port 0 asks the kernel for a fresh port each time: never a clash.
          auto [it, fresh] = seen.emplace(e.text(), entry_path);
          if (!fresh && e.port != 0) problem(entry_path, e.text() + " is already listed at " + it->second);
          endpoints.push_back(e);
        }
      }
      if (!endpoints.empty()) b.listen[service] = std::move(endpoints);
    }
  }

  void read_tls(const Json& value, Bootstrap& b) {
    as_object(value, "tls");
    for (const auto& [key, item] : value.items()) {
      std::string path = join("tls", key);
      if (key == "cert") b.tls_cert = resolve(as_string(item, path), base_dir_);
      else if (key == "key") b.tls_key = resolve(as_string(item, path), base_dir_);
      else problem(path, "unknown key");
    }
  }

  void read_log(const Json& value, Bootstrap& b) {
    as_object(value, "log");
    for (const auto& [key, item] : value.items()) {
      std::string path = join("log", key);
      if (key != "level") problem(path, "unknown key");
      if (!log::parse_level(as_string(item, path), b.log_level)) {
        problem(path, "must be one of debug, info, warning, error");
      }
    }
  }

  void read_heartbeat(const Json& value, Bootstrap& b) {
    as_object(value, "heartbeat");
    for (const auto& [key, item] : value.items()) {
      std::string path = join("heartbeat", key);
      given_.insert(path);
      if (key == "interval") b.heartbeat_interval = seconds(item, path);
      else if (key == "timeout") b.heartbeat_timeout = seconds(item, path);
      else problem(path, "unknown key");
    }
  }

  static double seconds(const Json& value, const std::string& path) {
    double s = as_number(value, path);
    if (!(s > 0) || s > kMaxSeconds) {
      problem(path, "must be a number of seconds, more than 0 and at most " + number_text(kMaxSeconds));
    }
    return s;
  }

  void check_heartbeat(const Bootstrap& b) const {
    if (b.heartbeat_interval < b.heartbeat_timeout) return;
    if (given_.count("heartbeat.interval")) {
      problem("heartbeat.interval",
              "must be less than heartbeat.timeout (" + number_text(b.heartbeat_timeout) + ")");
    }
    problem("heartbeat.timeout",
            "must be greater than heartbeat.interval (" + number_text(b.heartbeat_interval) + ")");
  }

  static void check_tls(const Bootstrap& b) {
    if (!b.tls_cert.empty() && b.tls_key.empty()) problem("tls.key", "must be set when tls.cert is");
    if (b.tls_cert.empty() && !b.tls_key.empty()) problem("tls.cert", "must be set when tls.key is");
  }

  // A listened service nobody serves would accept connections and never
  // answer them: refuse it here rather than at the first client.
  void check_served(const Bootstrap& b) const {
    for (const auto& [service, endpoints] : b.listen) {
      bool served = false;
      for (const auto& child : b.children) {
        for (const auto& s : child.services) served = served || s == service;
      }
      if (served) continue;
      if (given_.count("listen")) problem(join("listen", service), "no child in children serves it");
      problem("children", "no child serves \"" + service +
                              "\", which listen enables by default (set listen to choose the services)");
    }
  }

  std::string_view base_dir_;
  std::set<std::string> given_;  // paths present in the file
};

Error read_failure(const std::string& path, int err) {
  ErrorCode code = err == ENOENT                   ? ErrorCode::NotFound
                   : (err == EACCES || err == EPERM) ? ErrorCode::PermissionDenied
                                                     : ErrorCode::InvalidInput;
  return Error{code, "cannot read config file " + path + ": " + std::generic_category().message(err)};
}

}  // namespace

const std::vector<std::string>& known_services() {
  static const std::vector<std::string> services = {"smtp", "submission", "smtps", "pop3",
                                                    "pop3s", "imap", "imaps", "admin"};
  return services;
}

Expected<Bootstrap> parse(std::string_view text, std::string_view file_name, std::string_view base_dir) {
  std::string label = file_name.empty() ? std::string("<string>") : std::string(file_name);
  auto at = [&label](int line) { return label + ":" + std::to_string(line) + ": "; };

  Json root;
  internal::SyntaxError syntax;
  if (!internal::parse_json(text, root, syntax)) {
    return fail(ErrorCode::InvalidInput, at(line_of_offset(text, syntax.offset)) + "syntax error: " + syntax.message);
  }
  KeyLines lines = KeyLines::scan(text);
  if (!lines.duplicates().empty()) {
    const auto& d = lines.duplicates().front();
    return fail(ErrorCode::InvalidInput,
                at(d.line) + d.path + ": duplicate key (first on line " + std::to_string(d.first_line) + ")");
  }
  try {
    return Parser(base_dir).run(root);
  } catch (const internal::Problem& p) {
    std::string key = p.path.empty() ? std::string("(top level)") : p.path;
    return fail(ErrorCode::InvalidInput, at(lines.line(p.path)) + key + ": " + p.what);
  } catch (const std::exception& e) {
    return fail(ErrorCode::Internal, at(1) + "cannot read configuration", e.what());
  }
}

Expected<Bootstrap> load(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Unexpected{read_failure(path, errno)};
  std::string text;
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Unexpected{read_failure(path, errno)};
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxFileSize) {
      return fail(ErrorCode::TooBig, "cannot read config file " + path + ": larger than 1 MiB");
    }
  }
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) absolute = path;
  absolute = absolute.lexically_normal();
  auto result = parse(text, path, absolute.parent_path().string());
  if (result) result->file = absolute.string();
  return result;
}

TlsFiles tls_files(const Bootstrap& config) {
  if (!config.tls_cert.empty()) return {config.tls_cert, config.tls_key};
  return {config.data_dir + "/tls/cert.pem", config.data_dir + "/tls/key.pem"};
}

std::string server_key_file(const Bootstrap& config) { return config.data_dir + "/keys/server.key"; }

}  // namespace pillarbox::config
