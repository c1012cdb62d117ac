// Outgoing routes and relays against a real database: create with relays,
// order and renumbering, edits, the input rules with their exact messages,
// sealed passwords kept as given, what senderd loads, and the NOTIFY that
// makes daemons reload. The pure helpers (relay addresses) are tested too.
#include "tests/unit/store/store_fixture.hpp"

#include <chrono>

#include <pqxx/notification>

#include "libcore/store/outgoing_routes.hpp"

using namespace pillarbox;
using namespace pillarbox::store;
using route::OutgoingMethod;
using route::OutgoingRelay;
using route::OutgoingRoute;
using route::RelayTls;

namespace {

OutgoingRelay relay(const std::string& host, int port = 25, RelayTls tls = RelayTls::Opportunistic) {
  OutgoingRelay l;
  l.host = host;
  l.port = port;
  l.tls = tls;
  return l;
}

OutgoingRelay auth_relay(const std::string& host, const std::string& user, const std::string& sealed) {
  OutgoingRelay l = relay(host, 587, RelayTls::StartTls);
  l.auth_user = user;
  l.sealed_password = sealed;
  return l;
}

OutgoingRoute relay_route(const std::string& name, std::vector<OutgoingRelay> relays, int position = 0) {
  OutgoingRoute r;
  r.name = name;
  r.method = OutgoingMethod::Relay;
  r.relays = std::move(relays);
  r.position = position;
  return r;
}

OutgoingRoute mx_route(const std::string& name, int position = 0) {
  OutgoingRoute r;
  r.name = name;
  r.method = OutgoingMethod::Mx;
  r.position = position;
  return r;
}

// The route names by position, checking that positions are 1..n.
std::vector<std::string> names(test::StoreDb& db) {
  auto routes = list_outgoing_routes(db.conn);
  REQUIRE(routes.ok());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < routes->size(); ++i) {
    CHECK(routes->at(i).position == static_cast<int>(i) + 1);
    out.push_back(routes->at(i).name);
  }
  return out;
}

// The relays of `route` as host:port by position, checking positions 1..n.
std::vector<std::string> relays_of(test::StoreDb& db, const std::string& route) {
  auto r = get_outgoing_route(db.conn, route);
  REQUIRE(r.ok());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r->relays.size(); ++i) {
    CHECK(r->relays[i].position == static_cast<int>(i) + 1);
    out.push_back(format_relay_address(r->relays[i].host, r->relays[i].port));
  }
  return out;
}

template <class T>
std::string error_of(const Expected<T>& result) {
  return result.ok() ? "(no error)" : result.error().message;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("a relay route keeps every field, its relays and the sealed password", "[store][outgoing][db]") {
  test::StoreDb db;
  OutgoingRoute r = relay_route("Sales", {auth_relay("smtp.example.net", "sales-user", "v1:c2VhbGVk"),
                                          relay("192.0.2.7", 2525, RelayTls::None), relay("2001:db8::25")});
  r.sender_pattern = "*@sales.example.com";
  r.domain_pattern = "*.example.org";
  auto stored = create_outgoing_route(db.conn, r);
  REQUIRE(stored.ok());
  CHECK(stored->id > 0);
  CHECK(stored->position == 1);
  CHECK(stored->created_at > 0);

  auto got = get_outgoing_route(db.conn, "SALES");
  REQUIRE(got.ok());
  CHECK(got->name == "Sales");
  CHECK(got->sender_pattern == "*@sales.example.com");
  CHECK(got->domain_pattern == "*.example.org");
  CHECK(got->method == OutgoingMethod::Relay);
  CHECK(got->enabled);
  REQUIRE(got->relays.size() == 3);
  CHECK(got->relays[0].host == "smtp.example.net");
  CHECK(got->relays[0].port == 587);
  CHECK(got->relays[0].tls == RelayTls::StartTls);
  CHECK(got->relays[0].auth_user == "sales-user");
  CHECK(got->relays[0].sealed_password == "v1:c2VhbGVk");
  CHECK(got->relays[1].tls == RelayTls::None);
  CHECK(got->relays[1].auth_user.empty());
  CHECK(got->relays[1].sealed_password.empty());
  CHECK(relays_of(db, "sales") == Names{"smtp.example.net:587", "192.0.2.7:2525", "[2001:db8::25]:25"});
  CHECK(db.value("SELECT convert_from(auth_password, 'UTF8') FROM outgoing_relays WHERE position = 1") ==
        "v1:c2VhbGVk");
  CHECK(db.value("SELECT auth_password IS NULL FROM outgoing_relays WHERE position = 2") == "t");

  auto missing = get_outgoing_route(db.conn, "nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
  CHECK(missing.error().message == "no outgoing route 'nope'");
}

TEST_CASE("routes append, insert at a position, move and close up", "[store][outgoing][db]") {
  test::StoreDb db;
  REQUIRE(create_outgoing_route(db.conn, mx_route("a")).ok());
  REQUIRE(create_outgoing_route(db.conn, mx_route("c")).ok());
  REQUIRE(create_outgoing_route(db.conn, mx_route("b", 2)).ok());
  REQUIRE(create_outgoing_route(db.conn, mx_route("first", 1)).ok());
  CHECK(names(db) == Names{"first", "a", "b", "c"});
  CHECK(error_of(create_outgoing_route(db.conn, mx_route("x", 6))) == "position 6 out of range 1-5");

  OutgoingRouteChanges move;
  move.position = 4;
  REQUIRE(update_outgoing_route(db.conn, "first", move).ok());
  CHECK(names(db) == Names{"a", "b", "c", "first"});
  move.position = 2;
  REQUIRE(update_outgoing_route(db.conn, "C", move).ok());
  CHECK(names(db) == Names{"a", "c", "b", "first"});
  move.position = 5;
  CHECK(error_of(update_outgoing_route(db.conn, "a", move)) == "position 5 out of range 1-4");

  REQUIRE(delete_outgoing_route(db.conn, "c").ok());
  CHECK(names(db) == Names{"a", "b", "first"});
  auto gone = delete_outgoing_route(db.conn, "c");
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == ErrorCode::NotFound);
  CHECK(gone.error().message == "no outgoing route 'c'");
}

TEST_CASE("route names are unique ignoring case, also on rename", "[store][outgoing][db]") {
  test::StoreDb db;
  REQUIRE(create_outgoing_route(db.conn, mx_route("direct")).ok());
  REQUIRE(create_outgoing_route(db.conn, relay_route("smarthost", {relay("smtp.example.net")})).ok());
  auto again = create_outgoing_route(db.conn, mx_route("DIRECT"));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::AlreadyExists);
  CHECK(again.error().message == "outgoing route 'DIRECT' already exists");

  OutgoingRouteChanges rename;
  rename.name = "Direct";
  CHECK(error_of(update_outgoing_route(db.conn, "smarthost", rename)) == "outgoing route 'Direct' already exists");
  auto same = update_outgoing_route(db.conn, "direct", rename);  // its own name in another case
  REQUIRE(same.ok());
  CHECK(same->name == "Direct");
  CHECK(error_of(update_outgoing_route(db.conn, "nope", rename)) == "no outgoing route 'nope'");
  CHECK(db.count("outgoing_routes") == 2);
}

TEST_CASE("route edits change only what is given", "[store][outgoing][db]") {
  test::StoreDb db;
  REQUIRE(create_outgoing_route(db.conn, relay_route("smarthost", {relay("smtp.example.net")})).ok());
  OutgoingRouteChanges c;
  c.sender_pattern = "*@example.com";
  c.enabled = false;
  auto changed = update_outgoing_route(db.conn, "smarthost", c);
  REQUIRE(changed.ok());
  CHECK(changed->sender_pattern == "*@example.com");
  CHECK(changed->domain_pattern == "*");
  CHECK_FALSE(changed->enabled);
  CHECK(changed->relays.size() == 1);

  OutgoingRouteChanges d;
  d.domain_pattern = "example.org";
  d.name = "renamed";
  changed = update_outgoing_route(db.conn, "smarthost", d);
  REQUIRE(changed.ok());
  CHECK(changed->name == "renamed");
  CHECK(changed->sender_pattern == "*@example.com");
  CHECK(changed->domain_pattern == "example.org");
  CHECK_FALSE(changed->enabled);

  OutgoingRouteChanges bad;
  bad.sender_pattern = "a b";
  CHECK(error_of(update_outgoing_route(db.conn, "renamed", bad)) ==
        "invalid sender pattern 'a b': use * (any sender), <> (the null sender) or an address wildcard such as "
        "*@example.com");
}

TEST_CASE("route input rules name the field", "[store][outgoing][db]") {
  test::StoreDb db;
  auto refused = [&](OutgoingRoute r) { return error_of(create_outgoing_route(db.conn, r)); };

  CHECK(refused(mx_route("a b")) == "invalid route name 'a b': use 1-64 letters, digits, '.', '_' or '-'");
  CHECK(refused(mx_route(std::string(65, 'x'))) ==
        "invalid route name '" + std::string(65, 'x') + "': use 1-64 letters, digits, '.', '_' or '-'");
  CHECK(refused(mx_route("")) == "invalid route name '': use 1-64 letters, digits, '.', '_' or '-'");
  CHECK(create_outgoing_route(db.conn, mx_route(std::string(64, 'x'))).ok());

  OutgoingRoute r = mx_route("direct");
  r.sender_pattern = "<joe@example.com>";
  CHECK(refused(r) == "invalid sender pattern '<joe@example.com>': use * (any sender), <> (the null sender) or an "
                      "address wildcard such as *@example.com");
  r.sender_pattern = "";
  CHECK(refused(r).starts_with("invalid sender pattern '': "));
  r.sender_pattern = "<>";
  r.domain_pattern = "exa_mple.com";
  CHECK(refused(r) ==
        "invalid domain pattern 'exa_mple.com': use * (any domain) or a domain wildcard such as *.example.com");
  r.domain_pattern = "*..example.com";
  CHECK(refused(r).starts_with("invalid domain pattern '*..example.com': "));
  r.domain_pattern = "*.example.com";
  CHECK(create_outgoing_route(db.conn, r).ok());

  OutgoingRoute mx = mx_route("mx-with-relay");
  mx.relays.push_back(relay("smtp.example.net"));
  CHECK(refused(mx) == "an mx route takes no relays: it delivers directly to each recipient domain's MX hosts");
  CHECK(refused(relay_route("empty", {})) == "a relay route needs at least one relay");
  CHECK(refused(relay_route("twice", {relay("smtp.example.net"), relay("SMTP.example.net")})) ==
        "relay SMTP.example.net:25 is given twice");
  CHECK(refused(relay_route("bad-host", {relay("smtp_1.example.net")})) ==
        "invalid relay host 'smtp_1.example.net': use a host name or an IP address");
  CHECK(refused(relay_route("bad-port", {relay("smtp.example.net", 65536)})) ==
        "invalid relay port 65536: use 1-65535");
  CHECK(refused(relay_route("bad-port", {relay("smtp.example.net", 0)})) == "invalid relay port 0: use 1-65535");
  CHECK(db.count("outgoing_routes") == 2);
  CHECK(db.count("outgoing_relays") == 0);
}

TEST_CASE("relay AUTH needs a user, a password and TLS", "[store][outgoing][db]") {
  OutgoingRelay l = auth_relay("smtp.example.net", "joe", "");
  CHECK(error_of(check_relay(l)) == "relay AUTH user 'joe' needs a password");
  l = auth_relay("smtp.example.net", "", "v1:x");
  CHECK(error_of(check_relay(l)) == "relay password given without an AUTH user");
  l = auth_relay("smtp.example.net", "joe\r\nRSET", "v1:x");
  CHECK(error_of(check_relay(l)) == "invalid relay AUTH user: use at most 255 characters, no control characters");
  l = auth_relay("smtp.example.net", std::string(256, 'u'), "v1:x");
  CHECK_FALSE(check_relay(l).ok());
  l = auth_relay("smtp.example.net", "joe", "v1:x");
  l.tls = RelayTls::Opportunistic;
  CHECK(error_of(check_relay(l)) ==
        "relay AUTH needs TLS starttls or implicit: with 'opportunistic' the password could cross the network in clear");
  l.tls = RelayTls::None;
  CHECK(error_of(check_relay(l)) ==
        "relay AUTH needs TLS starttls or implicit: with 'none' the password could cross the network in clear");
  l.tls = RelayTls::Implicit;
  CHECK(check_relay(l).ok());
  l.tls = RelayTls::StartTls;
  CHECK(check_relay(l).ok());

  test::StoreDb db;
  auto refused = create_outgoing_route(db.conn, relay_route("r", {auth_relay("smtp.example.net", "joe", "")}));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::InvalidInput);
  CHECK(db.count("outgoing_routes") == 0);
}

TEST_CASE("relay hosts are host names or IP addresses", "[store][outgoing]") {
  for (const char* ok : {"smtp.example.net", "localhost", "mx-1.example.co.uk", "192.0.2.1", "::1", "2001:db8::25",
                         "::ffff:192.0.2.1", "a1.b2"}) {
    INFO(ok);
    CHECK(check_relay_host(ok).ok());
  }
  for (const char* bad : {"", "smtp_1.example.net", "-smtp.example.net", "smtp-.example.net", "smtp..example.net",
                          "smtp.example.net.", "999.1.1.1", "192.0.2", "[::1]", "fe80::1%eth0", "a b", "smtp:25"}) {
    INFO(bad);
    CHECK(error_of(check_relay_host(bad)) ==
          "invalid relay host '" + std::string(bad) + "': use a host name or an IP address");
  }
  CHECK_FALSE(check_relay_host(std::string(64, 'a') + ".example").ok());
}

TEST_CASE("relay addresses parse as HOST[:PORT] with brackets for IPv6", "[store][outgoing]") {
  auto parsed = [](const std::string& text) {
    auto a = parse_relay_address(text);
    return a ? format_relay_address(a->host, a->port) : "error: " + a.error().message;
  };
  CHECK(parsed("smtp.example.net") == "smtp.example.net:25");
  CHECK(parsed("smtp.example.net:587") == "smtp.example.net:587");
  CHECK(parsed("192.0.2.1:465") == "192.0.2.1:465");
  CHECK(parsed("[2001:db8::1]:587") == "[2001:db8::1]:587");
  CHECK(parsed("[2001:db8::1]") == "[2001:db8::1]:25");
  CHECK(parsed("2001:db8::1") == "[2001:db8::1]:25");
  CHECK(parse_relay_address("[2001:db8::1]:587")->host == "2001:db8::1");
  CHECK(parsed("smtp.example.net:0") ==
        "error: invalid relay port '0' in 'smtp.example.net:0': use 1-65535");
  CHECK(parsed("smtp.example.net:65536") ==
        "error: invalid relay port '65536' in 'smtp.example.net:65536': use 1-65535");
  CHECK(parsed("smtp.example.net:") == "error: invalid relay port '' in 'smtp.example.net:': use 1-65535");
  CHECK(parsed("smtp.example.net:smtp") ==
        "error: invalid relay port 'smtp' in 'smtp.example.net:smtp': use 1-65535");
  CHECK(parsed("[2001:db8::1]587") ==
        "error: invalid relay host '[2001:db8::1]587': use a host name or an IP address");
  CHECK(parsed("[2001:db8::1") == "error: invalid relay host '[2001:db8::1': use a host name or an IP address");
  CHECK(parsed("bad_host:25") == "error: invalid relay host 'bad_host': use a host name or an IP address");
}

TEST_CASE("methods and TLS modes read in any case and print in lower case", "[store][outgoing]") {
  CHECK(parse_outgoing_method("MX") == OutgoingMethod::Mx);
  CHECK(parse_outgoing_method("relay") == OutgoingMethod::Relay);
  CHECK_FALSE(parse_outgoing_method("direct"));
  for (auto tls : {RelayTls::None, RelayTls::StartTls, RelayTls::Opportunistic, RelayTls::Implicit})
    CHECK(parse_relay_tls(to_string(tls)) == tls);
  CHECK(parse_relay_tls("STARTTLS") == RelayTls::StartTls);
  CHECK_FALSE(parse_relay_tls("ssl"));
  CHECK(to_string(OutgoingMethod::Mx) == "mx");
}

TEST_CASE("relays are added at a position, changed and deleted in order", "[store][outgoing][db]") {
  test::StoreDb db;
  REQUIRE(create_outgoing_route(db.conn, relay_route("smarthost", {relay("a.example.net")})).ok());
  REQUIRE(add_outgoing_relay(db.conn, "smarthost", relay("c.example.net")).ok());
  OutgoingRelay b = relay("b.example.net", 587);
  b.position = 2;
  auto added = add_outgoing_relay(db.conn, "SMARTHOST", b);
  REQUIRE(added.ok());
  CHECK(added->position == 2);
  CHECK(added->host == "b.example.net");
  CHECK(added->id > 0);
  CHECK(relays_of(db, "smarthost") == Names{"a.example.net:25", "b.example.net:587", "c.example.net:25"});
  b.position = 5;
  b.port = 588;
  CHECK(error_of(add_outgoing_relay(db.conn, "smarthost", b)) == "position 5 out of range 1-4");

  auto dup = add_outgoing_relay(db.conn, "smarthost", relay("A.example.net"));
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == ErrorCode::AlreadyExists);
  CHECK(dup.error().message == "outgoing route 'smarthost' already has relay A.example.net:25");
  CHECK(add_outgoing_relay(db.conn, "smarthost", relay("a.example.net", 2525)).ok());  // another port
  CHECK(error_of(add_outgoing_relay(db.conn, "nope", relay("x.example.net"))) == "no outgoing route 'nope'");
  CHECK(error_of(add_outgoing_relay(db.conn, "smarthost", relay("x_y"))) ==
        "invalid relay host 'x_y': use a host name or an IP address");

  REQUIRE(delete_outgoing_relay(db.conn, "smarthost", 1).ok());
  CHECK(relays_of(db, "smarthost") == Names{"b.example.net:587", "c.example.net:25", "a.example.net:2525"});
  auto none = delete_outgoing_relay(db.conn, "smarthost", 4);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::NotFound);
  CHECK(none.error().message == "outgoing route 'smarthost' has no relay at position 4");
  REQUIRE(delete_outgoing_relay(db.conn, "smarthost", 3).ok());
  REQUIRE(delete_outgoing_relay(db.conn, "smarthost", 1).ok());
  auto last = delete_outgoing_relay(db.conn, "smarthost", 1);
  REQUIRE_FALSE(last.ok());
  CHECK(last.error().code == ErrorCode::InUse);
  CHECK(last.error().message ==
        "relay c.example.net:25 is the last relay of outgoing route 'smarthost': add another first, or delete the route");
  CHECK(relays_of(db, "smarthost") == Names{"c.example.net:25"});

  REQUIRE(delete_outgoing_route(db.conn, "smarthost").ok());
  CHECK(db.count("outgoing_relays") == 0);  // cascade
}

TEST_CASE("an mx route takes no relays", "[store][outgoing][db]") {
  test::StoreDb db;
  REQUIRE(create_outgoing_route(db.conn, mx_route("direct")).ok());
  auto refused = add_outgoing_relay(db.conn, "direct", relay("smtp.example.net"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::InvalidInput);
  CHECK(refused.error().message == "outgoing route 'direct' delivers by MX: it takes no relays");
  CHECK(error_of(delete_outgoing_relay(db.conn, "direct", 1)) == "outgoing route 'direct' has no relay at position 1");
}

TEST_CASE("relay TLS and AUTH change together and are checked together", "[store][outgoing][db]") {
  test::StoreDb db;
  REQUIRE(create_outgoing_route(db.conn, relay_route("smarthost", {relay("smtp.example.net", 587)})).ok());

  OutgoingRelayChanges auth_only;
  auth_only.auth = OutgoingRelayChanges::Auth{"joe", "v1:first"};
  CHECK(error_of(update_outgoing_relay(db.conn, "smarthost", 1, auth_only)) ==
        "relay AUTH needs TLS starttls or implicit: with 'opportunistic' the password could cross the network in clear");

  OutgoingRelayChanges both = auth_only;
  both.tls = RelayTls::StartTls;
  auto changed = update_outgoing_relay(db.conn, "smarthost", 1, both);
  REQUIRE(changed.ok());
  CHECK(changed->tls == RelayTls::StartTls);
  CHECK(changed->auth_user == "joe");
  CHECK(db.value("SELECT auth_user || ' ' || tls || ' ' || convert_from(auth_password, 'UTF8') FROM outgoing_relays") ==
        "joe starttls v1:first");

  OutgoingRelayChanges weaker;
  weaker.tls = RelayTls::None;
  CHECK_FALSE(update_outgoing_relay(db.conn, "smarthost", 1, weaker).ok());

  OutgoingRelayChanges no_auth;
  no_auth.auth = OutgoingRelayChanges::Auth{};
  no_auth.tls = RelayTls::None;
  REQUIRE(update_outgoing_relay(db.conn, "smarthost", 1, no_auth).ok());
  CHECK(db.value("SELECT auth_user || '|' || tls || '|' || (auth_password IS NULL) FROM outgoing_relays") ==
        "|none|true");
  CHECK(error_of(update_outgoing_relay(db.conn, "smarthost", 2, no_auth)) ==
        "outgoing route 'smarthost' has no relay at position 2");
  CHECK(error_of(update_outgoing_relay(db.conn, "other", 1, no_auth)) == "no outgoing route 'other'");
}

TEST_CASE("senderd loads the enabled routes in order, passwords sealed", "[store][outgoing][db]") {
  test::StoreDb db;
  OutgoingRoute sales = relay_route("sales", {auth_relay("relay.sales.example.net", "sales", "v1:sealed"),
                                              relay("backup.example.net")});
  sales.sender_pattern = "*@sales.example.com";
  REQUIRE(create_outgoing_route(db.conn, sales).ok());
  OutgoingRoute off = mx_route("off");
  off.enabled = false;
  REQUIRE(create_outgoing_route(db.conn, off).ok());
  REQUIRE(create_outgoing_route(db.conn, relay_route("default", {relay("smarthost.example.net")})).ok());

  auto loaded = load_outgoing_routes(db.conn);
  REQUIRE(loaded.ok());
  REQUIRE(loaded->size() == 2);
  CHECK(loaded->at(0).name == "sales");
  CHECK(loaded->at(0).position == 1);
  CHECK(loaded->at(1).name == "default");
  CHECK(loaded->at(1).position == 3);
  REQUIRE(loaded->at(0).relays.size() == 2);
  CHECK(loaded->at(0).relays[0].sealed_password == "v1:sealed");
  CHECK(loaded->at(0).relays[1].host == "backup.example.net");

  auto all = list_outgoing_routes(db.conn);
  REQUIRE(all.ok());
  CHECK(all->size() == 3);

  OutgoingRouteChanges enable;
  enable.enabled = true;
  REQUIRE(update_outgoing_route(db.conn, "off", enable).ok());
  REQUIRE(delete_outgoing_route(db.conn, "sales").ok());
  loaded = load_outgoing_routes(db.conn);
  REQUIRE(loaded.ok());
  REQUIRE(loaded->size() == 2);
  CHECK(loaded->at(0).name == "off");
  CHECK(loaded->at(0).position == 1);
  CHECK(loaded->at(0).method == OutgoingMethod::Mx);
  CHECK(loaded->at(0).relays.empty());
  CHECK(loaded->at(1).relays.size() == 1);
}

TEST_CASE("the schema backs the rules for edits made in psql", "[store][outgoing][db]") {
  test::StoreDb db;
  REQUIRE(create_outgoing_route(db.conn, relay_route("smarthost", {relay("smtp.example.net")})).ok());
  auto refused = [&](const std::string& sql) {
    try {
      pqxx::nontransaction tx{db.conn};
      tx.exec(sql);
      return false;
    } catch (const pqxx::sql_error&) {
      return true;
    }
  };
  CHECK(refused("UPDATE outgoing_routes SET method = 'direct'"));
  CHECK(refused("UPDATE outgoing_routes SET name = 'a b'"));
  CHECK(refused("UPDATE outgoing_relays SET port = 0"));
  CHECK(refused("UPDATE outgoing_relays SET tls = 'ssl'"));
  CHECK(refused("UPDATE outgoing_relays SET auth_user = 'joe'"));  // no password
  CHECK(refused("INSERT INTO outgoing_routes (name, position, method) VALUES ('two', 1, 'mx')"));
  CHECK(db.value("SELECT relays FROM outgoing_routes_overview") == "smtp.example.net:25 opportunistic");
}

TEST_CASE("the route tables and view carry comments and the config-changed trigger", "[store][outgoing][db]") {
  test::StoreDb db;
  CHECK(db.value("SELECT count(*) FROM pg_class WHERE relname IN ('outgoing_routes', 'outgoing_relays', "
                 "'outgoing_routes_overview') AND obj_description(oid, 'pg_class') IS NOT NULL") == "3");
  CHECK(db.value("SELECT count(*) FROM pg_attribute WHERE attrelid IN ('outgoing_routes'::regclass, "
                 "'outgoing_relays'::regclass) AND attnum > 0 AND col_description(attrelid, attnum) IS NOT NULL") ==
        "11");
  CHECK(db.value("SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_trigger t "
                 "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                 "WHERE p.proname = 'pillarbox_config_changed' AND c.relname LIKE 'outgoing%'") ==
        "outgoing_relays,outgoing_routes");
}

namespace {

class Listener : public pqxx::notification_receiver {
 public:
  explicit Listener(pqxx::connection_base& c) : pqxx::notification_receiver(c, "pillarbox_config") {}
  void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
  std::vector<std::string> payloads;
};

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

TEST_CASE("route and relay changes fire the pillarbox_config NOTIFY", "[store][outgoing][notify][db]") {
  test::StoreDb db;
  pqxx::connection listen_conn{db.conninfo};
  Listener listener{listen_conn};
  listen_conn.get_notifs();

  REQUIRE(create_outgoing_route(db.conn, relay_route("smarthost", {relay("smtp.example.net")})).ok());
  CHECK(heard(listen_conn, listener, "outgoing_routes"));
  REQUIRE(add_outgoing_relay(db.conn, "smarthost", relay("backup.example.net")).ok());
  CHECK(heard(listen_conn, listener, "outgoing_relays"));
  OutgoingRouteChanges c;
  c.enabled = false;
  REQUIRE(update_outgoing_route(db.conn, "smarthost", c).ok());
  CHECK(heard(listen_conn, listener, "outgoing_routes"));
}
