// Hosts are tried in order, each of its addresses in turn (IPv4 first: a
// small office's network reaches it more often than IPv6). A session-level
// failure (nothing reached MAIL) is never final by itself: the next host may
// do better, and a misconfigured relay (a refused AUTH) must not bounce mail;
// when every host failed, the open messages are deferred with the last
// reason and retried by the schedule.
#include "daemons/senderd/destination_job.hpp"

#include <algorithm>

#include "libcore/auth/cram_md5.hpp"
#include "libcore/base/log.hpp"
#include "proto/dsn/notify.hpp"

namespace pillarbox::senderd {
namespace {

using smtp::client::Stage;

Attempt local_attempt(Attempt::Kind kind, dsn::LocalFailure failure, const std::string& detail,
                      const std::string& remote_mta = "") {
  Attempt a;
  a.kind = kind;
  a.status = dsn::outcome_from_local(failure, detail);
  a.reply = detail;
  a.remote_mta = remote_mta;
  return a;
}

Attempt attempt_from(const smtp::client::RecipientResult& r, bool dsn_passed, const std::string& host) {
  Attempt a;
  switch (r.outcome) {
    case smtp::client::Outcome::Accepted: a.kind = Attempt::Kind::Accepted; break;
    case smtp::client::Outcome::TemporaryFailure: a.kind = Attempt::Kind::Temporary; break;
    case smtp::client::Outcome::PermanentFailure: a.kind = Attempt::Kind::Permanent; break;
  }
  a.reply = smtp::client::format_reply(r.reply);
  if (r.remote) {
    a.status = dsn::outcome_from_reply(r.reply.code, r.reply.enhanced, r.reply.text);
    a.remote_mta = host;
  } else {
    // The engine's own verdict ("554 5.6.7 ... does not support SMTPUTF8",
    // "451 4.4.2 connection lost"): its status, our words.
    a.status = dsn::outcome_from_reply(r.reply.code, r.reply.enhanced, r.reply.text);
    a.status.diagnostic_type = "x-pillarbox";
    a.status.diagnostic = r.reply.text;
    a.reply = host + ": " + a.reply;
  }
  a.dsn_passed = dsn_passed;
  return a;
}

bool session_level(Stage s) {
  return s == Stage::Connect || s == Stage::Greeting || s == Stage::Ehlo || s == Stage::StartTls || s == Stage::Auth;
}

unsigned notify_flags(const std::string& value) {
  if (value.empty()) return 0;
  auto n = dsn::parse_notify(value);
  if (!n || !n->specified) return 0;
  if (!n->success && !n->failure && !n->delay) return smtp::client::NotifyNever;
  return (n->success ? smtp::client::NotifySuccess : 0U) | (n->failure ? smtp::client::NotifyFailure : 0U) |
         (n->delay ? smtp::client::NotifyDelay : 0U);
}

bool numeric_address(const std::string& host) {
  sockaddr_storage ss{};
  return event::make_sockaddr(host, 25, ss);
}

}  // namespace

DestinationJob::DestinationJob(JobContext& ctx, Destination destination, std::vector<Work> works, Done done,
                               Keep keep)
    : ctx_(ctx),
      destination_(std::move(destination)),
      works_(std::move(works)),
      done_(std::move(done)),
      keep_(std::move(keep)) {
  open_.assign(works_.size(), true);
}

DestinationJob::~DestinationJob() { *alive_ = false; }

void DestinationJob::start(std::unique_ptr<SmtpLink> reuse) {
  if (!reuse) return plan();
  link_ = std::move(reuse);
  link_->rebind([this](smtp::client::TransactionResult r) { on_result(std::move(r)); }, [this] { on_link_end(); });
  send_open();
}

void DestinationJob::plan() {
  planned_ = true;
  if (destination_.route.method == route::OutgoingMethod::Relay) return plan_relays();
  plan_mx();
}

void DestinationJob::send_open() {
  for (std::size_t i = 0; i < works_.size(); ++i) {
    if (open_[i] && link_) link_->send(transaction(i));
  }
}

void DestinationJob::plan_relays() {
  for (const auto& relay : destination_.route.relays) {
    Hop h;
    h.host = relay.host;
    h.port = static_cast<uint16_t>(relay.port);
    h.tls = relay.tls;
    h.relay = &relay;
    hops_.push_back(std::move(h));
  }
  if (hops_.empty()) {
    fail_remaining(local_attempt(Attempt::Kind::Temporary, dsn::LocalFailure::NoRoute,
                                 "outgoing route " + destination_.route.name + " has no relay"));
    return finish();
  }
  next();
}

void DestinationJob::plan_mx() {
  std::weak_ptr<bool> alive = alive_;
  ctx_.resolver->mail_targets(destination_.domain, [this, alive](Expected<dns::MailTargets> targets) {
    if (alive.expired()) return;
    if (!targets) {
      const Error& e = targets.error();
      const std::string detail = "looking up the MX of " + destination_.domain + ": " + e.message;
      if (e.code == ErrorCode::NotFound)
        fail_remaining(local_attempt(Attempt::Kind::Permanent, dsn::LocalFailure::NoSuchDomain, detail));
      else if (e.code == ErrorCode::PermissionDenied)
        fail_remaining(local_attempt(Attempt::Kind::Permanent, dsn::LocalFailure::NullMx, detail));
      else
        fail_remaining(local_attempt(Attempt::Kind::Temporary, dsn::LocalFailure::DnsTemporary, detail));
      return finish();
    }
    for (const auto& t : targets->targets) {
      Hop h;
      h.host = t.host;
      h.port = ctx_.mx_port;
      h.addresses = t.addresses.v4;
      h.addresses.insert(h.addresses.end(), t.addresses.v6.begin(), t.addresses.v6.end());
      hops_.push_back(std::move(h));
    }
    next();
  });
}

void DestinationJob::next() {
  while (hop_ < hops_.size()) {
    Hop& h = hops_[hop_];
    if (h.addresses.empty() && address_ == 0 && h.relay != nullptr) {
      if (numeric_address(h.host)) {
        h.addresses = {h.host};
      } else {
        // Resolved when its turn comes: a relay list is short, and the first
        // one usually works.
        std::weak_ptr<bool> alive = alive_;
        ctx_.resolver->addresses(h.host, [this, alive](Expected<dns::HostAddresses> found) {
          if (alive.expired()) return;
          Hop& hop = hops_[hop_];
          if (found && !found->empty()) {
            hop.addresses = found->v4;
            hop.addresses.insert(hop.addresses.end(), found->v6.begin(), found->v6.end());
          } else {
            const std::string why = found ? "no address" : found.error().message;
            last_failure_ = local_attempt(Attempt::Kind::Temporary, dsn::LocalFailure::DnsTemporary,
                                          "looking up relay " + hop.host + ": " + why);
            ++hop_;
          }
          next();
        });
        return;
      }
    }
    if (address_ < h.addresses.size()) {
      const std::string address = h.addresses[address_++];
      return connect(h, address);
    }
    ++hop_;
    address_ = 0;
  }
  fail_remaining(last_failure_ ? *last_failure_
                               : local_attempt(Attempt::Kind::Temporary, dsn::LocalFailure::NoRoute,
                                               "no host of " + destination_.key + " could be tried"));
  finish();
}

std::optional<smtp::client::Options> DestinationJob::options_for(const Hop& hop, Attempt& failure) const {
  smtp::client::Options o;
  o.helo_name = ctx_.helo_name;
  switch (hop.tls) {
    case route::RelayTls::None: o.tls = smtp::client::TlsPolicy::None; break;
    case route::RelayTls::StartTls: o.tls = smtp::client::TlsPolicy::Required; break;
    case route::RelayTls::Opportunistic: o.tls = smtp::client::TlsPolicy::Opportunistic; break;
    case route::RelayTls::Implicit: o.tls = smtp::client::TlsPolicy::Implicit; break;
  }
  if (hop.relay != nullptr && !hop.relay->auth_user.empty()) {
    auto password = ctx_.server_key ? crypto::open(*ctx_.server_key, hop.relay->sealed_password)
                                    : Expected<std::string>(Unexpected{Error{ErrorCode::Unavailable, "no server key"}});
    if (!password) {
      failure = local_attempt(Attempt::Kind::Temporary, dsn::LocalFailure::LocalError,
                              "relay " + hop.host + ": cannot read its AUTH password: " + password.error().message);
      return std::nullopt;
    }
    smtp::client::Credentials c;
    c.user = hop.relay->auth_user;
    c.password = std::move(*password);
    c.hmac_md5 = [](std::string_view key, std::string_view data) { return auth::hmac_md5(key, data); };
    o.credentials = std::move(c);
    o.auth_required = true;
  }
  return o;
}

smtp::client::Transaction DestinationJob::transaction(std::size_t index) const {
  const store::ClaimedMessage& m = works_[index].message;
  smtp::client::Transaction t;
  t.id = index;
  t.mail_from = m.sender;
  t.needs_8bitmime = m.eight_bit;
  t.needs_smtputf8 = m.smtputf8;
  t.envid = m.envid;
  t.ret = m.ret == "FULL" ? smtp::client::Ret::Full : m.ret == "HDRS" ? smtp::client::Ret::Headers
                                                                       : smtp::client::Ret::Unset;
  for (const auto& r : m.recipients)
    t.recipients.push_back({r.recipient.address, notify_flags(r.recipient.notify), r.recipient.orcpt});
  t.message = *works_[index].body;
  return t;
}

void DestinationJob::connect(const Hop& hop, const std::string& address) {
  Attempt failure;
  auto options = options_for(hop, failure);
  if (!options) {
    last_failure_ = failure;
    ++hop_;
    address_ = 0;
    return next();
  }
  LinkTarget target{hop.host, address, hop.port, hop.tls == route::RelayTls::Implicit};
  link_ = std::make_unique<SmtpLink>(
      ctx_.loop, ctx_.tls, target, std::move(*options), ctx_.timeouts, ctx_.connect_timeout,
      [this](smtp::client::TransactionResult r) { on_result(std::move(r)); }, [this] { on_link_end(); });
  link_->start();
  send_open();
}

void DestinationJob::on_result(smtp::client::TransactionResult result) {
  const std::size_t w = result.id;
  if (w >= works_.size() || !open_[w]) return;
  const std::string host = link_ ? link_->target().host : destination_.key;
  const auto& rs = result.recipients;
  const bool whole_session = !rs.empty() && session_level(rs.front().stage) &&
                             rs.front().outcome != smtp::client::Outcome::Accepted;
  if (whole_session) {
    // Not final: the next host gets the message. A permanent refusal here
    // (554 greeting, 535 AUTH) is the host's or our configuration's fault,
    // not the message's: it is retried, never bounced at once.
    Attempt a = attempt_from(rs.front(), result.dsn_passed, host);
    a.kind = Attempt::Kind::Temporary;
    if (!a.status.status.empty() && a.status.status[0] == '5') a.status.status[0] = '4';
    last_failure_ = std::move(a);
    return;
  }
  open_[w] = false;
  const auto& claimed = works_[w].message.recipients;
  for (std::size_t i = 0; i < claimed.size() && i < rs.size(); ++i)
    results_.push_back({w, claimed[i], attempt_from(rs[i], result.dsn_passed, host)});
  if (std::find(open_.begin(), open_.end(), true) != open_.end() || !link_) return;
  // Every message has its outcome: the connection goes to the next job to
  // this destination when it is still good, else it says goodbye.
  if (link_->reusable() && keep_) {
    keep_(std::move(link_));
    return finish();
  }
  link_->quit();
}

void DestinationJob::on_link_end() {
  dead_link_ = std::move(link_);  // we are inside its callback: destroyed on the next step
  bool any_open = false;
  for (bool o : open_) any_open = any_open || o;
  if (!any_open) return finish();
  if (!planned_) return plan();  // a kept connection that failed: the hosts as usual
  next();
}

void DestinationJob::fail_remaining(Attempt attempt) {
  for (std::size_t w = 0; w < works_.size(); ++w) {
    if (!open_[w]) continue;
    open_[w] = false;
    for (const auto& r : works_[w].message.recipients) results_.push_back({w, r, attempt});
  }
}

void DestinationJob::finish() {
  if (finished_) return;
  finished_ = true;
  done_(*this, std::move(results_));  // the scheduler destroys us later, not in this call
}

}  // namespace pillarbox::senderd
