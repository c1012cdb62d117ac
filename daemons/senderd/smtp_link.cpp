// The engine's actions are carried out in order from one queue: a callback
// that feeds the engine again (a result that sends the next transaction, a
// write completion) appends to the queue instead of recursing.
#include "daemons/senderd/smtp_link.hpp"

#include "libcore/base/log.hpp"

namespace pillarbox::senderd {

using smtp::client::Action;

SmtpLink::SmtpLink(event::Loop& loop, std::shared_ptr<tls::Context> tls, LinkTarget target,
                   smtp::client::Options options, smtp::client::Timeouts timeouts,
                   std::chrono::milliseconds connect_timeout, ResultCb on_result, EndCb on_end)
    : loop_(loop),
      tls_(std::move(tls)),
      target_(std::move(target)),
      session_(std::move(options), timeouts),
      connect_timeout_(connect_timeout),
      on_result_(std::move(on_result)),
      on_end_(std::move(on_end)),
      timer_(loop) {}

SmtpLink::~SmtpLink() {
  *alive_ = false;
  if (conn_) conn_->abort();
}

void SmtpLink::start() {
  connecting_ = std::make_unique<event::Tcp>(loop_);
  auto r = connecting_->connect(target_.address, target_.port, [this](int status) { connected(status); });
  if (!r) {
    connecting_.reset();
    return run(session_.on_connect_failed(r.error().message));
  }
  timer_.start(static_cast<uint64_t>(connect_timeout_.count()), 0, [this] {
    connecting_.reset();  // closes the socket; its connect callback does not run
    run(session_.on_connect_failed("connect to " + target_.host + "[" + target_.address + "]:" +
                                   std::to_string(target_.port) + ": timed out"));
  });
}

void SmtpLink::connected(int status) {
  timer_.stop();
  if (status != 0) {
    connecting_.reset();
    return run(session_.on_connect_failed("connect to " + target_.host + "[" + target_.address + "]:" +
                                          std::to_string(target_.port) + ": " + event::uv_error_text(status)));
  }
  // The engine's timers govern the session; the connection's idle timer is
  // only a backstop.
  net::ConnectionLimits limits;
  limits.idle_ms = 30 * 60 * 1000;
  conn_ = std::make_unique<net::Connection>(loop_, std::move(*connecting_), limits);
  connecting_.reset();
  if (target_.implicit_tls) {
    if (!tls_) return run(session_.on_connect_failed("no TLS client context"));
    if (auto t = conn_->start_tls_client(tls_, target_.host); !t) return run(session_.on_connect_failed(t.error().message));
  }
  auto started = conn_->start([this](std::string_view bytes) { run(session_.on_bytes(bytes)); },
                              [this](const std::string& why) {
                                if (!why.empty()) log::info("smtp to {}[{}]: {}", target_.host, target_.address, why);
                                conn_.reset();
                                run(session_.on_closed());
                              },
                              [] {});
  if (!started) return run(session_.on_connect_failed(started.error().message));
  run(session_.on_connected());
}

void SmtpLink::send(smtp::client::Transaction transaction) { run(session_.send(std::move(transaction))); }

void SmtpLink::quit() { run(session_.quit()); }

void SmtpLink::rebind(ResultCb on_result, EndCb on_end) {
  on_result_ = std::move(on_result);
  on_end_ = std::move(on_end);
}

void SmtpLink::run(std::vector<Action> actions) {
  for (auto& a : actions) pending_.push_back(std::move(a));
  if (running_) return;
  running_ = true;
  auto alive = alive_;
  while (!pending_.empty()) {
    Action a = std::move(pending_.front());
    pending_.pop_front();
    perform(a);
    if (!*alive) return;  // the owner destroyed us in a callback
  }
  running_ = false;
  arm();
  if (session_.closed() && !conn_ && !connecting_) ended();
}

void SmtpLink::perform(Action& a) {
  switch (a.kind) {
    case Action::Kind::Write:
      if (conn_) conn_->send(a.bytes, [this] { run(session_.on_written()); });
      break;
    case Action::Kind::StartTls:
      if (!conn_ || !tls_) {
        pending_.clear();
        for (auto& more : session_.on_closed()) pending_.push_back(std::move(more));
        break;
      }
      if (auto t = conn_->start_tls_client(tls_, target_.host); !t) {
        log::info("smtp to {}[{}]: starting TLS: {}", target_.host, target_.address, t.error().describe());
        conn_->abort();
        conn_.reset();
        for (auto& more : session_.on_closed()) pending_.push_back(std::move(more));
        break;
      }
      // Plaintext sent from now on waits inside TLS for the handshake; a
      // failed handshake closes the connection (on_closed).
      for (auto& more : session_.on_tls_started()) pending_.push_back(std::move(more));
      break;
    case Action::Kind::Close:
      if (conn_) conn_->close_after_flush();
      break;
    case Action::Kind::Result: {
      // A copy: the owner may rebind us (hand us on) from inside it.
      auto on_result = on_result_;
      on_result(std::move(a.result));
      break;
    }
  }
}

void SmtpLink::arm() {
  auto t = session_.timeout();
  if (!t || ended_) {
    if (!connecting_) timer_.stop();
    return;
  }
  timer_.start(static_cast<uint64_t>(t->count()) * 1000, 0, [this] { run(session_.on_timeout()); });
}

void SmtpLink::ended() {
  if (ended_) return;
  ended_ = true;
  timer_.stop();
  auto on_end = std::move(on_end_);
  on_end();  // may destroy us
}

}  // namespace pillarbox::senderd
