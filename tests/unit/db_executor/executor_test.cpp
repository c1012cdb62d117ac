// db::Executor against a private PostgreSQL (TempPostgres), one fresh
// database per test: results on the loop thread, many jobs on several
// workers, error mapping, an unreachable server, reconnecting after the
// server dropped an idle connection, shutdown with work queued, and bounded
// retries of serialization failures.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "libcore/db/executor.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/pipe.hpp"
#include "libcore/event/timer.hpp"
#include "tests/support/pg_fixture.hpp"

using namespace std::chrono_literals;
using pillarbox::ErrorCode;
using pillarbox::Expected;
using pillarbox::db::Executor;
using pillarbox::db::ExecutorOptions;
using pillarbox::test::TempPostgres;
namespace event = pillarbox::event;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kDeadline = 20s;

long long ms_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

// A fresh directory under /tmp, removed with everything in it.
struct TempDir {
  std::string path;
  TempDir() {
    std::string templ = "/tmp/pillarbox-exec-XXXXXX";
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// Runs the loop until pred() holds, waking every few ms so that a condition
// set by another thread (not by a loop event) is noticed.
bool run_until_polled(event::Loop& loop, const std::function<bool()>& pred,
                      std::chrono::milliseconds deadline) {
  event::Timer tick(loop);
  tick.start(2, 2, [] {});
  return loop.run_until(pred, deadline);
}

// Runs one job and the loop until its result arrives.
template <class T>
Expected<T> run_one(event::Loop& loop, Executor& ex, Executor::Job<T> job) {
  std::optional<Expected<T>> out;
  ex.template run<T>(std::move(job), [&out](Expected<T> r) { out.emplace(std::move(r)); });
  REQUIRE(loop.run_until([&] { return out.has_value(); }, kDeadline));
  return std::move(*out);
}

void exec_sql(const std::string& conninfo, const std::string& sql) {
  pqxx::connection c{conninfo};
  pqxx::nontransaction tx{c};
  tx.exec(sql);
}

std::string scalar(const std::string& conninfo, const std::string& sql) {
  pqxx::connection c{conninfo};
  pqxx::nontransaction tx{c};
  auto r = tx.exec1(sql);
  return r[0].is_null() ? "NULL" : r[0].c_str();
}

ExecutorOptions options_for(const std::string& conninfo, int workers) {
  ExecutorOptions o;
  o.conninfo = conninfo;
  o.workers = workers;
  o.connect_wait = 10s;
  return o;
}

// The host= directory of a TempPostgres conninfo (where its socket lives).
std::string host_of(const std::string& conninfo) {
  auto pos = conninfo.find("host=");
  REQUIRE(pos != std::string::npos);
  std::string v = conninfo.substr(pos + 5, conninfo.find(' ', pos) - pos - 5);
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') v = v.substr(1, v.size() - 2);
  return v;
}

std::string dbname_of(const std::string& conninfo) {
  auto pos = conninfo.find("dbname=");
  REQUIRE(pos != std::string::npos);
  return conninfo.substr(pos + 7, conninfo.find(' ', pos) - pos - 7);
}

// True when process `pid` has exited (gone, or a zombie whose descriptors
// are closed already).
bool process_gone(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return true;
  std::string line;
  std::getline(in, line);
  auto close_paren = line.rfind(')');
  return close_paren == std::string::npos || line.size() < close_paren + 3 ||
         line[close_paren + 2] == 'Z' || line[close_paren + 2] == 'X';
}

// A rendezvous for the workers of one test, with a timeout so that a bug
// makes the test fail rather than hang.
class Rendezvous {
 public:
  explicit Rendezvous(int parties) : left_(parties) {}
  bool arrive_and_wait() {
    std::unique_lock lock(mu_);
    if (--left_ <= 0) {
      cv_.notify_all();
      return true;
    }
    return cv_.wait_for(lock, 10s, [this] { return left_ <= 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int left_;
};

}  // namespace

TEST_CASE("a job result comes back on the loop thread and never inline", "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  event::Loop loop;
  Executor ex(loop, options_for(db, 2));

  const auto loop_thread = std::this_thread::get_id();
  std::thread::id job_thread;
  std::thread::id done_thread;
  std::optional<Expected<int>> result;
  ex.run<int>(
      [&job_thread](pqxx::connection& c) -> Expected<int> {
        job_thread = std::this_thread::get_id();
        pqxx::work tx{c};
        int v = tx.exec1("SELECT 40 + 2")[0].as<int>();
        tx.commit();
        return v;
      },
      [&](Expected<int> r) {
        done_thread = std::this_thread::get_id();
        result.emplace(std::move(r));
      });
  CHECK_FALSE(result.has_value());  // queued, not run inline
  REQUIRE(loop.run_until([&] { return result.has_value(); }, kDeadline));
  REQUIRE(result->ok());
  CHECK(**result == 42);
  CHECK(done_thread == loop_thread);
  CHECK(job_thread != loop_thread);
  CHECK(ex.pending() == 0);
}

TEST_CASE("200 jobs across 4 workers all complete with correct results", "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  event::Loop loop;
  Executor ex(loop, options_for(db, 4));

  struct Row {
    int value;
    int backend;
  };
  constexpr int kJobs = 200;
  std::map<int, int> results;  // job index -> value
  std::set<int> backends;
  int calls = 0;
  int failures = 0;
  const auto loop_thread = std::this_thread::get_id();
  bool all_on_loop = true;
  for (int i = 0; i < kJobs; ++i) {
    ex.run<Row>(
        [i](pqxx::connection& c) -> Expected<Row> {
          pqxx::work tx{c};
          auto r = tx.exec_params1("SELECT $1::int * 3 + 1, pg_backend_pid()", i);
          tx.commit();
          return Row{r[0].as<int>(), r[1].as<int>()};
        },
        [&, i](Expected<Row> r) {
          ++calls;
          all_on_loop = all_on_loop && std::this_thread::get_id() == loop_thread;
          if (!r) {
            ++failures;
            UNSCOPED_INFO("job " << i << ": " << r.error().describe());
            return;
          }
          results[i] = r->value;
          backends.insert(r->backend);
        });
  }
  CHECK(ex.pending() > 0);
  REQUIRE(loop.run_until([&] { return calls == kJobs; }, kDeadline));
  CHECK(failures == 0);
  REQUIRE(results.size() == static_cast<std::size_t>(kJobs));
  for (const auto& [i, v] : results) CHECK(v == i * 3 + 1);
  CHECK(all_on_loop);
  // One connection per worker, reused: never one per job.
  CHECK(backends.size() >= 1);
  CHECK(backends.size() <= 4);
  CHECK(ex.pending() == 0);
  // Each callback exactly once: nothing more arrives later.
  CHECK_FALSE(run_until_polled(loop, [&] { return calls > kJobs; }, 50ms));
}

TEST_CASE("a job that returns an error delivers that error", "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  event::Loop loop;
  Executor ex(loop, options_for(db, 1));

  auto r = run_one<std::string>(loop, ex, [](pqxx::connection& c) -> Expected<std::string> {
    pqxx::work tx{c};
    auto rows = tx.exec("SELECT 1 WHERE false");
    if (rows.empty()) return pillarbox::fail(ErrorCode::NotFound, "no such mailbox", "mailbox 17");
    return std::string("found");
  });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::NotFound);
  CHECK(r.error().message == "no such mailbox");
  CHECK(r.error().context == "mailbox 17");
}

TEST_CASE("a unique violation maps to AlreadyExists", "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  exec_sql(db, "CREATE TABLE accounts (name text PRIMARY KEY)");
  event::Loop loop;
  Executor ex(loop, options_for(db, 2));

  auto insert = [](pqxx::connection& c) -> Expected<bool> {
    pqxx::work tx{c};
    tx.exec0("INSERT INTO accounts VALUES ('alice')");
    tx.commit();
    return true;
  };
  auto first = run_one<bool>(loop, ex, insert);
  REQUIRE(first.ok());
  auto second = run_one<bool>(loop, ex, insert);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code == ErrorCode::AlreadyExists);
  CHECK(second.error().context.find("23505") != std::string::npos);
  CHECK(scalar(db, "SELECT count(*) FROM accounts") == "1");
}

TEST_CASE("a syntax error maps to Internal with the SQLSTATE in context", "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  event::Loop loop;
  Executor ex(loop, options_for(db, 1));

  std::atomic<int> attempts{0};
  auto r = run_one<int>(loop, ex, [&attempts](pqxx::connection& c) -> Expected<int> {
    ++attempts;
    pqxx::work tx{c};
    tx.exec("SELEC 1");
    return 1;
  });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::Internal);
  CHECK(r.error().context.find("42601") != std::string::npos);
  CHECK(attempts == 1);  // not a retryable failure

  // The worker's connection is still good for the next job.
  auto next = run_one<int>(loop, ex, [](pqxx::connection& c) -> Expected<int> {
    pqxx::work tx{c};
    return tx.exec1("SELECT 7")[0].as<int>();
  });
  REQUIRE(next.ok());
  CHECK(*next == 7);
}

TEST_CASE("an unreachable database fails with Unavailable after connect_wait", "[executor][db]") {
  TempDir empty;  // a socket directory with no server in it
  event::Loop loop;
  ExecutorOptions o;
  o.conninfo = "host=" + empty.path + " dbname=pillarbox user=pillarbox";
  o.workers = 1;
  o.connect_wait = 300ms;
  Executor ex(loop, o);

  bool ran = false;
  const auto t0 = Clock::now();
  std::optional<Expected<int>> out;
  ex.run<int>(
      [&ran](pqxx::connection&) -> Expected<int> {
        ran = true;
        return 1;
      },
      [&out](Expected<int> r) { out.emplace(std::move(r)); });
  REQUIRE(loop.run_until([&] { return out.has_value(); }, kDeadline));
  const auto elapsed = ms_since(t0);
  REQUIRE_FALSE(out->ok());
  CHECK(out->error().code == ErrorCode::Unavailable);
  CHECK(out->error().context.find(empty.path) != std::string::npos);  // libpq's reason
  CHECK_FALSE(ran);
  INFO("failed after " << elapsed << " ms");
  CHECK(elapsed >= 100);   // it retried at least once
  CHECK(elapsed < 1500);   // and gave up at about connect_wait
}

TEST_CASE("a job waits for a server that comes up within connect_wait", "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  TempDir dir;  // the socket appears here (a symlink to the real one) later
  event::Loop loop;
  ExecutorOptions o;
  o.conninfo = "host=" + dir.path + " dbname=" + dbname_of(db) + " user=pillarbox";
  o.workers = 1;
  o.connect_wait = 10s;
  Executor ex(loop, o);

  const std::string socket = host_of(db) + "/.s.PGSQL.5432";
  event::Timer later(loop);
  later.start(250, 0, [&] {
    std::error_code ec;  // no exception may unwind through libuv
    std::filesystem::create_symlink(socket, dir.path + "/.s.PGSQL.5432", ec);
  });
  auto r = run_one<int>(loop, ex, [](pqxx::connection& c) -> Expected<int> {
    pqxx::work tx{c};
    return tx.exec1("SELECT 5")[0].as<int>();
  });
  REQUIRE(r.ok());
  CHECK(*r == 5);
}

TEST_CASE("a job uses all of connect_wait before giving up", "[executor][db]") {
  // The server appears at 80% of connect_wait. The header promises a job
  // waits up to connect_wait; the backoff gives up as soon as the next
  // (doubled) backoff step would overshoot the deadline, here at ~1500 ms.
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  TempDir dir;
  event::Loop loop;
  ExecutorOptions o;
  o.conninfo = "host=" + dir.path + " dbname=" + dbname_of(db) + " user=pillarbox";
  o.workers = 1;
  o.connect_wait = 2000ms;
  Executor ex(loop, o);

  const std::string socket = host_of(db) + "/.s.PGSQL.5432";
  event::Timer later(loop);
  later.start(1600, 0, [&] {
    std::error_code ec;  // no exception may unwind through libuv
    std::filesystem::create_symlink(socket, dir.path + "/.s.PGSQL.5432", ec);
  });
  const auto t0 = Clock::now();
  auto r = run_one<int>(loop, ex, [](pqxx::connection& c) -> Expected<int> {
    pqxx::work tx{c};
    return tx.exec1("SELECT 5")[0].as<int>();
  });
  INFO("result after " << ms_since(t0) << " ms: " << (r ? std::string("ok") : r.error().describe()));
  CHECK(r.ok());
}

// : the idle probe in ensure_connected() makes one get_notifs();
// PQconsumeInput then reads the backend's FATAL message but not yet the end
// of file, so the connection still looks open and the job fails.
TEST_CASE("a connection the server dropped while idle is replaced before the next job",
          "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  event::Loop loop;
  Executor ex(loop, options_for(db, 1));

  auto backend = [](pqxx::connection& c) -> Expected<int> {
    pqxx::work tx{c};
    int pid = tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
    tx.commit();
    return pid;
  };
  auto first = run_one<int>(loop, ex, backend);
  REQUIRE(first.ok());

  // Terminate the worker's backend from another connection and wait until
  // that backend process is gone, so its socket is closed for certain.
  REQUIRE(scalar(db, "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) "
                     "FROM pg_stat_activity WHERE datname = current_database() "
                     "AND pid <> pg_backend_pid()") == "1");
  REQUIRE(run_until_polled(loop, [&] { return process_gone(*first); }, kDeadline));

  auto second = run_one<int>(loop, ex, backend);
  INFO((second ? std::string("ok") : second.error().describe()));
  REQUIRE(second.ok());
  CHECK(*second != *first);
}

TEST_CASE("a connection lost during a job is reported and not replayed", "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  event::Loop loop;
  Executor ex(loop, options_for(db, 1));

  std::atomic<int> attempts{0};
  auto r = run_one<int>(loop, ex, [&attempts](pqxx::connection& c) -> Expected<int> {
    ++attempts;
    pqxx::nontransaction tx{c};
    tx.exec("SELECT pg_terminate_backend(pg_backend_pid())");
    return 0;
  });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::Unavailable);
  CHECK(attempts == 1);

  // The next job gets a new connection.
  auto next = run_one<int>(loop, ex, [](pqxx::connection& c) -> Expected<int> {
    pqxx::work tx{c};
    return tx.exec1("SELECT 9")[0].as<int>();
  });
  INFO((next ? std::string("ok") : next.error().describe()));
  REQUIRE(next.ok());
  CHECK(*next == 9);
}

TEST_CASE("the destructor with jobs queued returns promptly and runs no callbacks", "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  event::Loop loop;
  auto ex = std::make_unique<Executor>(loop, options_for(db, 1));

  std::atomic<bool> started{false};
  std::atomic<int> ran{0};
  int callbacks = 0;
  ex->run<int>(
      [&](pqxx::connection& c) -> Expected<int> {
        started = true;
        pqxx::nontransaction tx{c};
        tx.exec("SELECT pg_sleep(0.3)");
        ++ran;
        return 0;
      },
      [&callbacks](Expected<int>) { ++callbacks; });
  for (int i = 0; i < 50; ++i)
    ex->run<int>(
        [&ran](pqxx::connection& c) -> Expected<int> {
          ++ran;
          pqxx::nontransaction tx{c};
          tx.exec("SELECT pg_sleep(0.1)");
          return 0;
        },
        [&callbacks](Expected<int>) { ++callbacks; });
  REQUIRE(run_until_polled(loop, [&] { return started.load(); }, kDeadline));

  const auto t0 = Clock::now();
  ex.reset();  // waits for the running job (~0.3 s), not for the 50 queued (5 s)
  const auto elapsed = ms_since(t0);
  INFO("destructor took " << elapsed << " ms");
  CHECK(elapsed < 2000);
  CHECK(ran == 1);
  // Whatever was queued or finished but undelivered is never called back.
  for (int i = 0; i < 20; ++i) uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK(callbacks == 0);
}

TEST_CASE("the destructor does not wait out a reconnect backoff", "[executor][db]") {
  // A fake server that accepts and hangs up at once: every connection
  // attempt fails, and the attempts are visible.
  TempDir dir;
  event::Loop loop;
  event::Pipe listener(loop);
  REQUIRE(listener.bind(dir.path + "/.s.PGSQL.5432").ok());
  int accepted = 0;
  REQUIRE(listener
              .listen(16,
                      [&](int status) {
                        if (status != 0) return;
                        auto p = listener.accept();
                        if (p) ++accepted;  // p closes at the end of this scope
                      })
              .ok());

  ExecutorOptions o;
  o.conninfo = "host=" + dir.path + " dbname=pillarbox user=pillarbox";
  o.workers = 1;
  o.connect_wait = 60s;
  auto ex = std::make_unique<Executor>(loop, o);
  int callbacks = 0;
  ex->run<int>([](pqxx::connection&) -> Expected<int> { return 1; },
               [&callbacks](Expected<int>) { ++callbacks; });
  // After the 4th failed attempt the worker backs off for 800 ms.
  REQUIRE(loop.run_until([&] { return accepted >= 4; }, kDeadline));

  const auto t0 = Clock::now();
  ex.reset();
  const auto elapsed = ms_since(t0);
  INFO("destructor took " << elapsed << " ms");
  CHECK(elapsed < 400);
  for (int i = 0; i < 20; ++i) uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK(callbacks == 0);
}

// : libpqxx 6.4 throws serialization_failure / deadlock_detected
// (SQLSTATE 40001 / 40P01) as transaction_rollback, which is not an sql_error,
// so error_from_exception() maps them to Internal and they are never retried.
TEST_CASE("a serialization failure is retried", "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  event::Loop loop;
  ExecutorOptions o = options_for(db, 1);
  o.serialization_retries = 3;
  Executor ex(loop, o);

  // Fails with SQLSTATE 40001 on the first two attempts, then succeeds.
  std::atomic<int> attempts{0};
  auto r = run_one<int>(loop, ex, [&attempts](pqxx::connection& c) -> Expected<int> {
    int n = ++attempts;
    pqxx::work tx{c};
    if (n <= 2)
      tx.exec("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$");
    int v = tx.exec1("SELECT 11")[0].as<int>();
    tx.commit();
    return v;
  });
  INFO((r ? std::string("ok") : r.error().describe()));
  REQUIRE(r.ok());
  CHECK(*r == 11);
  CHECK(attempts == 3);

  SECTION("a deadlock is retried too") {
    attempts = 0;
    auto d = run_one<int>(loop, ex, [&attempts](pqxx::connection& c) -> Expected<int> {
      int n = ++attempts;
      pqxx::work tx{c};
      if (n == 1)
        tx.exec("DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = 'deadlock_detected'; END $$");
      tx.commit();
      return n;
    });
    REQUIRE(d.ok());
    CHECK(*d == 2);
  }
}

// : same cause as above (40001 becomes Internal, tried once).
TEST_CASE("serialization retries are bounded", "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  event::Loop loop;
  ExecutorOptions o = options_for(db, 1);
  o.serialization_retries = 2;
  Executor ex(loop, o);

  std::atomic<int> attempts{0};
  auto r = run_one<int>(loop, ex, [&attempts](pqxx::connection& c) -> Expected<int> {
    ++attempts;
    pqxx::work tx{c};
    tx.exec("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$");
    return 0;
  });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::Temporary);
  CHECK(r.error().context.find("40001") != std::string::npos);
  CHECK(attempts == 3);  // the first try and two retries
}

// : same cause as above (the loser's 40001 is not retried).
TEST_CASE("conflicting serializable transactions both succeed through a retry",
          "[executor][db]") {
  auto& pg = TempPostgres::shared();
  const std::string db = pg.create_database();
  exec_sql(db,
           "CREATE TABLE doctors (name text PRIMARY KEY, on_call boolean NOT NULL);"
           "INSERT INTO doctors VALUES ('alice', true), ('bob', true)");
  event::Loop loop;
  Executor ex(loop, options_for(db, 2));

  // Classic write skew: each goes off call if someone else is still on
  // call. Both read before either writes (first attempts only), so under
  // SERIALIZABLE one of them must fail with 40001 and be retried; the retry
  // then sees the other's commit and stays on call.
  Rendezvous both_read(2);
  std::atomic<int> attempts{0};
  std::atomic<bool> rendezvous_failed{false};
  auto go_off_call = [&](std::string who) {
    return [&, who, first = std::make_shared<std::atomic<bool>>(true)](
               pqxx::connection& c) -> Expected<bool> {
      ++attempts;
      pqxx::transaction<pqxx::serializable> tx{c};
      int on_call = tx.exec1("SELECT count(*) FROM doctors WHERE on_call")[0].as<int>();
      if (first->exchange(false) && !both_read.arrive_and_wait()) rendezvous_failed = true;
      bool leaves = on_call >= 2;
      if (leaves) tx.exec_params0("UPDATE doctors SET on_call = false WHERE name = $1", who);
      tx.commit();
      return leaves;
    };
  };
  std::vector<Expected<bool>> results;
  for (const char* who : {"alice", "bob"})
    ex.run<bool>(go_off_call(who), [&results](Expected<bool> r) { results.push_back(std::move(r)); });
  REQUIRE(loop.run_until([&] { return results.size() == 2; }, kDeadline));
  CHECK_FALSE(rendezvous_failed);
  for (const auto& r : results) {
    INFO((r ? std::string("ok") : r.error().describe()));
    CHECK(r.ok());
  }
  CHECK(attempts == 3);
  CHECK(scalar(db, "SELECT count(*) FROM doctors WHERE on_call") == "1");
}
