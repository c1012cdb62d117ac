// What the IMAP session asks of its host and what the host answers: the
// contract between the socket-free engine (session.hpp) and imapd, which
// carries each request out on the store. Plain data, no behaviour; mailbox
// names here are UTF-8 (the engine decodes and encodes modified UTF-7), and
// messages are named by UID only (sequence numbers are the engine's view).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "proto/imap/command.hpp"

namespace pillarbox::imap {

// ----------------------------------------------------------------- values

// A message as a session's view holds it.
struct MessageState {
  std::uint32_t uid = 0;
  std::uint64_t modseq = 0;
  std::vector<std::string> flags;     // system flags (\Seen ...) and keywords, as stored; never \Recent
  bool operator==(const MessageState&) const = default;
};

struct MailboxEntry {
  std::string name;          // UTF-8, "/" delimited
  std::string special_use;   // "\\Sent", ...; "" for none
  bool subscribed = false;
  bool has_children = false;
  bool noselect = false;     // a parent that exists only as a level
};

struct MailboxStatusData {
  std::uint32_t messages = 0, recent = 0, unseen = 0;
  std::uint32_t uidnext = 0, uidvalidity = 0;
  std::uint64_t highest_modseq = 0, size = 0;
  std::uint32_t deleted = 0;  // added for STATUS (DELETED): messages with \Deleted
};

struct SelectedData {
  std::string name;
  std::string special_use;
  std::uint32_t uidvalidity = 0, uidnext = 0;
  std::uint64_t highest_modseq = 0;
  std::vector<MessageState> messages;  // by UID
  std::vector<std::uint32_t> recent;   // UIDs \Recent for this session
  std::vector<std::uint32_t> vanished; // expunged after SelectRequest::vanished_since, ascending
};

// Changes in the selected mailbox since the view's HIGHESTMODSEQ (from other
// sessions, deliveries, or this session's own writes).
struct ChangesData {
  std::uint32_t uidnext = 0;
  std::uint64_t highest_modseq = 0;
  std::vector<MessageState> changed;   // new or with new flags, by UID
  std::vector<std::uint32_t> vanished; // expunged UIDs
  // New messages this session claimed as \Recent (RFC 3501 §2.3.2: one
  // session sees a message as recent); empty when the request did not claim.
  std::vector<std::uint32_t> recent;
};

// What a FETCH needs from the store per message; the engine asks only for
// what the items need (a FLAGS-only FETCH never reads bodies).
struct FetchNeeds {
  bool internal_date = false, size = false, envelope = false, body = false, bodystructure = false;
  bool parts = false;  // the MIME tree with offsets (proto/mime part JSON)
  bool raw = false;    // the whole message
};

struct FetchedData {
  std::uint32_t uid = 0;
  std::int64_t internal_date = 0;  // Unix seconds
  std::uint64_t size = 0;
  std::string envelope, body, bodystructure, parts;
  std::optional<std::string> raw;
};

struct StoreChange {
  StoreArgs::Mode mode = StoreArgs::Mode::Replace;
  std::vector<std::string> flags;
  std::optional<std::uint64_t> unchanged_since;
};

struct StoredData {
  std::vector<MessageState> changed;    // with their new flags and modseq
  std::vector<std::uint32_t> modified;  // failed UNCHANGEDSINCE
  std::uint64_t highest_modseq = 0;
};

struct CopiedData {
  std::uint32_t uidvalidity = 0;  // of the target
  std::vector<std::pair<std::uint32_t, std::uint32_t>> uids;  // source -> target
};

struct AppendedData {
  std::uint32_t uidvalidity = 0, uid = 0;
};

struct QuotaData {
  std::uint64_t storage_kib = 0, messages = 0;
  std::optional<std::uint64_t> storage_limit_kib;
  std::optional<std::uint64_t> message_limit;  // added: the MESSAGE resource's limit, if any
};

// ---------------------------------------------------------------- requests

struct LoginRequest { std::string user, password; };                 // LOGIN, AUTHENTICATE PLAIN/LOGIN
struct ListRequest {};                                                 // every mailbox of the account
struct StatusRequest { std::string mailbox; };
struct SelectRequest {
  std::string mailbox;
  bool read_only = false;
  std::optional<std::uint64_t> vanished_since;  // SELECT (QRESYNC): the client's MODSEQ
};
struct CreateRequest { std::string mailbox; };
struct DeleteRequest { std::string mailbox; };
struct RenameRequest { std::string from, to; };
struct SubscribeRequest { std::string mailbox; bool subscribe = true; };
struct FetchRequest { std::vector<std::uint32_t> uids; FetchNeeds needs; bool mark_seen = false; };
struct StoreRequest { std::vector<std::uint32_t> uids; StoreChange change; };
struct ExpungeRequest { std::optional<std::vector<std::uint32_t>> within; };  // UID EXPUNGE limits it
struct CopyRequest { std::vector<std::uint32_t> uids; std::string target; bool move = false; };
struct AppendRequest { std::string mailbox; std::string message; std::vector<std::string> flags;
                       std::optional<std::int64_t> internal_date; };
struct SearchRequest { SearchKey key; std::vector<std::uint32_t> recent; };  // sequence sets already UIDs
struct ChangesRequest {                                                 // NOOP, IDLE wake-ups, after commands
  std::uint64_t since = 0;
  bool claim_recent = false;  // read-write sessions claim the new messages' \Recent
};
struct QuotaRequest {};

using Request = std::variant<LoginRequest, ListRequest, StatusRequest, SelectRequest, CreateRequest,
                             DeleteRequest, RenameRequest, SubscribeRequest, FetchRequest, StoreRequest,
                             ExpungeRequest, CopyRequest, AppendRequest, SearchRequest, ChangesRequest,
                             QuotaRequest>;

// ----------------------------------------------------------------- results

// Why a request failed, as IMAP says it: NO with a response code, or BAD.
struct Failure {
  enum class Kind {
    AuthenticationFailed,  // NO [AUTHENTICATIONFAILED]
    Unavailable,           // NO [UNAVAILABLE] (store down: try later)
    NonExistent,           // NO [NONEXISTENT]
    TryCreate,             // NO [TRYCREATE]
    AlreadyExists,         // NO [ALREADYEXISTS]
    Cannot,                // NO [CANNOT] (e.g. delete INBOX)
    InUse,                 // NO [INUSE]
    TooBig,                // NO [TOOBIG]
    OverQuota,             // NO [OVERQUOTA]
    NoPerm,                // NO [NOPERM]
    Limit,                 // NO [LIMIT] (e.g. too many sessions for one account)
    Other,                 // NO
  } kind = Kind::Other;
  std::string text;  // human text after the code
};

using Result = std::variant<Failure,
                            std::monostate,                // Create, Delete, Rename, Subscribe, Login ok
                            std::vector<MailboxEntry>,     // List
                            MailboxStatusData,             // Status
                            SelectedData,                  // Select
                            std::vector<FetchedData>,      // Fetch (missing UIDs: expunged meanwhile)
                            StoredData,                    // Store
                            std::vector<std::uint32_t>,    // Expunge (UIDs removed), Search (UIDs matched)
                            CopiedData,                    // Copy/Move
                            AppendedData,                  // Append
                            ChangesData,                   // Changes
                            QuotaData>;                    // Quota

}  // namespace pillarbox::imap
