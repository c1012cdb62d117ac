// Mappings. Targets without '@' must name an existing account or list now;
// later renames and deletions are handled by their own functions (deleting
// an account deletes its aliases). A /regex/ keeps its case in the unique
// index; every other pattern compares ignoring case.
#include "libcore/store/mappings.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/lookup.hpp"
#include "libcore/store/pg_values.hpp"
#include "libcore/store/validate.hpp"

namespace pillarbox::store {
namespace {

constexpr const char* kColumns = "id, pattern, type, target, collector_id, comment";

route::Mapping mapping_from(const pqxx::row& r) {
  route::Mapping m;
  m.id = r[0].as<int64_t>();
  m.pattern = r[1].as<std::string>();
  m.type = parse_mapping_type(r[2].as<std::string>()).value_or(route::MappingType::Always);
  m.target = r[3].as<std::string>();
  m.collector_id = optional_int(r[4]);
  m.comment = r[5].as<std::string>();
  return m;
}

Expected<void> check_pattern(std::string_view p) {
  bool ok = !p.empty() && p.size() <= 512;
  if (ok && p.front() == '/') {
    auto close = p.rfind('/');
    ok = close > 1 && p.substr(close + 1).find_first_not_of("ism") == std::string_view::npos;
  } else {
    for (char c : p) {
      auto byte = static_cast<unsigned char>(c);
      ok = ok && byte > 0x20 && byte != 0x7f && c != '<' && c != '>' && c != ',' && c != ';';
    }
  }
  if (!ok) {
    return fail(ErrorCode::InvalidInput,
                "invalid mapping pattern '" + std::string(p) +
                    "': use an address, a local part, a wildcard (* ?), ~@domain or /regex/flags (i s m)");
  }
  return {};
}

// NotFound unless the target is a special word, an address, an account or a list.
Expected<void> check_target(pqxx::transaction_base& tx, const std::string& target) {
  if (is_reserved_target(target)) return {};
  if (target.find('@') != std::string::npos) return check_address("mapping target", target);
  if (find_account_id(tx, target) || find_list_id(tx, target)) return {};
  return fail(ErrorCode::NotFound, "unknown mapping target '" + target +
                                       "': not an account, a list, an address, 'remote' or 'no-one'");
}

}  // namespace

std::string_view to_string(route::MappingType type) {
  switch (type) {
    case route::MappingType::Smtp: return "smtp";
    case route::MappingType::Pop3: return "pop3";
    case route::MappingType::From: return "from";
    case route::MappingType::Always: break;
  }
  return "always";
}

std::optional<route::MappingType> parse_mapping_type(std::string_view text) {
  const std::string t = to_lower(text);
  if (t == "always") return route::MappingType::Always;
  if (t == "smtp") return route::MappingType::Smtp;
  if (t == "pop3") return route::MappingType::Pop3;
  if (t == "from") return route::MappingType::From;
  return std::nullopt;
}

Expected<route::Mapping> add_mapping(pqxx::connection& conn, const route::Mapping& m) {
  if (auto ok = check_pattern(m.pattern); !ok) return Unexpected{ok.error()};
  if (auto ok = check_comment(m.comment); !ok) return Unexpected{ok.error()};
  const std::string label = "mapping '" + m.pattern + "' -> '" + m.target + "'";
  return guarded("adding " + label, [&]() -> Expected<route::Mapping> {
    pqxx::work tx{conn};
    if (auto ok = check_target(tx, m.target); !ok) return Unexpected{ok.error()};
    const std::string type(to_string(m.type));
    auto same = tx.exec_params(
        "SELECT 1 FROM mappings WHERE type = $2 AND lower(target) = lower($3) "
        "AND coalesce(collector_id, 0) = coalesce($4::bigint, 0) AND "
        "CASE WHEN pattern LIKE '/%' THEN pattern ELSE lower(pattern) END = "
        "CASE WHEN $1::text LIKE '/%' THEN $1::text ELSE lower($1::text) END",
        m.pattern, type, m.target, m.collector_id);
    if (!same.empty()) return fail(ErrorCode::AlreadyExists, label + " already exists");
    auto row = tx.exec_params1(
        "INSERT INTO mappings (pattern, type, target, collector_id, comment) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING " + std::string(kColumns),
        m.pattern, type, m.target, m.collector_id, m.comment);
    tx.commit();
    return mapping_from(row);
  });
}

Expected<void> delete_mapping(pqxx::connection& conn, int64_t id) {
  return guarded("deleting mapping " + std::to_string(id), [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = tx.exec_params("DELETE FROM mappings WHERE id = $1", id);
    if (r.affected_rows() == 0) return fail(ErrorCode::NotFound, "no mapping " + std::to_string(id));
    tx.commit();
    return {};
  });
}

Expected<int64_t> delete_mappings(pqxx::connection& conn, std::string_view pattern,
                                  const std::optional<std::string>& target) {
  const std::string p(pattern);
  return guarded("deleting mapping '" + p + "'", [&]() -> Expected<int64_t> {
    pqxx::work tx{conn};
    auto r = tx.exec_params(
        "DELETE FROM mappings WHERE "
        "CASE WHEN pattern LIKE '/%' THEN pattern ELSE lower(pattern) END = "
        "CASE WHEN $1::text LIKE '/%' THEN $1::text ELSE lower($1::text) END "
        "AND ($2::text IS NULL OR lower(target) = lower($2))",
        p, target);
    if (r.affected_rows() == 0)
      return fail(ErrorCode::NotFound, "no mapping '" + p + "'" + (target ? " -> '" + *target + "'" : ""));
    tx.commit();
    return static_cast<int64_t>(r.affected_rows());
  });
}

std::vector<route::Mapping> read_mappings(pqxx::transaction_base& tx) {
  std::vector<route::Mapping> out;
  for (const auto& r : tx.exec("SELECT " + std::string(kColumns) + " FROM mappings ORDER BY id"))
    out.push_back(mapping_from(r));
  return out;
}

Expected<std::vector<route::Mapping>> list_mappings(pqxx::connection& conn) {
  return guarded("listing mappings", [&]() -> Expected<std::vector<route::Mapping>> {
    pqxx::read_transaction tx{conn};
    auto out = read_mappings(tx);
    tx.commit();
    return out;
  });
}

}  // namespace pillarbox::store
