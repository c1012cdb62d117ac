// JSON reading for the bootstrap config. Syntax errors go through a SAX pass
// because only the SAX interface hands out the byte position of every failure
// (a number overflow surfaces as out_of_range, without one); the document
// itself is then built by the ordinary parser.
#include "libcore/config/json_reader.hpp"

namespace pillarbox::config::internal {
namespace {

// Accepts every event and keeps the first error.
class ErrorCatcher : public nlohmann::json_sax<Json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    error.offset = position > 0 ? position - 1 : 0;
    error.message = clean(ex.what());
    return false;
  }

  SyntaxError error;

 private:
  // "[json.exception.parse_error.101] parse error at line 3, column 1: syntax
  // error while parsing ..." -> "while parsing ...": our line replaces theirs.
  static std::string clean(std::string_view what) {
    if (what.substr(0, 1) == "[") {
      auto end = what.find("] ");
      if (end != std::string_view::npos) what.remove_prefix(end + 2);
    }
    if (what.substr(0, 14) == "parse error at") {
      auto colon = what.find(": ");
      if (colon != std::string_view::npos) what.remove_prefix(colon + 2);
    }
    if (what.substr(0, 13) == "syntax error ") what.remove_prefix(13);
    return shorten_last_read(std::string(what));
  }

  // "last read" is everything since the token began, which after an open
  // /* can be the rest of the file: keep its end only.
  static std::string shorten_last_read(std::string message) {
    constexpr std::string_view kLabel = "last read: '";
    constexpr std::size_t kKeep = 40;
    auto start = message.find(kLabel);
    if (start == std::string::npos) return message;
    start += kLabel.size();
    auto end = message.find("'; expected", start);
    if (end == std::string::npos) end = message.size() - 1;
    if (end <= start || end - start <= kKeep) return message;
    std::size_t cut = end - kKeep;
    while (cut < end && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) ++cut;  // UTF-8 boundary
    return message.substr(0, start) + "..." + message.substr(cut);
  }
};

}  // namespace

bool parse_json(std::string_view text, Json& out, SyntaxError& error) {
  ErrorCatcher catcher;
  if (!Json::sax_parse(text, &catcher, Json::input_format_t::json, true, true)) {
    error = catcher.error;
    return false;
  }
  out = Json::parse(text, nullptr, true, true);
  return true;
}

std::string join(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string path(parent);
  path += '.';
  path += key;
  return path;
}

std::string element(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

void problem(std::string path, std::string what) {
  throw Problem{std::move(path), std::move(what)};
}

const Json& as_object(const Json& value, const std::string& path) {
  if (!value.is_object()) problem(path, "must be an object");
  return value;
}

std::string as_string(const Json& value, const std::string& path) {
  if (!value.is_string()) problem(path, "must be a string");
  return value.get<std::string>();
}

double as_number(const Json& value, const std::string& path) {
  if (!value.is_number()) problem(path, "must be a number");
  return value.get<double>();
}

std::vector<std::string> as_strings(const Json& value, const std::string& path) {
  if (!value.is_array()) problem(path, "must be a list of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.push_back(as_string(value[i], element(path, i)));
  }
  return out;
}

}  // namespace pillarbox::config::internal
