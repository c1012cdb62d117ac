// pillarboxd: the Pillarbox master supervisor. Usage:
//   pillarboxd --config FILE      run an installed server
//   pillarboxd --data-dir DIR     run a self-contained one (writes DIR/pillarbox.conf once)
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "daemons/master/data_dir.hpp"
#include "daemons/master/master.hpp"
#include "libcore/base/log.hpp"
#include "libcore/config/config.hpp"
#include "libcore/event/loop.hpp"

namespace {

constexpr const char* kUsage =
    "usage: pillarboxd [--config FILE | --data-dir DIR]\n"
    "  --config FILE    the bootstrap configuration (default /etc/pillarbox/pillarbox.conf)\n"
    "  --data-dir DIR   a self-contained server in DIR; DIR/pillarbox.conf is written on first start\n"
    "  --version        print the version\n";

// Writes DIR/pillarbox.conf with every default when it does not exist yet.
pillarbox::Expected<std::string> ensure_data_dir_config(const std::string& dir_arg) {
  namespace fs = std::filesystem;
  std::string dir = fs::absolute(dir_arg).lexically_normal().string();
  if (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (auto r = pillarbox::master::make_dirs(dir, 0755); !r) return pillarbox::Unexpected{r.error()};
  std::string path = dir + "/pillarbox.conf";
  if (!fs::exists(path)) {
    std::ofstream out(path);
    out << pillarbox::config::default_text(".");
    if (!out) return pillarbox::fail(pillarbox::ErrorCode::PermissionDenied, "write " + path);
    pillarbox::log::info("wrote the default configuration {}", path);
  }
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pillarbox;
  log::init("pillarboxd");
  std::string config_path = "/etc/pillarbox/pillarbox.conf";
  std::string data_dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--config" || a == "--data-dir") && i + 1 < argc) {
      (a == "--config" ? config_path : data_dir) = argv[++i];
    } else if (a == "--version") {
      std::cout << "pillarboxd " << PILLARBOX_VERSION << "\n";
      return 0;
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "pillarboxd: unknown argument '" << a << "'\n" << kUsage;
      return 2;
    }
  }
  if (!data_dir.empty()) {
    auto p = ensure_data_dir_config(data_dir);
    if (!p) {
      log::error("{}", p.error().message);
      return 1;
    }
    config_path = *p;
  }
  auto cfg = config::load(config_path);
  if (!cfg) {
    // Config errors read "file:line: key: problem" already.
    std::cerr << cfg.error().message << "\n";
    return 1;
  }
  log::set_level(cfg->log_level);

  event::Loop loop;
  int code = 0;
  {
    master::Master m(loop, std::move(*cfg), std::filesystem::absolute(config_path).string());
    if (auto r = m.start(); !r) {
      log::error("start: {}", r.error().describe());
      code = 1;
      m.abort_start();
    } else {
      code = m.run();
    }
  }
  return code;
}
