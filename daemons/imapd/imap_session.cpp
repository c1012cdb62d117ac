// ImapSession internals. Database callbacks hold a weak reference to
// `alive_` and do nothing once the session is gone.
#include "daemons/imapd/imap_session.hpp"

#include <algorithm>

#include "libcore/access/ip_address.hpp"
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
    : svc_(services), implicit_tls_(implicit_tls), conn_(services.loop, std::move(tcp), services.connection_limits),
      ended_(std::move(ended)), recheck_(services.loop) {}

ImapSession::~ImapSession() {
  *alive_ = false;
  release_account();
  svc_.watchers.unwatch(this);
}

void ImapSession::start() {
  snapshot_ = svc_.directory.current();
  context_.address = conn_.peer_address();
  auto ip = access::IpAddress::parse(conn_.peer_address());
  if (ip) decision_ = snapshot_->check(access::Service::Imap, *ip);
  if (!ip || !decision_.allowed) {
    log::info("imap {}: refused by the access rules", conn_.peer_address());
    refuse("* BYE Server access not allowed!\r\n");
    return;
  }
  imap::Options o;
  o.hostname = svc_.hostname;
  o.tls_available = svc_.tls != nullptr;
  o.tls_active = implicit_tls_;
  o.plain_login_without_tls = decision_.rule != nullptr && !decision_.from_global;
  // Literals carry APPENDed messages: the message size limit applies.
  imap::Limits limits = svc_.limits;
  limits.max_literal = snapshot_->settings.smtp_max_message_size;
  limits.max_command = std::max<std::uint64_t>(limits.max_command, limits.max_literal + limits.max_line);
  session_ = std::make_unique<imap::Session>(o, limits);
  if (implicit_tls_) {
    if (auto r = conn_.start_tls(svc_.tls); !r) {
      refuse("");
      return;
    }
  }
  auto started = conn_.start(
      [this](std::string_view b) {
        if (!closing_) run(session_->on_bytes(b));
      },
      [this](const std::string& why) { finished(why); },
      [this] {
        if (!closing_) run(session_->on_timeout());
      });
  if (!started) {
    finished(started.error().describe());
    return;
  }
  run(session_->start());
}

void ImapSession::refuse(const std::string& line) {
  closing_ = true;
  (void)conn_.start([](std::string_view) {}, [this](const std::string& why) { finished(why); }, [] {});
  if (!line.empty()) conn_.send(line);
  conn_.close_after_flush();
}

void ImapSession::run(std::vector<imap::Action> actions) {
  auto alive = alive_;
  for (auto& a : actions) {
    switch (a.kind) {
      case imap::Action::Kind::Write: conn_.send(a.bytes); break;
      case imap::Action::Kind::StartTls:
        if (auto r = conn_.start_tls(svc_.tls); !r) {
          conn_.close_after_flush();
          return;
        }
        run(session_->on_tls_started());
        break;
      case imap::Action::Kind::Close:
        closing_ = true;
        conn_.close_after_flush();
        break;
      case imap::Action::Kind::Request: request(a.request); break;
    }
    if (!*alive) return;
  }
  if (session_->pending()) conn_.pause();
  else conn_.resume();
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

void ImapSession::finished(const std::string& reason) {
  if (!reason.empty()) log::info("imap {}: connection ended: {}", conn_.peer_address(), reason);
  release_account();
  svc_.watchers.unwatch(this);
  recheck_.stop();
  auto ended = std::move(ended_);
  if (ended) ended();  // destroys us
}

}  // namespace pillarbox::imapd
