// Service names for the store and the CLI.
#include "libcore/access/service.hpp"

#include <array>
#include <string>

namespace pillarbox::access {
namespace {

constexpr std::array kAll = {Service::Global, Service::Smtp, Service::Submission,
                             Service::Pop3,   Service::Imap, Service::Admin};

bool same_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(Service service) {
  switch (service) {
    case Service::Global: return "global";
    case Service::Smtp: return "smtp";
    case Service::Submission: return "submission";
    case Service::Pop3: return "pop3";
    case Service::Imap: return "imap";
    case Service::Admin: return "admin";
  }
  return "unknown";
}

Expected<Service> parse_service(std::string_view text) {
  for (Service s : kAll) {
    if (same_ascii(text, to_string(s))) return s;
  }
  return fail(ErrorCode::InvalidInput, "unknown service \"" + std::string(text) +
                                           "\" (expected global, smtp, submission, pop3, imap or admin)");
}

bool allows_no_auth(Service service) { return service == Service::Smtp || service == Service::Submission; }

}  // namespace pillarbox::access
