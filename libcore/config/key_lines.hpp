// KeyLines: the 1-based line of every key path in a JSON-with-comments text,
// so config errors can say `file:LINE: key: problem` (nlohmann keeps no
// positions). Paths read `a`, `a.b`, `a[2]`, `a[2].b`; the root value is "".
// Not a validator: run it on text nlohmann accepted; on other text it stops
// quietly and keeps whatever it recorded. No I/O, no allocation limits needed
// beyond the text itself (iterative, so deep nesting cannot overflow the stack).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pillarbox::config {

class KeyLines {
 public:
  struct Duplicate {
    std::string path;
    int line = 0;        // the repeated occurrence
    int first_line = 0;  // the first occurrence
  };

  // Scans `text` (JSON with // and /* */ comments, optional UTF-8 BOM).
  static KeyLines scan(std::string_view text);

  // The line where `path` (a member key or an array element) starts. An
  // unrecorded path falls back to its nearest recorded ancestor, else 1.
  int line(std::string_view path) const;

  // Whether `path` itself was recorded (the key appears in the text).
  bool has(std::string_view path) const;

  // Keys given twice in the same object, in text order.
  const std::vector<Duplicate>& duplicates() const { return duplicates_; }

 private:
  std::unordered_map<std::string, int> lines_;
  std::vector<Duplicate> duplicates_;

  friend class KeyScanner;
};

// The 1-based line holding byte `offset` (0-based) of `text`; offsets past
// the end count as the last line.
int line_of_offset(std::string_view text, std::size_t offset);

}  // namespace pillarbox::config
