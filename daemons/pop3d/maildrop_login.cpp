#include "daemons/pop3d/maildrop_login.hpp"

#include "daemons/pop3d/lock_identity.hpp"
#include "libcore/access/rule.hpp"
#include "libcore/auth/apop.hpp"
#include "libcore/base/log.hpp"
#include "libcore/store/accounts.hpp"
#include "libcore/store/apop.hpp"
#include "libcore/store/security_events.hpp"

namespace pillarbox::pop3d {
namespace {

struct Credentials {
  int64_t account_id = 0;
  std::string account;
};

// PermissionDenied for bad credentials (one message for every cause);
// other codes mean the store failed.
Expected<Credentials> check_credentials(pqxx::connection& conn, const LoginRequest& r,
                                        const std::optional<crypto::Key>& key) {
  if (r.mechanism == "APOP") {
    auto account = store::apop_account(conn, r.user);
    if (!account) return Unexpected{account.error()};
    if (!key) return fail(ErrorCode::Unavailable, "APOP: the server key is not available");
    auto secret = crypto::open(*key, account->sealed);
    if (!secret) return fail(ErrorCode::Internal, "APOP secret of '" + account->name + "' does not open");
    if (!auth::apop_matches(r.apop_timestamp, *secret, r.password))
      return fail(ErrorCode::PermissionDenied, "invalid login or password", "wrong APOP digest: '" + r.user + "'");
    return Credentials{account->id, account->name};
  }
  // No proxy logins: an authorisation identity must be the user itself.
  if (!r.authzid.empty() && !access::same_user(r.authzid, r.user))
    return fail(ErrorCode::PermissionDenied, "invalid login or password", "authzid differs from the user");
  auto id = store::verify_login(conn, r.user, r.password);
  if (!id) return Unexpected{id.error()};
  auto account = store::get_account(conn, r.user);
  if (!account) return Unexpected{account.error()};
  return Credentials{*id, account->name};
}

// Takes the lock, or takes over one a dead process left. False: a live
// session holds it.
Expected<bool> lock_maildrop(pqxx::connection& conn, int64_t account_id, const store::LockHolder& me) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto holder = store::take_pop3_lock(conn, account_id, me);
    if (!holder) return Unexpected{holder.error()};
    if (!*holder) return true;
    if ((*holder)->node.empty()) continue;  // released meanwhile: try again
    if (!holder_is_dead(**holder, me)) return false;
    auto taken = store::take_over_pop3_lock(conn, account_id, **holder, me);
    if (!taken) return Unexpected{taken.error()};
    if (*taken) {
      log::info("pop3: took over the maildrop lock of dead process {} for account {}", (*holder)->pid, account_id);
      return true;
    }
  }
  return false;
}

void record_failure(pqxx::connection& conn, const LoginRequest& r, const std::string& why) {
  if (auto w = store::record_login_failure(conn, {"pop3", r.address, r.user, why}); !w)
    log::warning("recording a failed login: {}", w.error().describe());
}

}  // namespace

LoginOutcome open_maildrop(pqxx::connection& conn, const LoginRequest& r, const std::optional<crypto::Key>& key,
                           const store::LockHolder& me) {
  LoginOutcome out;
  auto who = check_credentials(conn, r, key);
  if (!who) {
    out.why = who.error().context.empty() ? who.error().describe() : who.error().context;
    if (who.error().code == ErrorCode::PermissionDenied) {
      out.result = pop3::AuthResult::Invalid;
      record_failure(conn, r, out.why);
    } else {
      out.result = pop3::AuthResult::Temporary;
    }
    return out;
  }
  out.account_id = who->account_id;
  out.account = who->account;
  if (!r.permitted) {
    out.result = pop3::AuthResult::NotAllowed;
    out.why = "not allowed from this address";
    record_failure(conn, r, out.why);
    return out;
  }
  auto locked = lock_maildrop(conn, who->account_id, me);
  if (!locked) {
    out.result = pop3::AuthResult::Temporary;
    out.why = locked.error().describe();
    return out;
  }
  if (!*locked) {
    out.result = pop3::AuthResult::InUse;
    out.why = "maildrop locked by another session";
    return out;
  }
  auto listing = store::inbox_messages(conn, who->account_id);
  if (!listing) {
    (void)store::release_pop3_lock(conn, who->account_id, me);
    out.result = pop3::AuthResult::Temporary;
    out.why = listing.error().describe();
    return out;
  }
  out.messages = std::move(*listing);
  out.result = pop3::AuthResult::Ok;
  return out;
}

}  // namespace pillarbox::pop3d
