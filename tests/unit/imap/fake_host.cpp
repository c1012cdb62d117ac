// The in-memory host of the IMAP session tests (fake_host.hpp).
#include "fake_host.hpp"

#include <algorithm>

#include "proto/imap/reader.hpp"
#include "proto/mime/message.hpp"
#include "proto/mime/part_json.hpp"

using namespace pillarbox::imap;

namespace imap_test {

namespace {

bool has_flag(const FakeMessage& m, std::string_view f) {
  return std::find(m.flags.begin(), m.flags.end(), f) != m.flags.end();
}

bool contains_ci(std::string_view hay, std::string_view needle) {
  return ascii_upper(hay).find(ascii_upper(needle)) != std::string::npos;
}

bool matches(const SearchKey& k, const FakeMessage& m, std::uint32_t max_uid, const std::vector<std::uint32_t>& recent) {
  using Kd = SearchKey::Kind;
  auto all_children = [&] {
    return std::all_of(k.children.begin(), k.children.end(),
                       [&](const SearchKey& c) { return matches(c, m, max_uid, recent); });
  };
  const bool is_recent = std::find(recent.begin(), recent.end(), m.uid) != recent.end();
  switch (k.kind) {
    case Kd::And: return all_children();
    case Kd::Not: return !all_children();
    case Kd::Or:
      return k.children.size() == 2 &&
             (matches(k.children[0], m, max_uid, recent) || matches(k.children[1], m, max_uid, recent));
    case Kd::All: return true;
    case Kd::Seen: return has_flag(m, "\\Seen");
    case Kd::Unseen: return !has_flag(m, "\\Seen");
    case Kd::Deleted: return has_flag(m, "\\Deleted");
    case Kd::Undeleted: return !has_flag(m, "\\Deleted");
    case Kd::Flagged: return has_flag(m, "\\Flagged");
    case Kd::Unflagged: return !has_flag(m, "\\Flagged");
    case Kd::Answered: return has_flag(m, "\\Answered");
    case Kd::Unanswered: return !has_flag(m, "\\Answered");
    case Kd::Draft: return has_flag(m, "\\Draft");
    case Kd::Undraft: return !has_flag(m, "\\Draft");
    case Kd::Keyword: return has_flag(m, k.text);
    case Kd::Unkeyword: return !has_flag(m, k.text);
    case Kd::Recent: return is_recent;
    case Kd::New: return is_recent && !has_flag(m, "\\Seen");
    case Kd::Old: return !is_recent;
    case Kd::Uid:
    case Kd::SequenceSet: return k.set.contains(m.uid, max_uid);
    case Kd::ModSeq: return m.modseq >= k.number;
    case Kd::Larger: return m.raw.size() > k.number;
    case Kd::Smaller: return m.raw.size() < k.number;
    case Kd::Subject:
    case Kd::From:
    case Kd::To:
    case Kd::Cc:
    case Kd::Bcc:
    case Kd::Body:
    case Kd::Text:
    case Kd::Header: return contains_ci(m.raw, k.text);
    default: return true;
  }
}

}  // namespace

FakeAccount::FakeAccount() {
  mailboxes["INBOX"];
  mailboxes["Sent"].special_use = "\\Sent";
  mailboxes["Trash"].special_use = "\\Trash";
  mailboxes["Work"].subscribed = false;
  mailboxes["Work/Projects"];
}

std::uint32_t FakeAccount::deliver(const std::string& mailbox, const std::string& raw, std::vector<std::string> flags) {
  FakeMailbox& box = mailboxes[mailbox];
  FakeMessage m;
  m.uid = box.uidnext++;
  m.modseq = ++modseq;
  m.flags = std::move(flags);
  m.raw = raw;
  box.messages.push_back(m);
  box.recent.insert(m.uid);
  return m.uid;
}

std::uint64_t FakeAccount::highest_modseq(const FakeMailbox& box) const {
  std::uint64_t h = 1;
  for (const auto& m : box.messages) h = std::max(h, m.modseq);
  for (const auto& e : box.expunged) h = std::max(h, e.second);
  return h;
}

FakeMailbox* FakeHost::selected() {
  auto it = account_.mailboxes.find(selected_);
  return it == account_.mailboxes.end() ? nullptr : &it->second;
}

Result FakeHost::answer(const Request& request) {
  FakeAccount& a = account_;
  if (a.fail_next) {
    a.fail_next = false;
    return Failure{Failure::Kind::Unavailable, ""};
  }
  auto state_of = [](const FakeMessage& m) { return MessageState{m.uid, m.modseq, m.flags}; };
  auto nonexistent = [] { return Failure{Failure::Kind::NonExistent, "Mailbox doesn't exist"}; };
  if (auto* r = std::get_if<LoginRequest>(&request)) {
    if (r->user == a.user && r->password == a.password) return std::monostate{};
    return Failure{Failure::Kind::AuthenticationFailed, ""};
  }
  if (std::holds_alternative<ListRequest>(request)) {
    std::vector<MailboxEntry> out;
    for (const auto& [name, box] : a.mailboxes) {
      MailboxEntry e;
      e.name = name;
      e.special_use = box.special_use;
      e.subscribed = box.subscribed;
      for (const auto& [other, unused] : a.mailboxes) {
        if (other.size() > name.size() && other.compare(0, name.size() + 1, name + "/") == 0) e.has_children = true;
      }
      out.push_back(e);
    }
    return out;
  }
  if (auto* r = std::get_if<StatusRequest>(&request)) {
    auto it = a.mailboxes.find(r->mailbox);
    if (it == a.mailboxes.end()) return nonexistent();
    MailboxStatusData d;
    const FakeMailbox& box = it->second;
    d.messages = static_cast<std::uint32_t>(box.messages.size());
    d.recent = static_cast<std::uint32_t>(box.recent.size());
    for (const auto& m : box.messages) {
      if (!has_flag(m, "\\Seen")) ++d.unseen;
      if (has_flag(m, "\\Deleted")) ++d.deleted;
      d.size += m.raw.size();
    }
    d.uidnext = box.uidnext;
    d.uidvalidity = box.uidvalidity;
    d.highest_modseq = a.highest_modseq(box);
    return d;
  }
  if (auto* r = std::get_if<SelectRequest>(&request)) {
    auto it = a.mailboxes.find(r->mailbox);
    if (it == a.mailboxes.end()) return nonexistent();
    selected_ = r->mailbox;
    FakeMailbox& box = it->second;
    SelectedData d;
    d.name = r->mailbox;
    d.special_use = box.special_use;
    d.uidvalidity = box.uidvalidity;
    d.uidnext = box.uidnext;
    d.highest_modseq = a.highest_modseq(box);
    for (const auto& m : box.messages) d.messages.push_back(state_of(m));
    d.recent.assign(box.recent.begin(), box.recent.end());
    if (!r->read_only) box.recent.clear();
    if (r->vanished_since) {
      for (const auto& [uid, modseq] : box.expunged) {
        if (modseq > *r->vanished_since) d.vanished.push_back(uid);
      }
      std::sort(d.vanished.begin(), d.vanished.end());
    }
    return d;
  }
  if (auto* r = std::get_if<CreateRequest>(&request)) {
    if (a.mailboxes.count(r->mailbox) != 0) return Failure{Failure::Kind::AlreadyExists, "Mailbox already exists"};
    a.mailboxes[r->mailbox];
    return std::monostate{};
  }
  if (auto* r = std::get_if<DeleteRequest>(&request)) {
    if (r->mailbox == "INBOX") return Failure{Failure::Kind::Cannot, "INBOX cannot be deleted"};
    if (a.mailboxes.erase(r->mailbox) == 0) return nonexistent();
    return std::monostate{};
  }
  if (auto* r = std::get_if<RenameRequest>(&request)) {
    auto it = a.mailboxes.find(r->from);
    if (it == a.mailboxes.end()) return nonexistent();
    if (a.mailboxes.count(r->to) != 0) return Failure{Failure::Kind::AlreadyExists, "Mailbox already exists"};
    a.mailboxes[r->to] = it->second;
    a.mailboxes.erase(r->from);
    return std::monostate{};
  }
  if (auto* r = std::get_if<SubscribeRequest>(&request)) {
    auto it = a.mailboxes.find(r->mailbox);
    if (it == a.mailboxes.end()) return nonexistent();
    it->second.subscribed = r->subscribe;
    return std::monostate{};
  }
  if (auto* r = std::get_if<AppendRequest>(&request)) {
    if (a.mailboxes.count(r->mailbox) == 0) return Failure{Failure::Kind::TryCreate, "Mailbox doesn't exist"};
    std::uint32_t uid = a.deliver(r->mailbox, r->message, r->flags);
    return AppendedData{a.mailboxes[r->mailbox].uidvalidity, uid};
  }
  if (std::holds_alternative<QuotaRequest>(request)) {
    QuotaData q;
    for (const auto& [name, box] : a.mailboxes) {
      for (const auto& m : box.messages) {
        q.storage_kib += m.raw.size();
        ++q.messages;
      }
    }
    q.storage_kib = (q.storage_kib + 1023) / 1024;
    q.storage_limit_kib = 1024;
    q.message_limit = 1000;
    return q;
  }
  FakeMailbox* box = selected();
  if (box == nullptr) return Failure{Failure::Kind::Other, "No mailbox selected"};
  auto find = [box](std::uint32_t uid) -> FakeMessage* {
    for (auto& m : box->messages) {
      if (m.uid == uid) return &m;
    }
    return nullptr;
  };
  if (auto* r = std::get_if<FetchRequest>(&request)) {
    std::vector<FetchedData> out;
    for (std::uint32_t uid : r->uids) {
      FakeMessage* m = find(uid);
      if (m == nullptr) continue;
      if (r->mark_seen && !has_flag(*m, "\\Seen")) {
        m->flags.emplace_back("\\Seen");
        m->modseq = ++a.modseq;
      }
      FetchedData d;
      d.uid = uid;
      d.internal_date = m->internal_date;
      d.size = m->raw.size();
      auto parsed = pillarbox::mime::parse(m->raw);
      if (parsed) {
        if (r->needs.envelope) d.envelope = parsed->envelope;
        if (r->needs.body) d.body = parsed->body;
        if (r->needs.bodystructure) d.bodystructure = parsed->bodystructure;
        if (r->needs.parts) d.parts = pillarbox::mime::part_to_json(parsed->root).dump();
      }
      if (r->needs.raw) d.raw = m->raw;
      out.push_back(std::move(d));
    }
    return out;
  }
  if (auto* r = std::get_if<StoreRequest>(&request)) {
    StoredData out;
    for (std::uint32_t uid : r->uids) {
      FakeMessage* m = find(uid);
      if (m == nullptr) continue;
      if (r->change.unchanged_since && m->modseq > *r->change.unchanged_since) {
        out.modified.push_back(uid);
        continue;
      }
      std::vector<std::string> flags = m->flags;
      for (const auto& f : r->change.flags) {
        auto it = std::find(flags.begin(), flags.end(), f);
        if (r->change.mode == StoreArgs::Mode::Add && it == flags.end()) flags.push_back(f);
        if (r->change.mode == StoreArgs::Mode::Remove && it != flags.end()) flags.erase(it);
      }
      if (r->change.mode == StoreArgs::Mode::Replace) flags = r->change.flags;
      if (flags != m->flags) {
        m->flags = flags;
        m->modseq = ++a.modseq;
        out.changed.push_back(state_of(*m));
      }
    }
    out.highest_modseq = a.highest_modseq(*box);
    return out;
  }
  auto expunge = [&](std::uint32_t uid) {
    box->messages.erase(std::remove_if(box->messages.begin(), box->messages.end(),
                                       [uid](const FakeMessage& m) { return m.uid == uid; }),
                        box->messages.end());
    box->expunged.emplace_back(uid, ++a.modseq);
  };
  if (auto* r = std::get_if<ExpungeRequest>(&request)) {
    std::vector<std::uint32_t> gone;
    for (const auto& m : box->messages) {
      if (!has_flag(m, "\\Deleted")) continue;
      if (r->within && std::find(r->within->begin(), r->within->end(), m.uid) == r->within->end()) continue;
      gone.push_back(m.uid);
    }
    for (std::uint32_t uid : gone) expunge(uid);
    return gone;
  }
  if (auto* r = std::get_if<CopyRequest>(&request)) {
    auto target = a.mailboxes.find(r->target);
    if (target == a.mailboxes.end()) return Failure{Failure::Kind::TryCreate, "Mailbox doesn't exist"};
    CopiedData out;
    out.uidvalidity = target->second.uidvalidity;
    for (std::uint32_t uid : r->uids) {
      FakeMessage* m = find(uid);
      if (m == nullptr) continue;
      FakeMessage copy = *m;
      out.uids.emplace_back(uid, a.deliver(r->target, copy.raw, copy.flags));
    }
    box = selected();  // deliver() may have rehashed nothing, but stay safe
    if (r->move) {
      for (auto [src, dst] : out.uids) expunge(src);
    }
    return out;
  }
  if (auto* r = std::get_if<SearchRequest>(&request)) {
    std::vector<std::uint32_t> out;
    const std::uint32_t max_uid = box->messages.empty() ? 0 : box->messages.back().uid;
    for (const auto& m : box->messages) {
      if (matches(r->key, m, max_uid, r->recent)) out.push_back(m.uid);
    }
    return out;
  }
  if (auto* r = std::get_if<ChangesRequest>(&request)) {
    ChangesData out;
    out.uidnext = box->uidnext;
    out.highest_modseq = a.highest_modseq(*box);
    for (const auto& m : box->messages) {
      if (m.modseq > r->since) out.changed.push_back(state_of(m));
    }
    for (const auto& [uid, modseq] : box->expunged) {
      if (modseq > r->since) out.vanished.push_back(uid);
    }
    // As the store does: a read-write session claims what arrived since the
    // last claim, so each message is \Recent in one session only.
    if (r->claim_recent) {
      out.recent.assign(box->recent.begin(), box->recent.end());
      box->recent.clear();
    }
    return out;
  }
  return Failure{Failure::Kind::Other, "Unexpected request"};
}

Player::Player(FakeAccount& account, Options options, Limits limits)
    : session_(std::move(options), limits), host_(account) {}

void Player::start() { run(session_.start()); }

void Player::feed(std::string_view bytes, std::size_t step) {
  if (step == 0) step = bytes.size() + 1;
  for (std::size_t pos = 0; pos < bytes.size(); pos += step) run(session_.on_bytes(bytes.substr(pos, step)));
}

void Player::changed() { run(session_.on_mailbox_changed()); }
void Player::tls_done() { run(session_.on_tls_started()); }
void Player::timeout() { run(session_.on_timeout()); }
void Player::shutdown() { run(session_.shutdown()); }

std::string Player::take() {
  std::string out;
  out.swap(transcript_);
  return out;
}

void Player::run(std::vector<Action> actions) {
  for (std::size_t i = 0; i < actions.size(); ++i) {
    Action& a = actions[i];
    switch (a.kind) {
      case Action::Kind::Write: transcript_ += a.bytes; break;
      case Action::Kind::Close: transcript_ += "#close\n"; break;
      case Action::Kind::StartTls: transcript_ += "#tls\n"; break;
      case Action::Kind::Request: {
        requests.push_back(a.request);
        std::vector<Action> more = session_.on_result(host_.answer(a.request));
        actions.insert(actions.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
        break;
      }
    }
  }
}

std::string lines(std::initializer_list<std::string_view> items) {
  std::string out;
  for (auto item : items) {
    out.append(item);
    out += "\r\n";
  }
  return out;
}

}  // namespace imap_test
