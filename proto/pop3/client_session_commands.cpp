// Requests of the POP3 client session (client_session.hpp): the queue, and
// the TRANSACTION commands STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP,
// raw extensions, then QUIT and the UPDATE state (RFC 1939 §5-7). A -ERR
// here fails the one request; only bytes that are not POP3 end the session.
#include "proto/pop3/client_session.hpp"

namespace pillarbox::pop3::client {

namespace {

using Kind = Request::Kind;

// Why a request cannot be sent as it is; "" when it can.
std::string invalid(const Request& r) {
  switch (r.kind) {
    case Kind::Retr:
    case Kind::Top:
    case Kind::Dele:
      if (r.msg == 0) return "message numbers start at 1";
      break;
    case Kind::Raw:
      if (r.command.empty() || r.command.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        return "a raw command must be one non-empty line";
      }
      break;
    default: break;
  }
  return {};
}

}  // namespace

void Session::pump() {
  while (!active_ && !queue_.empty()) {
    switch (state_) {
      case State::Idle:
      case State::Greeting:
        // A login owns the greeting (its failure is the login's); anything
        // else waits to see whether a login comes first.
        if (queue_.front().kind == Kind::Login) {
          active_ = std::move(queue_.front());
          queue_.pop_front();
        }
        return;
      case State::Authorization: {
        Request r = std::move(queue_.front());
        queue_.pop_front();
        if (r.kind == Kind::Login) {
          active_ = std::move(r);
          start_login();
          return;
        }
        if (r.kind == Kind::Quit) {
          active_ = std::move(r);
          send("QUIT", "QUIT", Shape::Single);
          state_ = State::Quit;
          return;
        }
        not_run(r, "not logged in");
        break;
      }
      case State::Transaction: {
        Request r = std::move(queue_.front());
        queue_.pop_front();
        if (r.kind == Kind::Login) {
          not_run(r, "already logged in");
          break;
        }
        if (auto why = invalid(r); !why.empty()) {
          not_run(r, why);
          break;
        }
        start_command(std::move(r));
        return;
      }
      default: return;  // a command is on the wire, or the session is ending
    }
  }
}

void Session::start_command(Request r) {
  active_ = std::move(r);
  const Request& a = *active_;
  const std::uint64_t message_limit = options_.max_message_size;
  const std::uint64_t listing_limit = limits_.max_multiline;
  state_ = State::Command;
  switch (a.kind) {
    case Kind::Stat: send("STAT", "STAT", Shape::Single); break;
    case Kind::List: send("LIST", "LIST", Shape::Multi, listing_limit); break;
    case Kind::Uidl: send("UIDL", "UIDL", Shape::Multi, listing_limit); break;
    case Kind::Retr: {
      std::string line = "RETR " + std::to_string(a.msg);
      send(line, line, Shape::Multi, message_limit);
      break;
    }
    case Kind::Top: {
      std::string line = "TOP " + std::to_string(a.msg) + " " + std::to_string(a.lines);
      send(line, line, Shape::Multi, message_limit);
      break;
    }
    case Kind::Dele: {
      std::string line = "DELE " + std::to_string(a.msg);
      send(line, line, Shape::Single);
      break;
    }
    case Kind::Rset: send("RSET", "RSET", Shape::Single); break;
    case Kind::Noop: send("NOOP", "NOOP", Shape::Single); break;
    case Kind::Raw:
      send(a.command, a.command, a.multiline ? Shape::Multi : Shape::Single, listing_limit);
      break;
    case Kind::Quit:
      send("QUIT", "QUIT", Shape::Single);
      state_ = State::Quit;  // RFC 1939 §6: the server enters UPDATE
      break;
    case Kind::Login: break;  // pump() answers it
  }
}

void Session::on_command(ResponseReader::Result& r) {
  const Kind kind = active_->kind;
  if (!r.reply.ok) {
    state_ = State::Transaction;
    if (kind == Kind::Uidl && r.reply.code.empty()) {
      // Without unique ids the collector cannot tell new messages from ones
      // it already has; it must not guess (no LIST + TOP fingerprinting).
      finish(Outcome::Unsupported,
             {false, {},
              "the server does not support UIDL (it answered \"" + format_reply(r.reply) +
                  "\"): messages cannot be told apart from ones already downloaded"},
             false);
    } else {
      finish(Outcome::Refused, r.reply, true);
    }
    pump();
    return;
  }
  client::Result result;
  switch (kind) {
    case Kind::Stat: {
      auto stat = parse_stat(r.reply);
      if (!stat) return protocol_failure(stat.error().message);
      result.count = stat->first;
      result.octets = stat->second;
      break;
    }
    case Kind::List: {
      auto list = parse_list(r.body, limits_.max_line);
      if (!list) return protocol_failure(list.error().message);
      result.list = std::move(*list);
      break;
    }
    case Kind::Uidl: {
      auto uids = parse_uidl(r.body, limits_.max_line);
      if (!uids) return protocol_failure(uids.error().message);
      result.uids = std::move(*uids);
      break;
    }
    case Kind::Retr:
    case Kind::Top:
    case Kind::Raw: result.body = std::move(r.body); break;
    default: break;
  }
  state_ = State::Transaction;
  finish(Outcome::Ok, r.reply, true, std::move(result));
  pump();
}

void Session::on_quit(const Reply& reply) {
  // The host's QUIT: +OK means the deletions were made (RFC 1939 §6); a
  // -ERR means some were not. After a failed login it is our own QUIT.
  if (active_) finish(reply.ok ? Outcome::Ok : Outcome::Refused, reply, true);
  emit({Action::Kind::Close, {}, {}});
  state_ = State::Closed;
  input_.clear();
}

}  // namespace pillarbox::pop3::client
