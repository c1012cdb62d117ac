// A scripted host for the IMAP session tests and the session fuzzer: an
// in-memory account (mailboxes, messages, flags, modseqs, an expunge log)
// that answers every Request the way imapd's store does, so that several
// sessions may share one account and see each other's changes.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "proto/imap/host.hpp"
#include "proto/imap/session.hpp"

namespace imap_test {

struct FakeMessage {
  std::uint32_t uid = 0;
  std::uint64_t modseq = 0;
  std::vector<std::string> flags;
  std::string raw;
  std::int64_t internal_date = 1700000000;
};

struct FakeMailbox {
  std::string special_use;
  bool subscribed = true;
  std::uint32_t uidvalidity = 1000, uidnext = 1;
  std::vector<FakeMessage> messages;  // ascending UID
  std::vector<std::pair<std::uint32_t, std::uint64_t>> expunged;  // uid, modseq of the expunge
  std::set<std::uint32_t> recent;  // not yet shown to any session
};

struct FakeAccount {
  std::map<std::string, FakeMailbox> mailboxes;
  std::uint64_t modseq = 1;
  std::string user = "alice", password = "secret";
  bool fail_next = false;  // the next request fails with UNAVAILABLE

  FakeAccount();
  // Delivers a message to `mailbox` (new UID, new modseq, \Recent).
  std::uint32_t deliver(const std::string& mailbox, const std::string& raw, std::vector<std::string> flags = {});
  std::uint64_t highest_modseq(const FakeMailbox& box) const;
};

// One session's host side: remembers the selected mailbox.
class FakeHost {
 public:
  explicit FakeHost(FakeAccount& account) : account_(account) {}
  pillarbox::imap::Result answer(const pillarbox::imap::Request& request);

 private:
  FakeMailbox* selected();
  FakeAccount& account_;
  std::string selected_;
};

// Drives a Session with a FakeHost: writes go to `transcript`, requests are
// answered at once, Close and StartTls are noted as "#close\n", "#tls\n".
class Player {
 public:
  Player(FakeAccount& account, pillarbox::imap::Options options = {}, pillarbox::imap::Limits limits = {});
  void start();
  void feed(std::string_view bytes, std::size_t step = 0);  // step 0: all at once
  void changed();
  void tls_done();
  void timeout();
  void shutdown();
  std::string take();  // the transcript so far, cleared
  pillarbox::imap::Session& session() { return session_; }
  std::vector<pillarbox::imap::Request> requests;  // every request asked, in order

 private:
  void run(std::vector<pillarbox::imap::Action> actions);
  pillarbox::imap::Session session_;
  FakeHost host_;
  std::string transcript_;
};

// Lines joined with CRLF after each.
std::string lines(std::initializer_list<std::string_view> items);

}  // namespace imap_test
