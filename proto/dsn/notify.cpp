// NOTIFY parsing and report selection (see notify.hpp). RFC 3461 §4.1:
//   notify-esmtp-value = "NEVER" / 1#notify-list-element
//   notify-list-element = "SUCCESS" / "FAILURE" / "DELAY"
#include "proto/dsn/notify.hpp"

#include <string>

#include "proto/mime/text_util.hpp"

namespace pillarbox::dsn {

Notify default_notify() {
  Notify n;
  n.failure = true;
  n.delay = true;
  return n;
}

Expected<Notify> parse_notify(std::string_view value) {
  if (value.empty()) return default_notify();
  Notify n;
  n.specified = true;
  if (mime::iequals(value, "NEVER")) return n;
  std::size_t pos = 0;
  while (true) {
    const std::size_t comma = value.find(',', pos);
    const std::string_view item =
        value.substr(pos, comma == std::string_view::npos ? comma : comma - pos);
    bool* flag = nullptr;
    if (mime::iequals(item, "SUCCESS")) {
      flag = &n.success;
    } else if (mime::iequals(item, "FAILURE")) {
      flag = &n.failure;
    } else if (mime::iequals(item, "DELAY")) {
      flag = &n.delay;
    }
    if (flag == nullptr) {
      // NEVER inside a list lands here too: RFC 3461 allows it only alone.
      return fail(ErrorCode::InvalidInput, "invalid NOTIFY value",
                  "NOTIFY=" + std::string(value) + ": bad item \"" + std::string(item) + "\"");
    }
    if (*flag) {
      return fail(ErrorCode::InvalidInput, "invalid NOTIFY value",
                  "NOTIFY=" + std::string(value) + ": \"" + std::string(item) + "\" repeated");
    }
    *flag = true;
    if (comma == std::string_view::npos) return n;
    pos = comma + 1;
  }
}

bool wants(const Notify& notify, ReportKind kind) {
  switch (kind) {
    case ReportKind::Failure: return notify.failure;
    case ReportKind::Delay: return notify.delay;
    case ReportKind::Success: return notify.success;
  }
  return false;
}

ReportKind kind_of(Action action) {
  switch (action) {
    case Action::Failed: return ReportKind::Failure;
    case Action::Delayed: return ReportKind::Delay;
    case Action::Delivered:
    case Action::Relayed:
    case Action::Expanded: return ReportKind::Success;
  }
  return ReportKind::Failure;
}

bool wants_report(std::string_view notify_value, Action action) {
  const auto parsed = parse_notify(notify_value);
  return wants(parsed ? *parsed : default_notify(), kind_of(action));
}

}  // namespace pillarbox::dsn
