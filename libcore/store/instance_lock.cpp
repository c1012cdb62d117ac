// libpq directly, as the master's channel does: the connection idles for the
// life of the process and only its socket is watched. Keys are random and
// positive; a key someone holds already is skipped (pg_try_advisory_lock).
#include "libcore/store/instance_lock.hpp"

#include <libpq-fe.h>

#include <random>

namespace pillarbox::store {

Expected<std::unique_ptr<InstanceLock>> InstanceLock::acquire(event::Loop& loop, const std::string& conninfo,
                                                              int32_t ns,
                                                              std::function<void(const std::string&)> on_lost) {
  std::unique_ptr<InstanceLock> lock(new InstanceLock());
  lock->on_lost_ = std::move(on_lost);
  lock->conn_ = PQconnectdb(conninfo.c_str());
  auto failed = [&](const std::string& what) -> Expected<std::unique_ptr<InstanceLock>> {
    std::string why = what + ": " + PQerrorMessage(lock->conn_);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    PQfinish(lock->conn_);
    lock->conn_ = nullptr;
    return fail(ErrorCode::Unavailable, why);
  };
  if (PQstatus(lock->conn_) != CONNECTION_OK) return failed("instance lock: connecting");
  std::random_device random;
  std::uniform_int_distribution<int32_t> keys(1, INT32_MAX);
  for (int tries = 0; tries < 20 && lock->key_ == 0; ++tries) {
    const int32_t key = keys(random);
    const std::string ns_text = std::to_string(ns), key_text = std::to_string(key);
    const char* values[2] = {ns_text.c_str(), key_text.c_str()};
    PGresult* r = PQexecParams(lock->conn_, "SELECT pg_try_advisory_lock($1::int, $2::int)", 2, nullptr, values,
                               nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    const bool got = ok && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!ok) return failed("instance lock: locking");
    if (got) lock->key_ = key;
  }
  if (lock->key_ == 0) return failed("instance lock: no free key");
  PQsetnonblocking(lock->conn_, 1);
  auto poll = event::Poll::open(loop, PQsocket(lock->conn_));
  if (!poll) return failed("instance lock: watching the connection: " + poll.error().describe());
  lock->poll_ = std::make_unique<event::Poll>(std::move(*poll));
  InstanceLock* self = lock.get();
  self->poll_->start(UV_READABLE, [self](int status, int) {
    if (status < 0) return self->lost(event::uv_error_text(status));
    self->readable();
  });
  return lock;
}

InstanceLock::~InstanceLock() {
  poll_.reset();
  if (conn_) PQfinish(conn_);  // the lock goes with the session
}

void InstanceLock::readable() {
  // An idle session receives nothing but notices and the server's goodbye.
  if (!PQconsumeInput(conn_) || PQstatus(conn_) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn_);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return lost(why.empty() ? "connection closed" : why);
  }
  while (PGnotify* n = PQnotifies(conn_)) PQfreemem(n);
}

void InstanceLock::lost(const std::string& why) {
  if (!conn_) return;
  poll_.reset();
  PQfinish(conn_);
  conn_ = nullptr;
  if (on_lost_) on_lost_(why);
}

}  // namespace pillarbox::store
