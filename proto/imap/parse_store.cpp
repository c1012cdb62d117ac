// STORE arguments (RFC 3501 §6.4.6 and §9 store-att-flags; RFC 7162
// §3.1.3 UNCHANGEDSINCE). Flags may come as a list or bare.
#include "proto/imap/parse_parts.hpp"

namespace pillarbox::imap::detail {

Expected<StoreArgs> parse_store_args(Reader& r) {
  StoreArgs a;
  IMAP_TRY(set, r.sequence_set());
  a.set = std::move(set);
  IMAP_CHECK(r.space());
  if (r.accept('(')) {
    if (!r.accept_word("UNCHANGEDSINCE")) return bad(r.at_end() ? "Missing argument" : "Unknown STORE modifier");
    IMAP_CHECK(r.space());
    IMAP_TRY(modseq, r.number64());
    a.unchanged_since = modseq;
    IMAP_CHECK(r.expect(')'));
    IMAP_CHECK(r.space());
  }
  if (r.accept('+')) {
    a.mode = StoreArgs::Mode::Add;
  } else if (r.accept('-')) {
    a.mode = StoreArgs::Mode::Remove;
  }
  if (r.accept_word("FLAGS.SILENT")) {
    a.silent = true;
  } else if (!r.accept_word("FLAGS")) {
    return bad(r.at_end() ? "Missing argument" : "Invalid STORE data item");
  }
  IMAP_CHECK(r.space());
  if (r.peek() == '(') {
    IMAP_TRY(flags, r.flag_list());
    a.flags = std::move(flags);
    return a;
  }
  while (true) {
    IMAP_TRY(flag, r.flag());
    a.flags.push_back(std::move(flag));
    if (r.at_end()) return a;
    IMAP_CHECK(r.space());
  }
}

}  // namespace pillarbox::imap::detail
