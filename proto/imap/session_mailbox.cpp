// Commands on mailboxes as a whole (RFC 3501 §6.3: CREATE, DELETE, RENAME,
// SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, STATUS, APPEND; RFC 5258/6154 LIST
// selection and return options; RFC 2342 NAMESPACE; RFC 9208 QUOTA). Names
// arrive in modified UTF-7 and go to the host as UTF-8; LIST matching is
// done here over the host's full list.
#include <algorithm>
#include <set>

#include "proto/imap/list_match.hpp"
#include "proto/imap/mutf7.hpp"
#include "proto/imap/session.hpp"

namespace pillarbox::imap {

namespace {

std::string status_items(const std::vector<StatusItem>& items, const MailboxStatusData& d) {
  std::string out;
  auto add = [&out](std::string_view name, std::uint64_t value) {
    if (!out.empty()) out += ' ';
    out.append(name);
    out += ' ' + std::to_string(value);
  };
  for (StatusItem item : items) {
    switch (item) {
      case StatusItem::Messages: add("MESSAGES", d.messages); break;
      case StatusItem::Recent: add("RECENT", d.recent); break;
      case StatusItem::UidNext: add("UIDNEXT", d.uidnext); break;
      case StatusItem::UidValidity: add("UIDVALIDITY", d.uidvalidity); break;
      case StatusItem::Unseen: add("UNSEEN", d.unseen); break;
      case StatusItem::HighestModSeq: add("HIGHESTMODSEQ", d.highest_modseq); break;
      case StatusItem::Size: add("SIZE", d.size); break;
      case StatusItem::Deleted: add("DELETED", d.deleted); break;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> Session::mailbox_name(std::string_view tag, std::string_view wire) {
  Expected<std::string> name = decode_mutf7(wire);
  if (!name) {
    bad(tag, name.error().message);
    return std::nullopt;
  }
  std::string out = std::move(*name);
  // RFC 3501 §6.3.3: a trailing delimiter only says a child may follow.
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

void Session::simple_request(const Command& cmd, Request request, std::string done) {
  ask(std::move(request), [this, tag = cmd.tag, done = std::move(done)](Result& r) {
    if (std::holds_alternative<std::monostate>(r)) return finish(tag, done);
    failed(tag, r);
  });
}

void Session::do_create(const Command& cmd) {
  auto name = mailbox_name(cmd.tag, cmd.as<MailboxArgs>().name);
  if (name) simple_request(cmd, CreateRequest{*name}, "Create completed");
}

void Session::do_delete(const Command& cmd) {
  auto name = mailbox_name(cmd.tag, cmd.as<MailboxArgs>().name);
  if (name) simple_request(cmd, DeleteRequest{*name}, "Delete completed");
}

void Session::do_rename(const Command& cmd) {
  const auto& args = cmd.as<RenameArgs>();
  auto from = mailbox_name(cmd.tag, args.from);
  if (!from) return;
  auto to = mailbox_name(cmd.tag, args.to);
  if (to) simple_request(cmd, RenameRequest{*from, *to}, "Rename completed");
}

void Session::do_subscribe(const Command& cmd) {
  auto name = mailbox_name(cmd.tag, cmd.as<MailboxArgs>().name);
  if (!name) return;
  const bool subscribe = cmd.verb == Verb::Subscribe;
  simple_request(cmd, SubscribeRequest{*name, subscribe}, subscribe ? "Subscribe completed" : "Unsubscribe completed");
}

void Session::do_list(const Command& cmd) {
  ListArgs args = cmd.as<ListArgs>();
  const bool lsub = cmd.verb == Verb::Lsub;
  const std::string verb = lsub ? "LSUB" : "LIST";
  // RFC 3501 §6.3.8: an empty pattern asks for the delimiter only.
  if (!args.extended && args.patterns.size() == 1 && args.patterns[0].empty()) {
    write("* " + verb + " (\\Noselect) \"/\" \"\"\r\n");
    return finish(cmd.tag, verb + " completed");
  }
  std::vector<std::string> patterns;
  auto reference = decode_mutf7(args.reference);
  if (!reference) return bad(cmd.tag, reference.error().message);
  for (const std::string& p : args.patterns) {
    auto pattern = decode_mutf7(p);
    if (!pattern) return bad(cmd.tag, pattern.error().message);
    patterns.push_back(list_pattern(*reference, *pattern));
  }
  ask(ListRequest{}, [this, tag = cmd.tag, verb, lsub, args, patterns](Result& r) {
    auto* entries = std::get_if<std::vector<MailboxEntry>>(&r);
    if (entries == nullptr) return failed(tag, r);
    const bool subscribed_only = lsub || args.select_subscribed;
    const bool show_subscribed = !lsub && (args.select_subscribed || args.return_subscribed);
    for (const MailboxEntry& e : *entries) {
      if (subscribed_only && !e.subscribed) continue;
      if (args.select_special_use && e.special_use.empty()) continue;
      if (std::none_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return list_matches(p, e.name); })) {
        continue;
      }
      std::vector<std::string> attrs;
      if (e.noselect) attrs.emplace_back("\\Noselect");
      if (!lsub) attrs.emplace_back(e.has_children ? "\\HasChildren" : "\\HasNoChildren");
      if (show_subscribed && e.subscribed) attrs.emplace_back("\\Subscribed");
      if (!lsub && !e.special_use.empty()) attrs.push_back(e.special_use);
      std::string line = "* " + verb + " ";
      append_flag_list(line, attrs);
      line += " \"/\" ";
      append_mailbox(line, e.name);
      write(line + "\r\n");
    }
    if (lsub) lsub_parents(*entries, patterns, verb);
    finish(tag, verb + " completed");
  });
}

// RFC 3501 §6.3.9: when "%" stops at a level that is not subscribed itself but
// holds subscribed mailboxes below it, that level is listed with \Noselect.
void Session::lsub_parents(const std::vector<MailboxEntry>& entries, const std::vector<std::string>& patterns,
                           const std::string& verb) {
  std::set<std::string> subscribed, shown;
  for (const MailboxEntry& e : entries)
    if (e.subscribed) subscribed.insert(e.name);
  for (const std::string& name : subscribed) {
    for (auto slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1)) {
      std::string parent = name.substr(0, slash);
      if (subscribed.count(parent) || shown.count(parent)) continue;
      bool listed = std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
        return list_matches(p, parent) && !list_matches(p, name);
      });
      if (!listed) continue;
      shown.insert(parent);
      std::string line = "* " + verb + " (\\Noselect) \"/\" ";
      append_mailbox(line, parent);
      write(line + "\r\n");
    }
  }
}

void Session::do_status(const Command& cmd) {
  const auto& args = cmd.as<StatusArgs>();
  auto name = mailbox_name(cmd.tag, args.mailbox);
  if (!name) return;
  // RFC 7162 §3.1: STATUS (HIGHESTMODSEQ) turns CONDSTORE on.
  if (std::find(args.items.begin(), args.items.end(), StatusItem::HighestModSeq) != args.items.end()) {
    condstore_ = true;
  }
  ask(StatusRequest{*name}, [this, tag = cmd.tag, items = args.items, mailbox = *name](Result& r) {
    auto* data = std::get_if<MailboxStatusData>(&r);
    if (data == nullptr) return failed(tag, r);
    std::string line = "* STATUS ";
    append_mailbox(line, mailbox);
    write(line + " (" + status_items(items, *data) + ")\r\n");
    finish(tag, "Status completed");
  });
}

void Session::do_namespace(const Command& cmd) {
  write("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n");
  finish(cmd.tag, "Namespace completed");
}

void Session::do_getquota(const Command& cmd) {
  const std::string& name = cmd.as<MailboxArgs>().name;
  std::optional<std::string> mailbox;
  if (cmd.verb == Verb::GetQuotaRoot) {
    mailbox = mailbox_name(cmd.tag, name);
    if (!mailbox) return;
  } else if (!name.empty()) {
    return no(cmd.tag, "No such quota root", ResponseCode::nonexistent());
  }
  ask(QuotaRequest{}, [this, tag = cmd.tag, mailbox](Result& r) {
    auto* q = std::get_if<QuotaData>(&r);
    if (q == nullptr) return failed(tag, r);
    if (mailbox) {
      std::string line = "* QUOTAROOT ";
      append_mailbox(line, *mailbox);
      write(line + " \"\"\r\n");
    }
    std::string resources;
    if (q->storage_limit_kib) {
      resources += "STORAGE " + std::to_string(q->storage_kib) + " " + std::to_string(*q->storage_limit_kib);
    }
    if (q->message_limit) {
      if (!resources.empty()) resources += ' ';
      resources += "MESSAGE " + std::to_string(q->messages) + " " + std::to_string(*q->message_limit);
    }
    write("* QUOTA \"\" (" + resources + ")\r\n");
    finish(tag, "Getquota completed");
  });
}

void Session::do_setquota(const Command& cmd) {
  no(cmd.tag, "Quotas are set by the administrator", ResponseCode::no_perm());
}

void Session::do_append(const Command& cmd) {
  const auto& args = cmd.as<AppendArgs>();
  auto name = mailbox_name(cmd.tag, args.mailbox);
  if (!name) return;
  AppendRequest request;
  request.mailbox = *name;
  request.message = args.message;
  for (const std::string& f : args.flags) {
    if (f != "\\Recent" && std::find(request.flags.begin(), request.flags.end(), f) == request.flags.end()) {
      request.flags.push_back(f);
    }
  }
  if (args.internal_date) request.internal_date = to_unix_time(*args.internal_date);
  ask(std::move(request), [this, tag = cmd.tag, mailbox = *name](Result& r) {
    auto* data = std::get_if<AppendedData>(&r);
    if (data == nullptr) return failed(tag, r);
    if (view_ && view_->name() == mailbox) changed_ = true;  // the client hears EXISTS now
    finish(tag, "Append completed", ResponseCode::append_uid(data->uidvalidity, data->uid));
  });
}

}  // namespace pillarbox::imap
