// BODY[section] octets from a raw message and its part tree
// (fetch_section.hpp). RFC 3501 §6.4.5: part numbers, HEADER, HEADER.FIELDS
// [.NOT], TEXT and MIME, inside message/rfc822 parts too.
#include "proto/imap/fetch_section.hpp"

#include <algorithm>

#include "proto/imap/reader.hpp"
#include "proto/imap/writer.hpp"

namespace pillarbox::imap {

namespace {

std::string_view cut(std::string_view raw, std::size_t from, std::size_t to) {
  from = std::min(from, raw.size());
  to = std::min(std::max(to, from), raw.size());
  return raw.substr(from, to - from);
}

// The part `path` names, or nullptr. Inside a message/rfc822 part the next
// number counts within the embedded message; part 1 of a single-part
// message is its body.
const mime::Part* resolve(const mime::Part& root, const std::vector<std::uint32_t>& path) {
  const mime::Part* cur = &root;
  for (std::uint32_t n : path) {
    if (cur->is_message()) {
      if (cur->children.empty()) return nullptr;
      cur = &cur->children.front();
    }
    if (cur->is_multipart()) {
      if (n == 0 || n > cur->children.size()) return nullptr;
      cur = &cur->children[n - 1];
    } else if (n != 1) {
      return nullptr;
    }
  }
  return cur;
}

}  // namespace

std::string filter_header(std::string_view block, const std::vector<std::string>& fields, bool exclude) {
  std::string out;
  bool keep = false;
  std::size_t pos = 0;
  while (pos < block.size()) {
    std::size_t end = block.find('\n', pos);
    end = end == std::string_view::npos ? block.size() : end + 1;
    std::string_view line = block.substr(pos, end - pos);
    pos = end;
    if (line == "\r\n" || line == "\n") break;  // the blank line ending the block
    if (line[0] != ' ' && line[0] != '\t') {
      std::size_t colon = line.find(':');
      std::string name = ascii_upper(line.substr(0, colon == std::string_view::npos ? 0 : colon));
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
      bool listed = std::find(fields.begin(), fields.end(), name) != fields.end();
      keep = colon != std::string_view::npos && listed != exclude;
    }
    if (keep) {
      out.append(line);
      if (out.back() != '\n') out += "\r\n";
    }
  }
  out += "\r\n";
  return out;
}

std::string section_text(std::string_view raw, const mime::Part& root, const Section& section) {
  const mime::Part* part = resolve(root, section.part);
  if (part == nullptr) return {};
  using T = Section::Text;
  if (section.text == T::None) {
    if (section.part.empty()) return std::string(raw);
    return std::string(cut(raw, part->body_start, part->body_end));
  }
  if (section.text == T::Mime) return std::string(cut(raw, part->header_start, part->body_start));
  // HEADER, HEADER.FIELDS[.NOT] and TEXT of a message: the root, or the
  // message embedded in a message/rfc822 part.
  const mime::Part* msg = part;
  if (!section.part.empty()) {
    if (!part->is_message() || part->children.empty()) return {};
    msg = &part->children.front();
  }
  std::string_view header = cut(raw, msg->header_start, msg->body_start);
  switch (section.text) {
    case T::Header: return std::string(header);
    case T::HeaderFields: return filter_header(header, section.fields, false);
    case T::HeaderFieldsNot: return filter_header(header, section.fields, true);
    case T::Text: return std::string(cut(raw, msg->body_start, section.part.empty() ? raw.size() : msg->body_end));
    default: return {};
  }
}

std::string_view partial_of(std::string_view text, const std::optional<std::pair<std::uint32_t, std::uint32_t>>& p) {
  if (!p) return text;
  if (p->first >= text.size()) return {};
  return text.substr(p->first, p->second);
}

std::string section_name(const FetchItem& item) {
  std::string out = "BODY[";
  const Section& s = item.section;
  for (std::size_t i = 0; i < s.part.size(); ++i) {
    if (i > 0) out += '.';
    out += std::to_string(s.part[i]);
  }
  auto add = [&](std::string_view word) {
    if (!s.part.empty()) out += '.';
    out += word;
  };
  switch (s.text) {
    case Section::Text::None: break;
    case Section::Text::Header: add("HEADER"); break;
    case Section::Text::Text: add("TEXT"); break;
    case Section::Text::Mime: add("MIME"); break;
    case Section::Text::HeaderFields:
    case Section::Text::HeaderFieldsNot: {
      add(s.text == Section::Text::HeaderFields ? "HEADER.FIELDS (" : "HEADER.FIELDS.NOT (");
      for (std::size_t i = 0; i < s.fields.size(); ++i) {
        if (i > 0) out += ' ';
        append_astring(out, s.fields[i]);
      }
      out += ')';
      break;
    }
  }
  out += ']';
  if (item.partial) out += '<' + std::to_string(item.partial->first) + '>';
  return out;
}

}  // namespace pillarbox::imap
