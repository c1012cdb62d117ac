// The IMAP4rev1 server session (RFC 3501) with IDLE (RFC 2177), UIDPLUS
// (4315), MOVE (6851), NAMESPACE (2342), SPECIAL-USE (6154), ENABLE (5161),
// ID (2971), SASL-IR (4959), UNSELECT (3691), CHILDREN (3348), LITERAL+
// (7888), CONDSTORE/QRESYNC (7162) and QUOTA (9208). Bytes in, actions out:
// no sockets, no clock, no store, no TLS. Mailboxes and messages belong to
// the host, asked through Requests (host.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/imap/action.hpp"
#include "proto/imap/command.hpp"
#include "proto/imap/framer.hpp"
#include "proto/imap/host.hpp"
#include "proto/imap/limits.hpp"
#include "proto/imap/view.hpp"
#include "proto/imap/writer.hpp"

namespace pillarbox::imap {

struct Options {
  std::string hostname;
  bool tls_available = false;            // STARTTLS may be offered
  bool tls_active = false;               // implicit TLS (993), or after STARTTLS
  bool plain_login_without_tls = false;  // the client's network is trusted by the access rules
};

// One connection. Not thread-safe; single owner (the connection glue).
//
// Contract with the host:
//  - Every call returns the actions to carry out in order; consecutive
//    Writes are merged. Every Write is whole CRLF-ended lines.
//  - A Request makes the session pending(): it reads no further pipelined
//    input (bytes given meanwhile are buffered; more than
//    Limits::max_command + Limits::max_line of them close the session) until
//    on_result() answers. An answer nobody asked for is ignored, and so is
//    one of the wrong type (the command then fails with NO [SERVERBUG]).
//  - StartTls: the host runs the handshake and calls on_tls_started();
//    plaintext after the STARTTLS line is discarded (CVE-2011-0411 class).
//  - on_mailbox_changed(): the host heard that the selected mailbox changed
//    (bus event, or a periodic check). The session asks for the changes at
//    the next point RFC 3501 §7.4.1 allows (at once while idling). Its own
//    writes (STORE, EXPUNGE, COPY/APPEND into the selected mailbox) it
//    tracks itself.
//  - No clock: the host owns the idle timer (RFC 3501 §5.4: at least 30
//    minutes) and calls on_timeout().
//  - Close: write what came before, then close. Once closed() every call
//    returns nothing.
class Session {
 public:
  enum class State { NotAuthenticated, Authenticated, Selected, Logout };

  Session(Options options, Limits limits);

  std::vector<Action> start();  // "* OK [CAPABILITY ...] Pillarbox ready"
  std::vector<Action> on_bytes(std::string_view bytes);
  std::vector<Action> on_tls_started();
  std::vector<Action> on_result(Result result);  // the answer to the pending Request
  std::vector<Action> on_mailbox_changed();
  std::vector<Action> on_timeout();  // "* BYE Autologout; idle for too long", Close
  std::vector<Action> shutdown();    // "* BYE Server shutting down", Close (after a pending answer)

  bool pending() const { return waiting_ != Waiting::Nothing; }
  bool closed() const { return state_ == State::Logout; }
  State state() const { return state_; }
  const std::string& user() const { return user_; }
  const std::string& selected_mailbox() const;  // UTF-8, "" when none
  bool idling() const { return idle_tag_.has_value(); }

  // The capabilities as the session would announce them now.
  std::vector<std::string> capabilities() const;

 private:
  enum class Waiting { Nothing, Tls, Host };
  enum class Sasl { None, PlainResponse, LoginUser, LoginPassword };
  using Then = std::function<void(Result&)>;
  using Handler = void (Session::*)(const Command&);
  struct CommandSpec {
    Verb verb;
    Handler handler;
    unsigned flags;
  };
  // Command table flags: where a command is valid.
  static constexpr unsigned InNotAuth = 1U << 0;
  static constexpr unsigned InAuth = 1U << 1;      // Authenticated and Selected
  static constexpr unsigned InSelected = 1U << 2;  // Selected only
  static const CommandSpec kCommands[];
  static const CommandSpec* command_spec(Verb verb);

  // Input loop, dispatch, replies (session.cpp).
  void run();
  std::size_t feed(std::string_view input);
  void handle_command(const std::string& text);
  void ask(Request request, Then then);
  void write(std::string bytes);
  void bad(std::string_view tag, std::string_view text);  // counts towards max_errors
  void no(std::string_view tag, std::string_view text, const std::optional<ResponseCode>& code = std::nullopt);
  void failed(std::string_view tag, const Result& result);  // NO for a Failure (or a wrong answer)
  // The tagged completion; first, when the selected mailbox changed (or
  // `always_check`), the untagged updates (session_updates.cpp).
  void finish(std::string tag, std::string text, std::optional<ResponseCode> code = std::nullopt,
              bool always_check = false);
  void close_with(std::string_view line);
  void emit(Action action);
  std::vector<Action> flush();
  std::vector<Action> after_answer();

  // Any state and logging in (session_auth.cpp).
  void do_capability(const Command& cmd);
  void do_noop(const Command& cmd);
  void do_logout(const Command& cmd);
  void do_starttls(const Command& cmd);
  void do_login(const Command& cmd);
  void do_authenticate(const Command& cmd);
  void do_enable(const Command& cmd);
  void do_id(const Command& cmd);
  void handle_sasl_response(std::string_view line);
  void login(std::string tag, std::string user, std::string password);
  bool plain_login_allowed() const;

  // Mailboxes (session_mailbox.cpp).
  void do_list(const Command& cmd);
  void lsub_parents(const std::vector<MailboxEntry>& entries, const std::vector<std::string>& patterns,
                    const std::string& verb);
  void do_create(const Command& cmd);
  void do_delete(const Command& cmd);
  void do_rename(const Command& cmd);
  void do_subscribe(const Command& cmd);
  void do_status(const Command& cmd);
  void do_namespace(const Command& cmd);
  void do_getquota(const Command& cmd);
  void do_setquota(const Command& cmd);
  void do_append(const Command& cmd);
  std::optional<std::string> mailbox_name(std::string_view tag, std::string_view wire);  // BAD when invalid
  void simple_request(const Command& cmd, Request request, std::string done);

  // Selecting (session_select.cpp).
  void do_select(const Command& cmd);
  void do_close(const Command& cmd);
  void do_unselect(const Command& cmd);
  void do_check(const Command& cmd);
  void do_idle(const Command& cmd);
  void selected(const Command& cmd, SelectedData data);
  void idle_done(bool done);

  // Updates from elsewhere (session_updates.cpp).
  void check_changes(std::function<void()> then);
  void apply_changes(const ChangesData& changes);
  void report_expunged(std::vector<std::uint32_t> uids);
  void write_flags_fetch(const MessageState& m, bool with_uid, bool with_modseq);
  std::string flags_with_recent(const MessageState& m) const;

  // FETCH (session_fetch.cpp).
  void do_fetch(const Command& cmd);
  void fetch_items(const Command& cmd, std::vector<std::uint32_t> uids);  // the rest of FETCH, UIDs resolved
  void write_fetch(const FetchArgs& args, bool uid, const std::vector<std::uint32_t>& uids,
                   const std::vector<FetchedData>* fetched, bool mark_seen);
  std::optional<std::vector<std::uint32_t>> resolve(const Command& cmd, const SequenceSet& set);

  // STORE, COPY, MOVE, EXPUNGE, SEARCH (session_store.cpp, session_search.cpp).
  void do_store(const Command& cmd);
  void do_copy(const Command& cmd);
  void do_expunge(const Command& cmd);
  void do_search(const Command& cmd);
  bool refuse_read_only(const Command& cmd);

  Options options_;
  Limits limits_;
  CommandFramer framer_;
  State state_ = State::NotAuthenticated;
  Waiting waiting_ = Waiting::Nothing;
  Then then_;
  std::string input_;
  std::vector<Action> out_;
  int errors_ = 0;
  std::string user_;
  Sasl sasl_ = Sasl::None;
  std::string sasl_tag_, sasl_user_;
  std::optional<MailboxView> view_;
  bool condstore_ = false, qresync_ = false;
  bool changed_ = false;            // on_mailbox_changed() not yet acted on
  std::optional<std::string> idle_tag_;
  bool shutting_down_ = false;
};

}  // namespace pillarbox::imap
