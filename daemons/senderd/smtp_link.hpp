// SmtpLink: one outgoing SMTP connection to one address. Connects (with its
// own connect timeout), runs the client engine (proto/smtp client_session)
// over net::Connection — TLS when the engine asks, or from the start for
// implicit TLS — arms the engine's RFC 5321 timeouts, and hands each
// transaction's result to its owner, which may keep it open for the next
// job to the same destination. Not here: which hosts to try, what a result
// means for the queue (destination_job, retry_policy).
// Loop thread only. The owner may destroy the link from inside its callbacks.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "libcore/event/loop.hpp"
#include "libcore/event/tcp.hpp"
#include "libcore/event/timer.hpp"
#include "libcore/net/connection.hpp"
#include "libcore/tls/context.hpp"
#include "proto/smtp/client_session.hpp"

namespace pillarbox::senderd {

struct LinkTarget {
  std::string host;     // the name (SNI, logs, Remote-MTA); the address when there is none
  std::string address;  // numeric IPv4/IPv6
  uint16_t port = 25;
  bool implicit_tls = false;
};

class SmtpLink {
 public:
  using ResultCb = std::function<void(smtp::client::TransactionResult)>;
  using EndCb = std::function<void()>;  // the connection is gone; every transaction had its result

  SmtpLink(event::Loop& loop, std::shared_ptr<tls::Context> tls, LinkTarget target, smtp::client::Options options,
           smtp::client::Timeouts timeouts, std::chrono::milliseconds connect_timeout, ResultCb on_result,
           EndCb on_end);
  ~SmtpLink();
  SmtpLink(const SmtpLink&) = delete;
  SmtpLink& operator=(const SmtpLink&) = delete;

  void start();
  // Runs after the transactions given before it (once the session is ready).
  void send(smtp::client::Transaction transaction);
  // QUIT once nothing is queued; then the end.
  void quit();
  // A new owner for a connection kept open between jobs.
  void rebind(ResultCb on_result, EndCb on_end);
  // Connected, greeted and idle: another job can send over it.
  bool reusable() const { return conn_ != nullptr && session_.idle(); }

  const LinkTarget& target() const { return target_; }
  const smtp::client::Session& session() const { return session_; }

 private:
  void connected(int status);
  void run(std::vector<smtp::client::Action> actions);
  void perform(smtp::client::Action& action);
  void arm();
  void ended();

  event::Loop& loop_;
  std::shared_ptr<tls::Context> tls_;
  LinkTarget target_;
  smtp::client::Session session_;
  std::chrono::milliseconds connect_timeout_;
  ResultCb on_result_;
  EndCb on_end_;
  std::unique_ptr<event::Tcp> connecting_;
  std::unique_ptr<net::Connection> conn_;
  event::Timer timer_;
  std::deque<smtp::client::Action> pending_;
  bool running_ = false;
  bool ended_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pillarbox::senderd
