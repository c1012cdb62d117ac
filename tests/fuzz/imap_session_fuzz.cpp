// libFuzzer target for the IMAP engine (proto/imap/session.hpp, with its
// framer, parser, view and FETCH section code), driven by the in-memory
// host of the unit tests (tests/unit/imap/fake_host.hpp). Built by `cmake
// -DPILLARBOX_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++`; run
// `imap_session_fuzz -max_total_time=60`.
//
// The first byte picks options and limits; the rest is client input, cut
// into segments at "~~~" where the host signals a mailbox change (and a
// pending STARTTLS completes). Oracles: the input fed whole, in ragged
// slices and (when short) byte by byte gives the same transcript; every
// write ends in CRLF; nothing follows Close.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "../unit/imap/fake_host.cpp"  // the test host, compiled into this target

using namespace pillarbox::imap;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

std::vector<std::string_view> segments(std::string_view input) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t cut = input.find("~~~");
    out.push_back(input.substr(0, cut));
    if (cut == std::string_view::npos) return out;
    input.remove_prefix(cut + 3);
  }
}

std::string play(const Options& o, const Limits& l, const std::vector<std::string_view>& parts, std::size_t step) {
  imap_test::FakeAccount account;
  account.deliver("INBOX", "From: a@b\r\nSubject: one\r\n\r\nbody\r\n");
  account.deliver("INBOX",
                  "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\none\r\n--x\r\n"
                  "Content-Type: message/rfc822\r\n\r\nSubject: in\r\n\r\nin\r\n--x--\r\n",
                  {"\\Seen"});
  account.deliver("Trash", "Subject: t\r\n\r\n");
  imap_test::Player player(account, o, l);
  player.start();
  std::string trace;
  for (auto part : parts) {
    player.feed(part, step == 0 ? part.size() + 1 : step);
    account.deliver("INBOX", "Subject: new\r\n\r\nnew\r\n");
    player.changed();
    player.tls_done();
    trace += player.take();
  }
  player.shutdown();
  trace += player.take();
  // Whole lines only, and nothing after the close.
  const std::size_t close = trace.find("#close\n");
  check(close == std::string::npos || close + 7 == trace.size());
  const std::string body = trace.substr(0, close);
  std::string plain;
  for (std::size_t pos = 0; pos < body.size();) {
    std::size_t tls = body.find("#tls\n", pos);
    plain += body.substr(pos, tls - pos);
    if (tls == std::string::npos) break;
    pos = tls + 5;
  }
  check(plain.empty() || plain.size() >= 2);
  if (!plain.empty()) check(plain.compare(plain.size() - 2, 2, "\r\n") == 0);
  return trace;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t config = data[0];
  Options options;
  options.hostname = "imap.example.org";
  options.tls_available = (config & 1) != 0;
  options.tls_active = (config & 2) != 0;
  options.plain_login_without_tls = (config & 4) != 0;
  Limits limits;
  limits.max_line = (config & 8) != 0 ? 64 : 4096;
  limits.max_literal = 256;
  limits.max_command = 2048;
  limits.max_errors = (config & 16) != 0 ? 3 : 1000;

  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto parts = segments(input);
  const std::string whole = play(options, limits, parts, 0);
  check(play(options, limits, parts, 1 + (config >> 5) * 3) == whole);
  if (input.size() <= 2048) check(play(options, limits, parts, 1) == whole);
  return 0;
}
