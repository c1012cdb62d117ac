// APPEND. The body goes in first (messages.cpp store_body, as delivery), then
// the mailbox row is updated and the message inserted in one statement, the
// same shape as delivery's, so concurrent writers queue on the row lock and
// UIDs never repeat. Flags are validated by the same rules as STORE.
#include "libcore/store/imap_append.hpp"

#include <cctype>

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/imap_common.hpp"
#include "libcore/store/imap_flags.hpp"
#include "libcore/store/messages.hpp"
#include "libcore/store/pg_values.hpp"

namespace pillarbox::store {
namespace {

// Clients may send \Recent with APPEND; it is the server's to set, not an error.
bool is_recent_flag(const std::string& f) {
  static const std::string kRecent = "\\recent";
  if (f.size() != kRecent.size()) return false;
  for (std::size_t i = 0; i < f.size(); ++i)
    if (static_cast<char>(std::tolower(static_cast<unsigned char>(f[i]))) != kRecent[i]) return false;
  return true;
}

}  // namespace

Expected<Appended> append_message(pqxx::connection& conn, int64_t account_id, const std::string& mailbox,
                                  const AppendRequest& request) {
  auto name = normalize_mailbox_name(mailbox);
  if (!name) return Unexpected{name.error()};
  std::vector<std::string> given;
  for (const auto& f : request.flags)
    if (!is_recent_flag(f)) given.push_back(f);
  auto split = split_flags(given);
  if (!split) return Unexpected{split.error()};
  return guarded("appending a message", [&]() -> Expected<Appended> {
    pqxx::work tx{conn};
    Appended out;
    out.body_id = store_body(tx, request.raw, request.meta);
    auto r = tx.exec_params(
        "WITH box AS ("
        "  UPDATE mailboxes SET uidnext = uidnext + 1, highest_modseq = highest_modseq + 1 "
        "  WHERE account_id = $1 AND name = $2 RETURNING id, uidvalidity, uidnext - 1 AS uid, highest_modseq) "
        "INSERT INTO mailbox_messages (mailbox_id, uid, body_id, size, flags, keywords, modseq, internal_date) "
        "SELECT id, uid, $3, $4, $5::text[], $6::text[], highest_modseq, coalesce(to_timestamp($7), now()) "
        "  FROM box RETURNING mailbox_id, (SELECT uidvalidity FROM box), uid, modseq",
        account_id, *name, out.body_id, static_cast<int64_t>(request.raw.size()), to_pg_array(split->flags),
        to_pg_array(split->keywords), request.internal_date);
    if (r.empty()) return fail(ErrorCode::NotFound, "[TRYCREATE] no mailbox '" + *name + "'");
    out.mailbox_id = r[0][0].as<int64_t>();
    out.uidvalidity = r[0][1].as<int64_t>();
    out.uid = r[0][2].as<int64_t>();
    out.modseq = r[0][3].as<int64_t>();
    tx.commit();
    return out;
  });
}

}  // namespace pillarbox::store
