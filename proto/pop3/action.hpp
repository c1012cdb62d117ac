// What the POP3 session asks of its host: write bytes, start TLS, close, or
// ask a question (credentials, a message's text, the deletions at QUIT) whose
// answer comes back through Session::on_*. Plain data, no behaviour.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pillarbox::pop3 {

struct Action {
  enum class Kind {
    Write,         // send `bytes` to the client: always whole CRLF-ended lines
    StartTls,      // run the TLS handshake now, then call Session::on_tls_started()
    Close,         // close the connection (after writing what came before)
    Authenticate,  // check credentials, lock the maildrop, answer with Session::on_auth_result()
    Retrieve,      // read a message, answer with Session::on_message() or on_message_missing()
    Commit,        // remove `deleted` and unlock, answer with Session::on_commit_result()
  } kind = Kind::Write;
  std::string bytes;  // Write
  // Authenticate: "USER" (USER/PASS), "APOP", "PLAIN", "LOGIN". SASL values
  // are already base64-decoded. For "APOP" the password is the client's
  // digest in lower-case hex; the host checks it against the timestamp it
  // put in Options::apop_timestamp.
  std::string mechanism;
  std::string authzid, user, password;
  std::size_t index = 0;                 // Retrieve: 0-based position in the maildrop
  std::optional<std::size_t> top_lines;  // Retrieve for TOP: body lines wanted
  std::vector<std::size_t> deleted;      // Commit: 0-based positions marked by DELE, ascending
};

}  // namespace pillarbox::pop3
