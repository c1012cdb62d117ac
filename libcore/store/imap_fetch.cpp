// FETCH reads. The select list is assembled from fixed fragments chosen by
// FetchItems (no client text reaches the SQL); results come back in a fixed
// column order so the reader knows where each field is.
#include "libcore/store/imap_fetch.hpp"

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/imap_common.hpp"
#include "libcore/store/pg_values.hpp"

namespace pillarbox::store {
namespace {

constexpr int64_t kMaxOffset = 1'000'000'000;  // under 2^31 - 1, beyond any bytea

bool needs_bodies(const FetchItems& i) { return i.envelope || i.body || i.bodystructure || i.parts || i.raw; }

std::string fetch_sql(const FetchItems& i) {
  // Unused columns are constants, so every column keeps its index.
  std::string sql = "SELECT mm.uid";
  sql += i.flags ? ", mm.flags, mm.keywords" : ", NULL, NULL";
  sql += i.modseq ? ", mm.modseq" : ", 0";
  sql += i.internal_date ? ", extract(epoch FROM mm.internal_date)::bigint" : ", 0";
  sql += i.size ? ", mm.size" : ", 0";
  sql += i.envelope ? ", b.envelope" : ", ''";
  sql += i.body ? ", b.body" : ", ''";
  sql += i.bodystructure ? ", b.bodystructure" : ", ''";
  sql += i.parts ? ", b.parts" : ", ''";
  sql += i.raw ? ", b.raw" : ", NULL";
  sql += " FROM mailbox_messages mm";
  if (needs_bodies(i)) sql += " JOIN bodies b ON b.id = mm.body_id";
  sql += " WHERE mm.mailbox_id = $1 AND mm.uid = ANY($2::bigint[]) ORDER BY mm.uid";
  return sql;
}

}  // namespace

Expected<std::vector<FetchedMessage>> fetch_messages(pqxx::connection& conn, int64_t mailbox_id,
                                                     const std::vector<int64_t>& uids, const FetchItems& items) {
  if (uids.empty()) return std::vector<FetchedMessage>{};
  return guarded("fetching messages", [&]() -> Expected<std::vector<FetchedMessage>> {
    pqxx::read_transaction tx{conn};
    auto rows = tx.exec_params(fetch_sql(items), mailbox_id, to_pg_bigint_array(uids));
    std::vector<FetchedMessage> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
      FetchedMessage m;
      m.uid = r[0].as<int64_t>();
      m.flags = from_pg_array(r[1]);
      m.keywords = from_pg_array(r[2]);
      m.modseq = r[3].as<int64_t>();
      m.internal_date = r[4].as<int64_t>();
      m.size = r[5].as<int64_t>();
      m.envelope = r[6].as<std::string>();
      m.body = r[7].as<std::string>();
      m.bodystructure = r[8].as<std::string>();
      m.parts = r[9].as<std::string>();
      if (!r[10].is_null()) m.raw = pqxx::binarystring(r[10]).str();
      out.push_back(std::move(m));
    }
    tx.commit();
    return out;
  });
}

Expected<std::vector<std::optional<std::string>>> fetch_ranges(pqxx::connection& conn, int64_t mailbox_id,
                                                                const std::vector<RangeRequest>& ranges) {
  std::vector<std::optional<std::string>> out(ranges.size());
  if (ranges.empty()) return out;
  std::vector<int64_t> uids, offsets, lengths;
  for (const auto& r : ranges) {
    if (r.offset < 0 || r.offset > kMaxOffset || r.length > kMaxOffset)
      return fail(ErrorCode::InvalidInput, "byte range out of bounds");
    uids.push_back(r.uid);
    offsets.push_back(r.offset);
    lengths.push_back(r.length);
  }
  return guarded("fetching message bytes", [&]() -> Expected<std::vector<std::optional<std::string>>> {
    pqxx::read_transaction tx{conn};
    // substring(raw FROM n) with no FOR reads to the end; FOR must not be
    // negative. substring takes int: a bytea is at most 1 GB anyway.
    auto rows = tx.exec_params(
        "SELECT q.n, CASE WHEN q.len < 0 THEN substring(b.raw FROM (q.off + 1)::int) "
        "                 ELSE substring(b.raw FROM (q.off + 1)::int FOR q.len::int) END "
        "  FROM unnest($2::bigint[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS q(uid, off, len, n) "
        "  JOIN mailbox_messages mm ON mm.mailbox_id = $1 AND mm.uid = q.uid "
        "  JOIN bodies b ON b.id = mm.body_id",
        mailbox_id, to_pg_bigint_array(uids), to_pg_bigint_array(offsets), to_pg_bigint_array(lengths));
    tx.commit();
    for (const auto& r : rows) {
      const auto n = r[0].as<std::size_t>();
      out[n - 1] = pqxx::binarystring(r[1]).str();
    }
    return out;
  });
}

}  // namespace pillarbox::store
