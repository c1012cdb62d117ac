// LISTEN over libpq directly: libpqxx's receivers block in await, while the
// master needs the socket in its own loop.
#include "daemons/master/config_listener.hpp"

#include <libpq-fe.h>

#include "libcore/base/log.hpp"

namespace pillarbox::master {

ConfigListener::ConfigListener(event::Loop& loop, std::string conninfo,
                               std::function<void(const nlohmann::json&)> on_change)
    : loop_(loop), conninfo_(std::move(conninfo)), on_change_(std::move(on_change)), retry_(loop) {}

ConfigListener::~ConfigListener() {
  poll_.reset();
  if (conn_) PQfinish(conn_);
}

void ConfigListener::start() { connect(); }

void ConfigListener::connect() {
  conn_ = PQconnectdb(conninfo_.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    lost(PQerrorMessage(conn_));
    return;
  }
  PGresult* r = PQexec(conn_, (std::string("LISTEN ") + kChannel).c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok) {
    lost(PQerrorMessage(conn_));
    return;
  }
  PQsetnonblocking(conn_, 1);
  auto poll = event::Poll::open(loop_, PQsocket(conn_));
  if (!poll) {
    lost(poll.error().describe());
    return;
  }
  poll_ = std::make_unique<event::Poll>(std::move(*poll));
  poll_->start(UV_READABLE, [this](int status, int) {
    if (status < 0) lost(event::uv_error_text(status));
    else readable();
  });
  if (was_connected_) {
    log::info("config listener: reconnected to the database");
    on_change_({{"source", "reconnect"}});
  }
  was_connected_ = true;
}

void ConfigListener::readable() {
  if (!PQconsumeInput(conn_)) {
    lost(PQerrorMessage(conn_));
    return;
  }
  while (PGnotify* n = PQnotifies(conn_)) {
    nlohmann::json data = nlohmann::json::parse(n->extra, nullptr, false);
    if (!data.is_object()) data = {{"payload", n->extra}};
    data["source"] = "database";
    PQfreemem(n);
    on_change_(data);
  }
}

void ConfigListener::lost(const std::string& why) {
  std::string text = why;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (was_connected_ || !conn_) log::warning("config listener: {}; retrying every second", text);
  poll_.reset();
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  retry_.start(1000, 0, [this] { connect(); });
}

}  // namespace pillarbox::master
