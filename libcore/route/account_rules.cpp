// Time windows, size rules and assistant checks (see account_rules.hpp).
#include "libcore/route/account_rules.hpp"

#include "libcore/match/pattern.hpp"
#include "libcore/match/text.hpp"

namespace pillarbox::route {

bool window_open(const Window& window, int date, int minute) {
  if (window.from_date && date < *window.from_date) return false;
  if (window.to_date && date > *window.to_date) return false;
  if (!window.from_minute && !window.to_minute) return true;
  const int from = window.from_minute.value_or(0);
  const int to = window.to_minute.value_or(24 * 60 - 1);
  if (from <= to) return from <= minute && minute <= to;
  return minute >= from || minute <= to;
}

bool size_rule_applies(const SizeRule& rule, uint64_t size) {
  if (rule.addresses.empty() || rule.kilobytes < 0) return false;
  const uint64_t limit = static_cast<uint64_t>(rule.kilobytes) * 1024;
  return rule.at_least ? size >= limit : size <= limit;
}

std::vector<std::string> split_entries(const std::vector<std::string>& entries) {
  std::vector<std::string> out;
  for (const std::string& entry : entries) {
    size_t start = 0;
    while (start <= entry.size()) {
      size_t end = entry.find_first_of(";,\n", start);
      if (end == std::string::npos) end = entry.size();
      std::string_view item(entry.data() + start, end - start);
      while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t' || item.back() == '\r')) {
        item.remove_suffix(1);
      }
      if (!item.empty()) out.emplace_back(item);
      start = end + 1;
    }
  }
  return out;
}

bool sender_is_assistant(std::string_view sender, const std::vector<std::string>& assistants,
                         const std::vector<std::string>& routing_domains) {
  if (sender.empty()) return false;
  const match::AddressParts from = match::split_address(sender);
  for (const std::string& assistant : split_entries(assistants)) {
    if (assistant.find('@') != std::string::npos) {
      if (match::iequals(assistant, sender)) return true;
    } else if (from.has_at && match::iequals(assistant, from.local) &&
               match::domain_listed(from.domain, routing_domains)) {
      return true;
    }
  }
  return false;
}

}  // namespace pillarbox::route
