// The key-line scanner: one pass over JSON-with-comments text tracking an
// explicit stack of objects and arrays. It decodes key strings the way
// nlohmann does (escapes, \u surrogate pairs) so its paths match the parsed
// document's keys; it does not check grammar, nlohmann has done that.
#include "libcore/config/key_lines.hpp"

#include <cstdint>
#include <unordered_set>

namespace pillarbox::config {
namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  auto put = [&out](std::uint32_t byte) { out.push_back(static_cast<char>(byte)); };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0 | (cp >> 6));
    put(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    put(0xE0 | (cp >> 12));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  } else {
    put(0xF0 | (cp >> 18));
    put(0x80 | ((cp >> 12) & 0x3F));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  }
}

// Four hex digits at text[pos..pos+4), or -1.
long hex4(std::string_view text, std::size_t pos) {
  if (pos + 4 > text.size()) return -1;
  long value = 0;
  for (std::size_t k = pos; k < pos + 4; ++k) {
    char c = text[k];
    int digit = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

bool ends_literal(char c) {
  switch (c) {
    case ' ': case '\t': case '\r': case '\n': case ',': case ':':
    case '[': case ']': case '{': case '}': case '"': case '/':
      return true;
    default:
      return false;
  }
}

}  // namespace

class KeyScanner {
 public:
  KeyScanner(std::string_view text, KeyLines& out) : text_(text), out_(out) {}

  void run() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == '/') {
        if (!skip_comment()) return;
      } else if (c == '{' || c == '[') {
        begin_value(line_);
        stack_.push_back(Frame{c == '[', child_path(), 0, true, {}, {}});
        ++pos_;
      } else if (c == '}' || c == ']') {
        if (!stack_.empty()) stack_.pop_back();
        ++pos_;
      } else if (c == ',') {
        if (!stack_.empty()) {
          Frame& top = stack_.back();
          if (top.array) ++top.index;
          else top.expect_key = true;
        }
        ++pos_;
      } else if (c == ':') {
        ++pos_;
      } else if (c == '"') {
        int start = line_;
        std::string s;
        if (!read_string(s)) return;
        if (!stack_.empty() && !stack_.back().array && stack_.back().expect_key) {
          record_key(std::move(s), start);
        } else {
          begin_value(start);
        }
      } else {
        begin_value(line_);
        while (pos_ < text_.size() && !ends_literal(text_[pos_])) ++pos_;
      }
    }
  }

 private:
  struct Frame {
    bool array = false;
    std::string path;
    std::size_t index = 0;          // arrays: the current element
    bool expect_key = true;         // objects: next string is a key
    std::string key;                // objects: the current member
    std::unordered_set<std::string> seen;  // objects: keys so far
  };

  static std::string join(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
  }

  // The path of the value that starts now.
  std::string child_path() const {
    if (stack_.empty()) return {};
    const Frame& top = stack_.back();
    if (top.array) return top.path + "[" + std::to_string(top.index) + "]";
    return join(top.path, top.key);
  }

  // Array elements and the root are located where their value starts;
  // object members were located at their key.
  void begin_value(int line) {
    if (stack_.empty()) {
      out_.lines_.try_emplace(std::string(), line);
    } else if (stack_.back().array) {
      out_.lines_[child_path()] = line;
    }
  }

  void record_key(std::string key, int line) {
    Frame& top = stack_.back();
    std::string path = join(top.path, key);
    if (!top.seen.insert(key).second) {
      auto first = out_.lines_.find(path);
      out_.duplicates_.push_back(
          {path, line, first == out_.lines_.end() ? line : first->second});
    }
    out_.lines_[path] = line;  // nlohmann keeps the last value: so do we
    top.key = std::move(key);
    top.expect_key = false;
  }

  bool skip_comment() {
    if (pos_ + 1 >= text_.size()) return false;
    char next = text_[pos_ + 1];
    if (next == '/') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      return true;
    }
    if (next != '*') return false;
    pos_ += 2;
    while (pos_ + 1 < text_.size() && !(text_[pos_] == '*' && text_[pos_ + 1] == '/')) {
      if (text_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ + 1 >= text_.size()) return false;
    pos_ += 2;
    return true;
  }

  // Reads the string starting at the opening quote, decoding escapes.
  bool read_string(std::string& out) {
    ++pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return true;
      if (c == '\n') ++line_;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return false;
      char e = text_[pos_++];
      switch (e) {
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': if (!read_unicode(out)) return false; break;
        default: out.push_back(e); break;  // " \ /
      }
    }
    return false;
  }

  bool read_unicode(std::string& out) {
    long cp = hex4(text_, pos_);
    if (cp < 0) return false;
    pos_ += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
      long low = hex4(text_, pos_ + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        pos_ += 6;
      }
    }
    append_utf8(out, static_cast<std::uint32_t>(cp));
    return true;
  }

  std::string_view text_;
  KeyLines& out_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::vector<Frame> stack_;
};

KeyLines KeyLines::scan(std::string_view text) {
  KeyLines result;
  KeyScanner(text, result).run();
  return result;
}

bool KeyLines::has(std::string_view path) const {
  return lines_.find(std::string(path)) != lines_.end();
}

int KeyLines::line(std::string_view path) const {
  std::string p(path);
  for (;;) {
    auto it = lines_.find(p);
    if (it != lines_.end()) return it->second;
    if (p.empty()) return 1;
    auto cut = p.find_last_of(".[");
    p.resize(cut == std::string::npos ? 0 : cut);
  }
}

int line_of_offset(std::string_view text, std::size_t offset) {
  // The end of input belongs to the last line, not to one after a final newline.
  if (offset >= text.size()) offset = text.empty() ? 0 : text.size() - 1;
  int line = 1;
  for (std::size_t k = 0; k < offset && k < text.size(); ++k) {
    if (text[k] == '\n') ++line;
  }
  return line;
}

}  // namespace pillarbox::config
