// The Received: header smtpd prepends (RFC 5321 §4.4), exactly.
#include <catch2/catch.hpp>

#include "daemons/smtpd/received_header.hpp"

using namespace pillarbox::smtpd;

TEST_CASE("RFC 5322 dates in UTC", "[smtpd][received]") {
  CHECK(rfc5322_date(0) == "Thu, 1 Jan 1970 00:00:00 +0000");
  CHECK(rfc5322_date(1795426200) == "Mon, 23 Nov 2026 09:30:00 +0000");
}

TEST_CASE("the Received: header names client, server, protocol, TLS, id and recipient", "[smtpd][received]") {
  ReceivedInfo i;
  i.helo = "client.example.net";
  i.client_address = "192.0.2.7";
  i.hostname = "mail.example.com";
  i.protocol = "ESMTPS";
  i.tls = "TLSv1.3 TLS_AES_256_GCM_SHA384";
  i.id = "ABC123";
  i.recipient = "joe@example.com";
  i.time = 1795426200;
  CHECK(received_header(i) ==
        "Received: from client.example.net ([192.0.2.7])\r\n"
        "\tby mail.example.com (Pillarbox) with ESMTPS\r\n"
        "\t(TLSv1.3 TLS_AES_256_GCM_SHA384)\r\n"
        "\tid ABC123\r\n"
        "\tfor <joe@example.com>;\r\n"
        "\tMon, 23 Nov 2026 09:30:00 +0000\r\n");
}

TEST_CASE("the Received: header cleans what the client chose and marks IPv6 literals", "[smtpd][received]") {
  ReceivedInfo i;
  i.helo = "evil (forged) [1.2.3.4]";
  i.client_address = "2001:db8::5";
  i.hostname = "mx";
  i.protocol = "SMTP";
  i.time = 0;
  CHECK(received_header(i) ==
        "Received: from evil??forged??[1.2.3.4] ([IPv6:2001:db8::5])\r\n"
        "\tby mx (Pillarbox) with SMTP;\r\n"
        "\tThu, 1 Jan 1970 00:00:00 +0000\r\n");
  i.helo.clear();
  CHECK(received_header(i).rfind("Received: from unknown ([IPv6:2001:db8::5])", 0) == 0);
}
