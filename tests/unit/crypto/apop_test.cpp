// APOP digests: the example of RFC 1939 §7, any case accepted, wrong refused.
#include <catch2/catch.hpp>

#include "libcore/auth/apop.hpp"

using namespace pillarbox;

TEST_CASE("the APOP digest of RFC 1939", "[apop]") {
  const char* ts = "<1896.697170952@dbc.mtview.ca.us>";
  CHECK(auth::apop_digest(ts, "tanstaaf") == "c4c9334bac560ecc979e58001b3e22fb");
  CHECK(auth::apop_matches(ts, "tanstaaf", "c4c9334bac560ecc979e58001b3e22fb"));
  CHECK(auth::apop_matches(ts, "tanstaaf", "C4C9334BAC560ECC979E58001B3E22FB"));
  CHECK_FALSE(auth::apop_matches(ts, "tanstaaf", "c4c9334bac560ecc979e58001b3e22fc"));
  CHECK_FALSE(auth::apop_matches(ts, "tanstaaf", "c4c9334b"));
  CHECK_FALSE(auth::apop_matches("<1.2@x>", "tanstaaf", "c4c9334bac560ecc979e58001b3e22fb"));
}
