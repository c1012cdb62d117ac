// libFuzzer target for the IMAP framer, parser and writer (proto/imap/).
// Built by `cmake -DPILLARBOX_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++`; run
// `build/fuzz/bin/imap_parse_fuzz -max_total_time=60`.
//
// The first byte picks the limits; the rest is client input. Oracles: the
// input framed whole, in ragged slices and (when short) byte by byte gives
// the same events; parse_command never crashes; the strings, mailbox names,
// sequence sets and date-times a command carries, written by the writer and
// parsed again, come back as the same values; modified UTF-7 names that
// decode re-encode to the same wire form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "proto/imap/framer.hpp"
#include "proto/imap/mutf7.hpp"
#include "proto/imap/parser.hpp"
#include "proto/imap/writer.hpp"

using namespace pillarbox::imap;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

std::vector<std::string> frame(std::string_view input, std::size_t step, const Limits& limits) {
  CommandFramer framer(limits);
  std::vector<std::string> events;
  std::string buffer;
  for (std::size_t pos = 0; pos < input.size(); pos += step) {
    buffer.append(input.substr(pos, step));
    while (true) {
      CommandFramer::Result r = framer.next(buffer);
      check(r.consumed <= buffer.size());
      buffer.erase(0, r.consumed);
      if (r.kind == CommandFramer::Kind::NeedMore) {
        check(buffer.empty());
        break;
      }
      events.push_back(std::to_string(static_cast<int>(r.kind)) + ":" + r.tag + ":" +
                       std::to_string(r.literal_size) + ":" + r.command);
      if (r.kind == CommandFramer::Kind::Command && r.command.size() >= 5 &&
          r.command.compare(r.command.size() - 5, 5, " IDLE") == 0) {
        framer.begin_idle();
      }
    }
  }
  return events;
}

// Writes `value` as an astring and as a string; both must read back.
void check_string(const std::string& value) {
  std::string line = "t LOGIN ";
  append_astring(line, value);
  line += ' ';
  append_string(line, value);
  auto cmd = parse_command(line);
  check(cmd.ok());
  check(cmd->as<LoginArgs>().user == value);
  check(cmd->as<LoginArgs>().password == value);
}

void check_mailbox(const std::string& wire) {
  check_string(wire);
  auto utf8 = decode_mutf7(wire);
  if (!utf8) return;
  auto again = encode_mutf7(*utf8);
  check(again.ok() && *again == wire);
  std::string line = "t CREATE ";
  append_mailbox(line, *utf8);
  auto cmd = parse_command(line);
  check(cmd.ok() && cmd->as<MailboxArgs>().name == wire);
}

void check_set(const SequenceSet& set) {
  auto again = parse_sequence_set(format_sequence_set(set));
  check(again.ok() && *again == set);
}

void check_command(const Command& cmd) {
  if (const auto* login = std::get_if<LoginArgs>(&cmd.args)) {
    check_string(login->user);
    check_string(login->password);
  } else if (const auto* mailbox = std::get_if<MailboxArgs>(&cmd.args)) {
    check_mailbox(mailbox->name);
  } else if (const auto* rename = std::get_if<RenameArgs>(&cmd.args)) {
    check_mailbox(rename->from);
    check_mailbox(rename->to);
  } else if (const auto* copy = std::get_if<CopyArgs>(&cmd.args)) {
    check_set(copy->set);
    check_mailbox(copy->mailbox);
  } else if (const auto* fetch = std::get_if<FetchArgs>(&cmd.args)) {
    check_set(fetch->set);
    check(!fetch->items.empty());
  } else if (const auto* store = std::get_if<StoreArgs>(&cmd.args)) {
    check_set(store->set);
  } else if (const auto* append = std::get_if<AppendArgs>(&cmd.args)) {
    check_string(append->message);
    if (append->internal_date) {
      auto dt = parse_date_time(format_date_time(*append->internal_date));
      check(dt.ok() && *dt == *append->internal_date);
    }
  } else if (const auto* search = std::get_if<SearchArgs>(&cmd.args)) {
    check(search->key.kind == SearchKey::Kind::And && !search->key.children.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t config = data[0];
  Limits limits;
  limits.max_line = 16 + (config & 15) * 8;
  limits.max_literal = (config & 16) != 0 ? 8 : 4096;
  limits.max_command = (config & 32) != 0 ? 200 : 100000;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  const auto whole = frame(input, input.size() + 1, limits);
  check(frame(input, 1 + (config >> 6) * 5, limits) == whole);
  if (input.size() <= 4096) check(frame(input, 1, limits) == whole);

  // Parse what the framer produced, and the raw input as one command too.
  CommandFramer framer(limits);
  std::string buffer(input);
  while (true) {
    auto r = framer.next(buffer);
    buffer.erase(0, r.consumed);
    if (r.kind == CommandFramer::Kind::NeedMore) break;
    if (r.kind != CommandFramer::Kind::Command) continue;
    auto cmd = parse_command(r.command);
    if (cmd) check_command(*cmd);
  }
  auto raw = parse_command(input);
  if (raw) check_command(*raw);
  return 0;
}
