// Scheduler: senderd's work loop. It claims due recipients from the queue
// (store::claim_due under this instance's lock key), sorts them by outgoing
// route into destinations (a relay route, or one recipient domain by MX),
// runs a DestinationJob per destination within the connection limits
// (overall and per destination), and records every outcome with its
// delivery report in one transaction per message. It wakes on queue.ready,
// when a job ends, and at the next due time (at least every minute, the
// safety net for a lost event or a dead instance's claims).
// Loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemons/senderd/destination_job.hpp"
#include "libcore/db/executor.hpp"
#include "libcore/directory/directory.hpp"
#include "libcore/event/timer.hpp"

namespace pillarbox::senderd {

// A claimed message with its bytes.
struct Claimed {
  store::ClaimedMessage message;
  std::shared_ptr<const std::string> body;
};

// A resolver for "ip[:port],..." ("" = the system's).
Expected<std::unique_ptr<dns::Resolver>> make_resolver(event::Loop& loop, const std::string& servers);

class Scheduler {
 public:
  Scheduler(event::Loop& loop, db::Executor& db, directory::Directory& directory, JobContext& jobs,
            int32_t instance);
  ~Scheduler();

  void start();
  // queue.ready: claim now if there is room.
  void wake();
  // Stops claiming, ends the jobs (their claims are given back, a message
  // cut off mid-delivery is tried again later), waits for outcomes being
  // recorded, then calls `finished`.
  void stop(std::function<void()> finished);

 private:
  void claim();
  void claimed(std::vector<Claimed> batch);
  void refresh_context(const directory::Settings& settings);
  void dispatch();
  void dispatch_once();
  void job_done(DestinationJob* job, std::vector<RecipientAttempt> results);
  void record(const Claimed& claimed, std::vector<std::pair<store::ClaimedRecipient, Attempt>> outcomes);
  void arm_timer();
  void purge();
  void maybe_finished();
  // Open connections between jobs, by destination key; closed after a few
  // idle seconds, or when the server closes them.
  void park(const std::string& key, std::unique_ptr<SmtpLink> link);
  std::unique_ptr<SmtpLink> take_parked(const std::string& key);
  void sweep_parked();

  event::Loop& loop_;
  db::Executor& db_;
  directory::Directory& directory_;
  JobContext& jobs_;
  int32_t instance_;
  std::vector<std::unique_ptr<DestinationJob>> waiting_;  // claimed, waiting for a connection slot
  std::vector<std::unique_ptr<DestinationJob>> active_;
  std::vector<std::unique_ptr<DestinationJob>> ended_;    // destroyed on the next loop turn
  std::map<std::string, int> per_destination_;            // active jobs by destination key
  struct Parked {
    std::unique_ptr<SmtpLink> link;
    int64_t since = 0;  // loop time, ms
  };
  std::map<std::string, std::vector<Parked>> parked_;
  std::vector<std::unique_ptr<SmtpLink>> closed_links_;   // destroyed on the next loop turn
  event::Timer sweeper_;
  event::Timer timer_;
  event::Timer reaper_;
  event::Timer purge_timer_;
  int recording_ = 0;  // record_attempts in flight
  bool claiming_ = false;
  bool claim_again_ = false;
  bool stopping_ = false;
  bool dispatching_ = false;
  bool dispatch_again_ = false;
  std::function<void()> finished_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pillarbox::senderd
