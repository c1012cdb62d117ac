// Unit tests for proto/bus/frame: encode(), and FrameDecoder fed whole, byte
// by byte and split at every position, plus every way a stream can fail.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "proto/bus/frame.hpp"

using namespace pillarbox;
using namespace pillarbox::bus;
using nlohmann::json;

namespace {

std::string header(std::uint32_t n) {
  return {static_cast<char>(n >> 24), static_cast<char>((n >> 16) & 0xff),
          static_cast<char>((n >> 8) & 0xff), static_cast<char>(n & 0xff)};
}

// A raw frame around any payload, valid or not.
std::string frame(std::string_view payload) {
  return header(static_cast<std::uint32_t>(payload.size())) + std::string(payload);
}

std::vector<Message> sample_messages() {
  Message h;
  h.op = Op::Hello;
  h.name = "smtpd";
  h.pid = 1234;
  Message s;
  s.op = Op::Subscribe;
  s.topics = {"config.changed", "mailbox.*"};
  Message u;
  u.op = Op::Unsubscribe;
  u.topics = {"*"};
  Message p;
  p.op = Op::Publish;
  p.topic = "mailbox.changed";
  p.from = "smtpd[12]";
  p.data = {{"mailbox", 42}, {"note", "caf\xc3\xa9 {[\"]}"}, {"deep", {{"a", {1, {2, 3}}}}}};
  Message q;
  q.topic = "queue.ready";
  return {h, s, u, p, q};
}

std::string sample_stream() {
  std::string stream;
  for (const auto& m : sample_messages()) stream += encode(m);
  return stream;
}

// Feeds `stream` in slices of at most `step` bytes, appending what completes.
std::vector<Message> feed_in_steps(FrameDecoder& d, std::string_view stream, std::size_t step) {
  std::vector<Message> out;
  for (std::size_t i = 0; i < stream.size(); i += step) {
    auto got = d.feed(stream.substr(i, step));
    REQUIRE(got);
    out.insert(out.end(), got->begin(), got->end());
  }
  return out;
}

// The error one decoder reports for `bytes` fed whole.
Error decode_error(std::string_view bytes, std::size_t max_frame = kMaxFrame) {
  FrameDecoder d(max_frame);
  auto got = d.feed(bytes);
  REQUIRE_FALSE(got);
  return got.error();
}

}  // namespace

TEST_CASE("encode writes a big-endian length and the JSON object", "[bus][frame]") {
  Message m;
  m.op = Op::Subscribe;
  m.topics = {"heartbeat"};
  const std::string payload = R"({"op":"subscribe","topics":["heartbeat"]})";
  CHECK(encode(m) == header(static_cast<std::uint32_t>(payload.size())) + payload);
  CHECK(header(0x01020304) == std::string("\x01\x02\x03\x04", 4));
}

TEST_CASE("encode replaces invalid UTF-8 instead of failing", "[bus][frame]") {
  Message m;
  m.topic = "activity";
  m.data = {{"line", "bad \xff byte"}};
  FrameDecoder d;
  auto got = d.feed(encode(m));
  REQUIRE(got);
  REQUIRE(got->size() == 1);
  CHECK(got->front().data["line"] == "bad \xef\xbf\xbd byte");
}

TEST_CASE("encode then decode gives back every op", "[bus][frame]") {
  for (const auto& m : sample_messages()) {
    CAPTURE(to_json(m).dump());
    FrameDecoder d;
    auto got = d.feed(encode(m));
    REQUIRE(got);
    REQUIRE(got->size() == 1);
    CHECK(got->front() == m);
    CHECK(d.buffered() == 0);
  }
}

TEST_CASE("a stream fed whole and byte by byte gives the same messages", "[bus][frame]") {
  const std::string stream = sample_stream();
  FrameDecoder whole;
  auto all = whole.feed(stream);
  REQUIRE(all);
  CHECK(*all == sample_messages());

  for (std::size_t step : {1, 2, 3, 5, 7, 64}) {
    CAPTURE(step);
    FrameDecoder d;
    CHECK(feed_in_steps(d, stream, step) == *all);
    CHECK(d.buffered() == 0);
  }
}

TEST_CASE("a frame split across two feeds at every position", "[bus][frame]") {
  const auto all = sample_messages();
  const std::vector<Message> messages{all[0], all[3], all[1]};
  std::string stream;
  std::vector<std::size_t> ends;  // where each frame ends in the stream
  for (const auto& m : messages) {
    stream += encode(m);
    ends.push_back(stream.size());
  }
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    CAPTURE(cut);
    std::size_t complete = 0;
    while (complete < ends.size() && ends[complete] <= cut) ++complete;
    FrameDecoder d;
    auto a = d.feed(std::string_view(stream).substr(0, cut));
    REQUIRE(a);
    CHECK(a->size() == complete);
    CHECK(d.buffered() == cut - (complete == 0 ? 0 : ends[complete - 1]));
    auto b = d.feed(std::string_view(stream).substr(cut));
    REQUIRE(b);
    a->insert(a->end(), b->begin(), b->end());
    CHECK(*a == messages);
    CHECK(d.buffered() == 0);
  }
}

TEST_CASE("empty feeds are harmless", "[bus][frame]") {
  FrameDecoder d;
  auto got = d.feed("");
  REQUIRE(got);
  CHECK(got->empty());
  REQUIRE(d.feed(std::string_view(encode(sample_messages()[0])).substr(0, 6)));
  REQUIRE(d.feed(""));
  CHECK(d.buffered() == 6);
}

TEST_CASE("an oversized length is rejected at the header", "[bus][frame]") {
  SECTION("default limit, only the header fed") {
    FrameDecoder d;
    REQUIRE(d.feed(header(kMaxFrame + 1).substr(0, 3)));
    auto got = d.feed(header(kMaxFrame + 1).substr(3));
    REQUIRE_FALSE(got);
    CHECK(got.error().code == ErrorCode::TooBig);
    CHECK(got.error().message == "bus frame too large (1048577 bytes, limit 1048576)");
  }
  SECTION("the largest length") {
    Error e = decode_error(header(0xffffffff));
    CHECK(e.code == ErrorCode::TooBig);
    CHECK(e.message == "bus frame too large (4294967295 bytes, limit 1048576)");
  }
  SECTION("a custom limit; a frame of exactly the limit passes") {
    const std::string payload = R"({"op":"publish","topic":"heartbeat"})";
    FrameDecoder d(payload.size());
    auto ok = d.feed(frame(payload));
    REQUIRE(ok);
    CHECK(ok->size() == 1);
    auto got = d.feed(frame(payload + " "));
    REQUIRE_FALSE(got);
    CHECK(got.error().code == ErrorCode::TooBig);
    CHECK(got.error().message == "bus frame too large (37 bytes, limit 36)");
  }
}

TEST_CASE("a zero-length frame is an error", "[bus][frame]") {
  Error e = decode_error(header(0));
  CHECK(e.code == ErrorCode::InvalidInput);
  CHECK(e.message == "bus frame is empty");
}

TEST_CASE("a payload that is not one JSON value is an error", "[bus][frame]") {
  for (std::string_view payload : {"{", "not json", R"({"op":"hello",})", "{} {}",
                                   "{}x", " ", "\"caf\xe9\""}) {
    CAPTURE(payload);
    Error e = decode_error(frame(payload));
    CHECK(e.code == ErrorCode::InvalidInput);
    CHECK(e.message == "bus frame is not valid JSON");
    CHECK_FALSE(e.context.empty());
  }
}

TEST_CASE("a valid JSON payload that is not a valid message is an error", "[bus][frame]") {
  Error e = decode_error(frame(R"({"op":"publish","data":{}})"));
  CHECK(e.code == ErrorCode::InvalidInput);
  CHECK(e.message == R"(bus message: missing field "topic")");
  e = decode_error(frame(R"({"op":"publish","topic":"a.*"})"));
  CHECK(e.message == R"(bus message: invalid topic "a.*")");
  e = decode_error(frame("[]"));
  CHECK(e.message == "bus message: not a JSON object");
}

TEST_CASE("nesting is limited to kMaxDepth", "[bus][frame]") {
  auto nested = [](std::size_t depth) {  // the message object is level 1, data level 2
    std::string data;
    for (std::size_t i = 2; i < depth; ++i) data += "[";
    data += "1";
    for (std::size_t i = 2; i < depth; ++i) data += "]";
    return R"({"op":"publish","topic":"a","data":{"x":)" + data + "}}";
  };
  FrameDecoder d;
  auto ok = d.feed(frame(nested(kMaxDepth)));
  REQUIRE(ok);
  CHECK(ok->size() == 1);

  Error e = decode_error(frame(nested(kMaxDepth + 1)));
  CHECK(e.code == ErrorCode::InvalidInput);
  CHECK(e.message == "bus frame nests deeper than 64");

  // Brackets inside strings, escaped quotes included, do not count.
  std::string brackets(200, '[');
  auto in_string = d.feed(frame(R"({"op":"publish","topic":"a","data":{"s":"\")" + brackets +
                                R"("}})"));
  REQUIRE(in_string);
  CHECK(in_string->front().data["s"] == "\"" + brackets);
}

TEST_CASE("a poisoned decoder stays poisoned", "[bus][frame]") {
  const std::string good = encode(sample_messages()[0]);
  FrameDecoder d;
  // The good frame before the bad one is dropped along with the feed.
  auto first = d.feed(good + frame("{oops"));
  REQUIRE_FALSE(first);
  CHECK(first.error().message == "bus frame is not valid JSON");
  for (int i = 0; i < 3; ++i) {
    auto again = d.feed(good);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == first.error().code);
    CHECK(again.error().message == first.error().message);
  }
  auto empty = d.feed("");
  CHECK_FALSE(empty);

  FrameDecoder big(16);
  REQUIRE_FALSE(big.feed(header(17)));
  auto later = big.feed(frame("{}"));
  REQUIRE_FALSE(later);
  CHECK(later.error().code == ErrorCode::TooBig);
}
