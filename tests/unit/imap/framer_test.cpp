// Unit tests of the IMAP command framer (proto/imap/framer.hpp): line ends,
// synchronising and non-synchronising literals, literals split across
// reads, the line/literal/command limits, IDLE's DONE, and that any slicing
// of the input gives the same events.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "proto/imap/framer.hpp"

using namespace pillarbox::imap;
using Kind = CommandFramer::Kind;

namespace {

// Feeds `input` in slices of `step` octets (0 = whole); events come out as
// text: commands as they are, others as "<continue n tag>", "<too long tag>"...
std::vector<std::string> frame(const std::string& input, std::size_t step = 0, Limits limits = {},
                               bool idle_after_idle = false) {
  CommandFramer framer(limits);
  std::vector<std::string> out;
  std::string buffer;
  for (std::size_t pos = 0; pos < input.size();) {
    std::size_t n = step == 0 ? input.size() - pos : std::min(step, input.size() - pos);
    buffer.append(input, pos, n);
    pos += n;
    while (true) {
      CommandFramer::Result r = framer.next(buffer);
      buffer.erase(0, r.consumed);
      switch (r.kind) {
        case Kind::NeedMore: break;
        case Kind::Command:
          out.push_back(r.command);
          if (idle_after_idle && r.command.size() >= 4 && r.command.substr(r.command.size() - 4) == "IDLE") {
            framer.begin_idle();
          }
          break;
        case Kind::Continue: out.push_back("<continue " + std::to_string(r.literal_size) + " " + r.tag + ">"); break;
        case Kind::IdleDone: out.emplace_back("<done>"); break;
        case Kind::IdleOther: out.push_back("<idle " + r.command + ">"); break;
        case Kind::LineTooLong: out.push_back("<line too long " + r.tag + ">"); break;
        case Kind::LiteralTooBig:
          out.push_back("<literal too big " + std::to_string(r.literal_size) + (r.non_synchronising ? "+ " : " ") +
                        r.tag + ">");
          break;
        case Kind::CommandTooLong: out.push_back("<command too long " + r.tag + ">"); break;
      }
      if (r.kind == Kind::NeedMore) break;
    }
  }
  return out;
}

// Whole, byte by byte and in slices of 3 and 7 must agree.
std::vector<std::string> frame_all_ways(const std::string& input, Limits limits = {}, bool idle = false) {
  std::vector<std::string> whole = frame(input, 0, limits, idle);
  CHECK(frame(input, 1, limits, idle) == whole);
  CHECK(frame(input, 3, limits, idle) == whole);
  CHECK(frame(input, 7, limits, idle) == whole);
  return whole;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("imap commands end at CRLF or a bare LF; empty lines are skipped", "[imap][framer]") {
  CHECK(frame_all_ways("a1 NOOP\r\na2 CAPABILITY\nA3 LOGOUT\r\n") == V{"a1 NOOP", "a2 CAPABILITY", "A3 LOGOUT"});
  CHECK(frame_all_ways("\r\n\na NOOP\r\n\r\n") == V{"a NOOP"});
  CHECK(frame_all_ways("a X\rY\r\n") == V{"a X\rY"});
}

TEST_CASE("imap an incomplete command needs more", "[imap][framer]") {
  CommandFramer framer;
  auto r = framer.next("a NOO");
  CHECK(r.kind == Kind::NeedMore);
  CHECK(r.consumed == 5);
  CHECK(framer.in_command());
  r = framer.next("P\r");
  CHECK(r.kind == Kind::NeedMore);
  r = framer.next("\n");
  CHECK(r.kind == Kind::Command);
  CHECK(r.command == "a NOOP");
  CHECK_FALSE(framer.in_command());
}

TEST_CASE("imap synchronising literal asks for a continuation", "[imap][framer]") {
  CHECK(frame_all_ways("a LOGIN {5}\r\nalice {6}\r\nsecret\r\n") ==
        V{"<continue 5 a>", "<continue 6 a>", "a LOGIN {5}\r\nalice {6}\r\nsecret"});
  // Bare LF after the marker is canonicalised to CRLF.
  CHECK(frame_all_ways("a LOGIN {5}\nalice bob\n") == V{"<continue 5 a>", "a LOGIN {5}\r\nalice bob"});
  // A literal of zero octets still needs its continuation.
  CHECK(frame_all_ways("a LOGIN {0}\r\n {0}\r\n\r\n") == V{"<continue 0 a>", "<continue 0 a>", "a LOGIN {0}\r\n {0}\r\n"});
}

TEST_CASE("imap literal octets are taken verbatim, CRLF and all", "[imap][framer]") {
  std::string msg = "From: x\r\n\r\nbody\nline {3}\r\n";
  std::string in = "A APPEND INBOX {" + std::to_string(msg.size()) + "+}\r\n" + msg + "\r\nB NOOP\r\n";
  CHECK(frame_all_ways(in) ==
        V{"A APPEND INBOX {" + std::to_string(msg.size()) + "+}\r\n" + msg, "B NOOP"});
}

TEST_CASE("imap non-synchronising literal needs no continuation", "[imap][framer]") {
  CHECK(frame_all_ways("a LOGIN {5+}\r\nalice {6+}\r\nsecret\r\nb NOOP\r\n") ==
        V{"a LOGIN {5+}\r\nalice {6+}\r\nsecret", "b NOOP"});
}

TEST_CASE("imap literal split across reads", "[imap][framer]") {
  CommandFramer framer;
  auto r = framer.next("a1 LOGIN {11}\r");
  CHECK(r.kind == Kind::NeedMore);
  r = framer.next("\n");
  CHECK(r.kind == Kind::Continue);
  CHECK(r.literal_size == 11);
  CHECK(r.tag == "a1");
  r = framer.next("hello");
  CHECK(r.kind == Kind::NeedMore);
  CHECK(r.consumed == 5);
  r = framer.next(" world pw\r\nz");
  CHECK(r.kind == Kind::Command);
  CHECK(r.command == "a1 LOGIN {11}\r\nhello world pw");
  CHECK(r.consumed == 11);
}

TEST_CASE("imap line length limit", "[imap][framer]") {
  Limits l;
  l.max_line = 10;
  CHECK(frame_all_ways("a 23456789\r\nb NOOP\r\n", l) == V{"a 23456789", "b NOOP"});
  CHECK(frame_all_ways("a 234567890\r\nb NOOP\r\n", l) == V{"<line too long a>", "b NOOP"});
  CHECK(frame_all_ways("* 234567890\r\nb NOOP\r\n", l) == V{"<line too long >", "b NOOP"});
  // A too-long line ending in a non-synchronising literal: the literal is
  // skipped too, and what follows it up to the end of the command.
  CHECK(frame_all_ways("a 234567890 {4+}\r\nX\r\nY b\r\nc NOOP\r\n", l) == V{"<line too long a>", "c NOOP"});
  // Ending in a synchronising literal: the client waits, nothing is skipped.
  CHECK(frame_all_ways("a 234567890 {4}\r\nc NOOP\r\n", l) == V{"<line too long a>", "c NOOP"});
  // A tag is reported only when it ends within the first max_line+1 octets,
  // so the report does not depend on how the input was split.
  CHECK(frame_all_ways("abcdefghijklmnop NOOP\r\n", l) == V{"<line too long >"});
  CHECK(frame_all_ways("abcdefghij NOOP\r\n", l) == V{"<line too long abcdefghij>"});
  // The lower of the line and command limits decides which is reported.
  Limits both = l;
  both.max_command = 15;
  CHECK(frame_all_ways("a X {2+}\r\nxy 234567890\r\n", both) == V{"<command too long a>"});
  // The limit applies to each line of a command with literals.
  CHECK(frame_all_ways("a X {1+}\r\nx 2345678901\r\nc NOOP\r\n", l) == V{"<line too long a>", "c NOOP"});
}

TEST_CASE("imap literal size limit", "[imap][framer]") {
  Limits l;
  l.max_literal = 5;
  CHECK(frame_all_ways("a LOGIN {5}\r\nalice x\r\n", l) == V{"<continue 5 a>", "a LOGIN {5}\r\nalice x"});
  // Synchronising: refused before the client sends anything.
  CHECK(frame_all_ways("a APPEND INBOX {6}\r\nb NOOP\r\n", l) == V{"<literal too big 6 a>", "b NOOP"});
  // Non-synchronising: the octets (and the rest of the command) are skipped.
  CHECK(frame_all_ways("a APPEND INBOX {6+}\r\nab\r\nde extra {2+}\r\nxy\r\nb NOOP\r\n", l) ==
        V{"<literal too big 6+ a>", "b NOOP"});
  CHECK(frame_all_ways("a APPEND INBOX {99999999999999999999999}\r\nb NOOP\r\n", l) ==
        V{"<literal too big 18446744073709551615 a>", "b NOOP"});
}

TEST_CASE("imap command size limit", "[imap][framer]") {
  Limits l;
  l.max_command = 30;
  l.max_line = 100;
  CHECK(frame_all_ways("a X {3+}\r\nabc {3+}\r\nabc\r\nb NOOP\r\n", l) ==
        V{"a X {3+}\r\nabc {3+}\r\nabc", "b NOOP"});
  CHECK(frame_all_ways("a X {3+}\r\nabc {20+}\r\n01234567890123456789\r\nb NOOP\r\n", l) ==
        V{"<command too long a>", "b NOOP"});
  CHECK(frame_all_ways("a 12345678901234567890123456789012\r\nb NOOP\r\n", l) ==
        V{"<command too long a>", "b NOOP"});
}

TEST_CASE("imap literal markers that are not literals", "[imap][framer]") {
  CHECK(frame_all_ways("a X {}\r\nb X {1a}\r\nc X {+}\r\n") == V{"a X {}", "b X {1a}", "c X {+}"});
}

TEST_CASE("imap IDLE continuation: DONE in any case, or something else", "[imap][framer]") {
  CHECK(frame_all_ways("a IDLE\r\nDONE\r\nb IDLE\r\ndone\nc NOOP\r\n", {}, true) ==
        V{"a IDLE", "<done>", "b IDLE", "<done>", "c NOOP"});
  CHECK(frame_all_ways("a IDLE\r\nb NOOP {3}\r\n", {}, true) == V{"a IDLE", "<idle b NOOP {3}>"});
  CommandFramer framer;
  framer.begin_idle();
  CHECK(framer.idle());
  auto r = framer.next("DONE\r\n");
  CHECK(r.kind == Kind::IdleDone);
  CHECK_FALSE(framer.idle());
}

TEST_CASE("imap command_tag", "[imap][framer]") {
  CHECK(command_tag("a1 NOOP") == "a1");
  CHECK(command_tag("a1") == "a1");
  CHECK(command_tag("x]y NOOP") == "x]y");
  CHECK(command_tag("+a NOOP").empty());
  CHECK(command_tag("a+ NOOP").empty());
  CHECK(command_tag("* NOOP").empty());
  CHECK(command_tag(" NOOP").empty());
  CHECK(command_tag("a(b NOOP").empty());
  CHECK(command_tag("").empty());
}
