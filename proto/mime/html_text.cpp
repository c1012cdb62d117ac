// HTML to text (see html_text.hpp). A single forward scan; quoted attribute
// values may hold '>'. Named references cover what mail generators emit
// most, not the whole HTML5 table; unknown ones are kept as written.
#include "proto/mime/html_text.hpp"

#include <array>

#include "proto/mime/text_util.hpp"

namespace pillarbox::mime {

namespace {

struct Entity {
  std::string_view name;
  unsigned long cp;
};

constexpr std::array<Entity, 24> kEntities{{
    {"amp", '&'},     {"lt", '<'},         {"gt", '>'},       {"quot", '"'},      {"apos", '\''},
    {"nbsp", ' '},    {"shy", 0xAD},       {"copy", 0xA9},    {"reg", 0xAE},      {"trade", 0x2122},
    {"euro", 0x20AC}, {"pound", 0xA3},     {"mdash", 0x2014}, {"ndash", 0x2013},  {"hellip", 0x2026},
    {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C}, {"rdquo", 0x201D},  {"laquo", 0xAB},
    {"raquo", 0xBB},  {"bull", 0x2022},    {"middot", 0xB7},  {"zwnj", 0x200C},
}};

constexpr std::array<std::string_view, 22> kBlockTags{
    "br", "p", "div", "tr", "td", "th", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "hr", "title", "section", "article"};

class Writer {
 public:
  void text(std::string_view s) {
    for (char c : s) put(c);
  }
  void put(char c) {
    if (is_space(c)) {
      pending_ = pending_ == '\n' ? '\n' : ' ';
      return;
    }
    flush();
    out_ += c;
  }
  void line_break() { pending_ = '\n'; }
  std::string finish() { return std::move(out_); }

 private:
  void flush() {
    if (pending_ != 0 && !out_.empty()) out_ += pending_;
    pending_ = 0;
  }
  std::string out_;
  char pending_ = 0;
};

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// At '&': decodes one reference, returning the bytes consumed (0: not one).
std::size_t entity(std::string_view s, std::size_t i, Writer& w) {
  // References are short; looking no further keeps "&&&&..." linear.
  const std::size_t semi = s.substr(0, i + 14).find(';', i);
  if (semi == std::string_view::npos) return 0;
  const std::string_view name = s.substr(i + 1, semi - i - 1);
  if (name.size() > 1 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    unsigned long cp = 0;
    for (char c : digits) {
      const int v = (c >= '0' && c <= '9') ? c - '0'
                    : hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                                    : -1;
      if (v < 0) return 0;
      cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(v);
    }
    w.text(utf8_encode(cp));
    return semi - i + 1;
  }
  for (const auto& e : kEntities) {
    if (name == e.name) {
      w.text(utf8_encode(e.cp));
      return semi - i + 1;
    }
  }
  return 0;
}

// Index just past the '>' closing the tag that starts at `i` (or the end).
std::size_t tag_end(std::string_view s, std::size_t i) {
  char quote = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return s.size();
}

std::size_t ifind(std::string_view s, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= s.size(); ++i) {
    if (iequals(s.substr(i, needle.size()), needle)) return i;
  }
  return s.size();
}

// At '<': handles one tag, comment or declaration; returns where to go on.
std::size_t markup(std::string_view s, std::size_t i, Writer& w) {
  if (s.substr(i, 4) == "<!--") {
    const std::size_t end = s.find("-->", i + 4);
    return end == std::string_view::npos ? s.size() : end + 3;
  }
  std::size_t p = i + 1;
  if (p < s.size() && s[p] == '/') ++p;
  std::string name;
  while (p < s.size() && (is_letter(s[p]) || (s[p] >= '0' && s[p] <= '9'))) name += ascii_lower(s[p++]);
  const std::size_t end = tag_end(s, p);
  const bool closing = s[i + 1] == '/';
  if (!closing && (name == "script" || name == "style")) {
    return tag_end(s, ifind(s, "</" + name, end));
  }
  for (auto block : kBlockTags) {
    if (name == block) w.line_break();
  }
  return end;
}

bool starts_markup(std::string_view s, std::size_t i) {
  if (i + 1 >= s.size()) return false;
  const char c = s[i + 1];
  return is_letter(c) || c == '/' || c == '!' || c == '?';
}

}  // namespace

std::string utf8_encode(unsigned long cp) {
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

std::string html_to_text(std::string_view html) {
  Writer w;
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<' && starts_markup(html, i)) {
      i = markup(html, i, w);
    } else if (c == '&') {
      const std::size_t n = entity(html, i, w);
      if (n == 0) w.put(c);
      i += n == 0 ? 1 : n;
    } else {
      w.put(c);
      ++i;
    }
  }
  return w.finish();
}

}  // namespace pillarbox::mime
