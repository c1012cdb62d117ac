// What the SMTP client session asks of its host: write bytes, start TLS,
// close, or take the result of a finished transaction. Plain data.
#pragma once

#include <string>

#include "proto/smtp/client_transaction.hpp"

namespace pillarbox::smtp::client {

struct Action {
  enum class Kind {
    Write,     // send `bytes`; call Session::on_written() when they have been handed to the socket
    StartTls,  // run the TLS handshake now, then call Session::on_tls_started() (or on_closed())
    Close,     // close the connection (after writing what came before)
    Result,    // `result` is final: every recipient of one transaction has its outcome
  } kind = Kind::Write;
  std::string bytes;         // Write
  TransactionResult result;  // Result
};

}  // namespace pillarbox::smtp::client
