// deliver(): the body goes in first (store_body, shared with IMAP APPEND,
// dedupes on its hash). INBOXes are then updated in account
// id order, so two deliveries never lock the same mailboxes in opposite orders.
#include "libcore/store/delivery.hpp"

#include <algorithm>
#include <cstdio>

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/messages.hpp"

namespace pillarbox::store {
namespace {

Expected<void> check_delivery(const Delivery& d) {
  if (d.local_accounts.empty() && d.remote.empty())
    return fail(ErrorCode::InvalidInput, "delivery without recipients");
  if (d.ret != "" && d.ret != "FULL" && d.ret != "HDRS")
    return fail(ErrorCode::InvalidInput, "invalid DSN RET '" + d.ret + "': use FULL or HDRS");
  for (const auto& r : d.remote)
    if (r.address.empty()) return fail(ErrorCode::InvalidInput, "empty remote recipient address");
  return {};
}

std::string delivery_id(int64_t n) {
  char text[24];
  std::snprintf(text, sizeof text, "%010llX", static_cast<unsigned long long>(n));
  return text;
}

// The body's row id (new or existing, messages.cpp) and a fresh delivery number.
std::pair<int64_t, int64_t> store_body_numbered(pqxx::transaction_base& tx, const std::string& raw,
                                                const MessageMeta& m) {
  int64_t body_id = store_body(tx, raw, m);
  auto row = tx.exec1("SELECT nextval('delivery_id_seq')");
  return {body_id, row[0].as<int64_t>()};
}

// Takes the INBOX's next UID and MODSEQ and files the body there; nullopt
// when the account has no INBOX.
std::optional<std::pair<int64_t, int64_t>> file_in_inbox(pqxx::transaction_base& tx, int64_t account_id,
                                                         int64_t body_id, int64_t size) {
  auto r = tx.exec_params(
      "WITH box AS ("
      "  UPDATE mailboxes SET uidnext = uidnext + 1, highest_modseq = highest_modseq + 1 "
      "  WHERE account_id = $1 AND name = 'INBOX' RETURNING id, uidnext - 1 AS uid, highest_modseq) "
      "INSERT INTO mailbox_messages (mailbox_id, uid, body_id, size, modseq) "
      "SELECT id, uid, $2, $3, highest_modseq FROM box RETURNING mailbox_id, uid",
      account_id, body_id, size);
  if (r.empty()) return std::nullopt;
  return std::make_pair(r[0][0].as<int64_t>(), r[0][1].as<int64_t>());
}

}  // namespace

Expected<Delivered> deliver_within(pqxx::transaction_base& tx, const Delivery& d) {
  if (auto ok = check_delivery(d); !ok) return Unexpected{ok.error()};
  std::vector<int64_t> accounts = d.local_accounts;
  std::sort(accounts.begin(), accounts.end());
  accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());
  Delivered out;
  auto [body_id, number] = store_body_numbered(tx, d.raw, d.meta);
  out.body_id = body_id;
  out.id = delivery_id(number);
  for (int64_t account : accounts) {
    auto filed = file_in_inbox(tx, account, body_id, static_cast<int64_t>(d.raw.size()));
    if (!filed) return fail(ErrorCode::NotFound, "no INBOX for account id " + std::to_string(account));
    out.mailbox_uids.push_back(*filed);
  }
  if (!d.remote.empty()) {
    QueueEntry entry{body_id, out.id, d.sender, d.envid, d.ret, d.eight_bit, d.smtputf8};
    out.queue_id = enqueue(tx, entry, d.remote);
  }
  return out;
}

Expected<Delivered> deliver(pqxx::connection& conn, const Delivery& d) {
  return guarded("delivering a message", [&]() -> Expected<Delivered> {
    pqxx::work tx{conn};
    auto out = deliver_within(tx, d);
    if (out) tx.commit();
    return out;
  });
}

}  // namespace pillarbox::store
