// PCRE2 wrapper for "/pattern/flags". Match data and the match context are
// made per call: search() stays const and thread-safe, and addresses are short.
#include "libcore/match/regex.hpp"

namespace pillarbox::match {
namespace {

using CompileContext = CPtr<pcre2_compile_context, pcre2_compile_context_free>;
using MatchContext = CPtr<pcre2_match_context, pcre2_match_context_free>;
using MatchData = CPtr<pcre2_match_data, pcre2_match_data_free>;

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  const int n = pcre2_get_error_message(code, buffer, sizeof buffer);
  if (n < 0) return "error " + std::to_string(code);
  return std::string(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
}

}  // namespace

Expected<Regex> Regex::compile(std::string_view slashed) {
  const std::string label = "regex " + std::string(slashed);
  const size_t last = slashed.rfind('/');
  if (slashed.empty() || slashed.front() != '/' || last == 0 || last == std::string_view::npos) {
    return fail(ErrorCode::InvalidInput, label + ": must be written /pattern/flags");
  }
  const std::string_view body = slashed.substr(1, last - 1);
  if (body.size() > kMaxPatternLength) {
    return fail(ErrorCode::InvalidInput, label.substr(0, 40) + "...: longer than " +
                                             std::to_string(kMaxPatternLength) + " bytes");
  }
  // UTF mode, but an address with broken UTF-8 must still be matchable;
  // \C could split a character, so it is refused.
  uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
  for (char flag : slashed.substr(last + 1)) {
    switch (flag) {
      case 'i': options |= PCRE2_CASELESS; break;
      case 's': options |= PCRE2_DOTALL; break;
      case 'm': options |= PCRE2_MULTILINE; break;
      default:
        return fail(ErrorCode::InvalidInput,
                    label + ": unknown flag '" + std::string(1, flag) + "' (use i, s or m)");
    }
  }
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  Code code(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(body.data()), body.size(), options,
                          &error_code, &error_offset, nullptr));
  if (!code) {
    return fail(ErrorCode::InvalidInput,
                label + ": " + pcre2_message(error_code) + " at offset " + std::to_string(error_offset));
  }
  return Regex(std::string(slashed), std::move(code));
}

bool Regex::search(std::string_view text) const {
  MatchContext context(pcre2_match_context_create(nullptr));
  MatchData data(pcre2_match_data_create(1, nullptr));
  if (!context || !data) return false;
  pcre2_set_match_limit(context.get(), kMatchLimit);
  pcre2_set_depth_limit(context.get(), kDepthLimit);
  pcre2_set_heap_limit(context.get(), kHeapLimitKiB);
  const int rc = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0,
                             data.get(), context.get());
  return rc >= 0;  // 0: matched, the (unused) capture vector was too small
}

}  // namespace pillarbox::match
