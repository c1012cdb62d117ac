// ImapSession internals. Database callbacks hold a weak reference to
// `alive_` and do nothing once the session is gone.
#include "daemons/imapd/imap_session.hpp"

#include <algorithm>

#include "libcore/base/log.hpp"
#include "proto/bus/topics.hpp"

namespace pillarbox::imapd {
namespace {

// Requests that change a mailbox: other sessions must hear of them.
bool writes(const imap::Request& r) {
  return std::holds_alternative<imap::StoreRequest>(r) || std::holds_alternative<imap::ExpungeRequest>(r) ||
         std::holds_alternative<imap::CopyRequest>(r) || std::holds_alternative<imap::AppendRequest>(r) ||
         (std::holds_alternative<imap::FetchRequest>(r) && std::get<imap::FetchRequest>(r).mark_seen);
}

}  // namespace

ImapSession::ImapSession(Services& services, event::Tcp tcp, bool implicit_tls, std::function<void()> ended)
    : ClientSession(services.loop, std::move(tcp), services.connection_limits, services.directory, services.tls,
                    std::move(ended)),
      svc_(services), implicit_tls_(implicit_tls), recheck_(services.loop) {}

ImapSession::~ImapSession() {
  release_account();
  svc_.watchers.unwatch(this);
}

void ImapSession::start() {
  if (!admit(access::Service::Imap, "* BYE Server access not allowed!\r\n")) return;
  context_.address = peer();
  imap::Options o;
  o.hostname = svc_.hostname;
  o.tls_available = svc_.tls != nullptr;
  o.tls_active = implicit_tls_;
  o.plain_login_without_tls = trusted();
  // Literals carry APPENDed messages: the message size limit applies.
  imap::Limits limits = svc_.limits;
  limits.max_literal = snapshot_->settings.smtp_max_message_size;
  limits.max_command = std::max<std::uint64_t>(limits.max_command, limits.max_literal + limits.max_line);
  session_ = std::make_unique<imap::Session>(o, limits);
  if (!open(implicit_tls_)) return;
  run(session_->start());
}

void ImapSession::on_input(std::string_view bytes) { run(session_->on_bytes(bytes)); }

void ImapSession::on_idle() { run(session_->on_timeout()); }

void ImapSession::run(std::vector<imap::Action> actions) {
  auto alive = alive_;
  for (auto& a : actions) {
    switch (common(a)) {
      case Step::Done: break;
      case Step::Stop: return;
      case Step::TlsStarted: run(session_->on_tls_started()); break;
      case Step::Other: request(a.request); break;
    }
    if (!*alive) return;
  }
  flow(session_->pending());
}

void ImapSession::request(const imap::Request& r) {
  Context ctx = context_;
  if (const auto* login = std::get_if<imap::LoginRequest>(&r))
    ctx.login_permitted = access::user_allowed(decision_, login->user);
  bool changes_mailbox = writes(r);
  std::weak_ptr<bool> alive = alive_;
  svc_.db.run<Outcome>([ctx, r](pqxx::connection& c) -> Expected<Outcome> { return run_request(c, ctx, r); },
                       [this, alive, changes_mailbox](Expected<Outcome> o) {
                         if (alive.expired()) return;
                         if (!o) {
                           Outcome failed;
                           failed.result = imap::Failure{imap::Failure::Kind::Unavailable,
                                                         "Server unavailable, try again later"};
                           log::error("imap {}: {}", conn_.peer_address(), o.error().describe());
                           answered(std::move(failed), false);
                           return;
                         }
                         answered(std::move(*o), changes_mailbox);
                       });
}

void ImapSession::answered(Outcome o, bool changed) {
  bool ok = !std::holds_alternative<imap::Failure>(o.result);
  if (o.account_id != 0) {
    auto& count = svc_.sessions_per_account[o.account_id];
    if (count >= snapshot_->settings.imap_max_per_account) {
      log::info("imap {}: {} refused: {} sessions already", conn_.peer_address(), o.account, count);
      if (count == 0) svc_.sessions_per_account.erase(o.account_id);
      o.result = imap::Failure{imap::Failure::Kind::Limit, "Too many sessions for this account, try again later"};
      o.account_id = 0;
    } else {
      ++count;
      context_.account_id = o.account_id;
      account_ = o.account;
      log::info("imap {}: {} logged in", conn_.peer_address(), account_);
    }
  } else if (!o.log.empty()) {
    log::info("imap {}: login refused: {}", conn_.peer_address(), o.log);
  }
  if (std::holds_alternative<imap::SelectedData>(o.result)) {
    context_.mailbox_id = o.mailbox_id;
    svc_.watchers.watch(this, context_.account_id, context_.mailbox_id, [this] { mailbox_changed(); });
    recheck_.start(svc_.recheck_ms, svc_.recheck_ms, [this] { mailbox_changed(); });
  }
  if (ok && changed && context_.mailbox_id != 0) {
    nlohmann::json event = {{"mailboxes", nlohmann::json::array({{{"mailbox", context_.mailbox_id}}})}};
    // Other processes hear it through the bus, this one's sessions at once.
    svc_.bus.publish(bus::kMailboxChanged, event);
    svc_.watchers.notify(event);
  }
  run(session_->on_result(std::move(o.result)));
  // The engine left the mailbox (CLOSE, UNSELECT, a failed SELECT): stop watching it.
  if (session_ && session_->state() != imap::Session::State::Selected && context_.mailbox_id != 0) {
    context_.mailbox_id = 0;
    svc_.watchers.unwatch(this);
    recheck_.stop();
  }
}

void ImapSession::mailbox_changed() {
  if (!session_ || closing_) return;
  run(session_->on_mailbox_changed());
}

void ImapSession::shutdown() {
  if (!session_ || closing_) return;
  run(session_->shutdown());
}

void ImapSession::release_account() {
  if (context_.account_id == 0) return;
  auto it = svc_.sessions_per_account.find(context_.account_id);
  if (it != svc_.sessions_per_account.end() && --it->second == 0) svc_.sessions_per_account.erase(it);
  context_.account_id = 0;
}

void ImapSession::on_finished() {
  release_account();
  svc_.watchers.unwatch(this);
  recheck_.stop();
}

}  // namespace pillarbox::imapd
