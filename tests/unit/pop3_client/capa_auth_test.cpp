// CAPA parsing, the APOP timestamp, the choice of login method and the SASL
// exchanges of the POP3 client (proto/pop3/client_capa.hpp, client_auth.hpp).
#include <catch2/catch.hpp>

#include "client_transcript.hpp"
#include "proto/pop3/client_auth.hpp"
#include "proto/pop3/client_capa.hpp"
#include "proto/sasl/sasl.hpp"

using namespace pillarbox::pop3::client;
using pillarbox::ErrorCode;

TEST_CASE("pop3_client capa: listing", "[pop3_client][capa]") {
  auto caps = parse_capabilities("TOP\r\nuser\r\nSASL plain CRAM-MD5 PLAIN\r\nRESP-CODES\r\nLOGIN-DELAY 900\r\n"
                                 "PIPELINING\r\nUIDL\r\nStls\r\nIMPLEMENTATION Shlemazle-Plotz-v302\r\n\r\n");
  CHECK(caps.known);
  CHECK(caps.top);
  CHECK(caps.user);
  CHECK(caps.uidl);
  CHECK(caps.stls);
  CHECK(caps.pipelining);
  CHECK(caps.resp_codes);
  CHECK(caps.sasl == std::vector<std::string>{"PLAIN", "CRAM-MD5"});
  CHECK(caps.lines.size() == 9);
  CHECK(caps.lines[4] == "LOGIN-DELAY 900");

  auto none = parse_capabilities("");
  CHECK(none.known);
  CHECK_FALSE(none.stls);
  CHECK(none.sasl.empty());
}

TEST_CASE("pop3_client capa: APOP timestamp", "[pop3_client][capa]") {
  CHECK(apop_timestamp("POP3 server ready <1896.697170952@dbc.mtview.ca.us>") ==
        std::optional<std::string>("<1896.697170952@dbc.mtview.ca.us>"));
  CHECK(apop_timestamp("<a@b> and <c@d>") == std::optional<std::string>("<a@b>"));
  CHECK_FALSE(apop_timestamp("ready"));
  CHECK_FALSE(apop_timestamp("ready <no-at-sign>"));
  CHECK_FALSE(apop_timestamp("ready <two@at@signs>"));
  CHECK_FALSE(apop_timestamp("ready <@x>"));
  CHECK_FALSE(apop_timestamp("ready <x@>"));
  CHECK_FALSE(apop_timestamp("ready <with space@x>"));
  CHECK_FALSE(apop_timestamp("ready <\xC3\xA9@x>"));
  CHECK_FALSE(apop_timestamp("ready <unclosed@x"));
  CHECK_FALSE(apop_timestamp("ready <" + std::string(300, 'a') + "@x>"));
}

TEST_CASE("pop3_client auth: best method order", "[pop3_client][auth]") {
  Options o;
  o.user = "tim";
  o.password = "pw";
  o.hmac_md5 = testing::fake_hmac_md5;
  o.apop_digest = testing::fake_apop_digest;
  Capabilities caps = parse_capabilities("SASL PLAIN CRAM-MD5\r\nUSER\r\n");

  CHECK(*choose_method(o, caps, true, false) == AuthMethod::CramMd5);
  Capabilities no_cram = parse_capabilities("SASL PLAIN\r\nUSER\r\n");
  CHECK(*choose_method(o, no_cram, true, false) == AuthMethod::Apop);
  CHECK(*choose_method(o, no_cram, false, true) == AuthMethod::Plain);
  Capabilities plain_only_user = parse_capabilities("USER\r\n");
  CHECK(*choose_method(o, plain_only_user, false, true) == AuthMethod::UserPass);
  CHECK(*choose_method(o, Capabilities{}, false, true) == AuthMethod::UserPass);

  // No TLS, no cleartext: neither PLAIN nor USER/PASS.
  auto none = choose_method(o, no_cram, false, false);
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ErrorCode::Unavailable);
  o.cleartext_password = true;
  CHECK(*choose_method(o, no_cram, false, false) == AuthMethod::Plain);

  // Without the digest functions CRAM-MD5 and APOP are never chosen.
  o.hmac_md5 = nullptr;
  o.apop_digest = nullptr;
  CHECK(*choose_method(o, caps, true, false) == AuthMethod::Plain);
}

TEST_CASE("pop3_client auth: configured methods", "[pop3_client][auth]") {
  Options o;
  o.user = "tim";
  o.password = "pw";
  o.hmac_md5 = testing::fake_hmac_md5;
  o.apop_digest = testing::fake_apop_digest;
  Capabilities plain = parse_capabilities("SASL PLAIN\r\n");

  o.auth = AuthMethod::CramMd5;
  auto cram = choose_method(o, plain, true, true);
  REQUIRE_FALSE(cram);
  CHECK(cram.error().message == "CRAM-MD5 is configured, but the server does not offer it (it offers PLAIN)");
  CHECK(*choose_method(o, Capabilities{}, false, false) == AuthMethod::CramMd5);  // no CAPA: try

  o.auth = AuthMethod::Apop;
  CHECK(*choose_method(o, plain, true, false) == AuthMethod::Apop);
  CHECK_FALSE(choose_method(o, plain, false, true));

  o.auth = AuthMethod::Plain;
  CHECK(*choose_method(o, plain, false, true) == AuthMethod::Plain);
  auto clear = choose_method(o, plain, false, false);
  REQUIRE_FALSE(clear);
  CHECK(clear.error().message ==
        "AUTH PLAIN would send the password in the clear: TLS is not active and cleartext passwords are not "
        "allowed");
  CHECK_FALSE(choose_method(o, parse_capabilities("USER\r\n"), false, true));

  o.auth = AuthMethod::UserPass;
  CHECK(*choose_method(o, plain, false, true) == AuthMethod::UserPass);
  CHECK_FALSE(choose_method(o, plain, false, false));
}

TEST_CASE("pop3_client auth: APOP command", "[pop3_client][auth]") {
  Options o;
  o.user = "mrose";
  o.password = "tanstaaf";
  o.apop_digest = testing::fake_apop_digest;
  auto cmd = apop_command(o, "<1896.697170952@dbc.mtview.ca.us>");
  REQUIRE(cmd);
  CHECK(*cmd == "APOP mrose c4c9334bac560ecc979e58001b3e22fb");

  o.apop_digest = [](std::string_view, std::string_view) { return std::string("C4C9334BAC560ECC979E58001B3E22FB"); };
  CHECK_FALSE(apop_command(o, "<a@b>"));  // upper case is not what RFC 1939 §7 sends
  o.apop_digest = nullptr;
  CHECK_FALSE(apop_command(o, "<a@b>"));
}

TEST_CASE("pop3_client auth: SASL PLAIN and CRAM-MD5", "[pop3_client][auth]") {
  Options o;
  o.user = "tim";
  o.password = "tanstaaftanstaaf";
  o.hmac_md5 = testing::fake_hmac_md5;

  SaslLogin plain(AuthMethod::Plain, o, 255);
  CHECK(plain.command() == "AUTH PLAIN " + pillarbox::sasl::base64_encode(std::string("\0tim\0tanstaaftanstaaf", 21)));
  CHECK(plain.masked_command() == "AUTH PLAIN ****");
  CHECK_FALSE(plain.respond(""));  // the response went with the command

  SaslLogin late(AuthMethod::Plain, o, 20);
  CHECK(late.command() == "AUTH PLAIN");
  CHECK(late.masked_command() == "AUTH PLAIN");
  auto r = late.respond("");
  REQUIRE(r);
  CHECK(*pillarbox::sasl::base64_decode(*r) == std::string("\0tim\0tanstaaftanstaaf", 21));
  CHECK_FALSE(late.respond(""));

  SaslLogin cram(AuthMethod::CramMd5, o, 255);
  CHECK(cram.command() == "AUTH CRAM-MD5");
  auto c = cram.respond("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
  REQUIRE(c);
  CHECK(*pillarbox::sasl::base64_decode(*c) == "tim b913a602c7eda7a495b4e6e7334d3890");
  CHECK_FALSE(cram.respond("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"));  // one step only

  SaslLogin bad(AuthMethod::CramMd5, o, 255);
  auto b = bad.respond("not base64!");
  REQUIRE_FALSE(b);
  CHECK(b.error().code == ErrorCode::InvalidInput);

  o.hmac_md5 = [](std::string_view, std::string_view) { return std::string(); };
  SaslLogin broken(AuthMethod::CramMd5, o, 255);
  auto f = broken.respond("PDE4OT4=");
  REQUIRE_FALSE(f);
  CHECK(f.error().code == ErrorCode::Unavailable);
}
