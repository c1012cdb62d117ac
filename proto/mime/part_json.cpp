// Part tree <-> JSON (see part_json.hpp). Short keys keep the stored form
// small: one row per delivered message holds it. nlohmann::json reports type
// errors by exception; they are caught here and become an Error.
#include "proto/mime/part_json.hpp"

#include "proto/mime/codec.hpp"

namespace pillarbox::mime {

namespace {

using nlohmann::json;

// JSON strings must be UTF-8; raw 8-bit header bytes are read as windows-1252.
std::string text(const std::string& s) {
  auto utf8 = to_utf8(s, "");
  return utf8 ? std::move(*utf8) : repair_utf8(s);
}

json params_json(const Params& params) {
  json out = json::array();
  for (const auto& [name, value] : params) out.push_back({text(name), text(value)});
  return out;
}

Params params_from(const json& j) {
  Params out;
  for (const auto& pair : j) out.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
  return out;
}

void put(json& j, const char* key, const std::string& value, std::string_view fallback = {}) {
  if (value != fallback) j[key] = text(value);
}

std::string get(const json& j, const char* key, std::string_view fallback = {}) {
  const auto it = j.find(key);
  return it == j.end() ? std::string(fallback) : it->get<std::string>();
}

Unexpected malformed(std::string what) {
  return fail(ErrorCode::InvalidInput, "stored part tree is malformed", std::move(what));
}

// json::at/get throw on a missing key or wrong type; the caller catches.
Expected<Part> from_json(const json& j, std::size_t depth, std::size_t max_depth) {
  if (depth > max_depth) return malformed("nested deeper than " + std::to_string(max_depth));
  Part p;
  const json& o = j.at("o");
  p.header_start = o.at(0).get<std::size_t>();
  p.body_start = o.at(1).get<std::size_t>();
  p.body_end = o.at(2).get<std::size_t>();
  if (p.header_start > p.body_start || p.body_start > p.body_end) return malformed("offsets out of order");
  const std::string type = get(j, "t", "text/plain");
  const std::size_t slash = type.find('/');
  if (slash == std::string::npos) return malformed("type without subtype");
  p.type = type.substr(0, slash);
  p.subtype = type.substr(slash + 1);
  if (j.contains("p")) p.params = params_from(j.at("p"));
  p.id = get(j, "id");
  p.description = get(j, "de");
  p.encoding = get(j, "e", "7bit");
  p.md5 = get(j, "md5");
  p.disposition = get(j, "d");
  if (j.contains("dp")) p.disposition_params = params_from(j.at("dp"));
  if (j.contains("la")) p.language = j.at("la").get<std::vector<std::string>>();
  p.location = get(j, "lo");
  p.lines = j.value("l", std::size_t{0});
  if (j.contains("c")) {
    for (const auto& child : j.at("c")) {
      auto c = from_json(child, depth + 1, max_depth);
      if (!c) return Unexpected{c.error()};
      p.children.push_back(std::move(*c));
    }
  }
  return p;
}

}  // namespace

json part_to_json(const Part& p) {
  json j = json::object();
  j["o"] = {p.header_start, p.body_start, p.body_end};
  put(j, "t", p.type + '/' + p.subtype, "text/plain");
  if (!p.params.empty()) j["p"] = params_json(p.params);
  put(j, "id", p.id);
  put(j, "de", p.description);
  put(j, "e", p.encoding, "7bit");
  put(j, "md5", p.md5);
  put(j, "d", p.disposition);
  if (!p.disposition_params.empty()) j["dp"] = params_json(p.disposition_params);
  if (!p.language.empty()) {
    json& language = j["la"] = json::array();
    for (const auto& tag : p.language) language.push_back(text(tag));
  }
  put(j, "lo", p.location);
  if (p.lines != 0) j["l"] = p.lines;
  if (!p.children.empty()) {
    json& children = j["c"] = json::array();
    for (const auto& child : p.children) children.push_back(part_to_json(child));
  }
  return j;
}

Expected<Part> part_from_json(const json& j, std::size_t max_depth) {
  try {
    return from_json(j, 0, max_depth);
  } catch (const json::exception& e) {
    return malformed(e.what());
  }
}

}  // namespace pillarbox::mime
