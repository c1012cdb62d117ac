// The default bootstrap file written by `pillarboxd --data-dir DIR` on first
// start. It spells out every default so an administrator can see and edit
// them; tests parse it back and compare with parse("{}").
#include <nlohmann/json.hpp>

#include "libcore/config/config.hpp"

namespace pillarbox::config {
namespace {

constexpr std::string_view kHead = R"(// Pillarbox bootstrap configuration: only what the master must know before
// the database is reachable. Everything else (domains, accounts, rules...)
// lives in the database: use the `pillarbox` command or the admin web page.
// JSON, with // and /* */ comments allowed.
{
  // Data directory: embedded PostgreSQL, generated TLS pair, runtime files.
  // A relative path is relative to the directory of this file.
  "data_dir": )";

constexpr std::string_view kTail = R"(,

  // Empty: run an embedded PostgreSQL in data_dir. Otherwise a libpq URL or
  // conninfo, e.g. "postgresql://pillarbox@db.example.org/pillarbox".
  "database": "",

  // The unprivileged account the services run as when started as root.
  "user": "pillarbox",

  // The name used in greetings and Received: headers (default: this host's name).
  // "hostname": "mail.example.org",

  // Listening sockets per service: "127.0.0.1:25", "[::1]:25", "0.0.0.0:25",
  // "[::]:25", or "*:25" for every IPv4 and IPv6 address. A service left out,
  // or given [], is disabled. These defaults use unprivileged ports, local only.
  "listen": {
    "smtp":       ["127.0.0.1:2525"],
    "submission": ["127.0.0.1:2587"],
    "smtps":      [],
    "pop3":       ["127.0.0.1:2110"],
    "pop3s":      [],
    "imap":       ["127.0.0.1:2143"],
    "imaps":      [],
    "admin":      ["127.0.0.1:5108"]
  },

  // Certificate chain and private key, PEM. Both empty: a self-signed pair is
  // generated in data_dir. Relative paths are relative to this file.
  "tls": { "cert": "", "key": "" },

  // debug, info, warning or error.
  "log": { "level": "info" },

  // Which programs the master runs and the services each one serves. Left
  // out: smtpd (smtp, submission, smtps), pop3d (pop3, pop3s), imapd (imap,
  // imaps), collectord, senderd and adminhttpd (admin), located by the master.
  // Given, it replaces that whole set. A relative program is relative to this file.
  // "children": {
  //   "smtpd": { "program": "/usr/lib/pillarbox/smtpd",
  //              "services": ["smtp", "submission", "smtps"], "args": [] }
  // },

  // Every child sends a heartbeat each `interval` seconds; one silent for
  // `timeout` seconds is killed and restarted.
  "heartbeat": { "interval": 5, "timeout": 30 },

  // On SIGTERM, seconds the sessions get to finish before children are stopped.
  "shutdown_timeout": 10
}
)";

}  // namespace

std::string default_text(std::string_view data_dir) {
  std::string text(kHead);
  // JSON holds only UTF-8: a path with other bytes gets U+FFFD instead of
  // making start-up throw.
  text += nlohmann::json(std::string(data_dir)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += kTail;
  return text;
}

}  // namespace pillarbox::config
