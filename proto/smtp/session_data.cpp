// Message text: DATA (RFC 5321 §4.1.1.4, §4.5.2) and BDAT (RFC 3030), the
// size limit (RFC 1870 §6) and the hop limit (RFC 5321 §6.3). Framing itself
// (dot-unstuffing, smuggling rules) is in framer.hpp; storing is the host's.
#include "proto/smtp/message_text.hpp"
#include "proto/smtp/session.hpp"

namespace pillarbox::smtp {

void Session::do_data(const Command&) {
  if (state_ != State::Mail) {
    refuse({503, "5.5.1", "Error: need MAIL command"});
    return;
  }
  if (envelope_.rcpts.empty()) {
    refuse({554, "5.5.1", "Error: no valid recipients"});
    return;
  }
  write({354, "", "End data with <CR><LF>.<CR><LF>"});
  message_.reset(limits_.max_message_size);
  data_.reset();
  state_ = State::Data;
}

std::size_t Session::feed_data(std::string_view input) {
  DataFramer::Result r = data_.feed(input, message_);
  if (!r.done) return r.consumed;
  state_ = State::Mail;
  if (message_.overflow()) {  // read to its end, so the next command is in sync
    write({552, "5.3.4", "Message too large"});
    reset_transaction();
  } else {
    finish_message(message_.take());
  }
  return r.consumed;
}

// A BDAT command is answered only after its chunk has been read, refused or
// not (RFC 3030 §2), so refusals are remembered and given in finish_chunk().
void Session::do_bdat(const Command& cmd) {
  chunk_size_ = cmd.chunk_size;
  chunk_last_ = cmd.last_chunk;
  chunk_refusal_.reset();
  after_chunk_ = state_;
  if (state_ == State::Connected) {
    chunk_refusal_ = Reply{503, "5.5.1", "Error: send HELO/EHLO first"};
  } else if (state_ == State::Ready) {
    chunk_refusal_ = Reply{503, "5.5.1", "Error: need MAIL command"};
  } else if (envelope_.rcpts.empty()) {
    chunk_refusal_ = Reply{554, "5.5.1", "Error: no valid recipients"};
  }
  chunk_.start(cmd.chunk_size);
  if (cmd.chunk_size == 0) {
    finish_chunk();
  } else {
    state_ = State::Chunk;
  }
}

std::size_t Session::feed_chunk(std::string_view input) {
  ChunkFramer::Result r = chunk_.feed(input, chunk_refusal_ ? nullptr : &message_);
  if (r.done) finish_chunk();
  return r.consumed;
}

void Session::finish_chunk() {
  state_ = after_chunk_;
  if (chunk_refusal_) {
    Reply refusal = *chunk_refusal_;
    chunk_refusal_.reset();
    refuse(refusal);
    return;
  }
  state_ = State::Chunking;
  if (message_.overflow()) {
    write({552, "5.3.4", "Message too large"});
    if (chunk_last_) reset_transaction();
    return;
  }
  if (!chunk_last_) {
    write({250, "2.0.0", "Ok: " + std::to_string(chunk_size_) + " octets received"});
    return;
  }
  // BDAT text is taken as sent; line ends are made CRLF for the store.
  finish_message(normalize_line_ends(message_.take()));
}

void Session::finish_message(std::string message) {
  if (count_received_headers(message) > limits_.max_received_headers) {
    write({554, "5.4.6", "Too many hops"});
    reset_transaction();
    return;
  }
  Action deliver;
  deliver.kind = Action::Kind::Deliver;
  deliver.envelope = envelope_;
  deliver.message = std::move(message);
  deliver.protocol = protocol();
  emit(std::move(deliver));
  waiting_ = Waiting::Deliver;
}

}  // namespace pillarbox::smtp
