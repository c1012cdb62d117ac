// What the SMTP session asks of its host: write bytes, start TLS, close, or ask
// the host a question (credentials, sender, recipient, delivery) whose answer
// comes back through Session::on_*_result. Plain data, no behaviour.
#pragma once

#include <string>

#include "proto/smtp/envelope.hpp"

namespace pillarbox::smtp {

struct Action {
  enum class Kind {
    Write,         // send `bytes` to the client
    StartTls,      // run the TLS handshake now, then call Session::on_tls_started()
    Close,         // close the connection (after writing what came before)
    Authenticate,  // check credentials, answer with Session::on_auth_result()
    CheckMail,     // check the sender, answer with Session::on_mail_result()
    CheckRcpt,     // check a recipient, answer with Session::on_rcpt_result()
    Deliver,       // store the message, answer with Session::on_deliver_result()
  } kind = Kind::Write;
  std::string bytes;                                // Write
  std::string mechanism, authzid, user, password;  // Authenticate: "PLAIN" or "LOGIN", SASL-decoded
  std::string address;                              // CheckMail / CheckRcpt, without <>
  MailParams mail;                                  // CheckMail
  RcptParams rcpt;                                  // CheckRcpt
  Envelope envelope;                                // Deliver
  std::string message;                              // Deliver: CRLF line ends, dot-unstuffed
  std::string protocol;  // Deliver: "ESMTP" + "S" (TLS) + "A" (AUTH), "UTF8SMTP"... with SMTPUTF8, or "SMTP"
};

}  // namespace pillarbox::smtp
