// Changes to configuration tables made through the store reach LISTENers of
// channel pillarbox_config at commit; mail traffic does not.
#include "tests/unit/store/store_fixture.hpp"

#include <chrono>

#include <pqxx/notification>

#include "libcore/store/accounts.hpp"
#include "libcore/store/delivery.hpp"
#include "libcore/store/mappings.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

class Listener : public pqxx::notification_receiver {
 public:
  explicit Listener(pqxx::connection_base& c) : pqxx::notification_receiver(c, "pillarbox_config") {}
  void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
  std::vector<std::string> payloads;
};

// Waits (at most 5 s) for a payload naming `table`; drops what came before it.
bool heard(pqxx::connection& conn, Listener& l, const std::string& table) {
  const std::string wanted = "\"table\" : \"" + table + "\"";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    for (std::size_t i = 0; i < l.payloads.size(); ++i) {
      if (l.payloads[i].find(wanted) != std::string::npos) {
        l.payloads.erase(l.payloads.begin(), l.payloads.begin() + static_cast<long>(i) + 1);
        return true;
      }
    }
    conn.await_notification(0, 100000);
  }
  return false;
}

}  // namespace

TEST_CASE("account and mapping changes fire the pillarbox_config NOTIFY", "[store][notify][db]") {
  test::StoreDb db;
  pqxx::connection listen_conn{db.conninfo};
  Listener listener{listen_conn};
  listen_conn.get_notifs();  // makes the LISTEN effective before the changes

  NewAccount a;
  a.name = "joe";
  auto joe = create_account(db.conn, a);
  REQUIRE(joe.ok());
  CHECK(heard(listen_conn, listener, "accounts"));

  route::Mapping m;
  m.pattern = "sales";
  m.target = "joe";
  REQUIRE(add_mapping(db.conn, m).ok());
  CHECK(heard(listen_conn, listener, "mappings"));

  AccountChanges c;
  c.comment = "changed";
  REQUIRE(update_account(db.conn, "joe", c).ok());
  CHECK(heard(listen_conn, listener, "accounts"));

  // Delivering mail is not a configuration change.
  Delivery d;
  d.raw = "Subject: x\r\n\r\nx\r\n";
  d.local_accounts = {joe->id};
  REQUIRE(deliver(db.conn, d).ok());
  listen_conn.await_notification(0, 200000);
  CHECK(listener.payloads.empty());
}
