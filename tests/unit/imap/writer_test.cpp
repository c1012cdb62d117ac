// Unit tests of the IMAP response writer (proto/imap/writer.hpp and
// response_code.hpp): string forms, nstring, astring and mailbox names,
// flag lists, date-times, status lines and response codes — and that what
// is written reads back through the parser as the same value.
#include <catch2/catch.hpp>

#include "parse_helpers.hpp"
#include "proto/imap/writer.hpp"

using namespace pillarbox::imap;

namespace {

std::string str(std::string_view s) {
  std::string out;
  append_string(out, s);
  return out;
}

std::string astr(std::string_view s) {
  std::string out;
  append_astring(out, s);
  return out;
}

}  // namespace

TEST_CASE("imap strings are quoted when safe, else literals", "[imap][writer]") {
  CHECK(str("hello") == "\"hello\"");
  CHECK(str("") == "\"\"");
  CHECK(str("a \"b\" \\c") == "\"a \\\"b\\\" \\\\c\"");
  CHECK(str("two\r\nlines") == "{10}\r\ntwo\r\nlines");
  CHECK(str("bare\nlf") == "{7}\r\nbare\nlf");
  CHECK(str("caf\xc3\xa9") == "{5}\r\ncaf\xc3\xa9");
  CHECK(str(std::string_view("a\0b", 3)) == "\"ab\"");
  CHECK(str(std::string(2000, 'x')) == "{2000}\r\n" + std::string(2000, 'x'));
  CHECK(quoted_or_literal("x") == "\"x\"");
}

TEST_CASE("imap nstring and astring", "[imap][writer]") {
  std::string out;
  append_nstring(out, std::nullopt);
  out += ' ';
  append_nstring(out, std::string("NIL"));
  CHECK(out == "NIL \"NIL\"");
  CHECK(astr("INBOX") == "INBOX");
  CHECK(astr("a]b") == "a]b");
  CHECK(astr("nil") == "\"nil\"");
  CHECK(astr("") == "\"\"");
  CHECK(astr("Sent Items") == "\"Sent Items\"");
  CHECK(astr("a*b") == "\"a*b\"");
  CHECK(astr("a{b") == "\"a{b\"");
}

TEST_CASE("imap mailbox names are written in modified UTF-7", "[imap][writer]") {
  std::string out;
  append_mailbox(out, "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
  CHECK(out == "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
  out.clear();
  append_mailbox(out, "R&D Entw\xc3\xbc" "rfe");
  CHECK(out == "\"R&-D Entw&APw-rfe\"");
  // Written names read back to the same wire form.
  auto cmd = imap_test::parse_ok("a SELECT " + out);
  CHECK(cmd.as<SelectArgs>().mailbox == "R&-D Entw&APw-rfe");
}

TEST_CASE("imap flag lists and date-times", "[imap][writer]") {
  std::string out;
  append_flag_list(out, {"\\Seen", "$Forwarded"});
  out += ' ';
  append_flag_list(out, {});
  out += ' ';
  append_date_time(out, DateTime{{2026, 11, 23}, 9, 30, 0, 0});
  CHECK(out == "(\\Seen $Forwarded) () \"23-Nov-2026 09:30:00 +0000\"");
}

TEST_CASE("imap status lines with and without response codes", "[imap][writer]") {
  CHECK(tagged("a1", Status::Ok, "SELECT completed", ResponseCode::read_write()) ==
        "a1 OK [READ-WRITE] SELECT completed\r\n");
  CHECK(tagged("a2", Status::No, "No such mailbox", ResponseCode::try_create()) == "a2 NO [TRYCREATE] No such mailbox\r\n");
  CHECK(tagged("a3", Status::Bad, "Missing argument") == "a3 BAD Missing argument\r\n");
  CHECK(untagged(Status::Ok, "UIDs valid", ResponseCode::uid_validity(3857529045u)) ==
        "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n");
  CHECK(untagged(Status::Bye, "Logging out") == "* BYE Logging out\r\n");
  CHECK(untagged(Status::PreAuth, "Hi") == "* PREAUTH Hi\r\n");
  CHECK(untagged(Status::Ok, "evil\r\n* injected") == "* OK evil  * injected\r\n");
  CHECK(continuation("Ready for literal data") == "+ Ready for literal data\r\n");
  CHECK(continuation("") == "+ \r\n");
  CHECK(untagged_number(23, "EXISTS") == "* 23 EXISTS\r\n");
}

TEST_CASE("imap response codes", "[imap][writer]") {
  CHECK(ResponseCode::append_uid(38505, 3955).text == "APPENDUID 38505 3955");
  CHECK(ResponseCode::copy_uid(38505, {304, 319, 320}, {3956, 3957, 3958}).text == "COPYUID 38505 304,319:320 3956:3958");
  CHECK(ResponseCode::copy_uid(1, {1, 2, 3}, {7, 9, 10}).text == "COPYUID 1 1:3 7,9:10");
  // Out of order: only runs rising together merge, so positions still pair.
  CHECK(ResponseCode::copy_uid(1, {5, 6, 2, 3}, {10, 11, 12, 13}).text == "COPYUID 1 5:6,2:3 10:11,12:13");
  CHECK(ResponseCode::already_exists().text == "ALREADYEXISTS");
  CHECK(ResponseCode::nonexistent().text == "NONEXISTENT");
  CHECK(ResponseCode::closed().text == "CLOSED");
  CHECK(ResponseCode::too_big().text == "TOOBIG");
  CHECK(ResponseCode::highest_modseq(715194045007ull).text == "HIGHESTMODSEQ 715194045007");
  CHECK(ResponseCode::modified({7, 9, 10, 11}).text == "MODIFIED 7,9:11");
  CHECK(ResponseCode::uid_next(4392).text == "UIDNEXT 4392");
  CHECK(ResponseCode::unseen(12).text == "UNSEEN 12");
  CHECK(ResponseCode::permanent_flags({"\\Deleted", "\\Seen", "\\*"}).text == "PERMANENTFLAGS (\\Deleted \\Seen \\*)");
  CHECK(ResponseCode::capability({"IMAP4rev1", "IDLE"}).text == "CAPABILITY IMAP4rev1 IDLE");
  CHECK(ResponseCode::bad_charset({"UTF-8", "US-ASCII"}).text == "BADCHARSET (UTF-8 US-ASCII)");
  CHECK(ResponseCode::no_modseq().text == "NOMODSEQ");
}

TEST_CASE("imap written strings parse back to the same value", "[imap][writer]") {
  for (std::string value : {std::string("plain"), std::string(""), std::string("with \"quotes\" and \\"),
                            std::string("multi\r\nline"), std::string("8bit \xc3\xa4"), std::string(1500, 'z')}) {
    INFO(value);
    std::string user;
    append_astring(user, value);
    std::string pass;
    append_string(pass, value);
    auto login = imap_test::parse_ok("t LOGIN " + user + " " + pass).as<LoginArgs>();
    CHECK(login.user == value);
    CHECK(login.password == value);
  }
}
