// QUOTA (RFC 9208): one quota root per account, "" (GETQUOTAROOT of any of its
// mailboxes answers it), with the STORAGE (KiB) and MESSAGE resources. The
// limit is accounts.quota_mb; enforcing it is not done here (incoming mail is
// never refused for quota). Database worker threads only.
#pragma once

#include <cstdint>
#include <optional>

#include <pqxx/connection>

#include "libcore/base/expected.hpp"

namespace pillarbox::store {

struct QuotaUsage {
  int64_t bytes = 0;                      // all messages in all mailboxes, each copy counted
  int64_t messages = 0;
  std::optional<int64_t> storage_limit_kib;  // quota_mb * 1024; none when quota_mb is 0

  int64_t storage_kib() const { return (bytes + 1023) / 1024; }  // RFC 9208 STORAGE usage, rounded up
};

// NotFound for an unknown account.
Expected<QuotaUsage> account_quota(pqxx::connection& conn, int64_t account_id);

}  // namespace pillarbox::store
