// The command table and the commands about the session itself: CAPA (RFC
// 2449 §5), QUIT (RFC 1939 §§5-6), NOOP (§5), STLS (RFC 2595 §4). Logging in
// is in session_login.cpp, the maildrop commands in session_maildrop.cpp.
#include "proto/pop3/session.hpp"

namespace pillarbox::pop3 {

const Session::CommandSpec Session::kCommands[] = {
    {Verb::User, &Session::do_user, InAuthorization},
    {Verb::Pass, &Session::do_pass, InAuthorization},
    {Verb::Apop, &Session::do_apop, InAuthorization},
    {Verb::Auth, &Session::do_auth, InAuthorization | LongLine},
    {Verb::Stls, &Session::do_stls, InAuthorization},
    {Verb::Capa, &Session::do_capa, InAuthorization | InTransaction},
    {Verb::Quit, &Session::do_quit, InAuthorization | InTransaction},
    {Verb::Noop, &Session::do_noop, InTransaction},
    {Verb::Stat, &Session::do_stat, InTransaction},
    {Verb::List, &Session::do_list, InTransaction},
    {Verb::Uidl, &Session::do_uidl, InTransaction},
    {Verb::Retr, &Session::do_retr, InTransaction},
    {Verb::Top, &Session::do_top, InTransaction},
    {Verb::Dele, &Session::do_dele, InTransaction},
    {Verb::Rset, &Session::do_rset, InTransaction},
};

const Session::CommandSpec& Session::command_spec(Verb verb) {
  for (const CommandSpec& spec : kCommands) {
    if (spec.verb == verb) return spec;
  }
  return kCommands[0];  // unreachable: the table covers every Verb
}

// RFC 2449 §5: what AUTHORIZATION offers is announced in both states, so the
// list depends only on the connection, never on the login.
void Session::do_capa(const Command&) {
  MultilineWriter writer;
  writer.status("+OK Capability list follows");
  writer.line("TOP");
  writer.line("UIDL");
  writer.line("RESP-CODES");
  writer.line("AUTH-RESP-CODE");
  writer.line("PIPELINING");
  if (plain_login_offered()) {
    writer.line("USER");
    writer.line("SASL PLAIN LOGIN");
  }
  if (options_.tls_available) writer.line("STLS");
  writer.line("IMPLEMENTATION Pillarbox");
  write_multiline(writer);
}

void Session::do_quit(const Command&) {
  if (state_ != State::Transaction) {
    close_with("+OK Pillarbox signing off");
    return;
  }
  // RFC 1939 §6: only QUIT from TRANSACTION enters UPDATE; the reply waits
  // until the host has removed the marked messages (or failed to).
  state_ = State::Update;
  Action commit;
  commit.kind = Action::Kind::Commit;
  commit.deleted = maildrop_.marked();
  emit(std::move(commit));
  waiting_ = Waiting::Commit;
}

void Session::do_noop(const Command&) { ok(""); }

void Session::do_stls(const Command&) {
  if (options_.tls_active) {
    refuse("Command not permitted when TLS active");
    return;
  }
  if (!options_.tls_available) {
    refuse("STLS not available");
    return;
  }
  ok("Begin TLS negotiation");
  Action start_tls;
  start_tls.kind = Action::Kind::StartTls;
  emit(std::move(start_tls));
  waiting_ = Waiting::Tls;
}

}  // namespace pillarbox::pop3
