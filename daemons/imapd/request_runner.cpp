// One function per request kind; each turns store values into the engine's
// and store errors into IMAP failures (NO with a response code).
#include "daemons/imapd/request_runner.hpp"

#include <algorithm>

#include "daemons/imapd/search_key.hpp"
#include "libcore/ingest/message_meta.hpp"
#include "libcore/store/accounts.hpp"
#include "libcore/store/imap_append.hpp"
#include "libcore/store/imap_changes.hpp"
#include "libcore/store/imap_copy.hpp"
#include "libcore/store/imap_expunge.hpp"
#include "libcore/store/imap_fetch.hpp"
#include "libcore/store/imap_flags.hpp"
#include "libcore/store/imap_mailboxes.hpp"
#include "libcore/store/imap_quota.hpp"
#include "libcore/store/imap_search.hpp"
#include "libcore/store/imap_select.hpp"
#include "libcore/store/mailboxes.hpp"
#include "libcore/store/security_events.hpp"

namespace pillarbox::imapd {
namespace {

using imap::Failure;

Failure failure(const Error& e) {
  const std::string& m = e.message;
  switch (e.code) {
    case ErrorCode::NotFound:
      if (m.rfind("[TRYCREATE]", 0) == 0) return {Failure::Kind::TryCreate, m.substr(m.find(']') + 1)};
      return {Failure::Kind::NonExistent, m};
    case ErrorCode::AlreadyExists: return {Failure::Kind::AlreadyExists, m};
    case ErrorCode::PermissionDenied: return {Failure::Kind::Cannot, m};
    case ErrorCode::InUse: return {Failure::Kind::InUse, m};
    case ErrorCode::InvalidInput: return {Failure::Kind::Other, m};
    case ErrorCode::TooBig: return {Failure::Kind::TooBig, m};
    case ErrorCode::QuotaExceeded: return {Failure::Kind::OverQuota, m};
    case ErrorCode::Unavailable:
    case ErrorCode::Temporary: return {Failure::Kind::Unavailable, "Server unavailable, try again later"};
    default: return {Failure::Kind::Other, "Internal server error"};
  }
}

imap::MessageState state(const store::MessageState& s) {
  imap::MessageState out{static_cast<std::uint32_t>(s.uid), static_cast<std::uint64_t>(s.modseq), s.flags};
  out.flags.insert(out.flags.end(), s.keywords.begin(), s.keywords.end());
  return out;
}

std::vector<imap::MessageState> states(const std::vector<store::MessageState>& in) {
  std::vector<imap::MessageState> out;
  out.reserve(in.size());
  for (const auto& s : in) out.push_back(state(s));
  return out;
}

std::vector<int64_t> wide(const std::vector<std::uint32_t>& uids) { return {uids.begin(), uids.end()}; }

std::vector<std::uint32_t> narrow(const std::vector<int64_t>& uids) {
  std::vector<std::uint32_t> out;
  out.reserve(uids.size());
  for (auto u : uids) out.push_back(static_cast<std::uint32_t>(u));
  return out;
}

// Bare LF line ends become CRLF, so what is stored is what IMAP and POP3 serve.
std::string crlf(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + raw.size() / 40);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) out += '\r';
    out += raw[i];
  }
  return out;
}

Outcome login(pqxx::connection& conn, const Context& ctx, const imap::LoginRequest& r) {
  Outcome out;
  auto id = store::verify_login(conn, r.user, r.password);
  std::string why;
  if (!id) {
    if (id.error().code != ErrorCode::PermissionDenied) {
      out.result = failure(id.error());
      out.log = id.error().describe();
      return out;
    }
    why = id.error().context;
  } else if (!ctx.login_permitted) {
    why = "not allowed from this address";
  }
  if (!why.empty()) {
    if (auto w = store::record_login_failure(conn, {ctx.service, ctx.address, r.user, why}); !w)
      why += " (not recorded: " + w.error().describe() + ")";
    out.result = Failure{Failure::Kind::AuthenticationFailed, "Authentication failed"};
    out.log = why;
    return out;
  }
  auto account = store::get_account(conn, r.user);
  if (!account) {
    out.result = failure(account.error());
    return out;
  }
  out.account_id = *id;
  out.account = account->name;
  out.result = std::monostate{};
  return out;
}

imap::Result list(pqxx::connection& conn, const Context& ctx) {
  auto boxes = store::list_mailboxes(conn, ctx.account_id);
  if (!boxes) return failure(boxes.error());
  auto subscribed = store::list_subscriptions(conn, ctx.account_id);
  if (!subscribed) return failure(subscribed.error());
  std::vector<imap::MailboxEntry> out;
  for (const auto& b : *boxes) {
    imap::MailboxEntry e;
    e.name = b.name;
    e.special_use = b.special_use;
    e.subscribed = std::find(subscribed->begin(), subscribed->end(), b.name) != subscribed->end();
    const std::string prefix = b.name + "/";
    e.has_children = std::any_of(boxes->begin(), boxes->end(),
                                 [&](const auto& other) { return other.name.rfind(prefix, 0) == 0; });
    out.push_back(std::move(e));
  }
  return out;
}

imap::Result status(pqxx::connection& conn, const Context& ctx, const imap::StatusRequest& r) {
  auto s = store::mailbox_status(conn, ctx.account_id, r.mailbox);
  if (!s) return failure(s.error());
  imap::MailboxStatusData d;
  d.messages = static_cast<std::uint32_t>(s->messages);
  d.recent = static_cast<std::uint32_t>(s->recent);
  d.unseen = static_cast<std::uint32_t>(s->unseen);
  d.uidnext = static_cast<std::uint32_t>(s->uidnext);
  d.uidvalidity = static_cast<std::uint32_t>(s->uidvalidity);
  d.highest_modseq = static_cast<std::uint64_t>(s->highest_modseq);
  d.size = static_cast<std::uint64_t>(s->size);
  d.deleted = static_cast<std::uint32_t>(s->deleted);
  return d;
}

Outcome select(pqxx::connection& conn, const Context& ctx, const imap::SelectRequest& r) {
  Outcome out;
  auto s = store::select_mailbox(conn, ctx.account_id, r.mailbox,
                                 r.read_only ? store::SelectMode::ReadOnly : store::SelectMode::ReadWrite,
                                 r.vanished_since ? std::optional<int64_t>(static_cast<int64_t>(*r.vanished_since))
                                                  : std::nullopt);
  if (!s) {
    out.result = failure(s.error());
    return out;
  }
  imap::SelectedData d;
  d.name = s->name;
  d.special_use = s->special_use;
  d.uidvalidity = static_cast<std::uint32_t>(s->uidvalidity);
  d.uidnext = static_cast<std::uint32_t>(s->uidnext);
  d.highest_modseq = static_cast<std::uint64_t>(s->highest_modseq);
  d.messages = states(s->messages);
  d.recent = narrow(s->recent);
  d.vanished = narrow(s->vanished);
  out.mailbox_id = s->id;
  out.result = std::move(d);
  return out;
}

imap::Result done(const Expected<void>& r) {
  if (!r) return failure(r.error());
  return std::monostate{};
}

imap::Result fetch(pqxx::connection& conn, const Context& ctx, const imap::FetchRequest& r) {
  if (r.mark_seen) {
    if (auto seen = store::mark_seen(conn, ctx.mailbox_id, wide(r.uids)); !seen) return failure(seen.error());
  }
  store::FetchItems items;
  items.internal_date = r.needs.internal_date;
  items.size = r.needs.size;
  items.envelope = r.needs.envelope;
  items.body = r.needs.body;
  items.bodystructure = r.needs.bodystructure;
  items.parts = r.needs.parts;
  items.raw = r.needs.raw;
  auto rows = store::fetch_messages(conn, ctx.mailbox_id, wide(r.uids), items);
  if (!rows) return failure(rows.error());
  std::vector<imap::FetchedData> out;
  out.reserve(rows->size());
  for (auto& m : *rows) {
    imap::FetchedData d;
    d.uid = static_cast<std::uint32_t>(m.uid);
    d.internal_date = m.internal_date;
    d.size = static_cast<std::uint64_t>(m.size);
    d.envelope = std::move(m.envelope);
    d.body = std::move(m.body);
    d.bodystructure = std::move(m.bodystructure);
    d.parts = std::move(m.parts);
    if (r.needs.raw) d.raw = std::move(m.raw);
    out.push_back(std::move(d));
  }
  return out;
}

imap::Result store_flags(pqxx::connection& conn, const Context& ctx, const imap::StoreRequest& r) {
  store::FlagChange change;
  switch (r.change.mode) {
    case imap::StoreArgs::Mode::Replace: change.op = store::FlagOp::Replace; break;
    case imap::StoreArgs::Mode::Add: change.op = store::FlagOp::Add; break;
    case imap::StoreArgs::Mode::Remove: change.op = store::FlagOp::Remove; break;
  }
  change.flags = r.change.flags;
  if (r.change.unchanged_since) change.unchanged_since = static_cast<int64_t>(*r.change.unchanged_since);
  auto s = store::store_flags(conn, ctx.mailbox_id, wide(r.uids), change);
  if (!s) return failure(s.error());
  imap::StoredData d;
  d.changed = states(s->changed);
  d.modified = narrow(s->modified);
  d.highest_modseq = static_cast<std::uint64_t>(s->highest_modseq);
  return d;
}

imap::Result expunge(pqxx::connection& conn, const Context& ctx, const imap::ExpungeRequest& r) {
  std::optional<std::vector<int64_t>> within;
  if (r.within) within = wide(*r.within);
  auto e = store::expunge_deleted(conn, ctx.mailbox_id, within);
  if (!e) return failure(e.error());
  return narrow(e->uids);
}

imap::Result copy(pqxx::connection& conn, const Context& ctx, const imap::CopyRequest& r) {
  auto c = r.move ? store::move_messages(conn, ctx.account_id, ctx.mailbox_id, wide(r.uids), r.target)
                  : store::copy_messages(conn, ctx.account_id, ctx.mailbox_id, wide(r.uids), r.target);
  if (!c) return failure(c.error());
  imap::CopiedData d;
  d.uidvalidity = static_cast<std::uint32_t>(c->target_uidvalidity);
  for (auto [from, to] : c->uids) d.uids.emplace_back(static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to));
  return d;
}

imap::Result append(pqxx::connection& conn, const Context& ctx, const imap::AppendRequest& r) {
  store::AppendRequest a;
  a.raw = crlf(r.message);
  auto meta = ingest::describe(a.raw);
  if (!meta) return failure(meta.error());
  a.meta = std::move(*meta);
  a.flags = r.flags;
  a.internal_date = r.internal_date;
  auto done = store::append_message(conn, ctx.account_id, r.mailbox, a);
  if (!done) return failure(done.error());
  return imap::AppendedData{static_cast<std::uint32_t>(done->uidvalidity), static_cast<std::uint32_t>(done->uid)};
}

imap::Result search(pqxx::connection& conn, const Context& ctx, const imap::SearchRequest& r) {
  auto found = store::search_messages(conn, ctx.mailbox_id, to_store_key(r.key, wide(r.recent)));
  if (!found) return failure(found.error());
  return narrow(found->uids);
}

imap::Result changes(pqxx::connection& conn, const Context& ctx, const imap::ChangesRequest& r) {
  std::vector<int64_t> recent;
  if (r.claim_recent) {
    auto claimed = store::claim_recent(conn, ctx.mailbox_id);
    if (!claimed) return failure(claimed.error());
    recent = std::move(*claimed);
  }
  auto c = store::changes_since(conn, ctx.mailbox_id, static_cast<int64_t>(r.since));
  if (!c) return failure(c.error());
  imap::ChangesData d;
  d.uidnext = static_cast<std::uint32_t>(c->uidnext);
  d.highest_modseq = static_cast<std::uint64_t>(c->highest_modseq);
  d.changed = states(c->changed);
  d.vanished = narrow(c->vanished);
  d.recent = narrow(recent);
  return d;
}

imap::Result quota(pqxx::connection& conn, const Context& ctx) {
  auto q = store::account_quota(conn, ctx.account_id);
  if (!q) return failure(q.error());
  imap::QuotaData d;
  d.storage_kib = static_cast<std::uint64_t>(q->storage_kib());
  d.messages = static_cast<std::uint64_t>(q->messages);
  if (q->storage_limit_kib) d.storage_limit_kib = static_cast<std::uint64_t>(*q->storage_limit_kib);
  return d;
}

}  // namespace

Outcome run_request(pqxx::connection& conn, const Context& ctx, const imap::Request& request) {
  auto plain = [](imap::Result r) {
    Outcome o;
    o.result = std::move(r);
    return o;
  };
  return std::visit(
      [&](const auto& r) -> Outcome {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, imap::LoginRequest>) return login(conn, ctx, r);
        else if constexpr (std::is_same_v<T, imap::ListRequest>) return plain(list(conn, ctx));
        else if constexpr (std::is_same_v<T, imap::StatusRequest>) return plain(status(conn, ctx, r));
        else if constexpr (std::is_same_v<T, imap::SelectRequest>) return select(conn, ctx, r);
        else if constexpr (std::is_same_v<T, imap::CreateRequest>)
          return plain(done([&]() -> Expected<void> {
            auto m = store::create_mailbox(conn, ctx.account_id, r.mailbox);
            if (!m) return Unexpected{m.error()};
            return {};
          }()));
        else if constexpr (std::is_same_v<T, imap::DeleteRequest>)
          return plain(done(store::delete_mailbox(conn, ctx.account_id, r.mailbox)));
        else if constexpr (std::is_same_v<T, imap::RenameRequest>)
          return plain(done(store::rename_mailbox(conn, ctx.account_id, r.from, r.to)));
        else if constexpr (std::is_same_v<T, imap::SubscribeRequest>)
          return plain(done(r.subscribe ? store::subscribe_mailbox(conn, ctx.account_id, r.mailbox)
                                        : store::unsubscribe_mailbox(conn, ctx.account_id, r.mailbox)));
        else if constexpr (std::is_same_v<T, imap::FetchRequest>) return plain(fetch(conn, ctx, r));
        else if constexpr (std::is_same_v<T, imap::StoreRequest>) return plain(store_flags(conn, ctx, r));
        else if constexpr (std::is_same_v<T, imap::ExpungeRequest>) return plain(expunge(conn, ctx, r));
        else if constexpr (std::is_same_v<T, imap::CopyRequest>) return plain(copy(conn, ctx, r));
        else if constexpr (std::is_same_v<T, imap::AppendRequest>) return plain(append(conn, ctx, r));
        else if constexpr (std::is_same_v<T, imap::SearchRequest>) return plain(search(conn, ctx, r));
        else if constexpr (std::is_same_v<T, imap::ChangesRequest>) return plain(changes(conn, ctx, r));
        else return plain(quota(conn, ctx));
      },
      request);
}

}  // namespace pillarbox::imapd
