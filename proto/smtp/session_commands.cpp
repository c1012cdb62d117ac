// The command table and the envelope / session-control commands: EHLO, HELO,
// MAIL, RCPT, RSET, NOOP, QUIT, VRFY, HELP, STARTTLS (RFC 5321 §4.1.1, RFC
// 1869/5321 §4.1.1.1 EHLO keywords, RFC 3207 STARTTLS, RFC 6531 SMTPUTF8).
// DATA/BDAT are in session_data.cpp, AUTH in session_auth.cpp.
#include "proto/smtp/session.hpp"

namespace pillarbox::smtp {

const Session::CommandSpec Session::kCommands[] = {
    {Verb::Ehlo, &Session::do_ehlo, AllowedBeforeHelo},
    {Verb::Helo, &Session::do_helo, AllowedBeforeHelo},
    {Verb::Mail, &Session::do_mail, NeedsAuthToSubmit},
    {Verb::Rcpt, &Session::do_rcpt, 0},
    {Verb::Data, &Session::do_data, 0},
    // BDAT checks its own sequence: a refused chunk must still be skipped.
    {Verb::Bdat, &Session::do_bdat, AllowedBeforeHelo | AllowedInChunking},
    {Verb::Rset, &Session::do_rset, AllowedBeforeHelo | AllowedInChunking},
    {Verb::Noop, &Session::do_noop, AllowedBeforeHelo | AllowedInChunking},
    {Verb::Quit, &Session::do_quit, AllowedBeforeHelo | AllowedInChunking},
    {Verb::Vrfy, &Session::do_vrfy, AllowedBeforeHelo},
    {Verb::Help, &Session::do_help, AllowedBeforeHelo | AllowedInChunking},
    {Verb::StartTls, &Session::do_starttls, NotInTransaction},
    {Verb::Auth, &Session::do_auth, NotInTransaction},
};

const Session::CommandSpec& Session::command_spec(Verb verb) {
  for (const CommandSpec& spec : kCommands) {
    if (spec.verb == verb) return spec;
  }
  return kCommands[0];  // unreachable: the table covers every Verb
}

void Session::do_ehlo(const Command& cmd) {
  envelope_.helo = cmd.argument;
  esmtp_ = true;
  reset_transaction();  // EHLO implies RSET (RFC 5321 §4.1.4)
  std::string text = options_.hostname;
  text += "\nSIZE " + std::to_string(limits_.max_message_size);
  text += "\nPIPELINING\n8BITMIME\nSMTPUTF8\nENHANCEDSTATUSCODES\nCHUNKING\nDSN";
  if (options_.tls_available && !options_.tls_active) text += "\nSTARTTLS";
  if (auth_offered()) text += "\nAUTH PLAIN LOGIN";
  write({250, "", text});
}

void Session::do_helo(const Command& cmd) {
  envelope_.helo = cmd.argument;
  esmtp_ = false;
  reset_transaction();
  write({250, "", options_.hostname});
}

void Session::do_mail(const Command& cmd) {
  if (state_ == State::Mail) {
    refuse({503, "5.5.1", "Error: nested MAIL command"});
    return;
  }
  if (cmd.mail.body == "BINARYMIME") {  // not advertised: the store keeps text messages
    refuse({555, "5.5.4", "Unsupported option: BODY=BINARYMIME"});
    return;
  }
  if (cmd.mail.size && *cmd.mail.size > limits_.max_message_size) {
    write({552, "5.3.4", "Message too large"});
    return;
  }
  pending_mail_from_ = cmd.address;
  pending_mail_ = cmd.mail;
  // RFC 4954 §5: AUTH= from a client we have not authenticated is worthless.
  if (!pending_mail_.auth.empty() && user_.empty()) pending_mail_.auth = "<>";
  Action check;
  check.kind = Action::Kind::CheckMail;
  check.address = cmd.address;
  check.mail = pending_mail_;
  emit(std::move(check));
  waiting_ = Waiting::Mail;
}

void Session::do_rcpt(const Command& cmd) {
  if (state_ != State::Mail) {
    refuse({503, "5.5.1", "Error: need MAIL command"});
    return;
  }
  if (envelope_.rcpts.size() >= limits_.max_recipients) {
    write({452, "4.5.3", "Too many recipients"});  // not an error: the client retries later
    return;
  }
  if (cmd.utf8_address && !envelope_.mail.smtputf8) {
    refuse({553, "5.6.7", "Non-ASCII address requires SMTPUTF8"});
    return;
  }
  pending_rcpt_ = cmd.address;
  pending_rcpt_params_ = cmd.rcpt;
  Action check;
  check.kind = Action::Kind::CheckRcpt;
  check.address = cmd.address;
  check.rcpt = cmd.rcpt;
  emit(std::move(check));
  waiting_ = Waiting::Rcpt;
}

void Session::do_rset(const Command&) {
  reset_transaction();  // keeps EHLO and AUTH
  write({250, "2.0.0", "Ok"});
}

void Session::do_noop(const Command&) { write({250, "2.0.0", "Ok"}); }

void Session::do_quit(const Command&) { close_with({221, "2.0.0", "Bye"}); }

void Session::do_vrfy(const Command&) {
  write({252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery"});
}

void Session::do_help(const Command&) {
  write({214, "2.0.0",
         "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH"});
}

void Session::do_starttls(const Command&) {
  if (options_.tls_active) {
    refuse({503, "5.5.1", "Error: TLS already active"});
    return;
  }
  if (!options_.tls_available) {
    refuse({502, "5.5.1", "Error: command not implemented"});
    return;
  }
  write({220, "2.0.0", "Ready to start TLS"});
  Action start;
  start.kind = Action::Kind::StartTls;
  emit(std::move(start));
  waiting_ = Waiting::Tls;  // run() drops what is still buffered
}

}  // namespace pillarbox::smtp
