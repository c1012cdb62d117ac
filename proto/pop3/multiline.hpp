// Multi-line POP3 responses (RFC 1939 §3): the status line, then lines
// ended by CRLF, each starting with "." given another "." (dot-stuffing), then
// "." CRLF. Used for LIST, UIDL, CAPA, AUTH's list and message text alike.
// The text is cut into chunks at line ends, so the host can hand a large
// message to the socket in pieces and every chunk is whole CRLF lines.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pillarbox::pop3 {

class MultilineWriter {
 public:
  static constexpr std::size_t kChunkSize = 64 * 1024;

  // A chunk is closed at the first line end at or after chunk_size octets.
  explicit MultilineWriter(std::size_t chunk_size = kChunkSize) : chunk_size_(chunk_size) {}

  // The "+OK ..." line; not stuffed. `text` holds no CR or LF.
  void status(std::string_view text) { append(text, false); }
  // One line of the body; `content` holds no CR or LF (the caller splits).
  void line(std::string_view content) { append(content, true); }
  // Adds the terminating "." CRLF and hands over the chunks; the writer is
  // empty afterwards.
  std::vector<std::string> finish();

 private:
  void append(std::string_view content, bool stuff);

  std::size_t chunk_size_;
  std::vector<std::string> chunks_;
};

}  // namespace pillarbox::pop3
