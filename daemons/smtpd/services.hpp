// What every smtpd session shares: the loop, the database executor, the
// directory snapshot (routing, access rules, settings), the TLS context, the
// bus, and the fixed limits (the configurable ones are settings in the
// directory snapshot). Owned by main; sessions hold a reference.
#pragma once

#include <memory>
#include <string>

#include "libcore/bus/client.hpp"
#include "libcore/db/executor.hpp"
#include "libcore/directory/directory.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/net/connection.hpp"
#include "libcore/tls/context.hpp"
#include "proto/smtp/session.hpp"

namespace pillarbox::smtpd {

struct Services {
  event::Loop& loop;
  db::Executor& db;
  directory::Directory& directory;
  bus::Client& bus;
  std::shared_ptr<tls::Context> tls;  // null: no STARTTLS, no smtps
  std::string hostname;
  smtp::Limits limits;
  net::ConnectionLimits connection_limits;  // idle timeout, output bound
};

}  // namespace pillarbox::smtpd
