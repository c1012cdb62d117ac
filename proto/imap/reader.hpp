// Token reader over one framed IMAP command (RFC 3501 §9 formal syntax):
// atoms, numbers, quoted strings, literals, astrings, nstrings, flag lists.
// Used by the command parsers; it knows no commands. Input is the canonical
// form CommandFramer produces: a literal's "{n}" or "{n+}" is followed by
// CRLF and exactly n octets. Every failure is InvalidInput with a message
// fit to follow "tag BAD ".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"
#include "proto/imap/sequence_set.hpp"

namespace pillarbox::imap {

// RFC 3501 §9 ATOM-CHAR and ASTRING-CHAR (ATOM-CHAR and "]").
bool is_atom_char(char c);
bool is_astring_char(char c);

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  std::size_t position() const { return pos_; }
  // Consumes `c` when it is next.
  bool accept(char c);
  // The next characters are `word` (ASCII case-insensitive), followed by
  // something other than an atom character; consumes it when so.
  bool accept_word(std::string_view word);

  Expected<void> space();               // exactly one SP ("Missing argument" at the end)
  Expected<void> expect(char c);        // "Expected 'c'"
  Expected<void> end();                 // nothing left ("Unexpected extra arguments")

  Expected<std::string> atom();         // 1*ATOM-CHAR
  Expected<std::string> astring_atom(); // 1*ASTRING-CHAR
  Expected<std::uint32_t> number();     // 1*DIGIT up to 2^32-1
  Expected<std::uint32_t> nz_number();
  Expected<std::uint64_t> number64();   // mod-sequence-value (up to 2^63-1, RFC 7162 §7)
  Expected<std::string> quoted();
  Expected<std::string> literal();
  Expected<std::string> string();       // quoted / literal
  Expected<std::string> astring();      // atom of ASTRING-CHARs / string
  Expected<std::optional<std::string>> nstring();  // NIL / string
  Expected<std::string> mailbox();      // astring; any case of INBOX becomes "INBOX"
  Expected<std::string> list_mailbox(); // 1*list-char (ATOM-CHAR, "%", "*", "]") / string
  Expected<SequenceSet> sequence_set();
  Expected<std::string> flag();         // "\Atom" or keyword atom
  Expected<std::vector<std::string>> flag_list();  // "(" [flag *(SP flag)] ")"

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Upper-cases ASCII letters.
std::string ascii_upper(std::string_view s);

}  // namespace pillarbox::imap
