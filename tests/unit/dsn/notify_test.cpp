// RFC 3461 NOTIFY parsing and report selection (proto/dsn/notify.hpp).
#include "proto/dsn/notify.hpp"

#include <catch2/catch.hpp>

using namespace pillarbox::dsn;

namespace {

Notify parsed(std::string_view v) {
  auto n = parse_notify(v);
  if (!n) FAIL("parse_notify(" << v << "): " << n.error().context);
  return *n;
}

}  // namespace

TEST_CASE("NOTIFY lists and NEVER", "[dsn][notify]") {
  const Notify all = parsed("SUCCESS,FAILURE,DELAY");
  CHECK(all.success);
  CHECK(all.failure);
  CHECK(all.delay);
  CHECK(all.specified);

  const Notify success = parsed("SUCCESS");
  CHECK(success.success);
  CHECK_FALSE(success.failure);
  CHECK_FALSE(success.delay);

  const Notify never = parsed("NEVER");
  CHECK(never.specified);
  for (ReportKind k : {ReportKind::Failure, ReportKind::Delay, ReportKind::Success})
    CHECK_FALSE(wants(never, k));
}

TEST_CASE("NOTIFY is case-insensitive", "[dsn][notify]") {
  CHECK(parsed("failure,Delay") == parsed("FAILURE,DELAY"));
  CHECK(parsed("never") == parsed("NEVER"));
  CHECK(parsed("Success").success);
}

TEST_CASE("no NOTIFY means FAILURE and DELAY", "[dsn][notify]") {
  const Notify d = parsed("");
  CHECK_FALSE(d.specified);
  CHECK(wants(d, ReportKind::Failure));
  CHECK(wants(d, ReportKind::Delay));
  CHECK_FALSE(wants(d, ReportKind::Success));
  CHECK(d == default_notify());
}

TEST_CASE("invalid NOTIFY values are rejected", "[dsn][notify]") {
  for (const char* bad :
       {"SOMETIMES", "NEVER,SUCCESS", "SUCCESS,NEVER", "SUCCESS,,DELAY", ",SUCCESS", "SUCCESS,",
        "SUCCESS,SUCCESS", "SUCCESS DELAY", " SUCCESS", "FAILURES", ","}) {
    INFO(bad);
    const auto n = parse_notify(bad);
    REQUIRE_FALSE(n);
    CHECK(n.error().code == pillarbox::ErrorCode::InvalidInput);
  }
}

TEST_CASE("which actions a recipient wants reported", "[dsn][notify]") {
  CHECK(kind_of(Action::Failed) == ReportKind::Failure);
  CHECK(kind_of(Action::Delayed) == ReportKind::Delay);
  CHECK(kind_of(Action::Delivered) == ReportKind::Success);
  CHECK(kind_of(Action::Relayed) == ReportKind::Success);
  CHECK(kind_of(Action::Expanded) == ReportKind::Success);

  CHECK(wants_report("", Action::Failed));
  CHECK(wants_report("", Action::Delayed));
  CHECK_FALSE(wants_report("", Action::Delivered));
  CHECK_FALSE(wants_report("NEVER", Action::Failed));
  CHECK(wants_report("SUCCESS", Action::Relayed));
  CHECK_FALSE(wants_report("SUCCESS", Action::Failed));
  CHECK_FALSE(wants_report("FAILURE", Action::Delayed));
  CHECK(wants_report("failure", Action::Failed));
  // A corrupt stored value falls back to the default.
  CHECK(wants_report("BOGUS", Action::Failed));
  CHECK_FALSE(wants_report("BOGUS", Action::Delivered));
}
