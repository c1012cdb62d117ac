// Executor internals: job queue, worker threads, reconnect with backoff, and
// the Async that carries completions back to the loop. Why a liveness probe:
// after the server restarts, an idle connection looks open until used, and
// a job should not be the one to find out.
#include "libcore/db/executor.hpp"

#include <poll.h>

#include "libcore/base/log.hpp"

namespace pillarbox::db {

struct Executor::Worker {
  int index = 0;
  std::unique_ptr<pqxx::connection> conn;
  std::thread thread;
};

Error error_from_exception(const std::exception& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e))
    return Error{ErrorCode::Unavailable, "database unavailable", e.what()};
  // libpqxx 6.4 derives these from pqxx::failure, not sql_error: no sqlstate().
  if (dynamic_cast<const pqxx::statement_completion_unknown*>(&e))
    return Error{ErrorCode::Internal, "database outcome unknown", std::string("SQLSTATE 40003: ") + e.what()};
  if (dynamic_cast<const pqxx::deadlock_detected*>(&e))
    return Error{ErrorCode::Temporary, "database busy, try again", std::string("SQLSTATE 40P01: ") + e.what()};
  if (dynamic_cast<const pqxx::serialization_failure*>(&e))
    return Error{ErrorCode::Temporary, "database busy, try again", std::string("SQLSTATE 40001: ") + e.what()};
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e))
    return Error{ErrorCode::Temporary, "database busy, try again", e.what()};
  if (auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    std::string state = sql->sqlstate();
    std::string ctx = "SQLSTATE " + state + ": " + sql->what();
    if (state == "23505") return Error{ErrorCode::AlreadyExists, "already exists", ctx};
    if (state == "40001" || state == "40P01" || state.rfind("53", 0) == 0)
      return Error{ErrorCode::Temporary, "database busy, try again", ctx};
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0)
      return Error{ErrorCode::Unavailable, "database unavailable", ctx};
    if (state.rfind("22", 0) == 0 || state.rfind("23", 0) == 0)
      return Error{ErrorCode::InvalidInput, "invalid data", ctx};
    return Error{ErrorCode::Internal, "database error", ctx};
  }
  return Error{ErrorCode::Internal, "database error", e.what()};
}

Executor::Executor(event::Loop& loop, ExecutorOptions options)
    : options_(std::move(options)), wake_(loop, [this] { deliver(); }) {
  int n = options_.workers < 1 ? 1 : options_.workers;
  for (int i = 0; i < n; ++i) {
    auto w = std::make_unique<Worker>();
    w->index = i;
    workers_.push_back(std::move(w));
  }
  for (auto& w : workers_) {
    Worker* raw = w.get();
    raw->thread = std::thread([this, raw] { worker_main(*raw); });
  }
}

Executor::~Executor() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_)
    if (w->thread.joinable()) w->thread.join();
}

std::size_t Executor::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size() + running_ + done_.size();
}

void Executor::submit(Task t) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(t));
  }
  cv_.notify_all();  // a worker waiting out a reconnect backoff must not swallow it
}

void Executor::worker_main(Worker& w) {
  for (;;) {
    Task t;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      t = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    execute(w, t);
    {
      std::lock_guard lock(mu_);
      --running_;
      done_.push_back(std::move(t));
    }
    wake_.send();
  }
}

void Executor::execute(Worker& w, Task& t) {
  auto deadline = std::chrono::steady_clock::now() + options_.connect_wait;
  for (int attempt = 0;; ++attempt) {
    std::string why;
    if (!ensure_connected(w, deadline, why)) {
      t.fail(Error{ErrorCode::Unavailable, "database unavailable", why});
      return;
    }
    try {
      t.work(*w.conn);
      return;
    } catch (const pqxx::broken_connection& e) {
      // The job may or may not have committed: report, never replay.
      log::warning("database connection {} lost during a query: {}", w.index, e.what());
      w.conn.reset();
      t.fail(error_from_exception(e));
      return;
    } catch (const std::exception& e) {
      Error err = error_from_exception(e);
      bool retry = err.code == ErrorCode::Temporary && attempt < options_.serialization_retries;
      if (!retry) {
        t.fail(std::move(err));
        return;
      }
    }
  }
}

bool Executor::ensure_connected(Worker& w, std::chrono::steady_clock::time_point deadline,
                                std::string& why) {
  if (w.conn) {
    try {
      // A server that dropped us leaves a FATAL message and then EOF: drain
      // whatever is readable so the EOF is seen, not just the message.
      for (int i = 0; i < 64 && w.conn->is_open(); ++i) {
        pollfd p{w.conn->sock(), POLLIN, 0};
        if (::poll(&p, 1, 0) != 1) break;
        w.conn->get_notifs();
      }
      if (w.conn->is_open()) return true;
    } catch (const std::exception& e) {
      log::info("database connection {} found broken: {}", w.index, e.what());
    }
    w.conn.reset();
  }
  auto backoff = std::chrono::milliseconds(100);
  for (;;) {
    try {
      w.conn = std::make_unique<pqxx::connection>(options_.conninfo);
      return true;
    } catch (const std::exception& e) {
      why = e.what();
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    // Sleep at most until the deadline, then make one last attempt there.
    auto wait = std::min<std::chrono::steady_clock::duration>(backoff, deadline - now);
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, wait, [this] { return stopping_; })) return false;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
  }
}

void Executor::deliver() {
  std::deque<Task> ready;
  {
    std::lock_guard lock(mu_);
    ready.swap(done_);
  }
  for (auto& t : ready) t.complete();
}

}  // namespace pillarbox::db
