// Frame encoding and the incremental frame decoder (see frame.hpp). The
// decoder copies bytes only when a frame spans several feeds; a frame that
// arrives whole is parsed straight from the caller's buffer.
#include "proto/bus/frame.hpp"

#include <algorithm>
#include <cassert>
#include <cstdint>

namespace pillarbox::bus {

namespace {

using nlohmann::json;

// Above this, a drained body buffer is released rather than kept for reuse,
// so one large frame does not pin up to max_frame bytes per connection.
constexpr std::size_t kKeepCapacity = 64 * 1024;

std::uint32_t read_be32(std::string_view b) {
  return (std::uint32_t{static_cast<unsigned char>(b[0])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(b[1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(b[2])} << 8) |
         std::uint32_t{static_cast<unsigned char>(b[3])};
}

// nlohmann::json parses iteratively, but copying, comparing and dumping a
// value recurse; bounding the nesting here keeps a hostile frame from
// exhausting the stack of whoever handles the message later. Brackets inside
// strings do not count. Malformed text is left for the parser to report.
bool nesting_within(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

Expected<Message> decode_payload(std::string_view payload) {
  if (!nesting_within(payload, kMaxDepth)) {
    return fail(ErrorCode::InvalidInput, "bus frame nests deeper than " + std::to_string(kMaxDepth));
  }
  json j;
  // The parser reports errors only by exception; it is caught right here and
  // becomes a value, with the parser's position and reason for the log.
  try {
    j = json::parse(payload.begin(), payload.end());
  } catch (const json::exception& e) {
    return fail(ErrorCode::InvalidInput, "bus frame is not valid JSON", e.what());
  }
  return to_message(j);
}

}  // namespace

std::string encode(const Message& message) {
  std::string payload = to_json(message).dump(-1, ' ', false, json::error_handler_t::replace);
  assert(payload.size() <= UINT32_MAX);
  auto n = static_cast<std::uint32_t>(payload.size());
  std::string frame;
  frame.reserve(kFrameHeader + payload.size());
  frame.push_back(static_cast<char>((n >> 24) & 0xff));
  frame.push_back(static_cast<char>((n >> 16) & 0xff));
  frame.push_back(static_cast<char>((n >> 8) & 0xff));
  frame.push_back(static_cast<char>(n & 0xff));
  frame += payload;
  return frame;
}

FrameDecoder::FrameDecoder(std::size_t max_frame) : max_frame_(max_frame) {}

std::size_t FrameDecoder::buffered() const { return header_.size() + body_.size(); }

Unexpected FrameDecoder::poison(Error error) {
  error_ = error;
  return Unexpected{std::move(error)};
}

Expected<void> FrameDecoder::take_header() {
  std::uint32_t n = read_be32(header_);
  if (n == 0) return fail(ErrorCode::InvalidInput, "bus frame is empty");
  if (n > max_frame_) {
    return fail(ErrorCode::TooBig, "bus frame too large (" + std::to_string(n) +
                                       " bytes, limit " + std::to_string(max_frame_) + ")");
  }
  length_ = n;
  return {};
}

Expected<std::vector<Message>> FrameDecoder::feed(std::string_view bytes) {
  if (error_) return Unexpected{*error_};
  std::vector<Message> out;
  while (!bytes.empty()) {
    if (header_.size() < kFrameHeader) {
      std::size_t n = std::min(kFrameHeader - header_.size(), bytes.size());
      header_.append(bytes.substr(0, n));
      bytes.remove_prefix(n);
      if (header_.size() < kFrameHeader) break;
      if (auto ok = take_header(); !ok) return poison(ok.error());
      continue;
    }

    std::size_t need = length_ - body_.size();
    std::string_view payload;
    if (body_.empty() && bytes.size() >= need) {
      payload = bytes.substr(0, need);
    } else {
      std::size_t n = std::min(need, bytes.size());
      body_.append(bytes.substr(0, n));
      if (n < need) break;  // bytes exhausted mid-frame
      payload = body_;
    }
    bytes.remove_prefix(need);

    auto message = decode_payload(payload);
    if (!message) return poison(message.error());
    out.push_back(std::move(*message));
    header_.clear();
    body_.clear();
    if (body_.capacity() > kKeepCapacity) std::string().swap(body_);
  }
  return out;
}

}  // namespace pillarbox::bus
