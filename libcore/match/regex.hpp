// Regular expressions written "/pattern/flags" (admin guide 3.3) on PCRE2 in
// UTF mode: NOT anchored, case-sensitive unless flag i; s lets '.' match
// newlines, m makes ^/$ match at line breaks. Follows PCRE2, not the guide's
// loose prose (its '.' "except space characters" is not what PCRE does).
#pragma once

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"
#include "libcore/base/owner.hpp"

namespace pillarbox::match {

// Matching runs under match, depth and heap limits: a pattern that would take
// too long simply does not match. Compiled code is immutable, so search() is
// safe from several threads at once. Move-only (owns the pcre2_code).
class Regex {
 public:
  // "/x(/" -> InvalidInput "regex /x(/: missing closing parenthesis at offset 2";
  // also InvalidInput for a missing slash, an unknown flag or a pattern over
  // kMaxPatternLength bytes.
  static Expected<Regex> compile(std::string_view slashed);

  // True when the pattern matches anywhere in `text`. Invalid UTF-8 in the
  // text is allowed (it never matches a character); hitting a resource limit
  // counts as no match.
  bool search(std::string_view text) const;

  const std::string& text() const { return text_; }

  static constexpr size_t kMaxPatternLength = 4096;
  static constexpr uint32_t kMatchLimit = 100000;  // backtracking steps
  static constexpr uint32_t kDepthLimit = 1000;    // nested backtracking
  static constexpr uint32_t kHeapLimitKiB = 4096;

 private:
  using Code = CPtr<pcre2_code, pcre2_code_free>;
  Regex(std::string text, Code code) : text_(std::move(text)), code_(std::move(code)) {}

  std::string text_;
  Code code_;
};

}  // namespace pillarbox::match
