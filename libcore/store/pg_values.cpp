// text[] encoding by hand: libpqxx 6.4 parses arrays (array_parser) but has
// no writer, and binding each element separately would need dynamic SQL.
#include "libcore/store/pg_values.hpp"

#include <pqxx/array>

namespace pillarbox::store {

std::string to_pg_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::vector<std::string> from_pg_array(const pqxx::field& f) {
  std::vector<std::string> out;
  if (f.is_null()) return out;
  pqxx::array_parser parser = f.as_array();
  for (auto item = parser.get_next(); item.first != pqxx::array_parser::done;
       item = parser.get_next()) {
    if (item.first == pqxx::array_parser::string_value) out.push_back(item.second);
  }
  return out;
}

std::optional<int64_t> optional_int(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<int64_t>();
}

std::optional<int> optional_int32(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<int>();
}

}  // namespace pillarbox::store
