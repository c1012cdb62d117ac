// Executor internals: job queue, worker threads, reconnect with backoff, and
// the Async that carries completions back to the loop. Why a liveness probe:
// after the server restarts, an idle connection looks open until used, and
// a job should not be the one to find out.
#include "libcore/db/executor.hpp"

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
      w.conn->get_notifs();  // reads pending input: throws if the server went away
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
    if (std::chrono::steady_clock::now() + backoff > deadline) return false;
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, backoff, [this] { return stopping_; })) return false;
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
