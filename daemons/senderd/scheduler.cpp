// A claim takes at most what the free connection slots can start soon, so
// recipients are not held by this instance while they could go out through
// another. Jobs are destroyed on the loop turn after they end: they end
// from inside their own connection's callbacks.
#include "daemons/senderd/scheduler.hpp"

#include <algorithm>
#include <ctime>
#include <set>

#include "daemons/senderd/report.hpp"
#include "libcore/base/log.hpp"
#include "libcore/route/outgoing_choice.hpp"

namespace pillarbox::senderd {
namespace {

constexpr int kRecipientsPerSlot = 20;
constexpr int kMaxClaim = 500;
constexpr int64_t kSafetyNetSeconds = 60;
constexpr int64_t kClaimBytes = 64 << 20;  // message bytes one claim may hold in memory
constexpr uint64_t kParkMs = 5000;         // an idle connection waits this long for the next job

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

Attempt no_route(const Error& e) {
  Attempt a;
  a.kind = Attempt::Kind::Temporary;
  a.status = dsn::outcome_from_local(dsn::LocalFailure::NoRoute, e.message);
  a.reply = e.message;
  return a;
}

}  // namespace

Expected<std::unique_ptr<dns::Resolver>> make_resolver(event::Loop& loop, const std::string& servers) {
  dns::Options o;
  std::size_t start = 0;
  while (start < servers.size()) {
    std::size_t comma = servers.find(',', start);
    if (comma == std::string::npos) comma = servers.size();
    std::string one = servers.substr(start, comma - start);
    one.erase(0, one.find_first_not_of(' '));
    one.erase(one.find_last_not_of(' ') + 1);
    if (!one.empty()) o.servers.push_back(one);
    start = comma + 1;
  }
  auto r = dns::Resolver::create(loop, o);
  if (!r) return Unexpected{r.error()};
  return std::make_unique<dns::Resolver>(std::move(*r));
}

Scheduler::Scheduler(event::Loop& loop, db::Executor& db, directory::Directory& directory, JobContext& jobs,
                     int32_t instance)
    : loop_(loop),
      db_(db),
      directory_(directory),
      jobs_(jobs),
      instance_(instance),
      sweeper_(loop),
      timer_(loop),
      reaper_(loop),
      purge_timer_(loop) {}

Scheduler::~Scheduler() { *alive_ = false; }

void Scheduler::start() {
  claim();
  purge_timer_.start(60 * 1000, 3600 * 1000, [this] { purge(); });
}

void Scheduler::wake() { claim(); }

void Scheduler::claim() {
  if (stopping_) return;
  if (claiming_) {
    claim_again_ = true;
    return;
  }
  const auto& s = directory_.current()->settings;
  const int busy = static_cast<int>(active_.size() + waiting_.size());
  const int free_slots = static_cast<int>(s.sender_max_connections) - busy;
  if (free_slots <= 0) return;
  const int limit = std::min(kMaxClaim, free_slots * kRecipientsPerSlot);
  claiming_ = true;
  const int32_t instance = instance_;
  db_.run<std::vector<Claimed>>(
      [instance, limit](pqxx::connection& c) -> Expected<std::vector<Claimed>> {
        auto batch = store::claim_due(c, instance, limit);
        if (!batch) return Unexpected{batch.error()};
        std::vector<Claimed> out;
        std::map<int64_t, std::shared_ptr<const std::string>> bodies;  // one copy per body
        // Bodies are held in memory while they are sent: past the budget the
        // rest of the claim is given back for the next round.
        int64_t bytes = 0;
        std::vector<int64_t> returned;
        for (auto& m : *batch) {
          if (!out.empty() && bytes + m.size > kClaimBytes && bodies.count(m.body_id) == 0) {
            for (const auto& r : m.recipients) returned.push_back(r.id);
            continue;
          }
          if (bodies.count(m.body_id) == 0) bytes += m.size;
          auto& body = bodies[m.body_id];
          if (!body) {
            auto raw = store::queued_body(c, m.body_id);
            if (!raw) return Unexpected{raw.error()};
            body = std::make_shared<const std::string>(std::move(*raw));
          }
          out.push_back({std::move(m), body});
        }
        if (!returned.empty()) {
          if (auto r = store::release_claims(c, instance, returned); !r) return Unexpected{r.error()};
        }
        return out;
      },
      [this, alive = std::weak_ptr<bool>(alive_)](Expected<std::vector<Claimed>> r) {
        if (alive.expired()) return;
        claiming_ = false;
        if (!r) {
          log::warning("claiming queued mail: {}", r.error().describe());
        } else if (!r->empty()) {
          claimed(std::move(*r));
        }
        if (claim_again_ || (r && !r->empty())) {
          claim_again_ = false;
          claim();
        }
        arm_timer();
        maybe_finished();
      });
}

void Scheduler::refresh_context(const directory::Settings& s) {
  jobs_.mx_port = static_cast<uint16_t>(s.sender_mx_port);
  // The resolver is shared by running jobs: replaced only when none runs.
  if (s.sender_dns_servers == jobs_.dns_servers || !active_.empty()) return;
  auto resolver = make_resolver(loop_, s.sender_dns_servers);
  if (!resolver) {
    log::warning("setting {}: {}; keeping the resolvers in use", directory::setting::kSenderDnsServers,
                 resolver.error().describe());
    return;
  }
  jobs_.resolver = std::move(*resolver);
  jobs_.dns_servers = s.sender_dns_servers;
  log::info("dns: using {}", s.sender_dns_servers.empty() ? "the system's resolvers" : s.sender_dns_servers);
}

void Scheduler::claimed(std::vector<Claimed> batch) {
  auto snapshot = directory_.current();
  refresh_context(snapshot->settings);
  // destination key -> the destination and, per message, its recipients there
  struct Group {
    Destination destination;
    std::map<int64_t, Work> works;
  };
  std::map<std::string, Group> groups;
  for (Claimed& c : batch) {
    std::vector<std::pair<store::ClaimedRecipient, Attempt>> unroutable;
    for (const auto& r : c.message.recipients) {
      auto route = route::choose_outgoing_route(snapshot->outgoing, c.message.sender, r.recipient.address);
      if (!route) {
        unroutable.emplace_back(r, no_route(route.error()));
        continue;
      }
      const std::string domain = lower(std::string(route::recipient_domain(r.recipient.address)));
      const std::string key =
          route->method == route::OutgoingMethod::Relay ? "relay:" + route->name : "mx:" + domain;
      Group& g = groups[key];
      if (g.destination.key.empty()) g.destination = Destination{key, *route, domain};
      Work& w = g.works[c.message.id];
      if (!w.body) {
        w.message = c.message;
        w.message.recipients.clear();
        w.body = c.body;
      }
      w.message.recipients.push_back(r);
    }
    if (!unroutable.empty()) {
      log::warning("queue {}: {} recipient(s) without an outgoing route: {}", c.message.delivery_id,
                   unroutable.size(), unroutable.front().second.reply);
      Claimed part = c;
      part.message.recipients.clear();
      for (auto& u : unroutable) part.message.recipients.push_back(u.first);
      record(part, std::move(unroutable));
    }
  }
  for (auto& [key, g] : groups) {
    std::vector<Work> works;
    for (auto& [id, w] : g.works) works.push_back(std::move(w));
    waiting_.push_back(std::make_unique<DestinationJob>(
        jobs_, std::move(g.destination), std::move(works),
        [this](DestinationJob& job, std::vector<RecipientAttempt> results) { job_done(&job, std::move(results)); },
        [this, key = key](std::unique_ptr<SmtpLink> link) { park(key, std::move(link)); }));
  }
  dispatch();
}

void Scheduler::dispatch() {
  if (stopping_) return;
  if (dispatching_) {
    dispatch_again_ = true;  // a job ended inside start(): look again after this pass
    return;
  }
  dispatching_ = true;
  do {
    dispatch_again_ = false;
    dispatch_once();
  } while (dispatch_again_ && !stopping_);
  dispatching_ = false;
}

void Scheduler::dispatch_once() {
  const auto& s = directory_.current()->settings;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (active_.size() >= s.sender_max_connections) break;
    const std::string& key = (*it)->destination().key;
    if (per_destination_[key] >= static_cast<int>(s.sender_max_per_destination)) {
      ++it;
      continue;
    }
    ++per_destination_[key];
    active_.push_back(std::move(*it));
    waiting_.erase(it);
    active_.back()->start(take_parked(key));  // may end at once (a route without relays)
    it = waiting_.begin();    // start() may have changed the lists
  }
}

void Scheduler::job_done(DestinationJob* job, std::vector<RecipientAttempt> results) {
  auto it = std::find_if(active_.begin(), active_.end(), [job](const auto& j) { return j.get() == job; });
  if (it == active_.end()) return;
  std::unique_ptr<DestinationJob> ended = std::move(*it);
  active_.erase(it);
  if (--per_destination_[ended->destination().key] <= 0) per_destination_.erase(ended->destination().key);
  // Outcomes by message: one record (and at most one report) each.
  std::map<std::size_t, std::vector<std::pair<store::ClaimedRecipient, Attempt>>> by_work;
  for (auto& r : results) by_work[r.work].emplace_back(std::move(r.recipient), std::move(r.attempt));
  for (auto& [w, outcomes] : by_work) {
    const Work& work = ended->works()[w];
    record(Claimed{work.message, work.body}, std::move(outcomes));
  }
  ended_.push_back(std::move(ended));
  reaper_.start(0, 0, [this] {
      ended_.clear();
      closed_links_.clear();
    });
  dispatch();
  claim();
}

void Scheduler::record(const Claimed& claimed, std::vector<std::pair<store::ClaimedRecipient, Attempt>> outcomes) {
  auto snapshot = directory_.current();
  const auto& s = snapshot->settings;
  Policy policy{static_cast<int64_t>(s.sender_retry_interval), static_cast<int64_t>(s.sender_max_age),
                static_cast<int64_t>(s.sender_delay_warning)};
  const int64_t now = std::time(nullptr);
  std::vector<store::AttemptRecord> records;
  std::vector<ReportLine> lines;
  for (auto& [recipient, attempt] : outcomes) {
    Decision d = decide(claimed.message, recipient, attempt, now, policy);
    log::info("queue {}: to=<{}> relay={} attempt={} {}: {}", claimed.message.delivery_id,
              recipient.recipient.address, attempt.remote_mta.empty() ? "none" : attempt.remote_mta,
              recipient.attempts, store::outcome_name(d.record.outcome), attempt.reply);
    if (d.report) {
      ReportLine l{recipient, *d.report, attempt.status, attempt.remote_mta, std::nullopt};
      if (*d.report == dsn::Action::Delayed) l.retry_until = claimed.message.created_at + policy.max_age;
      lines.push_back(std::move(l));
    }
    records.push_back(std::move(d.record));
  }
  std::vector<store::Delivery> reports;
  if (!lines.empty()) {
    std::string why;
    auto report = make_report(claimed.message, *claimed.body, lines, snapshot->router,
                              ReportContext{jobs_.helo_name, now}, why);
    if (report) {
      reports.push_back(std::move(*report));
    } else {
      log::info("queue {}: no delivery report: {}", claimed.message.delivery_id, why);
    }
  }
  ++recording_;
  const int32_t instance = instance_;
  const int64_t message_id = claimed.message.id;
  const std::string id = claimed.message.delivery_id;
  const bool queued_report = !reports.empty() && !reports.front().remote.empty();
  db_.run<bool>(
      [instance, message_id, records = std::move(records), reports = std::move(reports)](pqxx::connection& c)
          -> Expected<bool> {
        auto r = store::record_attempts(c, instance, message_id, records, reports);
        if (!r) return Unexpected{r.error()};
        return true;
      },
      [this, id, queued_report, alive = std::weak_ptr<bool>(alive_)](Expected<bool> r) {
        if (alive.expired()) return;
        --recording_;
        if (!r) log::warning("queue {}: recording the attempt: {}", id, r.error().describe());
        if (r && queued_report) claim();  // the report itself waits in the queue now
        arm_timer();  // a deferred recipient is due again soon: the timer must know
        maybe_finished();
      });
}

void Scheduler::arm_timer() {
  if (stopping_) return;
  db_.run<std::optional<int64_t>>(
      [](pqxx::connection& c) { return store::seconds_until_due(c); },
      [this, alive = std::weak_ptr<bool>(alive_)](Expected<std::optional<int64_t>> r) {
        if (alive.expired() || stopping_) return;
        int64_t wait = kSafetyNetSeconds;
        if (r && *r) wait = std::clamp<int64_t>(**r, 1, kSafetyNetSeconds);
        timer_.start(static_cast<uint64_t>(wait) * 1000, 0, [this] { claim(); });
      });
}

void Scheduler::purge() {
  const int64_t keep = static_cast<int64_t>(directory_.current()->settings.sender_keep_finished);
  db_.run<int64_t>([keep](pqxx::connection& c) { return store::purge_finished(c, keep); },
                   [](Expected<int64_t> r) {
                     if (!r) log::warning("purging finished queue entries: {}", r.error().describe());
                     else if (*r > 0) log::info("purged {} finished queue entries", *r);
                   });
}

void Scheduler::park(const std::string& key, std::unique_ptr<SmtpLink> link) {
  auto& slot = parked_[key];
  const bool surplus = stopping_ || slot.size() >= directory_.current()->settings.sender_max_per_destination;
  SmtpLink* raw = link.get();
  // It stays listed until it ends: the server may close it while it waits,
  // or it says goodbye when it has waited long enough (or is one too many).
  raw->rebind([](smtp::client::TransactionResult) {}, [this, key, raw] {
    auto& list = parked_[key];
    for (auto it = list.begin(); it != list.end(); ++it) {
      if (it->link.get() != raw) continue;
      closed_links_.push_back(std::move(it->link));  // we are inside its callback
      list.erase(it);
      break;
    }
    reaper_.start(0, 0, [this] {
      ended_.clear();
      closed_links_.clear();
    });
  });
  slot.push_back({std::move(link), surplus ? INT64_MAX / 2 : static_cast<int64_t>(loop_.now_ms())});
  if (surplus) raw->quit();
  if (!sweeper_.active()) sweeper_.start(1000, 1000, [this] { sweep_parked(); });
}

std::unique_ptr<SmtpLink> Scheduler::take_parked(const std::string& key) {
  auto it = parked_.find(key);
  if (it == parked_.end()) return nullptr;
  for (auto p = it->second.begin(); p != it->second.end(); ++p) {
    if (!p->link->reusable()) continue;  // saying goodbye already
    std::unique_ptr<SmtpLink> link = std::move(p->link);
    it->second.erase(p);
    return link;
  }
  return nullptr;
}

void Scheduler::sweep_parked() {
  const int64_t now = static_cast<int64_t>(loop_.now_ms());
  std::vector<SmtpLink*> expired;
  bool any = false;
  for (auto& [key, list] : parked_) {
    for (auto& p : list) {
      any = true;
      if (now - p.since < static_cast<int64_t>(kParkMs)) continue;
      p.since = INT64_MAX / 2;  // asked once
      expired.push_back(p.link.get());
    }
  }
  // Quit after the walk: a link that ends at once leaves the list.
  for (SmtpLink* link : expired) link->quit();
  if (!any) sweeper_.stop();
}

void Scheduler::stop(std::function<void()> finished) {
  stopping_ = true;
  finished_ = std::move(finished);
  timer_.stop();
  purge_timer_.stop();
  // Jobs end now: what they had not heard back about is tried again later
  // (by this instance or another), once the claims are given back.
  waiting_.clear();
  active_.clear();
  per_destination_.clear();
  parked_.clear();
  sweeper_.stop();
  maybe_finished();
}

void Scheduler::maybe_finished() {
  if (!stopping_ || !finished_ || claiming_ || recording_ > 0) return;
  auto finished = std::move(finished_);
  finished_ = nullptr;
  const int32_t instance = instance_;
  db_.run<int64_t>([instance](pqxx::connection& c) { return store::release_claims(c, instance); },
                   [finished](Expected<int64_t> r) {
                     if (!r) log::warning("giving back queue claims: {}", r.error().describe());
                     finished();
                   });
}

}  // namespace pillarbox::senderd
