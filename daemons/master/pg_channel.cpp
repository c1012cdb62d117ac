// LISTEN/NOTIFY over libpq directly: libpqxx's receivers block in await,
// while the master needs the socket in its own loop. One NOTIFY is in flight
// at a time (PQsendQueryParams, then its result read when the socket is
// readable), so results never have to be matched to requests.
#include "daemons/master/pg_channel.hpp"

#include <libpq-fe.h>

#include "libcore/base/log.hpp"

namespace pillarbox::master {

PgChannel::PgChannel(event::Loop& loop, std::string conninfo, std::vector<std::string> channels, OnNotify on_notify,
                     std::function<void()> on_reconnect)
    : loop_(loop),
      conninfo_(std::move(conninfo)),
      channels_(std::move(channels)),
      on_notify_(std::move(on_notify)),
      on_reconnect_(std::move(on_reconnect)),
      retry_(loop) {}

PgChannel::~PgChannel() {
  poll_.reset();
  if (conn_) PQfinish(conn_);
}

void PgChannel::start() { connect(); }

void PgChannel::connect() {
  conn_ = PQconnectdb(conninfo_.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) return lost(PQerrorMessage(conn_));
  for (const std::string& channel : channels_) {
    char* quoted = PQescapeIdentifier(conn_, channel.c_str(), channel.size());
    if (quoted == nullptr) return lost(PQerrorMessage(conn_));
    PGresult* r = PQexec(conn_, (std::string("LISTEN ") + quoted).c_str());
    PQfreemem(quoted);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) return lost(PQerrorMessage(conn_));
  }
  PQsetnonblocking(conn_, 1);
  auto poll = event::Poll::open(loop_, PQsocket(conn_));
  if (!poll) return lost(poll.error().describe());
  poll_ = std::make_unique<event::Poll>(std::move(*poll));
  in_flight_ = flushing_ = false;
  queued_.clear();  // what was queued before the break is stale
  watch(false);
  if (was_connected_) {
    log::info("database channel: reconnected");
    on_reconnect_();
  }
  was_connected_ = true;
}

void PgChannel::watch(bool writable) {
  flushing_ = writable;
  poll_->start(writable ? UV_READABLE | UV_WRITABLE : UV_READABLE, [this](int status, int events) {
    if (status < 0) return lost(event::uv_error_text(status));
    on_io(events);
  });
}

void PgChannel::notify(std::string channel, std::string payload) {
  if (conn_ == nullptr) return;
  if (queued_.size() >= kMaxQueued) {
    log::warning("database channel: {} NOTIFYs waiting; dropping one for {}", queued_.size(), channel);
    return;
  }
  queued_.emplace_back(std::move(channel), std::move(payload));
  send_next();
}

void PgChannel::send_next() {
  if (conn_ == nullptr || in_flight_ || queued_.empty()) return;
  auto [channel, payload] = std::move(queued_.front());
  queued_.pop_front();
  const char* values[2] = {channel.c_str(), payload.c_str()};
  if (!PQsendQueryParams(conn_, "SELECT pg_notify($1, $2)", 2, nullptr, values, nullptr, nullptr, 0))
    return lost(PQerrorMessage(conn_));
  in_flight_ = true;
  const int flushed = PQflush(conn_);
  if (flushed < 0) return lost(PQerrorMessage(conn_));
  if (flushed == 1) watch(true);
}

void PgChannel::on_io(int events) {
  if (flushing_ && (events & UV_WRITABLE)) {
    const int flushed = PQflush(conn_);
    if (flushed < 0) return lost(PQerrorMessage(conn_));
    if (flushed == 0) watch(false);
  }
  if (!(events & UV_READABLE)) return;
  if (!PQconsumeInput(conn_)) return lost(PQerrorMessage(conn_));
  read_results();
  if (conn_ == nullptr) return;
  while (PGnotify* n = PQnotifies(conn_)) {
    std::string channel = n->relname, payload = n->extra;
    PQfreemem(n);
    on_notify_(channel, payload);
    if (conn_ == nullptr) return;
  }
  send_next();
}

void PgChannel::read_results() {
  while (in_flight_ && !PQisBusy(conn_)) {
    PGresult* r = PQgetResult(conn_);
    if (r == nullptr) {  // the NOTIFY's results are all read
      in_flight_ = false;
      break;
    }
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
      log::warning("database channel: NOTIFY failed: {}", PQresultErrorMessage(r));
    PQclear(r);
  }
}

void PgChannel::lost(const std::string& why) {
  std::string text = why;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (was_connected_ || !conn_) log::warning("database channel: {}; retrying every second", text);
  poll_.reset();
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  retry_.start(1000, 0, [this] { connect(); });
}

}  // namespace pillarbox::master
