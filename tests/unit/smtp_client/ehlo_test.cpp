// Unit tests of the EHLO capability parser (proto/smtp/client_ehlo.hpp).
#include <catch2/catch.hpp>

#include "proto/smtp/client_ehlo.hpp"

using namespace pillarbox::smtp;
using namespace pillarbox::smtp::client;

TEST_CASE("smtp_client: ehlo: every extension the client uses", "[smtp_client][ehlo]") {
  Reply reply{250, "",
              "mx.example.net Hello client [192.0.2.1]\nSIZE 10240000\nPIPELINING\n8BITMIME\nSMTPUTF8\nDSN\n"
              "STARTTLS\nAUTH PLAIN LOGIN CRAM-MD5\nENHANCEDSTATUSCODES\nCHUNKING\nBINARYMIME\nVRFY\nETRN"};
  Capabilities c = parse_ehlo(reply);
  CHECK(c.esmtp);
  CHECK(c.server_name == "mx.example.net");
  CHECK(c.size);
  CHECK(c.max_size == 10240000);
  CHECK(c.pipelining);
  CHECK(c.eightbitmime);
  CHECK(c.smtputf8);
  CHECK(c.dsn);
  CHECK(c.starttls);
  CHECK(c.enhanced_status_codes);
  CHECK(c.chunking);
  CHECK(c.binarymime);
  CHECK(c.auth == std::vector<std::string>{"PLAIN", "LOGIN", "CRAM-MD5"});
  CHECK(c.offers_auth("cram-md5"));
  CHECK_FALSE(c.offers_auth("GSSAPI"));
}

TEST_CASE("smtp_client: ehlo: a bare greeting offers nothing", "[smtp_client][ehlo]") {
  Capabilities c = parse_ehlo({250, "", "mx.example.net"});
  CHECK(c.esmtp);
  CHECK(c.server_name == "mx.example.net");
  CHECK_FALSE(c.size);
  CHECK_FALSE(c.pipelining);
  CHECK_FALSE(c.starttls);
  CHECK(c.auth.empty());
  CHECK(Capabilities{}.esmtp == false);
}

TEST_CASE("smtp_client: ehlo: keywords in any case, tabs and extra blanks", "[smtp_client][ehlo]") {
  Capabilities c = parse_ehlo({250, "", "mx\npipelining\n  size\t 2000 \n8bitMIME\nauth  login   plain"});
  CHECK(c.pipelining);
  CHECK(c.size);
  CHECK(c.max_size == 2000);
  CHECK(c.eightbitmime);
  CHECK(c.auth == std::vector<std::string>{"LOGIN", "PLAIN"});
}

TEST_CASE("smtp_client: ehlo: SIZE without a usable number means no known limit", "[smtp_client][ehlo]") {
  CHECK(parse_ehlo({250, "", "mx\nSIZE"}).max_size == 0);
  CHECK(parse_ehlo({250, "", "mx\nSIZE 0"}).max_size == 0);
  CHECK(parse_ehlo({250, "", "mx\nSIZE -5"}).max_size == 0);
  CHECK(parse_ehlo({250, "", "mx\nSIZE 12abc"}).max_size == 0);
  CHECK(parse_ehlo({250, "", "mx\nSIZE 99999999999999999999999"}).max_size == 0);
  CHECK(parse_ehlo({250, "", "mx\nSIZE 18446744073709551615"}).max_size == 18446744073709551615ULL);
  CHECK(parse_ehlo({250, "", "mx\nSIZE 18446744073709551616"}).max_size == 0);
  CHECK(parse_ehlo({250, "", "mx\nSIZE 0"}).size);
}

TEST_CASE("smtp_client: ehlo: the old AUTH= form, duplicates and junk mechanism names", "[smtp_client][ehlo]") {
  Capabilities c = parse_ehlo({250, "", "mx\nAUTH=LOGIN PLAIN\nAUTH PLAIN LOGIN x/y DIGEST-MD5"});
  CHECK(c.auth == std::vector<std::string>{"LOGIN", "PLAIN", "DIGEST-MD5"});
  CHECK(parse_ehlo({250, "", "mx\nAUTH"}).auth.empty());
  CHECK(parse_ehlo({250, "", "mx\nAUTH " + std::string(21, 'A')}).auth.empty());
}

TEST_CASE("smtp_client: ehlo: the first line is never a keyword", "[smtp_client][ehlo]") {
  Capabilities c = parse_ehlo({250, "", "STARTTLS\nPIPELINING"});
  CHECK(c.server_name == "STARTTLS");
  CHECK_FALSE(c.starttls);
  CHECK(c.pipelining);
}
