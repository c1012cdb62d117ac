// Domains: thin CRUD over the `domains` table; the duplicate check runs in
// the transaction so that its message can name the domain (the unique index
// still catches a concurrent insert, as "adding domain ...: already exists").
#include "libcore/store/domains.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "libcore/store/failure.hpp"
#include "libcore/store/validate.hpp"

namespace pillarbox::store {
namespace {

Domain domain_from(const pqxx::row& r) {
  Domain d;
  d.id = r[0].as<int64_t>();
  d.name = r[1].as<std::string>();
  d.kind = r[2].as<std::string>() == "accepted" ? DomainKind::Accepted : DomainKind::Local;
  d.comment = r[3].as<std::string>();
  return d;
}

}  // namespace

std::string_view to_string(DomainKind kind) {
  return kind == DomainKind::Accepted ? "accepted" : "local";
}

Expected<Domain> add_domain(pqxx::connection& conn, std::string_view name, DomainKind kind,
                            std::string_view comment) {
  if (auto ok = check_domain(name, kind == DomainKind::Accepted); !ok) return Unexpected{ok.error()};
  if (auto ok = check_comment(comment); !ok) return Unexpected{ok.error()};
  const std::string n(name), k(to_string(kind));
  return guarded("adding domain '" + n + "'", [&]() -> Expected<Domain> {
    pqxx::work tx{conn};
    if (!tx.exec_params("SELECT 1 FROM domains WHERE lower(name) = lower($1) AND kind = $2", n, k).empty())
      return fail(ErrorCode::AlreadyExists, k + " domain '" + n + "' already exists");
    auto row = tx.exec_params1(
        "INSERT INTO domains (name, kind, comment) VALUES ($1, $2, $3) "
        "RETURNING id, name, kind, comment",
        n, k, std::string(comment));
    tx.commit();
    return domain_from(row);
  });
}

Expected<void> delete_domain(pqxx::connection& conn, std::string_view name, DomainKind kind) {
  const std::string n(name), k(to_string(kind));
  return guarded("deleting domain '" + n + "'", [&]() -> Expected<void> {
    pqxx::work tx{conn};
    auto r = tx.exec_params("DELETE FROM domains WHERE lower(name) = lower($1) AND kind = $2", n, k);
    if (r.affected_rows() == 0) return fail(ErrorCode::NotFound, "no " + k + " domain '" + n + "'");
    tx.commit();
    return {};
  });
}

std::vector<Domain> read_domains(pqxx::transaction_base& tx) {
  std::vector<Domain> out;
  for (const auto& row : tx.exec("SELECT id, name, kind, comment FROM domains "
                                 "ORDER BY kind = 'accepted', lower(name)"))
    out.push_back(domain_from(row));
  return out;
}

Expected<std::vector<Domain>> list_domains(pqxx::connection& conn) {
  return guarded("listing domains", [&]() -> Expected<std::vector<Domain>> {
    pqxx::read_transaction tx{conn};
    auto out = read_domains(tx);
    tx.commit();
    return out;
  });
}

}  // namespace pillarbox::store
