// What the master does once for a fresh database: an administrator with a
// generated password, the "default for your LAN" access rules from the host's
// interfaces, and the host name as the first local domain (store::initial_setup
// does the work; this file decides what the defaults are).
#pragma once

#include <string>

#include <pqxx/connection>

#include "libcore/access/lan_rules.hpp"
#include "libcore/base/expected.hpp"
#include "libcore/store/setup.hpp"

namespace pillarbox::master {

// The rules each service starts with, for a host on `lan`:
//  - pop3, imap, admin: the LAN rules as they are (gateways denied, loopback
//    and the local networks allowed, everything else denied);
//  - smtp: the same without the final "deny everything else" and without the
//    gateway denials, so that mail from the Internet still arrives while the
//    LAN (an ALLOW rule) may relay;
//  - submission: none (everyone may connect; AUTH is required there anyway).
store::InitialSetup default_setup(const access::LanInfo& lan, const std::string& hostname);

// Runs the set-up when the database has not had it. Reads the interfaces itself.
Expected<store::SetupDone> first_start(pqxx::connection& conn, const std::string& hostname,
                                       std::string& admin_password);

}  // namespace pillarbox::master
