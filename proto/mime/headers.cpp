// Header block reader (see headers.hpp): splits lines, unfolds continuation
// lines and records the offset of each field name. RFC 5322 §2.2.3; lenient
// like every deployed reader: bare LF, "Name :" and colon-less lines.
#include "proto/mime/headers.hpp"

#include <cstring>

#include "proto/mime/text_util.hpp"

namespace pillarbox::mime {

LineEnd line_end(std::string_view raw, std::size_t pos, std::size_t end) {
  const void* hit = std::memchr(raw.data() + pos, '\n', end - pos);
  if (hit == nullptr) return {end, end};
  const std::size_t lf = static_cast<std::size_t>(static_cast<const char*>(hit) - raw.data());
  const std::size_t eol = (lf > pos && raw[lf - 1] == '\r') ? lf - 1 : lf;
  return {eol, lf + 1};
}

const Header* find_header(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return &h;
  }
  return nullptr;
}

namespace {

// RFC 5322 §3.6.8 field names are printable ASCII without space or colon;
// anything else (an mbox "From " line, body text) is no field.
bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127) return false;
  }
  return true;
}

// A value keeps its trailing whitespace (Dovecot does too), but not the
// leading whitespace of a first line left empty ("Subject:\r\n text").
void finish(std::vector<Header>& headers) {
  if (headers.empty()) return;
  std::string& v = headers.back().value;
  std::size_t lead = 0;
  while (lead < v.size() && is_wsp(v[lead])) ++lead;
  v.erase(0, lead);
}

}  // namespace

Expected<HeaderBlock> read_headers(std::string_view raw, std::size_t start, std::size_t end,
                                   std::size_t max_bytes) {
  HeaderBlock block;
  std::size_t pos = start;
  bool in_field = false;  // whether a continuation line has a field to extend
  while (pos < end) {
    const LineEnd le = line_end(raw, pos, end);
    if (le.next - start > max_bytes) {
      return fail(ErrorCode::TooBig, "message header too large",
                  "header block at offset " + std::to_string(start) + " exceeds " +
                      std::to_string(max_bytes) + " bytes");
    }
    const std::string_view line = raw.substr(pos, le.eol - pos);
    if (line.empty() && le.next != le.eol) {  // the blank line ends the block
      block.body_start = le.next;
      finish(block.headers);
      return block;
    }
    if (!line.empty() && is_wsp(line.front())) {
      if (in_field) block.headers.back().value.append(line);
    } else {
      finish(block.headers);
      const std::size_t colon = line.find(':');
      std::string_view name = line.substr(0, colon == std::string_view::npos ? 0 : colon);
      while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);  // obs-optional
      in_field = colon != std::string_view::npos && valid_name(name);
      if (in_field) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && is_wsp(value.front())) value.remove_prefix(1);
        block.headers.push_back(Header{std::string(name), std::string(value), pos});
      }
    }
    pos = le.next;
  }
  finish(block.headers);
  block.body_start = end;
  return block;
}

}  // namespace pillarbox::mime
