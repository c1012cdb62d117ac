// Child program lookup relative to the running pillarboxd (/proc/self/exe).
#include "daemons/master/child_programs.hpp"

#include <unistd.h>

#include <filesystem>

namespace pillarbox::master {
namespace fs = std::filesystem;

Expected<std::string> locate_child_program(const config::ChildSpec& spec) {
  std::vector<std::string> candidates;
  if (!spec.program.empty()) {
    candidates.push_back(spec.program);
  } else {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    fs::path dir = ec ? fs::current_path() : self.parent_path();
    candidates.push_back((dir / spec.name).string());
    candidates.push_back((dir.parent_path() / "lib" / "pillarbox" / spec.name).string());
  }
  std::string tried;
  for (auto& c : candidates) {
    if (::access(c.c_str(), X_OK) == 0 && fs::is_regular_file(c)) return c;
    tried += (tried.empty() ? "" : ", ") + c;
  }
  return fail(ErrorCode::NotFound, "program not installed (looked for " + tried + ")");
}

}  // namespace pillarbox::master
