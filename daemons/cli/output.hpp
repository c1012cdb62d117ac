// Human output of the CLI: aligned plain-text tables (no colours, no box
// drawing, so they read the same in a pipe) and small value formatters.
// JSON output is built by each command with nlohmann::json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pillarbox::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }

  // The header and each row, columns padded to the widest cell (counted in
  // UTF-8 code points) and separated by two spaces; no trailing blanks.
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

std::string yes_no(bool value);                            // "yes", "no"
std::string join(const std::vector<std::string>& items, const std::string& separator);
// Unix time as "2026-01-31 14:05 UTC"; nullopt as "-".
std::string format_time(std::optional<int64_t> unix_time);
std::string or_dash(const std::string& text);              // "" -> "-"

}  // namespace pillarbox::cli
