// What the POP3 client session asks of its host: write bytes, start TLS,
// close, or take the Result of a finished request. Plain data.
#pragma once

#include <string>

#include "proto/pop3/client_request.hpp"

namespace pillarbox::pop3::client {

struct Action {
  enum class Kind {
    Write,     // send `bytes` (whole CRLF-ended command lines)
    StartTls,  // run the TLS handshake now, then call Session::on_tls_started() (or on_closed())
    Close,     // close the connection (after writing what came before)
    Result,    // `result` is final: one per submitted request
  } kind = Kind::Write;
  std::string bytes;  // Write
  client::Result result;  // Result
};

}  // namespace pillarbox::pop3::client
