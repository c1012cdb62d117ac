// Transcript helpers for the IMAP session tests: play client input against
// a fresh seeded account, whole and byte by byte, and compare.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fake_host.hpp"

namespace imap_test {

inline const std::string kMessage1 =
    "From: Ann <ann@example.org>\r\nTo: bob@example.org\r\nSubject: Hello\r\n"
    "Date: Mon, 6 Jan 2025 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\nHi Bob.\r\n";
inline const std::string kMessage2 =
    "From: carl@example.org\r\nSubject: Parts\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
    "--b\r\nContent-Type: text/plain\r\n\r\nfirst part\r\n"
    "--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\nX-A: 1\r\n\r\ninner body\r\n"
    "--b--\r\n";
inline const std::string kMessage3 = "Subject: third\r\n\r\nthree\r\n";

// INBOX with three messages (UIDs 1..3, the second \Seen), modseqs 2..4.
inline void seed(FakeAccount& account) {
  account.deliver("INBOX", kMessage1);
  account.deliver("INBOX", kMessage2, {"\\Seen"});
  account.deliver("INBOX", kMessage3);
}

inline pillarbox::imap::Options secure() {
  pillarbox::imap::Options o;
  o.hostname = "imap.example.org";
  o.tls_active = true;
  return o;
}

inline std::string play(const std::vector<std::string>& chunks, std::size_t step,
                        const pillarbox::imap::Options& options = secure(), pillarbox::imap::Limits limits = {}) {
  FakeAccount account;
  seed(account);
  Player p(account, options, limits);
  p.start();
  for (const auto& c : chunks) p.feed(c, step);
  return p.take();
}

// Whole, byte by byte and in 7-octet slices: one transcript.
inline void check_transcript(const std::vector<std::string>& chunks, const std::string& expected,
                             const pillarbox::imap::Options& options = secure(),
                             pillarbox::imap::Limits limits = {}) {
  const std::string whole = play(chunks, 0, options, limits);
  CHECK(whole == expected);
  CHECK(play(chunks, 1, options, limits) == whole);
  CHECK(play(chunks, 7, options, limits) == whole);
}

inline const std::string kCaps =
    "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE CONDSTORE "
    "QRESYNC QUOTA";
inline const std::string kGreeting = "* OK [CAPABILITY " + kCaps + " AUTH=PLAIN AUTH=LOGIN] Pillarbox ready\r\n";
inline const std::string kLogin = "a LOGIN alice secret\r\n";
inline const std::string kLoggedIn = "a OK [CAPABILITY " + kCaps + "] Logged in\r\n";

}  // namespace imap_test
