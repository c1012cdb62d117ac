// Mail transactions of the client session (client_session.hpp): local
// refusals, MAIL / RCPT / DATA one at a time or pipelined, the message text,
// per-recipient results, RSET before the transaction after a failed one.
// RFC 5321 §3.3 and §4.1.1.2-4; RFC 2920 §3.1 (one group of MAIL, RCPTs and
// DATA; check every reply; 354 with no accepted recipient gets a lone ".").
#include "proto/smtp/client_session.hpp"

namespace pillarbox::smtp::client {

namespace {

bool positive(const Reply& reply) { return reply.code >= 200 && reply.code < 300; }

}  // namespace

void Session::ready() {
  state_ = State::Ready;
  while (!queue_.empty()) {
    if (start_transaction()) return;
  }
  if (quit_requested_) {
    write("QUIT");
    state_ = State::Quit;
  }
}

// Takes the next queued transaction; false when it ended without a command
// being sent (refused locally, or nobody left to send to).
bool Session::start_transaction() {
  Active a;
  a.tx = std::move(queue_.front());
  queue_.pop_front();
  a.result.id = a.tx.id;
  a.result.dsn_passed = caps_.dsn;
  for (const auto& r : a.tx.recipients) a.result.recipients.push_back({r.address, {}, Stage::Mail, {}, true});
  a.rcpts.assign(a.tx.recipients.size(), RcptState::Unsent);
  active_ = std::move(a);

  if (auto refusal = precheck(active_->tx, caps_)) {
    decide_open(*refusal, failure_of(refusal->code), Stage::Mail, false);
    finish_transaction(false);
    return false;
  }
  for (std::size_t i = 0; i < active_->tx.recipients.size(); ++i) {
    if (auto refusal = precheck_recipient(active_->tx.recipients[i])) {
      decide(i, *refusal, failure_of(refusal->code), Stage::Rcpt, false);
    } else {
      active_->sent.push_back(i);
    }
  }
  if (active_->sent.empty()) {
    finish_transaction(false);
    return false;
  }
  if (needs_rset_) {
    // Alone, not pipelined with MAIL: its failure ends the session.
    needs_rset_ = false;
    write("RSET");
    state_ = State::Rset;
    return true;
  }
  send_commands();
  return true;
}

void Session::send_commands() {
  auto& a = *active_;
  state_ = State::Transaction;
  write(mail_command(a.tx, caps_));
  a.expect.push_back(Expect::Mail);
  if (!caps_.pipelining) return;  // RCPTs follow MAIL's reply
  for (std::size_t k = 0; k < a.sent.size(); ++k) send_rcpt(k);
  write("DATA");
  a.expect.push_back(Expect::Data);
}

void Session::send_rcpt(std::size_t k) {
  auto& a = *active_;
  std::size_t i = a.sent[k];
  write(rcpt_command(a.tx.recipients[i], caps_));
  a.rcpts[i] = RcptState::Waiting;
  a.expect.push_back(Expect::Rcpt);
}

void Session::on_rset(const Reply& reply) {
  if (!positive(reply)) {
    fail_session(reply, true, Stage::Mail, End::Quit);
    return;
  }
  send_commands();
}

void Session::on_transaction_reply(const Reply& reply) {
  Expect e = active_->expect.front();
  active_->expect.pop_front();
  switch (e) {
    case Expect::Mail: on_mail(reply); break;
    case Expect::Rcpt: on_rcpt(reply); break;
    case Expect::Data: on_data(reply); break;
    case Expect::Dot: on_dot(reply); break;
  }
}

void Session::on_mail(const Reply& reply) {
  auto& a = *active_;
  a.mail_ok = positive(reply);
  if (!a.mail_ok) decide_open(reply, failure_of(reply.code), Stage::Mail, true);
  if (caps_.pipelining) return;  // the RCPT and DATA replies are on their way
  if (a.mail_ok) {
    send_rcpt(0);
  } else {
    finish_transaction(true);
    ready();
  }
}

void Session::on_rcpt(const Reply& reply) {
  auto& a = *active_;
  std::size_t k = a.next_reply++;
  std::size_t i = a.sent[k];
  // After a refused MAIL the recipients already carry MAIL's reply.
  if (a.mail_ok && a.rcpts[i] == RcptState::Waiting) {
    if (positive(reply)) {
      a.rcpts[i] = RcptState::Accepted;
      ++a.accepted;
    } else {
      decide(i, reply, failure_of(reply.code), Stage::Rcpt);
    }
  }
  if (caps_.pipelining) return;
  if (k + 1 < a.sent.size()) {
    send_rcpt(k + 1);
  } else if (a.accepted > 0) {
    write("DATA");
    a.expect.push_back(Expect::Data);
  } else {
    finish_transaction(true);
    ready();
  }
}

void Session::on_data(const Reply& reply) {
  auto& a = *active_;
  if (reply.code == 354) {
    if (a.mail_ok && a.accepted > 0) {
      state_ = State::Message;
      send_block();
      return;
    }
    // Pipelined DATA accepted although nobody is left to send to: RFC 2920
    // §3.1 says end the (empty) message with a single dot.
    a.lone_dot = true;
    write(".");
    a.expect.push_back(Expect::Dot);
    return;
  }
  if (a.mail_ok) decide_open(reply, failure_of(reply.code), Stage::Data, true);
  finish_transaction(true);
  ready();
}

void Session::send_block() {
  auto& a = *active_;
  emit({Action::Kind::Write, a.stuffer.next(a.tx.message, limits_.data_block), {}});
}

void Session::on_dot(const Reply& reply) {
  auto& a = *active_;
  // After a lone dot every recipient already has its result.
  if (!a.lone_dot) decide_open(reply, outcome_of(reply.code), Stage::Final, true);
  finish_transaction(false);
  ready();
}

void Session::decide(std::size_t index, const Reply& reply, Outcome outcome, Stage stage, bool remote) {
  auto& a = *active_;
  auto& r = a.result.recipients[index];
  r.outcome = outcome;
  r.stage = stage;
  r.reply = reply;
  r.remote = remote;
  a.rcpts[index] = RcptState::Decided;
}

void Session::decide_open(const Reply& reply, Outcome outcome, Stage stage, bool remote) {
  for (std::size_t i = 0; i < active_->rcpts.size(); ++i) {
    if (active_->rcpts[i] != RcptState::Decided) decide(i, reply, outcome, stage, remote);
  }
}

void Session::finish_transaction(bool needs_rset) {
  emit({Action::Kind::Result, {}, std::move(active_->result)});
  active_.reset();
  if (needs_rset) needs_rset_ = true;
  state_ = State::Ready;
}

TransactionResult Session::failed_result(const Transaction& tx, const Failure& failure) const {
  TransactionResult result;
  result.id = tx.id;
  for (const auto& r : tx.recipients) {
    result.recipients.push_back({r.address, failure_of(failure.reply.code), failure.stage, failure.reply, failure.remote});
  }
  return result;
}

}  // namespace pillarbox::smtp::client
