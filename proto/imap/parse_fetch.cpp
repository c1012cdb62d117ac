// FETCH arguments (RFC 3501 §6.4.5 and §9 fetch-att, section, partial;
// RFC 7162 §3.1.4 CHANGEDSINCE and §3.2.6 VANISHED; MODSEQ item). Macros
// are expanded here so the engine sees only real items.
#include "proto/imap/parse_parts.hpp"

namespace pillarbox::imap::detail {

namespace {

using Kind = FetchItem::Kind;

FetchItem simple(Kind kind) {
  FetchItem item;
  item.kind = kind;
  return item;
}

// The name of an attribute: up to SP, "[", "<", ")" or the end.
std::string attribute_name(Reader& r) {
  std::string name;
  while (!r.at_end() && r.peek() != ' ' && r.peek() != '[' && r.peek() != '<' && r.peek() != ')' &&
         r.peek() != '(') {
    name += r.peek();
    r.accept(r.peek());
  }
  return ascii_upper(name);
}

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

Expected<std::vector<std::string>> header_list(Reader& r) {
  std::vector<std::string> fields;
  IMAP_CHECK(r.expect('('));
  while (true) {
    IMAP_TRY(field, r.astring());
    if (field.empty()) return bad("Invalid header field name");
    fields.push_back(ascii_upper(field));
    if (r.accept(')')) return fields;
    if (r.at_end()) return bad("Unbalanced parentheses");
    IMAP_CHECK(r.space());
  }
}

// "[" [section-spec] "]", the "[" already seen.
Expected<Section> section(Reader& r) {
  Section s;
  r.accept('[');
  if (r.accept(']')) return s;
  while (r.peek() >= '0' && r.peek() <= '9') {
    auto n = r.nz_number();
    if (!n) return bad("Invalid section");
    s.part.push_back(*n);
    if (!r.accept('.')) break;
    if (is_letter(r.peek())) break;
    if (r.peek() < '0' || r.peek() > '9') return bad("Invalid section");
  }
  if (s.part.empty() || is_letter(r.peek())) {
    std::string word;
    while (is_letter(r.peek()) || r.peek() == '.') {
      word += r.peek();
      r.accept(r.peek());
    }
    word = ascii_upper(word);
    if (word == "HEADER") {
      s.text = Section::Text::Header;
    } else if (word == "HEADER.FIELDS" || word == "HEADER.FIELDS.NOT") {
      s.text = word == "HEADER.FIELDS" ? Section::Text::HeaderFields : Section::Text::HeaderFieldsNot;
      if (!r.accept(' ')) return bad("Missing header list");
      IMAP_TRY(fields, header_list(r));
      s.fields = std::move(fields);
    } else if (word == "TEXT") {
      s.text = Section::Text::Text;
    } else if (word == "MIME" && !s.part.empty()) {
      s.text = Section::Text::Mime;
    } else {
      return bad("Invalid section");
    }
  }
  if (!r.accept(']')) return bad("Invalid section");
  return s;
}

// "<" number "." nz-number ">"
Expected<std::pair<std::uint32_t, std::uint32_t>> partial(Reader& r) {
  r.accept('<');
  auto offset = r.number();
  if (!offset || !r.accept('.')) return bad("Invalid partial");
  auto length = r.nz_number();
  if (!length || !r.accept('>')) return bad("Invalid partial");
  return std::make_pair(*offset, *length);
}

Expected<void> attribute(Reader& r, std::vector<FetchItem>& items) {
  std::string name = attribute_name(r);
  static constexpr std::pair<std::string_view, Kind> kSimple[] = {
      {"ENVELOPE", Kind::Envelope},         {"FLAGS", Kind::Flags},
      {"INTERNALDATE", Kind::InternalDate}, {"RFC822", Kind::Rfc822},
      {"RFC822.HEADER", Kind::Rfc822Header}, {"RFC822.SIZE", Kind::Rfc822Size},
      {"RFC822.TEXT", Kind::Rfc822Text},    {"BODYSTRUCTURE", Kind::BodyStructure},
      {"UID", Kind::Uid},                   {"MODSEQ", Kind::ModSeq},
  };
  for (const auto& [word, kind] : kSimple) {
    if (name == word) {
      items.push_back(simple(kind));
      return {};
    }
  }
  if (name != "BODY" && name != "BODY.PEEK") {
    return bad(name.empty() && r.at_end() ? "Missing argument" : "Unknown FETCH attribute");
  }
  if (r.peek() != '[') {
    if (name == "BODY.PEEK") return bad("Missing section");
    items.push_back(simple(Kind::Body));
    return {};
  }
  FetchItem item = simple(Kind::BodySection);
  item.peek = name == "BODY.PEEK";
  IMAP_TRY(spec, section(r));
  item.section = std::move(spec);
  if (r.peek() == '<') {
    IMAP_TRY(range, partial(r));
    item.partial = range;
  }
  items.push_back(std::move(item));
  return {};
}

Expected<void> modifiers(Reader& r, FetchArgs& a, bool uid) {
  IMAP_CHECK(r.expect('('));
  while (true) {
    if (r.accept_word("CHANGEDSINCE")) {
      IMAP_CHECK(r.space());
      IMAP_TRY(modseq, r.number64());
      a.changed_since = modseq;
    } else if (r.accept_word("VANISHED")) {
      if (!uid) return bad("VANISHED needs UID FETCH");
      a.vanished = true;
    } else {
      return bad(r.at_end() ? "Unbalanced parentheses" : "Unknown FETCH modifier");
    }
    if (r.accept(')')) break;
    if (r.at_end()) return bad("Unbalanced parentheses");
    IMAP_CHECK(r.space());
  }
  // RFC 7162 §3.2.6: VANISHED only makes sense with CHANGEDSINCE.
  if (a.vanished && !a.changed_since) return bad("VANISHED needs CHANGEDSINCE");
  return {};
}

}  // namespace

Expected<FetchArgs> parse_fetch_args(Reader& r, bool uid) {
  FetchArgs a;
  IMAP_TRY(set, r.sequence_set());
  a.set = std::move(set);
  IMAP_CHECK(r.space());
  const FetchItem flags = simple(Kind::Flags), date = simple(Kind::InternalDate),
                  size = simple(Kind::Rfc822Size), envelope = simple(Kind::Envelope);
  if (r.accept_word("ALL")) {
    a.items = {flags, date, size, envelope};
  } else if (r.accept_word("FAST")) {
    a.items = {flags, date, size};
  } else if (r.accept_word("FULL")) {
    a.items = {flags, date, size, envelope, simple(Kind::Body)};
  } else if (r.accept('(')) {
    while (true) {
      IMAP_CHECK(attribute(r, a.items));
      if (r.accept(')')) break;
      if (r.at_end()) return bad("Unbalanced parentheses");
      IMAP_CHECK(r.space());
    }
  } else {
    IMAP_CHECK(attribute(r, a.items));
  }
  if (r.at_end()) return a;
  if (!r.accept(' ')) return bad("Unexpected extra arguments");
  IMAP_CHECK(modifiers(r, a, uid));
  return a;
}

}  // namespace pillarbox::imap::detail
