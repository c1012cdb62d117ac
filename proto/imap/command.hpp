// IMAP command values (RFC 3501 §6 and the extensions imapd offers): what
// parse_command() (parser.hpp) produces and the engine consumes. Plain data:
// no behaviour, no knowledge of state, mailboxes or messages. Mailbox names
// are kept in wire form (modified UTF-7, mutf7.hpp), except that any case
// of "INBOX" is written "INBOX".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "proto/imap/datetime.hpp"
#include "proto/imap/sequence_set.hpp"

namespace pillarbox::imap {

enum class Verb {
  Capability, Noop, Logout,                                   // any state
  StartTls, Authenticate, Login,                              // not authenticated
  Select, Examine, Create, Delete, Rename, Subscribe, Unsubscribe, List, Lsub, Status, Append,
  Namespace, Enable, Id, GetQuota, GetQuotaRoot, SetQuota, Idle,  // authenticated
  Check, Close, Unselect, Expunge, Search, Fetch, Store, Copy, Move,  // selected
};

// LOGIN user password.
struct LoginArgs {
  std::string user;
  std::string password;
  bool operator==(const LoginArgs&) const = default;
};

// AUTHENTICATE mechanism [initial-response] (RFC 4959): the mechanism upper-
// cased; the response still base64, "=" meaning an empty one.
struct AuthenticateArgs {
  std::string mechanism;
  std::optional<std::string> initial_response;
  bool operator==(const AuthenticateArgs&) const = default;
};

// CREATE, DELETE, SUBSCRIBE, UNSUBSCRIBE, GETQUOTAROOT: one mailbox.
// GETQUOTA: the quota root, in `name` too.
struct MailboxArgs {
  std::string name;
  bool operator==(const MailboxArgs&) const = default;
};

struct RenameArgs {
  std::string from;
  std::string to;
  bool operator==(const RenameArgs&) const = default;
};

// SELECT/EXAMINE parameters (RFC 7162 §3.1.8, §3.2.5).
struct QresyncParams {
  std::uint32_t uidvalidity = 0;
  std::uint64_t modseq = 0;
  std::optional<SequenceSet> known_uids;
  std::optional<SequenceSet> known_sequence_numbers;  // seq-match-data: both or neither
  std::optional<SequenceSet> known_sequence_uids;
  bool operator==(const QresyncParams&) const = default;
};

struct SelectArgs {
  std::string mailbox;
  bool condstore = false;
  std::optional<QresyncParams> qresync;
  bool operator==(const SelectArgs&) const = default;
};

// LIST [(selection)] reference (pattern | (patterns)) [RETURN (options)]
// (RFC 3501 §6.3.8, RFC 5258, RFC 6154). LSUB uses reference and patterns.
struct ListArgs {
  std::string reference;
  std::vector<std::string> patterns;  // list-mailbox, wire form; may hold % and *
  bool extended = false;              // selection or return options were given, or several patterns
  bool select_subscribed = false;
  bool select_remote = false;
  bool select_recursive_match = false;
  bool select_special_use = false;
  bool return_subscribed = false;
  bool return_children = false;
  bool return_special_use = false;
  bool operator==(const ListArgs&) const = default;
};

enum class StatusItem { Messages, Recent, UidNext, UidValidity, Unseen, HighestModSeq, Size, Deleted };

struct StatusArgs {
  std::string mailbox;
  std::vector<StatusItem> items;  // in the client's order, at least one
  bool operator==(const StatusArgs&) const = default;
};

// APPEND mailbox [flags] [date-time] literal (one message).
struct AppendArgs {
  std::string mailbox;
  std::vector<std::string> flags;     // as written; system flags keep their backslash
  std::optional<DateTime> internal_date;
  std::string message;
  bool operator==(const AppendArgs&) const = default;
};

// A BODY[section] specification (RFC 3501 §6.4.5 section-spec).
struct Section {
  enum class Text { None, Header, HeaderFields, HeaderFieldsNot, Text, Mime };
  std::vector<std::uint32_t> part;  // "1.2" -> {1, 2}; empty for the whole message
  Text text = Text::None;
  std::vector<std::string> fields;  // HEADER.FIELDS[.NOT]: upper-cased header names
  bool operator==(const Section&) const = default;
};

struct FetchItem {
  enum class Kind {
    Envelope, Flags, InternalDate, Rfc822, Rfc822Header, Rfc822Size, Rfc822Text,
    Body,           // BODY without a section: the non-extensible structure
    BodyStructure, Uid, ModSeq,
    BodySection,    // BODY[...] and BODY.PEEK[...]
  };
  Kind kind = Kind::Flags;
  bool peek = false;                          // BodySection: BODY.PEEK
  Section section;                            // BodySection
  std::optional<std::pair<std::uint32_t, std::uint32_t>> partial;  // <offset.length>
  bool operator==(const FetchItem&) const = default;
};

struct FetchArgs {
  SequenceSet set;
  std::vector<FetchItem> items;  // macros (ALL, FAST, FULL) expanded
  std::optional<std::uint64_t> changed_since;  // (CHANGEDSINCE n), RFC 7162 §3.1.4
  bool vanished = false;                       // (VANISHED), UID FETCH only, RFC 7162 §3.2.6
  bool operator==(const FetchArgs&) const = default;
};

struct StoreArgs {
  enum class Mode { Replace, Add, Remove };  // FLAGS, +FLAGS, -FLAGS
  SequenceSet set;
  std::optional<std::uint64_t> unchanged_since;  // (UNCHANGEDSINCE n), RFC 7162 §3.1.3
  Mode mode = Mode::Replace;
  bool silent = false;
  std::vector<std::string> flags;
  bool operator==(const StoreArgs&) const = default;
};

// One node of a SEARCH key tree (RFC 3501 §6.4.4; MODSEQ from RFC 7162).
struct SearchKey {
  enum class Kind {
    And,  // a parenthesised list, or the top level: all children
    All, Answered, Bcc, Before, Body, Cc, Deleted, Draft, Flagged, From, Header, Keyword, Larger, New,
    Not, Old, On, Or, Recent, Seen, SentBefore, SentOn, SentSince, Since, Smaller, Subject, Text, To,
    Uid, Unanswered, Undeleted, Undraft, Unflagged, Unkeyword, Unseen,
    SequenceSet,  // a bare sequence set
    ModSeq,
  };
  Kind kind = Kind::All;
  std::string text;    // string keys, the HEADER value, KEYWORD/UNKEYWORD flag, MODSEQ entry name
  std::string field;   // HEADER field name; MODSEQ entry type ("priv", "shared", "all")
  Date date;           // date keys
  std::uint64_t number = 0;  // LARGER, SMALLER, MODSEQ
  SequenceSet set;           // UID, SequenceSet
  std::vector<SearchKey> children;  // Not: one; Or: two; And: one or more
  bool operator==(const SearchKey&) const = default;
};

struct SearchArgs {
  std::optional<std::string> charset;  // upper-cased
  SearchKey key;                       // Kind::And of the top-level keys
  bool operator==(const SearchArgs&) const = default;
};

// COPY and MOVE; EXPUNGE under UID (RFC 4315 §2.1) uses only `set`.
struct CopyArgs {
  SequenceSet set;
  std::string mailbox;
  bool operator==(const CopyArgs&) const = default;
};

struct EnableArgs {
  std::vector<std::string> capabilities;  // upper-cased
  bool operator==(const EnableArgs&) const = default;
};

// ID NIL or ID ("name" "value" ...) (RFC 2971).
struct IdArgs {
  std::optional<std::vector<std::pair<std::string, std::optional<std::string>>>> fields;
  bool operator==(const IdArgs&) const = default;
};

// SETQUOTA root (resource limit ...) (RFC 9208 §4.3): resources upper-cased.
struct SetQuotaArgs {
  std::string root;
  std::vector<std::pair<std::string, std::uint64_t>> limits;
  bool operator==(const SetQuotaArgs&) const = default;
};

struct UidSetArgs {  // UID EXPUNGE set
  SequenceSet set;
  bool operator==(const UidSetArgs&) const = default;
};

using CommandArgs = std::variant<std::monostate, LoginArgs, AuthenticateArgs, MailboxArgs, RenameArgs, SelectArgs,
                                 ListArgs, StatusArgs, AppendArgs, FetchArgs, StoreArgs, SearchArgs, CopyArgs,
                                 EnableArgs, IdArgs, SetQuotaArgs, UidSetArgs>;

struct Command {
  std::string tag;
  std::string name;  // upper-cased, without "UID ": "FETCH", "LIST", ...
  Verb verb = Verb::Noop;
  bool uid = false;  // "UID FETCH/STORE/SEARCH/COPY/MOVE/EXPUNGE"
  CommandArgs args;  // the alternative that belongs to `verb` (monostate: none)

  template <class T>
  const T& as() const { return std::get<T>(args); }
};

}  // namespace pillarbox::imap
