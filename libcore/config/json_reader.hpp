// Internal to libcore/config: reading the bootstrap JSON. parse_json() accepts
// comments and reports the byte offset of a syntax error; the typed accessors
// throw Problem{path, what}, which config.cpp turns into `file:line: key: what`.
// Exceptions never leave libcore/config: parse() catches them all.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pillarbox::config::internal {

// Ordered, so children keep the order of the file.
using Json = nlohmann::ordered_json;

struct Problem {
  std::string path;  // dotted key path, "" for the whole document
  std::string what;
};

struct SyntaxError {
  std::size_t offset = 0;  // 0-based byte offset of the offending character
  std::string message;     // "while parsing value - unexpected '}'; ..."
};

// Parses JSON with // and /* */ comments into `out`; false and `error` on
// failure (bad grammar, number overflow, invalid UTF-8).
bool parse_json(std::string_view text, Json& out, SyntaxError& error);

std::string join(std::string_view parent, std::string_view key);
std::string element(std::string_view parent, std::size_t index);

[[noreturn]] void problem(std::string path, std::string what);

// Each returns the value or throws Problem{path, "must be ..."}.
const Json& as_object(const Json& value, const std::string& path);
std::string as_string(const Json& value, const std::string& path);
double as_number(const Json& value, const std::string& path);
// A list of strings; a bad element is reported at `path[i]`.
std::vector<std::string> as_strings(const Json& value, const std::string& path);

}  // namespace pillarbox::config::internal
