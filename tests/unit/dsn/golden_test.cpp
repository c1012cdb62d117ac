// Whole reports compared octet for octet with tests/data/dsn/*.eml (stored
// with LF line ends, compared in CRLF form). Set PILLARBOX_DSN_WRITE_GOLDEN=1
// to rewrite the files from the current output after a deliberate change.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "fixtures.hpp"

using namespace pillarbox::dsn;
using namespace pillarbox::dsn::test;

namespace {

void compare_with(const std::string& name, const Report& report) {
  check_wire(report.message);
  if (std::getenv("PILLARBOX_DSN_WRITE_GOLDEN") != nullptr) {
    std::string lf;
    for (char c : report.message) {
      if (c != '\r') lf += c;
    }
    std::ofstream(std::string(PILLARBOX_DSN_DATA) + "/" + name, std::ios::binary) << lf;
  }
  CHECK(report.message == crlf(data_file(name)));
}

}  // namespace

TEST_CASE("golden: a permanent failure with a multi-line reply", "[dsn][golden]") {
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  RecipientReport second = in.recipients[0];
  second.final_recipient = "carol@example.net";
  second.original_recipient = "rfc822;Carol+sales@Example.NET";
  const Outcome o = outcome_from_reply(
      "550-5.2.1 The email account that you tried to reach is disabled.\r\n"
      "550 5.2.1 See https://support.example.net/disabled - mx.example.net\r\n");
  second.status = o.status;
  second.diagnostic = o.diagnostic;
  in.recipients.push_back(second);
  compare_with("failure.eml", build_ok(in));
}

TEST_CASE("golden: a delay notice", "[dsn][golden]") {
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  in.utc_offset_minutes = 60;
  RecipientReport& r = in.recipients[0];
  const Outcome o = outcome_from_reply("451 4.7.1 Greylisted, please try again in 300 seconds");
  r.action = Action::Delayed;
  r.status = o.status;
  r.diagnostic = o.diagnostic;
  r.will_retry_until = 1772787600;
  compare_with("delay.eml", build_ok(in));
}
