// Helpers shared by the IMAP parser tests: parse a command that must
// succeed or must fail, with the input in the failure message.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "proto/imap/parser.hpp"

namespace imap_test {

inline pillarbox::imap::Command parse_ok(std::string_view text) {
  auto cmd = pillarbox::imap::parse_command(text);
  INFO(std::string(text) << ": " << (cmd ? std::string() : cmd.error().message));
  REQUIRE(cmd.ok());
  return *cmd;
}

inline std::string parse_error(std::string_view text) {
  auto cmd = pillarbox::imap::parse_command(text);
  INFO(std::string(text));
  REQUIRE_FALSE(cmd.ok());
  CHECK(cmd.error().code == pillarbox::ErrorCode::InvalidInput);
  return cmd.error().message;
}

}  // namespace imap_test
