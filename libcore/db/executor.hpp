// Executor: runs database jobs on N worker threads, each with its own libpqxx
// connection, and hands results back on the loop thread as Expected<T>. A job
// gets the connection and opens and commits its own transaction. When the
// server is away, workers reconnect with backoff; a job waits up to
// `connect_wait` for a connection, then fails with ErrorCode::Unavailable.
// A connection that broke while idle is noticed before the next job runs.
#pragma once

#include <pqxx/pqxx>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/event/async.hpp"
#include "libcore/event/loop.hpp"

namespace pillarbox::db {

struct ExecutorOptions {
  std::string conninfo;  // libpq URL or key=value string
  int workers = 2;
  std::chrono::milliseconds connect_wait{30000};
  int serialization_retries = 3;
};

// Maps a libpqxx/server failure to an Error (SQLSTATE in the context).
Error error_from_exception(const std::exception& e);

class Executor {
 public:
  template <class T>
  using Job = std::function<Expected<T>(pqxx::connection&)>;
  template <class T>
  using Done = std::function<void(Expected<T>)>;

  Executor(event::Loop& loop, ExecutorOptions options);
  // Stops the workers after their current job; callbacks of unfinished jobs
  // never run. Must be called on the loop thread.
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Queues `job`; `done` runs later on the loop thread, never inline.
  template <class T>
  void run(Job<T> job, Done<T> done) {
    auto result = std::make_shared<std::optional<Expected<T>>>();
    Task t;
    t.work = [job = std::move(job), result](pqxx::connection& c) { result->emplace(job(c)); };
    t.fail = [result](Error e) { result->emplace(Unexpected{std::move(e)}); };
    t.complete = [result, done = std::move(done)] { done(std::move(**result)); };
    submit(std::move(t));
  }

  // Jobs queued or running.
  std::size_t pending() const;

 private:
  struct Task {
    std::function<void(pqxx::connection&)> work;
    std::function<void(Error)> fail;
    std::function<void()> complete;
  };
  struct Worker;

  void submit(Task t);
  void worker_main(Worker& w);
  void execute(Worker& w, Task& t);
  bool ensure_connected(Worker& w, std::chrono::steady_clock::time_point deadline, std::string& why);
  void deliver();

  ExecutorOptions options_;
  event::Async wake_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  std::deque<Task> done_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace pillarbox::db
