// Sample loading for the proto/mime tests (see samples.hpp).
#include "samples.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace pillarbox::mime::test {

std::string sample_lf(std::string_view name) {
  const std::string path = std::string(PILLARBOX_MIME_DATA) + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot open sample " << path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string sample(std::string_view name) {
  std::string out;
  for (char c : sample_lf(name)) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

Message parse_ok(std::string_view raw) {
  auto m = parse(raw);
  if (!m) FAIL("parse failed: " << m.error().message << " (" << m.error().context << ")");
  return std::move(*m);
}

std::string_view body_of(std::string_view raw, const Part& part) {
  return raw.substr(part.body_start, part.body_end - part.body_start);
}

}  // namespace pillarbox::mime::test
