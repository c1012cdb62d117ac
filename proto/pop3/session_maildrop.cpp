// The TRANSACTION commands on the maildrop (RFC 1939 §5): STAT, LIST, UIDL
// (§7), RETR, TOP (§7), DELE, RSET. Messages are numbered from 1 in the order
// the host listed them; DELE only marks, and the marks reach the host at QUIT.
// Reading a message's text is the host's: RETR and TOP wait for it.
#include <limits>

#include "proto/pop3/session.hpp"

namespace pillarbox::pop3 {

namespace {

// The number as the client wrote it without leading zeros: the same text
// for "RETR 7" and "RETR 007", and no overflow for a number too large.
std::string canonical(const MessageNumber& number) {
  std::size_t first = number.text.find_first_not_of('0');
  return first == std::string::npos ? "0" : number.text.substr(first);
}

std::string messages_and_octets(const Maildrop& maildrop) {
  std::size_t n = maildrop.live_count();
  return std::to_string(n) + (n == 1 ? " message (" : " messages (") +
         std::to_string(maildrop.live_octets()) + " octets)";
}

}  // namespace

std::optional<std::size_t> Session::live_message(const MessageNumber& number) {
  if (number.value == 0 || number.value > maildrop_.size()) {
    refuse("There's no message " + canonical(number) + ".");
    return std::nullopt;
  }
  auto index = static_cast<std::size_t>(number.value - 1);
  if (maildrop_.deleted(index)) {
    refuse("Message " + canonical(number) + " already deleted");
    return std::nullopt;
  }
  return index;
}

void Session::do_stat(const Command&) {
  ok(std::to_string(maildrop_.live_count()) + " " + std::to_string(maildrop_.live_octets()));
}

void Session::do_list(const Command& cmd) {
  if (cmd.message) {
    if (std::optional<std::size_t> index = live_message(*cmd.message)) {
      ok(std::to_string(*index + 1) + " " + std::to_string(maildrop_.entry(*index).size));
    }
    return;
  }
  MultilineWriter writer;
  writer.status("+OK " + messages_and_octets(maildrop_));
  for (std::size_t i = 0; i < maildrop_.size(); ++i) {
    if (maildrop_.deleted(i)) continue;
    writer.line(std::to_string(i + 1) + " " + std::to_string(maildrop_.entry(i).size));
  }
  write_multiline(writer);
}

void Session::do_uidl(const Command& cmd) {
  if (cmd.message) {
    if (std::optional<std::size_t> index = live_message(*cmd.message)) {
      ok(std::to_string(*index + 1) + " " + maildrop_.entry(*index).uidl);
    }
    return;
  }
  MultilineWriter writer;
  writer.status("+OK Unique-ID listing follows");
  for (std::size_t i = 0; i < maildrop_.size(); ++i) {
    if (!maildrop_.deleted(i)) writer.line(std::to_string(i + 1) + " " + maildrop_.entry(i).uidl);
  }
  write_multiline(writer);
}

void Session::do_retr(const Command& cmd) {
  if (std::optional<std::size_t> index = live_message(*cmd.message)) retrieve(*index, std::nullopt);
}

void Session::do_top(const Command& cmd) {
  if (std::optional<std::size_t> index = live_message(*cmd.message)) {
    constexpr std::uint64_t kMax = std::numeric_limits<std::size_t>::max();
    retrieve(*index, static_cast<std::size_t>(cmd.lines < kMax ? cmd.lines : kMax));
  }
}

void Session::do_dele(const Command& cmd) {
  if (std::optional<std::size_t> index = live_message(*cmd.message)) {
    maildrop_.mark(*index);
    ok("Message " + std::to_string(*index + 1) + " deleted");
  }
}

void Session::do_rset(const Command&) {
  maildrop_.unmark_all();
  ok("Maildrop has " + messages_and_octets(maildrop_));
}

void Session::retrieve(std::size_t index, std::optional<std::size_t> top_lines) {
  retrieving_ = index;
  retrieving_top_ = top_lines;
  Action ask;
  ask.kind = Action::Kind::Retrieve;
  ask.index = index;
  ask.top_lines = top_lines;
  emit(std::move(ask));
  waiting_ = Waiting::Message;
}

}  // namespace pillarbox::pop3
