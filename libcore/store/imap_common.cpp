// Name rules and row helpers of the imap_* files. Names are checked here
// rather than by the schema so that clients get a reason, not a SQLSTATE.
#include "libcore/store/imap_common.hpp"

#include <pqxx/transaction>

#include "libcore/store/pg_values.hpp"

namespace pillarbox::store {

namespace {

bool is_inbox(std::string_view name) {
  if (name.size() != 5) return false;
  for (std::size_t i = 0; i < 5; ++i) {
    char c = name[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != "INBOX"[i]) return false;
  }
  return true;
}

}  // namespace

Expected<std::string> normalize_mailbox_name(std::string_view name) {
  if (name.empty()) return fail(ErrorCode::InvalidInput, "empty mailbox name");
  if (name.size() > 1000) return fail(ErrorCode::InvalidInput, "mailbox name too long");
  if (name.front() == '/' || name.back() == '/' || name.find("//") != std::string_view::npos)
    return fail(ErrorCode::InvalidInput, "mailbox name with an empty level: " + std::string(name));
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return fail(ErrorCode::InvalidInput, "control character in mailbox name");
    if (c == '*' || c == '%') return fail(ErrorCode::InvalidInput, "'*' and '%' are not allowed in mailbox names");
  }
  // INBOX is case-insensitive, and so is the first level of its children,
  // so that "inbox/x" never sits beside "INBOX/x".
  std::string out(name);
  if (is_inbox(name.substr(0, 5)) && (name.size() == 5 || name[5] == '/')) out.replace(0, 5, "INBOX");
  return out;
}

std::string to_pg_bigint_array(const std::vector<int64_t>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i]);
  }
  return out + "}";
}

MessageState message_state(const pqxx::row& row, int first) {
  MessageState m;
  m.uid = row[first].as<int64_t>();
  m.modseq = row[first + 1].as<int64_t>();
  m.flags = from_pg_array(row[first + 2]);
  m.keywords = from_pg_array(row[first + 3]);
  return m;
}

std::optional<LockedMailbox> lock_mailbox(pqxx::transaction_base& tx, int64_t mailbox_id) {
  auto r = tx.exec_params(
      "SELECT id, account_id, uidvalidity, uidnext, highest_modseq FROM mailboxes WHERE id = $1 FOR UPDATE",
      mailbox_id);
  if (r.empty()) return std::nullopt;
  return LockedMailbox{r[0][0].as<int64_t>(), r[0][1].as<int64_t>(), r[0][2].as<int64_t>(),
                       r[0][3].as<int64_t>(), r[0][4].as<int64_t>()};
}

}  // namespace pillarbox::store
