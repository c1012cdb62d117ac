// Accounts: creation with the five default folders, the naming and comment
// rules, duplicates, changes, deletion, and the login check's single error.
#include "tests/unit/store/store_fixture.hpp"

#include <ctime>
#include <set>

#include "libcore/store/accounts.hpp"
#include "libcore/store/delivery.hpp"
#include "libcore/store/lists.hpp"
#include "libcore/store/mailboxes.hpp"
#include "libcore/store/mappings.hpp"
#include "libcore/store/settings.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

AccountInfo make(test::StoreDb& db, const std::string& name, std::optional<std::string> password = std::nullopt) {
  NewAccount a;
  a.name = name;
  a.password = std::move(password);
  auto made = create_account(db.conn, a);
  if (!made) FAIL(made.error().describe());
  return *made;
}

}  // namespace

TEST_CASE("creating an account makes INBOX and the four special folders", "[store][accounts][db]") {
  test::StoreDb db;
  NewAccount a;
  a.name = "joe";
  a.admin = true;
  a.comment = "Joe Bloggs";
  auto made = create_account(db.conn, a);
  REQUIRE(made.ok());
  CHECK(made->name == "joe");
  CHECK(made->admin);
  CHECK(made->enabled);
  CHECK_FALSE(made->has_password);
  CHECK(made->comment == "Joe Bloggs");
  CHECK_FALSE(made->expires_at.has_value());

  auto boxes = list_mailboxes(db.conn, made->id);
  REQUIRE(boxes.ok());
  REQUIRE(boxes->size() == 5);
  CHECK(boxes->at(0).name == "INBOX");
  CHECK(boxes->at(0).special_use.empty());
  std::set<std::pair<std::string, std::string>> rest;
  std::set<int64_t> validities;
  for (const auto& b : *boxes) {
    if (b.name != "INBOX") rest.emplace(b.name, b.special_use);
    validities.insert(b.uidvalidity);
    CHECK(b.uidnext == 1);
    CHECK(b.messages == 0);
  }
  CHECK(rest == std::set<std::pair<std::string, std::string>>{
                    {"Drafts", "\\Drafts"}, {"Junk", "\\Junk"}, {"Sent", "\\Sent"}, {"Trash", "\\Trash"}});
  CHECK(validities.size() == 5);  // every mailbox its own UIDVALIDITY
  CHECK(*validities.begin() > 1600000000);
}

TEST_CASE("an invalid account name is InvalidInput with the rule in the message", "[store][accounts][db]") {
  test::StoreDb db;
  NewAccount a;
  a.name = "a b";
  auto r = create_account(db.conn, a);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::InvalidInput);
  CHECK(r.error().message == "invalid account name 'a b': use 1-32 letters, digits, '.', '_' or '-'");
  a.name = std::string(33, 'x');
  CHECK(create_account(db.conn, a).error().code == ErrorCode::InvalidInput);
  CHECK(db.count("accounts") == 0);
  CHECK(db.count("mailboxes") == 0);
}

TEST_CASE("a duplicate account is AlreadyExists ignoring case", "[store][accounts][db]") {
  test::StoreDb db;
  make(db, "Joe");
  NewAccount a;
  a.name = "joe";
  auto r = create_account(db.conn, a);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::AlreadyExists);
  CHECK(r.error().message == "account 'joe' already exists");
  CHECK(db.count("accounts") == 1);
}

TEST_CASE("an account named like a list is AlreadyExists", "[store][accounts][db]") {
  test::StoreDb db;
  NewList l;
  l.name = "sales";
  REQUIRE(create_list(db.conn, l).ok());
  NewAccount a;
  a.name = "Sales";
  auto r = create_account(db.conn, a);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::AlreadyExists);
  CHECK(r.error().message == "'Sales' is already the name of a list");
}

TEST_CASE("the schema refuses an account named like a list even by hand", "[store][accounts][db]") {
  test::StoreDb db;
  db.value("INSERT INTO lists (name) VALUES ('team') RETURNING id");
  CHECK_THROWS(db.value("INSERT INTO accounts (name) VALUES ('TEAM') RETURNING id"));
}

TEST_CASE("a comment over 80 characters is InvalidInput", "[store][accounts][db]") {
  test::StoreDb db;
  NewAccount a;
  a.name = "joe";
  a.comment = std::string(81, 'c');
  auto r = create_account(db.conn, a);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::InvalidInput);
  CHECK(r.error().message == "comment too long: 81 characters, at most 80");
  a.comment = std::string(80, 'c');
  CHECK(create_account(db.conn, a).ok());
}

TEST_CASE("passwords must follow the rules and the minimum length setting", "[store][accounts][db]") {
  test::StoreDb db;
  NewAccount a;
  a.name = "joe";
  a.password = "abcd";
  auto r = create_account(db.conn, a);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::InvalidInput);
  CHECK(r.error().message == "invalid password: use at least 5 characters and no spaces");
  a.password = "has space";
  CHECK(create_account(db.conn, a).error().code == ErrorCode::InvalidInput);
  REQUIRE(set_setting(db.conn, "auth.password_min_length", "3").ok());
  a.password = "abc";
  REQUIRE(create_account(db.conn, a).ok());
  CHECK(db.value("SELECT left(password_hash, 10) FROM accounts") == "$argon2id$");
}

TEST_CASE("verify_login gives one error for unknown user and wrong password", "[store][accounts][db]") {
  test::StoreDb db;
  const auto joe = make(db, "joe", "s3cret!");
  make(db, "nopass");

  auto ok = verify_login(db.conn, "joe", "s3cret!");
  REQUIRE(ok.ok());
  CHECK(*ok == joe.id);
  auto caseless = verify_login(db.conn, "JOE", "s3cret!");
  REQUIRE(caseless.ok());
  CHECK(*caseless == joe.id);

  auto wrong = verify_login(db.conn, "joe", "s3cret");
  auto unknown = verify_login(db.conn, "nobody", "s3cret!");
  auto nopass = verify_login(db.conn, "nopass", "");
  for (const auto* r : {&wrong, &unknown, &nopass}) {
    REQUIRE_FALSE(r->ok());
    CHECK(r->error().code == ErrorCode::PermissionDenied);
    CHECK(r->error().message == "invalid login or password");
  }
  CHECK(wrong.error().context != unknown.error().context);  // the log may tell them apart
}

TEST_CASE("disabled and expired accounts cannot log in", "[store][accounts][db]") {
  test::StoreDb db;
  make(db, "joe", "s3cret!");
  AccountChanges off;
  off.enabled = false;
  REQUIRE(update_account(db.conn, "joe", off).ok());
  CHECK(verify_login(db.conn, "joe", "s3cret!").error().code == ErrorCode::PermissionDenied);

  AccountChanges on_but_expired;
  on_but_expired.enabled = true;
  on_but_expired.expires_at = std::optional<int64_t>(std::time(nullptr) - 60);
  REQUIRE(update_account(db.conn, "joe", on_but_expired).ok());
  CHECK(verify_login(db.conn, "joe", "s3cret!").error().message == "invalid login or password");

  AccountChanges never;
  never.expires_at = std::optional<int64_t>{};
  REQUIRE(update_account(db.conn, "joe", never).ok());
  CHECK(verify_login(db.conn, "joe", "s3cret!").ok());
}

TEST_CASE("accounts are read listed and changed", "[store][accounts][db]") {
  test::StoreDb db;
  make(db, "zoe");
  make(db, "adam");
  AccountChanges c;
  c.comment = "Adam A.";
  c.admin = true;
  c.expires_at = std::optional<int64_t>(4102444800);  // 2100-01-01
  REQUIRE(update_account(db.conn, "ADAM", c).ok());
  auto adam = get_account(db.conn, "adam");
  REQUIRE(adam.ok());
  CHECK(adam->comment == "Adam A.");
  CHECK(adam->admin);
  CHECK(adam->expires_at == std::optional<int64_t>(4102444800));
  auto all = list_accounts(db.conn);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK(all->at(0).name == "adam");
  CHECK(get_account(db.conn, "nobody").error().code == ErrorCode::NotFound);
  CHECK(update_account(db.conn, "nobody", c).error().code == ErrorCode::NotFound);
}

TEST_CASE("set_password replaces and removes the password", "[store][accounts][db]") {
  test::StoreDb db;
  make(db, "joe", "first1");
  REQUIRE(set_password(db.conn, "joe", std::string("second2")).ok());
  CHECK_FALSE(verify_login(db.conn, "joe", "first1").ok());
  CHECK(verify_login(db.conn, "joe", "second2").ok());
  CHECK(set_password(db.conn, "joe", std::string("x y z w v")).error().code == ErrorCode::InvalidInput);
  REQUIRE(set_password(db.conn, "joe", std::nullopt).ok());
  CHECK_FALSE(verify_login(db.conn, "joe", "second2").ok());
  CHECK(set_password(db.conn, "nobody", std::string("second2")).error().code == ErrorCode::NotFound);
}

TEST_CASE("deleting an account with messages needs the explicit flag", "[store][accounts][db]") {
  test::StoreDb db;
  const auto joe = make(db, "joe");
  make(db, "kate");
  route::Mapping alias;
  alias.pattern = "sales";
  alias.target = "joe";
  REQUIRE(add_mapping(db.conn, alias).ok());
  Delivery d;
  d.raw = "Subject: hi\r\n\r\nhello\r\n";
  d.local_accounts = {joe.id};
  REQUIRE(deliver(db.conn, d).ok());

  auto refused = delete_account(db.conn, "joe", false);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::InUse);
  CHECK(refused.error().message == "account 'joe' holds 1 messages: confirm to delete them too");
  REQUIRE(delete_account(db.conn, "joe", true).ok());
  CHECK(db.count("accounts") == 1);
  CHECK(db.count("mailboxes") == 5);
  CHECK(db.count("mailbox_messages") == 0);
  CHECK(db.count("mappings") == 0);  // its aliases went with it
  REQUIRE(delete_account(db.conn, "kate", false).ok());  // empty: no flag needed
  CHECK(delete_account(db.conn, "kate", false).error().code == ErrorCode::NotFound);
}
