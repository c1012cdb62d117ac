// pillarbox account add|list|show|del|passwd. Passwords come from stdin (or a
// terminal prompt), never from argv; hashing and the password rules are the
// store's. Deleting an account that holds messages needs --delete-messages.
#include "daemons/cli/command.hpp"
#include "daemons/cli/context.hpp"
#include "daemons/cli/output.hpp"
#include "daemons/cli/password_input.hpp"
#include "libcore/store/accounts.hpp"
#include "libcore/store/apop.hpp"
#include "libcore/store/mailboxes.hpp"
#include "libcore/store/validate.hpp"

namespace pillarbox::cli {
namespace {

nlohmann::json to_json(const store::AccountInfo& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"admin", a.admin},
          {"enabled", a.enabled},
          {"has_password", a.has_password},
          {"comment", a.comment},
          {"expires_at", a.expires_at ? nlohmann::json(*a.expires_at) : nlohmann::json(nullptr)},
          {"created_at", a.created_at}};
}

nlohmann::json to_json(const store::MailboxInfo& m) {
  return {{"name", m.name}, {"special_use", m.special_use}, {"messages", m.messages}, {"bytes", m.bytes}};
}

std::vector<std::string> names(const std::vector<store::MailboxInfo>& boxes) {
  std::vector<std::string> out;
  for (const auto& b : boxes) out.push_back(b.name);
  return out;
}

Outcome account_add(Context& ctx, const Args& args) {
  store::NewAccount account;
  account.name = args.positional[0];
  account.admin = args.has("admin");
  account.comment = args.value_or("comment", "");
  if (args.has("password-stdin")) {
    // A bad name fails before anyone types a password for it.
    if (auto ok = store::check_name("account", account.name); !ok) return failed(ok);
    auto password = read_new_password(account.name);
    if (!password) return failed(password);
    account.password = *password;
  }
  auto db = ctx.db();
  if (!db) return failed(db);
  auto created = store::create_account(**db, account);
  if (!created) return failed(created);
  auto boxes = store::list_mailboxes(**db, created->id);
  if (!boxes) return failed(boxes);
  nlohmann::json doc = to_json(*created);
  doc["mailboxes"] = names(*boxes);
  ctx.print(doc, "added account '" + created->name + "'" + (created->admin ? " (administrator)" : "") +
                     " with mailboxes " + join(names(*boxes), ", ") +
                     (created->has_password ? "" : "; no password set (pillarbox account passwd)"));
  return Outcome::ok();
}

Outcome account_list(Context& ctx, const Args&) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto accounts = store::list_accounts(**db);
  if (!accounts) return failed(accounts);
  nlohmann::json doc = nlohmann::json::array();
  Table table({"NAME", "ADMIN", "ENABLED", "PASSWORD", "EXPIRES", "COMMENT"});
  for (const auto& a : *accounts) {
    doc.push_back(to_json(a));
    table.add({a.name, yes_no(a.admin), yes_no(a.enabled), a.has_password ? "set" : "none",
               format_time(a.expires_at), a.comment});
  }
  ctx.print(doc, table.render());
  return Outcome::ok();
}

Outcome account_show(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto account = store::get_account(**db, args.positional[0]);
  if (!account) return failed(account);
  auto boxes = store::list_mailboxes(**db, account->id);
  if (!boxes) return failed(boxes);
  nlohmann::json doc = to_json(*account);
  doc["mailboxes"] = nlohmann::json::array();
  Table table({"MAILBOX", "SPECIAL", "MESSAGES", "BYTES"});
  for (const auto& b : *boxes) {
    doc["mailboxes"].push_back(to_json(b));
    table.add({b.name, or_dash(b.special_use), std::to_string(b.messages), std::to_string(b.bytes)});
  }
  const auto& a = *account;
  std::string text = "account   " + a.name + "\nadmin     " + yes_no(a.admin) + "\nenabled   " + yes_no(a.enabled) +
                     "\npassword  " + (a.has_password ? "set" : "none") + "\nexpires   " + format_time(a.expires_at) +
                     "\ncreated   " + format_time(a.created_at) + "\ncomment   " + or_dash(a.comment) + "\n\n" +
                     table.render();
  ctx.print(doc, text);
  return Outcome::ok();
}

// The number of messages in the account's mailboxes.
Expected<int64_t> message_count(pqxx::connection& conn, const std::string& name) {
  auto account = store::get_account(conn, name);
  if (!account) return Unexpected{account.error()};
  auto boxes = store::list_mailboxes(conn, account->id);
  if (!boxes) return Unexpected{boxes.error()};
  int64_t n = 0;
  for (const auto& b : *boxes) n += b.messages;
  return n;
}

Outcome account_del(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  const std::string& name = args.positional[0];
  const bool delete_messages = args.has("delete-messages");
  if (!delete_messages) {
    // Checked first for a message naming the option; the store refuses too.
    auto count = message_count(**db, name);
    if (!count) return failed(count);
    if (*count > 0) {
      return Outcome::failed("account '" + name + "' still holds " + std::to_string(*count) +
                             (*count == 1 ? " message" : " messages") +
                             "; add --delete-messages to delete them with the account");
    }
  }
  auto done = store::delete_account(**db, name, delete_messages);
  if (!done) return failed(done);
  ctx.print({{"deleted", {{"name", name}}}}, "deleted account '" + name + "'");
  return Outcome::ok();
}

Outcome account_passwd(Context& ctx, const Args& args) {
  const std::string& name = args.positional[0];
  auto db = ctx.db();
  if (!db) return failed(db);
  // Before reading: no point typing a password for an account that is not there.
  if (auto account = store::get_account(**db, name); !account) return failed(account);
  auto password = read_new_password(name);
  if (!password) return failed(password);
  auto done = store::set_password(**db, name, *password);
  if (!done) return failed(done);
  ctx.print({{"name", name}, {"password", "changed"}}, "changed the password of account '" + name + "'");
  return Outcome::ok();
}

// APOP needs the plaintext secret at login, so it is sealed with the server
// key rather than hashed; --off removes it.
Outcome account_apop(Context& ctx, const Args& args) {
  const std::string& name = args.positional[0];
  auto db = ctx.db();
  if (!db) return failed(db);
  if (auto account = store::get_account(**db, name); !account) return failed(account);
  if (args.has("off")) {
    auto done = store::set_apop_secret(**db, name, std::nullopt);
    if (!done) return failed(done);
    ctx.print({{"name", name}, {"apop", false}}, "APOP turned off for account '" + name + "'");
    return Outcome::ok();
  }
  auto key = ctx.server_key();
  if (!key) return failed(key);
  auto secret = read_new_password(name);
  if (!secret) return failed(secret);
  auto done = store::set_apop_secret(**db, name, crypto::seal(*key, *secret));
  if (!done) return failed(done);
  ctx.print({{"name", name}, {"apop", true}}, "set the APOP secret of account '" + name + "'");
  return Outcome::ok();
}

}  // namespace

std::vector<Command> account_commands() {
  return {
      {"account add", {"NAME"}, {{"password-stdin"}, {"admin"}, {"comment", OptionKind::Value}},
       "NAME [--password-stdin] [--admin] [--comment TEXT]",
       "Adds an account with INBOX, Sent, Drafts, Trash and Junk. --password-stdin reads its password\n"
       "from standard input (a terminal is prompted twice); without it, no password login until\n"
       "'pillarbox account passwd NAME'.",
       account_add},
      {"account list", {}, {}, "", "Lists the accounts by name.", account_list},
      {"account show", {"NAME"}, {}, "NAME", "Shows one account and its mailboxes.", account_show},
      {"account del", {"NAME"}, {{"delete-messages"}}, "NAME [--delete-messages]",
       "Deletes an account, its mailboxes, forwarding and aliases. An account still holding\n"
       "messages is refused unless --delete-messages is given.",
       account_del},
      {"account passwd", {"NAME"}, {}, "NAME",
       "Sets the password of an account, read from standard input (at least 5 characters\n"
       "by default, no spaces).",
       account_passwd},
      {"account apop", {"NAME"}, {{"off"}}, "NAME [--off]",
       "Sets the APOP secret of an account, read from standard input, which lets its POP3\n"
       "client log in with APOP. It is stored sealed with the server key. --off removes it.",
       account_apop},
  };
}

}  // namespace pillarbox::cli
