// Delivery: one accepted message stored once, filed in the INBOX of every
// local recipient account and queued for its remote recipients, all in ONE
// transaction — either everything is committed or nothing is. The store
// does not parse: the caller fills MessageMeta from proto/mime.
// Thread: a database worker (the call takes a few round trips). Safe to run
// concurrently on several connections: UIDs never repeat within a mailbox.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "libcore/base/expected.hpp"
#include "libcore/store/queue.hpp"

namespace pillarbox::store {

// What proto/mime computed, stored beside the body so readers never re-parse.
// Text that is not valid UTF-8 is stored with U+FFFD in its place.
struct MessageMeta {
  std::string envelope;       // IMAP ENVELOPE
  std::string body;           // IMAP BODY
  std::string bodystructure;  // IMAP BODYSTRUCTURE
  std::string subject, from, to, cc, message_id, date_text;
  std::optional<int64_t> date_epoch;  // the Date header as Unix time
  std::string search_text;            // plain text for SEARCH
  std::string parts;                  // MIME tree with part offsets (proto/mime); "" = none
};

struct Delivery {
  std::string raw;   // the message as received (CRLF line ends)
  MessageMeta meta;
  std::string sender;                    // envelope sender; "" = <>
  std::string envid, ret;                // DSN ENVID, RET ("FULL", "HDRS" or "")
  bool eight_bit = false;                // received with BODY=8BITMIME
  bool smtputf8 = false;                 // received with SMTPUTF8
  std::vector<int64_t> local_accounts;   // delivered to their INBOX (repeats count once)
  std::vector<RemoteRecipient> remote;   // queued
};

struct Delivered {
  std::string id;  // short queue id for "250 2.0.0 Ok: queued as <id>"
  std::vector<std::pair<int64_t, int64_t>> mailbox_uids;  // (mailbox id, UID), by account id
  int64_t body_id = 0;
  std::optional<int64_t> queue_id;  // the queue_messages row, when there were remote recipients
};

// Errors, with nothing stored: InvalidInput (no recipients, a bad RET, an
// empty remote address), NotFound (an account id without INBOX),
// Temporary/Unavailable/Internal from the database.
Expected<Delivered> deliver(pqxx::connection& conn, const Delivery& delivery);

// The same inside the caller's transaction (which commits or rolls back):
// for deliveries that must commit together with other changes, such as a
// delivery report and the queue state it reports.
Expected<Delivered> deliver_within(pqxx::transaction_base& tx, const Delivery& delivery);

}  // namespace pillarbox::store
