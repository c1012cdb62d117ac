// What the IMAP session (session.hpp) asks of its host: write bytes, start
// TLS, close, or carry out a Request (host.hpp) whose Result comes back
// through Session::on_result(). Plain data, no behaviour.
#pragma once

#include <string>

#include "proto/imap/host.hpp"

namespace pillarbox::imap {

struct Action {
  // g++ 12 takes the scoped enumerator Kind::Request for a shadow of the
  // type Request (it is not: it lives inside Kind).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
  enum class Kind {
    Write,     // send `bytes`: whole CRLF-ended lines (literals included)
    StartTls,  // run the TLS handshake now, then call Session::on_tls_started()
    Close,     // close the connection after writing what came before
    Request,   // carry out `request`, answer with Session::on_result()
  } kind = Kind::Write;
#pragma GCC diagnostic pop
  std::string bytes;     // Write
  imap::Request request;  // Request
};

}  // namespace pillarbox::imap
