// SmtpSession internals. Every callback that may outlive the session (database
// jobs) holds a weak reference to `alive_` and does nothing once it is gone.
#include "daemons/smtpd/smtp_session.hpp"

#include <algorithm>
#include <ctime>
#include <set>

#include "daemons/smtpd/received_header.hpp"
#include "libcore/base/log.hpp"
#include "libcore/store/accounts.hpp"
#include "libcore/store/delivery.hpp"
#include "libcore/store/security_events.hpp"
#include "proto/bus/topics.hpp"
#include "libcore/ingest/message_meta.hpp"

namespace pillarbox::smtpd {
namespace {

std::string make_id() {
  static const char digits[] = "0123456789BCDFGHJKLMNPQRSTVWXZ";
  static uint64_t counter = 0;
  uint64_t v = (static_cast<uint64_t>(std::time(nullptr)) << 20) ^ (++counter * 2654435761u) ^ ::getpid();
  std::string out;
  for (int i = 0; i < 10; ++i, v /= 30) out += digits[v % 30];
  return out;
}

// smtps is submission over implicit TLS (RFC 8314): it takes the submission rules.
access::Service service_for(smtp::Listener l) {
  return l == smtp::Listener::Smtp ? access::Service::Smtp : access::Service::Submission;
}

route::Context route_context(const ClientStanding& standing, const std::string& sender, const smtp::Action& a) {
  route::Context c;
  c.source = standing.authenticated ? route::Source::Local : route::Source::Smtp;
  c.sender = sender;
  c.sender_internal = standing.authenticated || standing.trusted;
  c.size = a.mail.size.value_or(0);
  time_t now = std::time(nullptr);
  tm local{};
  localtime_r(&now, &local);
  c.date = (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
  c.minute = local.tm_hour * 60 + local.tm_min;
  return c;
}

}  // namespace

Expected<smtp::Listener> parse_listener(const std::string& service) {
  if (service == "smtp") return smtp::Listener::Smtp;
  if (service == "submission") return smtp::Listener::Submission;
  if (service == "smtps") return smtp::Listener::Smtps;
  return fail(ErrorCode::InvalidInput, "smtpd does not serve '" + service + "'");
}

SmtpSession::SmtpSession(Services& services, event::Tcp tcp, smtp::Listener listener, std::function<void()> ended)
    : ClientSession(services.loop, std::move(tcp), services.connection_limits, services.directory, services.tls,
                    std::move(ended)),
      svc_(services), listener_(listener), id_(make_id()) {}

SmtpSession::~SmtpSession() = default;

void SmtpSession::start() {
  if (!admit(service_for(listener_), "554 5.7.1 Access denied\r\n")) return;
  standing_.trusted = trusted();
  standing_.no_auth = decision_.no_auth;

  smtp::Options o;
  o.hostname = svc_.hostname;
  o.listener = listener_;
  o.tls_available = svc_.tls != nullptr;
  o.tls_active = listener_ == smtp::Listener::Smtps;
  o.plain_auth_without_tls = standing_.trusted;
  o.auth_exempt = standing_.no_auth;
  o.client_address = peer();
  smtp::Limits limits = svc_.limits;
  limits.max_message_size = snapshot_->settings.smtp_max_message_size;
  session_ = std::make_unique<smtp::Session>(o, limits);
  if (!open(o.tls_active)) return;
  log::debug("{} {}: connected", id_, peer());
  run(session_->start());
}

void SmtpSession::on_input(std::string_view bytes) { run(session_->on_bytes(bytes)); }

void SmtpSession::on_idle() { run(session_->on_timeout()); }

void SmtpSession::run(std::vector<smtp::Action> actions) {
  auto alive = alive_;
  for (auto& a : actions) {
    switch (common(a)) {
      case Step::Done: break;
      case Step::Stop: return;
      case Step::TlsStarted: run(session_->on_tls_started()); break;
      case Step::Other:
        switch (a.kind) {
          case smtp::Action::Kind::Authenticate: authenticate(a); break;
          case smtp::Action::Kind::CheckMail:
            targets_.clear();
            mail_from_ = a.address;
            run(session_->on_mail_result(std::nullopt));
            break;
          case smtp::Action::Kind::CheckRcpt: check_rcpt(a); break;
          case smtp::Action::Kind::Deliver: deliver(a); break;
          default: break;
        }
        break;
    }
    if (!*alive) return;
  }
  if (stopping_ && between_transactions()) {
    shutdown();
    return;
  }
  flow(session_->pending());
}

bool SmtpSession::between_transactions() const {
  using State = smtp::Session::State;
  if (!session_ || session_->pending()) return false;
  auto st = session_->state();
  return st == State::Connected || st == State::Ready || st == State::AuthResponse;
}

void SmtpSession::shutdown() {
  stopping_ = true;
  if (!session_ || session_->closed() || closing_ || !between_transactions()) return;
  closing_ = true;
  conn_.send("421 4.3.2 " + svc_.hostname + " Service shutting down\r\n");
  conn_.close_after_flush();
}

void SmtpSession::authenticate(const smtp::Action& a) {
  std::weak_ptr<bool> alive = alive_;
  std::string user = a.user, password = a.password;
  // The access rule may name the users allowed from this address; the
  // password is still checked, so the reply says nothing about which failed.
  bool permitted = access::user_allowed(decision_, user);
  svc_.db.run<int64_t>(
      [user, password](pqxx::connection& c) { return store::verify_login(c, user, password); },
      [this, alive, user, permitted](Expected<int64_t> r) {
        if (alive.expired()) return;
        bool ok = r.ok() && permitted;
        if (!r) log::info("{} {}: login failed for {}: {}", id_, conn_.peer_address(), user, r.error().describe());
        else if (!permitted) log::info("{} {}: login refused for {}: not allowed from this address", id_,
                                       conn_.peer_address(), user);
        else log::info("{} {}: authenticated as {}", id_, conn_.peer_address(), user);
        if (!ok) {
          store::LoginFailure failure{std::string(access::to_string(service_for(listener_))), conn_.peer_address(),
                                      user, r ? "not allowed from this address" : r.error().context};
          svc_.db.run<bool>(
              [failure](pqxx::connection& c) -> Expected<bool> {
                if (auto w = store::record_login_failure(c, failure); !w) return Unexpected{w.error()};
                return true;
              },
              [](Expected<bool> w) {
                if (!w) log::warning("recording a failed login: {}", w.error().describe());
              });
        }
        standing_.authenticated = ok;
        run(session_->on_auth_result(ok, ok ? user : std::string()));
      });
}

void SmtpSession::check_rcpt(const smtp::Action& a) {
  RelaySettings relay{snapshot_->settings.smtp_require_auth, snapshot_->settings.smtp_local_exception};
  auto d = decide_recipient(snapshot_->router, a.address, route_context(standing_, mail_from_, a), standing_, relay);
  if (d.refusal) {
    log::info("{} {}: RCPT <{}> refused: {} {}", id_, conn_.peer_address(), a.address, d.refusal->code,
              d.refusal->text);
    run(session_->on_rcpt_result(d.refusal));
    return;
  }
  targets_[a.address] = std::move(d.targets);
  run(session_->on_rcpt_result(std::nullopt));
}

void SmtpSession::deliver(const smtp::Action& a) {
  auto delivery = std::make_shared<store::Delivery>();
  std::set<int64_t> accounts;
  std::set<std::string> remote_seen;
  for (auto& [rcpt, params] : a.envelope.rcpts) {
    auto it = targets_.find(rcpt);
    if (it == targets_.end()) continue;
    for (auto& t : it->second.local) accounts.insert(t.account_id);
    for (auto& r : it->second.remote)
      if (remote_seen.insert(r).second) delivery->remote.push_back({r, params.notify, params.orcpt});
  }
  delivery->local_accounts.assign(accounts.begin(), accounts.end());
  delivery->sender = a.envelope.mail_from;
  delivery->envid = a.envelope.mail.envid;
  delivery->ret = a.envelope.mail.ret;
  delivery->smtputf8 = a.envelope.mail.smtputf8;

  ReceivedInfo info;
  info.helo = a.envelope.helo;
  info.client_address = conn_.peer_address();
  info.hostname = svc_.hostname;
  info.protocol = a.protocol;
  if (auto* t = conn_.tls()) info.tls = t->version() + " " + t->cipher();
  info.id = id_;
  if (a.envelope.rcpts.size() == 1) info.recipient = a.envelope.rcpts.front().first;
  info.time = std::time(nullptr);
  delivery->raw = received_header(info) + a.message;
  // Many clients send 8-bit text without BODY=8BITMIME; the next server
  // must offer 8BITMIME (RFC 6152) either way.
  delivery->eight_bit = a.envelope.mail.body == "8BITMIME" || a.envelope.mail.body == "BINARYMIME" ||
                        std::any_of(delivery->raw.begin(), delivery->raw.end(),
                                    [](char c) { return static_cast<unsigned char>(c) >= 0x80; });

  std::weak_ptr<bool> alive = alive_;
  svc_.db.run<store::Delivered>(
      [delivery](pqxx::connection& c) -> Expected<store::Delivered> {
        // Parsed once here, off the loop, and stored beside the message.
        auto meta = ingest::describe(delivery->raw);
        if (!meta) return Unexpected{meta.error()};
        delivery->meta = std::move(*meta);
        return store::deliver(c, *delivery);
      },
      [this, alive, delivery](Expected<store::Delivered> r) {
        if (alive.expired()) return;
        if (!r) {
          log::error("{} {}: delivery failed: {}", id_, conn_.peer_address(), r.error().describe());
          // Nothing was committed: the client keeps the message (4xx) or is told why not (5xx).
          smtp::Reply reply{451, "4.3.0", "Error: could not store the message, try again later"};
          if (r.error().code == ErrorCode::TooBig) reply = smtp::Reply{552, "5.3.4", "Message structure too complex"};
          run(session_->on_deliver_result(reply));
          return;
        }
        log::info("{} {}: accepted {} from <{}>: {} local, {} remote, {} bytes", id_, conn_.peer_address(), r->id,
                  delivery->sender, delivery->local_accounts.size(), delivery->remote.size(), delivery->raw.size());
        if (!r->mailbox_uids.empty()) {
          auto boxes = nlohmann::json::array();
          for (auto& [mailbox, uid] : r->mailbox_uids) boxes.push_back({{"mailbox", mailbox}, {"uid", uid}});
          svc_.bus.publish(bus::kMailboxChanged, {{"mailboxes", boxes}});
        }
        if (!delivery->remote.empty()) svc_.bus.publish(bus::kQueueReady, {{"queue_id", r->queue_id.value_or(0)}});
        targets_.clear();
        run(session_->on_deliver_result(smtp::Reply{250, "2.0.0", "Ok: queued as " + r->id}));
      });
}

}  // namespace pillarbox::smtpd
