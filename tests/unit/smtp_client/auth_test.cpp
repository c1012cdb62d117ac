// Unit tests of the SASL client (proto/smtp/client_auth.hpp): mechanism
// choice, PLAIN (with and without initial response), LOGIN, CRAM-MD5 with the
// RFC 2195 example, and the errors that make the session cancel with "*".
#include <catch2/catch.hpp>

#include "client_transcript.hpp"
#include "proto/sasl/sasl.hpp"
#include "proto/smtp/client_auth.hpp"

using namespace pillarbox;
using namespace pillarbox::smtp::client;

namespace {

Credentials creds(std::string user = "bob", std::string password = "secret") {
  Credentials c;
  c.user = std::move(user);
  c.password = std::move(password);
  return c;
}

}  // namespace

TEST_CASE("smtp_client: choose_mechanism follows our preference among what is offered", "[smtp_client][auth]") {
  Credentials c = creds();
  c.hmac_md5 = testing::fake_hmac_md5;
  std::vector<std::string> all = {"CRAM-MD5", "LOGIN", "PLAIN"};
  CHECK(choose_mechanism(c, all, true) == "PLAIN");
  CHECK(choose_mechanism(c, {"LOGIN", "CRAM-MD5"}, true) == "LOGIN");
  c.mechanisms = {"cram-md5", "plain"};
  CHECK(choose_mechanism(c, all, true) == "CRAM-MD5");
  CHECK(choose_mechanism(c, {"GSSAPI"}, true) == std::nullopt);
}

TEST_CASE("smtp_client: choose_mechanism keeps passwords off cleartext connections", "[smtp_client][auth]") {
  Credentials c = creds();
  CHECK(choose_mechanism(c, {"PLAIN", "LOGIN", "CRAM-MD5"}, false) == std::nullopt);  // no HMAC either
  c.hmac_md5 = testing::fake_hmac_md5;
  CHECK(choose_mechanism(c, {"PLAIN", "LOGIN", "CRAM-MD5"}, false) == "CRAM-MD5");
  CHECK(choose_mechanism(c, {"PLAIN", "LOGIN"}, false) == std::nullopt);
}

TEST_CASE("smtp_client: PLAIN sends authzid, user and password as its initial response", "[smtp_client][auth]") {
  SaslClient s("PLAIN", creds());
  CHECK(s.command() == "AUTH PLAIN AGJvYgBzZWNyZXQ=");
  CHECK_FALSE(s.respond("").ok());  // nothing more to say
  Credentials c = creds();
  c.authzid = "admin";
  CHECK(SaslClient("plain", c).command() == "AUTH PLAIN " + sasl::base64_encode(std::string("admin\0bob\0secret", 16)));
}

TEST_CASE("smtp_client: PLAIN answers an empty 334 when the initial response is too long", "[smtp_client][auth]") {
  // "AUTH PLAIN " (11) + 16 octets of base64 + CRLF = 29.
  CHECK(SaslClient("PLAIN", creds(), 29).command() == "AUTH PLAIN AGJvYgBzZWNyZXQ=");
  SaslClient s("PLAIN", creds(), 28);
  CHECK(s.command() == "AUTH PLAIN");
  auto r = s.respond("");
  REQUIRE(r.ok());
  CHECK(*r == "AGJvYgBzZWNyZXQ=");
  CHECK_FALSE(s.respond("").ok());
}

TEST_CASE("smtp_client: LOGIN answers two prompts, whatever they say", "[smtp_client][auth]") {
  SaslClient s("LOGIN", creds());
  CHECK(s.command() == "AUTH LOGIN");
  CHECK(*s.respond("VXNlcm5hbWU6") == "Ym9i");
  CHECK(*s.respond("anything") == "c2VjcmV0");
  auto third = s.respond("");
  REQUIRE_FALSE(third.ok());
  CHECK(third.error().message == "unexpected challenge");
}

TEST_CASE("smtp_client: CRAM-MD5 with the RFC 2195 example", "[smtp_client][auth]") {
  Credentials c = creds("tim", "tanstaaftanstaaf");
  std::string seen_key, seen_data;
  c.hmac_md5 = [&](std::string_view key, std::string_view data) {
    seen_key = key;
    seen_data = data;
    return testing::fake_hmac_md5(key, data);
  };
  SaslClient s("CRAM-MD5", c);
  CHECK(s.command() == "AUTH CRAM-MD5");
  auto r = s.respond("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
  REQUIRE(r.ok());
  CHECK(*r == "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
  CHECK(*sasl::base64_decode(*r) == "tim b913a602c7eda7a495b4e6e7334d3890");
  CHECK(seen_key == "tanstaaftanstaaf");
  CHECK(seen_data == "<1896.697170952@postoffice.reston.mci.net>");
  CHECK_FALSE(s.respond("PDE+").ok());  // one challenge only
}

TEST_CASE("smtp_client: CRAM-MD5 errors: bad challenge, bad HMAC function", "[smtp_client][auth]") {
  Credentials c = creds();
  c.hmac_md5 = testing::fake_hmac_md5;
  CHECK(SaslClient("CRAM-MD5", c).respond("not base64!").error().message == "malformed challenge");
  CHECK(SaslClient("CRAM-MD5", c).respond("").error().message == "malformed challenge");
  c.hmac_md5 = [](std::string_view, std::string_view) { return std::string("short"); };
  CHECK(SaslClient("CRAM-MD5", c).respond("PDE+").error().message == "HMAC-MD5 function returned 5 octets");
  c.hmac_md5 = nullptr;
  CHECK(SaslClient("CRAM-MD5", c).respond("PDE+").error().message == "no HMAC-MD5 function");
}
