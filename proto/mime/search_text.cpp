// Search text extraction (see search_text.hpp). Parts are visited in tree
// order, message/rfc822 bodies included; CRLF becomes LF. Parts past the cap
// are not decoded at all.
#include "proto/mime/search_text.hpp"

#include "proto/mime/codec.hpp"
#include "proto/mime/html_text.hpp"

namespace pillarbox::mime {

namespace {

std::string part_text(std::string_view raw, const Part& p) {
  const std::string decoded = decode_transfer(raw.substr(p.body_start, p.body_size()), p.encoding);
  auto utf8 = to_utf8(decoded, p.param("charset").value_or(""));
  std::string text = utf8 ? std::move(*utf8) : repair_utf8(decoded);
  if (p.subtype == "html") return html_to_text(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

void collect(std::string_view raw, const Part& p, std::size_t cap, std::string& out) {
  if (out.size() >= cap) return;
  if (p.type == "text") {
    std::string text = part_text(raw, p);
    if (text.empty()) return;
    if (!out.empty()) out += '\n';
    out += text;
    return;
  }
  for (const auto& child : p.children) collect(raw, child, cap, out);
}

}  // namespace

std::string search_text(std::string_view raw, const Part& root, std::size_t cap) {
  std::string out;
  collect(raw, root, cap, out);
  if (out.size() > cap) {
    std::size_t n = cap;
    // Back off over continuation bytes so no character is cut in half.
    while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;
    out.resize(n);
  }
  return out;
}

}  // namespace pillarbox::mime
