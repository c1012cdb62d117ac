// Pop3Session internals. Database callbacks hold a weak reference to
// `alive_` and do nothing once the session is gone; a lock taken for a
// session that has meanwhile ended is given back by that callback.
#include "daemons/pop3d/pop3_session.hpp"

#include <unistd.h>

#include <ctime>

#include "daemons/pop3d/maildrop_login.hpp"
#include "libcore/base/log.hpp"
#include "libcore/store/messages.hpp"
#include "proto/bus/topics.hpp"

namespace pillarbox::pop3d {
namespace {

// RFC 1939 §7: unique per greeting; process, counter and time make it so.
std::string apop_timestamp(const std::string& hostname) {
  static uint64_t counter = 0;
  return "<" + std::to_string(::getpid()) + "." + std::to_string(++counter) + "." +
         std::to_string(std::time(nullptr)) + "@" + hostname + ">";
}

void release_lock(db::Executor& db, int64_t account_id, const store::LockHolder& me) {
  db.run<bool>(
      [account_id, me](pqxx::connection& c) -> Expected<bool> {
        if (auto r = store::release_pop3_lock(c, account_id, me); !r) return Unexpected{r.error()};
        return true;
      },
      [account_id](Expected<bool> r) {
        if (!r) log::warning("pop3: unlocking the maildrop of account {}: {}", account_id, r.error().describe());
      });
}

}  // namespace

Pop3Session::Pop3Session(Services& services, event::Tcp tcp, bool implicit_tls, std::function<void()> ended)
    : ClientSession(services.loop, std::move(tcp), services.connection_limits, services.directory, services.tls,
                    std::move(ended)),
      svc_(services), implicit_tls_(implicit_tls) {}

Pop3Session::~Pop3Session() { unlock(); }

void Pop3Session::start() {
  if (!admit(access::Service::Pop3, "-ERR Server access not allowed!\r\n")) return;
  pop3::Options o;
  o.hostname = svc_.hostname;
  o.tls_available = svc_.tls != nullptr;
  o.tls_active = implicit_tls_;
  o.plain_login_without_tls = trusted();
  o.apop_required = snapshot_->settings.pop3_require_apop;
  if (svc_.key) timestamp_ = apop_timestamp(svc_.hostname);
  o.apop_timestamp = timestamp_;
  session_ = std::make_unique<pop3::Session>(o, svc_.limits);
  if (!open(implicit_tls_)) return;
  run(session_->start());
}

void Pop3Session::on_input(std::string_view bytes) { run(session_->on_bytes(bytes)); }

void Pop3Session::on_idle() { run(session_->on_timeout()); }

void Pop3Session::run(std::vector<pop3::Action> actions) {
  auto alive = alive_;
  for (auto& a : actions) {
    switch (common(a)) {
      case Step::Done: break;
      case Step::Stop: return;
      case Step::TlsStarted: run(session_->on_tls_started()); break;
      case Step::Other:
        if (a.kind == pop3::Action::Kind::Authenticate) authenticate(a);
        else if (a.kind == pop3::Action::Kind::Retrieve) retrieve(a);
        else commit(a);
        break;
    }
    if (!*alive) return;
  }
  if (stopping_ && !session_->pending() && !closing_) {
    shutdown();
    return;
  }
  flow(session_->pending());
}

void Pop3Session::authenticate(const pop3::Action& a) {
  LoginRequest request{a.mechanism, a.authzid, a.user, a.password, timestamp_, conn_.peer_address(),
                       access::user_allowed(decision_, a.user)};
  std::weak_ptr<bool> alive = alive_;
  auto key = svc_.key;
  auto me = svc_.me;
  auto& db = svc_.db;
  svc_.db.run<LoginOutcome>(
      [request, key, me](pqxx::connection& c) -> Expected<LoginOutcome> { return open_maildrop(c, request, key, me); },
      [this, alive, me, &db](Expected<LoginOutcome> r) {
        if (alive.expired()) {
          // The client left while we locked: give the lock back.
          if (r && r->result == pop3::AuthResult::Ok) release_lock(db, r->account_id, me);
          return;
        }
        if (!r) {
          log::error("pop3 {}: login: {}", conn_.peer_address(), r.error().describe());
          run(session_->on_auth_result(pop3::AuthResult::Temporary));
          return;
        }
        if (r->result != pop3::AuthResult::Ok) {
          log::info("pop3 {}: login refused: {}", conn_.peer_address(), r->why);
          run(session_->on_auth_result(r->result));
          return;
        }
        account_id_ = r->account_id;
        account_ = r->account;
        std::vector<pop3::MaildropEntry> maildrop;
        ids_.clear();
        for (const auto& m : r->messages) {
          ids_.push_back(m.id);
          maildrop.push_back({std::to_string(m.id), static_cast<std::uint64_t>(m.size)});
        }
        log::info("pop3 {}: {} logged in, {} messages", conn_.peer_address(), account_, ids_.size());
        run(session_->on_auth_result(pop3::AuthResult::Ok, std::move(maildrop), account_));
      });
}

void Pop3Session::retrieve(const pop3::Action& a) {
  if (a.index >= ids_.size()) {
    run(session_->on_message_missing());
    return;
  }
  int64_t account = account_id_, id = ids_[a.index];
  std::weak_ptr<bool> alive = alive_;
  svc_.db.run<std::optional<std::string>>(
      [account, id](pqxx::connection& c) { return store::message_bytes(c, account, id); },
      [this, alive, id](Expected<std::optional<std::string>> r) {
        if (alive.expired()) return;
        if (!r) {
          log::error("pop3 {}: reading message {}: {}", conn_.peer_address(), id, r.error().describe());
          run(session_->on_message_missing());
          return;
        }
        if (!*r) {
          run(session_->on_message_missing());
          return;
        }
        run(session_->on_message(**r));
      });
}

void Pop3Session::commit(const pop3::Action& a) {
  std::vector<int64_t> doomed;
  for (auto i : a.deleted)
    if (i < ids_.size()) doomed.push_back(ids_[i]);
  int64_t account = account_id_;
  auto me = svc_.me;
  std::weak_ptr<bool> alive = alive_;
  svc_.db.run<int64_t>(
      [account, doomed, me](pqxx::connection& c) -> Expected<int64_t> {
        auto removed = store::expunge_messages(c, account, doomed);
        // The lock goes whatever happened: the session ends either way.
        (void)store::release_pop3_lock(c, account, me);
        return removed;
      },
      [this, alive, account, doomed](Expected<int64_t> r) {
        if (alive.expired()) return;
        account_id_ = 0;  // released by the job
        if (!r) {
          log::error("pop3 {}: deleting {} messages of {}: {}", conn_.peer_address(), doomed.size(), account_,
                     r.error().describe());
          run(session_->on_commit_result(false));
          return;
        }
        log::info("pop3 {}: {} signed off, {} messages deleted", conn_.peer_address(), account_, *r);
        if (*r > 0) svc_.bus.publish(bus::kMailboxChanged, {{"accounts", {account}}});
        run(session_->on_commit_result(true));
      });
}

void Pop3Session::unlock() {
  if (account_id_ == 0) return;
  release_lock(svc_.db, account_id_, svc_.me);
  account_id_ = 0;
}

void Pop3Session::shutdown() {
  stopping_ = true;
  if (!session_ || closing_ || session_->pending()) return;
  closing_ = true;
  conn_.send("-ERR [SYS/TEMP] Server shutting down\r\n");
  conn_.close_after_flush();
}

void Pop3Session::on_finished() { unlock(); }

}  // namespace pillarbox::pop3d
