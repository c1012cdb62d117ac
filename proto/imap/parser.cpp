// IMAP command dispatch and the small commands (parser.hpp). The larger
// families live in parse_fetch.cpp, parse_store.cpp, parse_search.cpp and
// parse_mailbox.cpp.
#include "proto/imap/parser.hpp"

#include "proto/imap/framer.hpp"
#include "proto/imap/parse_parts.hpp"

namespace pillarbox::imap {

namespace {

using detail::bad;

struct VerbName {
  std::string_view name;
  Verb verb;
  bool uid;  // may follow "UID"
};

constexpr VerbName kVerbs[] = {
    {"CAPABILITY", Verb::Capability, false}, {"NOOP", Verb::Noop, false},
    {"LOGOUT", Verb::Logout, false},         {"STARTTLS", Verb::StartTls, false},
    {"AUTHENTICATE", Verb::Authenticate, false}, {"LOGIN", Verb::Login, false},
    {"SELECT", Verb::Select, false},         {"EXAMINE", Verb::Examine, false},
    {"CREATE", Verb::Create, false},         {"DELETE", Verb::Delete, false},
    {"RENAME", Verb::Rename, false},         {"SUBSCRIBE", Verb::Subscribe, false},
    {"UNSUBSCRIBE", Verb::Unsubscribe, false}, {"LIST", Verb::List, false},
    {"LSUB", Verb::Lsub, false},             {"STATUS", Verb::Status, false},
    {"APPEND", Verb::Append, false},         {"NAMESPACE", Verb::Namespace, false},
    {"ENABLE", Verb::Enable, false},         {"ID", Verb::Id, false},
    {"GETQUOTA", Verb::GetQuota, false},     {"GETQUOTAROOT", Verb::GetQuotaRoot, false},
    {"SETQUOTA", Verb::SetQuota, false},     {"IDLE", Verb::Idle, false},
    {"CHECK", Verb::Check, false},           {"CLOSE", Verb::Close, false},
    {"UNSELECT", Verb::Unselect, false},     {"EXPUNGE", Verb::Expunge, true},
    {"SEARCH", Verb::Search, true},          {"FETCH", Verb::Fetch, true},
    {"STORE", Verb::Store, true},            {"COPY", Verb::Copy, true},
    {"MOVE", Verb::Move, true},
};

const VerbName* find_verb(std::string_view upper) {
  for (const VerbName& v : kVerbs) {
    if (v.name == upper) return &v;
  }
  return nullptr;
}

Expected<AuthenticateArgs> authenticate_args(Reader& r) {
  AuthenticateArgs a;
  IMAP_TRY(mech, r.atom());
  a.mechanism = ascii_upper(mech);
  if (r.at_end()) return a;
  IMAP_CHECK(r.space());
  // initial-response: base64 or "=" (RFC 4959 §3).
  std::size_t start = r.position();
  std::string ir;
  while (!r.at_end()) {
    char c = r.peek();
    bool b64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!b64 && c != '=') return bad("Invalid initial response");
    ir += c;
    r.accept(c);
  }
  if (r.position() == start) return bad("Missing argument");
  a.initial_response = std::move(ir);
  return a;
}

Expected<IdArgs> id_args(Reader& r) {
  IdArgs a;
  if (r.accept_word("NIL")) return a;
  IMAP_CHECK(r.expect('('));
  a.fields.emplace();
  if (r.accept(')')) return a;  // RFC 2971 forbids "()", but it harms no one
  while (true) {
    IMAP_TRY(name, r.string());
    IMAP_CHECK(r.space());
    IMAP_TRY(value, r.nstring());
    a.fields->emplace_back(std::move(name), std::move(value));
    if (r.accept(')')) return a;
    if (r.at_end()) return bad("Unbalanced parentheses");
    IMAP_CHECK(r.space());
  }
}

Expected<EnableArgs> enable_args(Reader& r) {
  EnableArgs a;
  while (true) {
    IMAP_TRY(cap, r.atom());
    a.capabilities.push_back(ascii_upper(cap));
    if (r.at_end()) return a;
    IMAP_CHECK(r.space());
  }
}

Expected<SetQuotaArgs> setquota_args(Reader& r) {
  SetQuotaArgs a;
  IMAP_TRY(root, r.astring());
  a.root = std::move(root);
  IMAP_CHECK(r.space());
  IMAP_CHECK(r.expect('('));
  if (r.accept(')')) return a;
  while (true) {
    IMAP_TRY(resource, r.atom());
    IMAP_CHECK(r.space());
    IMAP_TRY(limit, r.number64());
    a.limits.emplace_back(ascii_upper(resource), limit);
    if (r.accept(')')) return a;
    if (r.at_end()) return bad("Unbalanced parentheses");
    IMAP_CHECK(r.space());
  }
}

Expected<CopyArgs> copy_args(Reader& r) {
  CopyArgs a;
  IMAP_TRY(set, r.sequence_set());
  a.set = std::move(set);
  IMAP_CHECK(r.space());
  IMAP_TRY(mailbox, r.mailbox());
  a.mailbox = std::move(mailbox);
  return a;
}

template <class T>
Expected<CommandArgs> wrap(Expected<T> value) {
  if (!value) return Unexpected{value.error()};
  return CommandArgs(std::move(*value));
}

// The arguments of `verb`, the reader just after the command name. Commands
// without arguments must end there.
Expected<CommandArgs> arguments(Verb verb, bool uid, Reader& r) {
  switch (verb) {
    case Verb::Capability: case Verb::Noop: case Verb::Logout: case Verb::StartTls: case Verb::Namespace:
    case Verb::Idle: case Verb::Check: case Verb::Close: case Verb::Unselect:
      IMAP_CHECK(r.end());
      return CommandArgs();
    case Verb::Expunge:
      if (!uid) {
        IMAP_CHECK(r.end());
        return CommandArgs();
      }
      break;
    default:
      break;
  }
  IMAP_CHECK(r.space());
  switch (verb) {
    case Verb::Login: {
      LoginArgs a;
      IMAP_TRY(user, r.astring());
      IMAP_CHECK(r.space());
      IMAP_TRY(password, r.astring());
      a.user = std::move(user);
      a.password = std::move(password);
      return CommandArgs(std::move(a));
    }
    case Verb::Authenticate: return wrap(authenticate_args(r));
    case Verb::Create: case Verb::Delete: case Verb::Subscribe: case Verb::Unsubscribe: case Verb::GetQuotaRoot: {
      IMAP_TRY(name, r.mailbox());
      return CommandArgs(MailboxArgs{std::move(name)});
    }
    case Verb::GetQuota: {
      IMAP_TRY(root, r.astring());
      return CommandArgs(MailboxArgs{std::move(root)});
    }
    case Verb::Rename: {
      RenameArgs a;
      IMAP_TRY(from, r.mailbox());
      IMAP_CHECK(r.space());
      IMAP_TRY(to, r.mailbox());
      a.from = std::move(from);
      a.to = std::move(to);
      return CommandArgs(std::move(a));
    }
    case Verb::Select: case Verb::Examine: return wrap(detail::parse_select_args(r));
    case Verb::List: return wrap(detail::parse_list_args(r, false));
    case Verb::Lsub: return wrap(detail::parse_list_args(r, true));
    case Verb::Status: return wrap(detail::parse_status_args(r));
    case Verb::Append: return wrap(detail::parse_append_args(r));
    case Verb::Enable: return wrap(enable_args(r));
    case Verb::Id: return wrap(id_args(r));
    case Verb::SetQuota: return wrap(setquota_args(r));
    case Verb::Expunge: {
      IMAP_TRY(set, r.sequence_set());
      return CommandArgs(UidSetArgs{std::move(set)});
    }
    case Verb::Search: return wrap(detail::parse_search_args(r));
    case Verb::Fetch: return wrap(detail::parse_fetch_args(r, uid));
    case Verb::Store: return wrap(detail::parse_store_args(r));
    case Verb::Copy: case Verb::Move: return wrap(copy_args(r));
    default:
      return bad("Unknown command");
  }
}

}  // namespace

Expected<Command> parse_command(std::string_view text) {
  Command cmd;
  std::string_view tag = command_tag(text);
  if (tag.empty()) return bad(text.empty() || text[0] == ' ' ? "Missing tag" : "Invalid tag");
  cmd.tag = std::string(tag);
  Reader r(text.substr(tag.size()));
  if (!r.accept(' ') || r.at_end()) return bad("Missing command");
  auto word = r.atom();
  if (!word) return bad("Invalid command");
  cmd.name = ascii_upper(*word);
  if (cmd.name == "UID") {
    cmd.uid = true;
    if (!r.accept(' ') || r.at_end()) return bad("Missing command");
    auto sub = r.atom();
    if (!sub) return bad("Invalid command");
    cmd.name = ascii_upper(*sub);
  }
  const VerbName* v = find_verb(cmd.name);
  if (v == nullptr || (cmd.uid && !v->uid)) return bad("Unknown command");
  cmd.verb = v->verb;
  auto args = arguments(cmd.verb, cmd.uid, r);
  if (!args) return Unexpected{args.error()};
  // The families read as far as their grammar goes; anything left is extra.
  if (!r.at_end()) return bad("Unexpected extra arguments");
  cmd.args = std::move(*args);
  return cmd;
}

}  // namespace pillarbox::imap
