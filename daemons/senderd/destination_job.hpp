// DestinationJob: one attempt at delivering a batch of claimed messages to
// one destination — the relays of a route (in order, the next when one
// fails) or the MX hosts of one recipient domain (RFC 5321 §5.1 order, each
// address in turn) — over as few connections as possible: every message
// goes over the first connection that gets that far. Failures before a
// transaction starts (connect, greeting, EHLO, STARTTLS, AUTH) move the
// remaining messages on to the next host; results of MAIL, RCPT and DATA
// are final for this attempt. The outcome of every recipient goes to `done`
// once. Not here: what outcomes mean for the queue (retry_policy).
// Loop thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemons/senderd/retry_policy.hpp"
#include "daemons/senderd/smtp_link.hpp"
#include "libcore/crypto/secret_box.hpp"
#include "libcore/dns/resolver.hpp"
#include "libcore/route/outgoing_route.hpp"
#include "libcore/store/sender_queue.hpp"

namespace pillarbox::senderd {

// What every job shares; owned by the scheduler.
struct JobContext {
  event::Loop& loop;
  std::unique_ptr<dns::Resolver> resolver;  // replaced (between jobs) when sender.dns_servers changes
  std::string dns_servers;                 // what `resolver` was made with
  std::shared_ptr<tls::Context> tls;  // client context (no peer verification)
  std::string helo_name;
  std::optional<crypto::Key> server_key;  // opens relay passwords
  uint16_t mx_port = 25;
  smtp::client::Timeouts timeouts;
  std::chrono::milliseconds connect_timeout{30000};
};

struct Destination {
  std::string key;  // "relay:<route>" or "mx:<domain>": the unit of per-destination limits
  route::OutgoingRoute route;
  std::string domain;  // the recipients' domain (MX routes)
};

// One claimed message with only this destination's recipients.
struct Work {
  store::ClaimedMessage message;
  std::shared_ptr<const std::string> body;
};

struct RecipientAttempt {
  std::size_t work = 0;  // index into the job's works
  store::ClaimedRecipient recipient;
  Attempt attempt;
};

class DestinationJob {
 public:
  using Done = std::function<void(DestinationJob& job, std::vector<RecipientAttempt> results)>;
  // Takes a connection that is still open and idle when the job is done.
  using Keep = std::function<void(std::unique_ptr<SmtpLink> link)>;

  DestinationJob(JobContext& ctx, Destination destination, std::vector<Work> works, Done done, Keep keep);
  ~DestinationJob();

  // With `reuse`, the job first sends over that open connection (kept by an
  // earlier job to this destination); when it fails there, it goes through
  // the destination's hosts as usual.
  void start(std::unique_ptr<SmtpLink> reuse = nullptr);
  const Destination& destination() const { return destination_; }
  const std::vector<Work>& works() const { return works_; }

 private:
  struct Hop {
    std::string host;
    uint16_t port = 25;
    route::RelayTls tls = route::RelayTls::Opportunistic;
    const route::OutgoingRelay* relay = nullptr;  // relay routes: its AUTH
    std::vector<std::string> addresses;           // empty until resolved
  };

  void plan();
  void plan_relays();
  void send_open();
  void plan_mx();
  void next();
  void connect(const Hop& hop, const std::string& address);
  void on_result(smtp::client::TransactionResult result);
  void on_link_end();
  void fail_remaining(Attempt attempt);
  void finish();
  smtp::client::Transaction transaction(std::size_t index) const;
  std::optional<smtp::client::Options> options_for(const Hop& hop, Attempt& failure) const;

  JobContext& ctx_;
  Destination destination_;
  std::vector<Work> works_;
  Done done_;
  Keep keep_;
  bool planned_ = false;
  std::vector<Hop> hops_;
  std::size_t hop_ = 0, address_ = 0;  // the next address to try
  std::vector<bool> open_;              // per work: still without a final result
  std::vector<RecipientAttempt> results_;
  std::optional<Attempt> last_failure_;  // why the last host did not take the open works
  std::unique_ptr<SmtpLink> link_;
  std::unique_ptr<SmtpLink> dead_link_;  // ended, destroyed on the next step
  bool finished_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pillarbox::senderd
