// The `children` section. A service may be served by one child only: the
// master hands each listening socket to exactly one process. A child may serve
// no service at all (collectord, senderd work from the queue and the bus).
#include "libcore/config/children.hpp"

#include <map>

namespace pillarbox::config::internal {
namespace {

bool valid_child_name(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string known_list() {
  std::string out;
  for (const auto& s : known_services()) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

ChildSpec read_child(const std::string& name, const Json& value, const std::string& path) {
  if (!valid_child_name(name)) {
    problem(path, "bad child name (1-32 characters of a-z, 0-9, '_' and '-')");
  }
  as_object(value, path);
  ChildSpec child;
  child.name = name;
  for (const auto& [key, item] : value.items()) {
    std::string item_path = join(path, key);
    if (key == "program") {
      child.program = as_string(item, item_path);
    } else if (key == "services") {
      child.services = as_strings(item, item_path);
    } else if (key == "args") {
      child.args = as_strings(item, item_path);
    } else {
      problem(item_path, "unknown key");
    }
  }
  return child;
}

}  // namespace

std::vector<ChildSpec> default_children() {
  return {
      {"smtpd", "", {"smtp", "submission", "smtps"}, {}},
      {"pop3d", "", {"pop3", "pop3s"}, {}},
      {"imapd", "", {"imap", "imaps"}, {}},
      {"collectord", "", {}, {}},
      {"senderd", "", {}, {}},
      {"adminhttpd", "", {"admin"}, {}},
  };
}

bool is_known_service(std::string_view name) {
  for (const auto& s : known_services()) {
    if (s == name) return true;
  }
  return false;
}

std::vector<ChildSpec> read_children(const Json& value) {
  const std::string path = "children";
  as_object(value, path);
  std::vector<ChildSpec> children;
  std::map<std::string, std::string> served_by;  // service -> child
  for (const auto& [name, item] : value.items()) {
    std::string child_path = join(path, name);
    ChildSpec child = read_child(name, item, child_path);
    for (std::size_t i = 0; i < child.services.size(); ++i) {
      const std::string& service = child.services[i];
      std::string service_path = element(join(child_path, "services"), i);
      if (!is_known_service(service)) {
        problem(service_path, "unknown service \"" + service + "\" (known: " + known_list() + ")");
      }
      auto [it, fresh] = served_by.emplace(service, name);
      if (!fresh) {
        problem(service_path, "service \"" + service + "\" is already served by children." + it->second);
      }
    }
    children.push_back(std::move(child));
  }
  return children;
}

}  // namespace pillarbox::config::internal
