// pillarbox route list|show|add|edit|del and route relay add|edit|del: the
// outgoing routes senderd follows (REQUIREMENTS.md §7). Rules and messages
// are the store's; this file reads the options, seals AUTH passwords with the
// server key (as `account apop` does) and never prints one: `route show`
// says "auth: USER (password set)". No routes, or none for some mail, means
// that mail is not sent, and the listing says so.
#include <algorithm>
#include <limits>

#include "daemons/cli/command.hpp"
#include "daemons/cli/context.hpp"
#include "daemons/cli/output.hpp"
#include "daemons/cli/password_input.hpp"
#include "libcore/crypto/secret_box.hpp"
#include "libcore/store/outgoing_routes.hpp"
#include "libcore/store/validate.hpp"

namespace pillarbox::cli {
namespace {

using route::OutgoingMethod;
using route::OutgoingRelay;
using route::OutgoingRoute;
using route::RelayTls;

constexpr int kImplicitTlsPort = 465;

std::string in_quotes(const std::string& text) { return "'" + text + "'"; }

std::string address_of(const OutgoingRelay& l) { return store::format_relay_address(l.host, l.port); }

nlohmann::json to_json(const OutgoingRelay& l) {
  return {{"position", l.position},
          {"host", l.host},
          {"port", l.port},
          {"tls", store::to_string(l.tls)},
          {"auth_user", l.auth_user},
          {"password_set", !l.sealed_password.empty()}};
}

nlohmann::json to_json(const OutgoingRoute& r) {
  nlohmann::json relays = nlohmann::json::array();
  for (const auto& l : r.relays) relays.push_back(to_json(l));
  return {{"id", r.id},
          {"name", r.name},
          {"position", r.position},
          {"enabled", r.enabled},
          {"sender_pattern", r.sender_pattern},
          {"domain_pattern", r.domain_pattern},
          {"method", store::to_string(r.method)},
          {"relays", relays},
          {"created_at", r.created_at}};
}

std::string auth_text(const OutgoingRelay& l) {
  return l.auth_user.empty() ? "auth: none" : "auth: " + l.auth_user + " (password set)";
}

bool only_stars(const std::string& pattern) { return pattern.find_first_not_of('*') == std::string::npos; }

// What `route list` adds under the table: when some or all mail is not sent.
std::string coverage_note(const std::vector<OutgoingRoute>& routes) {
  const bool any = std::any_of(routes.begin(), routes.end(), [](const auto& r) { return r.enabled; });
  if (!any) {
    return std::string(routes.empty() ? "no outgoing routes" : "no enabled outgoing route") +
           ": mail to remote recipients is not sent (add one with 'pillarbox route add')\n";
  }
  const bool catch_all = std::any_of(routes.begin(), routes.end(), [](const auto& r) {
    return r.enabled && only_stars(r.sender_pattern) && only_stars(r.domain_pattern);
  });
  return catch_all ? "" : "note: no enabled route takes every sender and domain: mail that matches none is not sent\n";
}

Expected<int> position_from(const Args& args) {
  auto text = args.value("position");
  if (!text) return 0;
  auto n = parse_number(*text, 1, std::numeric_limits<int>::max());
  if (!n) return fail(ErrorCode::InvalidInput, "invalid position '" + *text + "': use a number from 1");
  return static_cast<int>(*n);
}

Expected<RelayTls> tls_from(const std::string& text) {
  auto tls = store::parse_relay_tls(text);
  if (!tls) {
    return fail(ErrorCode::InvalidInput,
                "invalid relay TLS mode '" + text + "': use none, starttls, opportunistic or implicit");
  }
  return *tls;
}

// The options that describe AUTH must come together; a usage message, or "".
std::string auth_usage(const Args& args) {
  if (args.has("auth-user") && !args.has("password-stdin")) return "--auth-user needs --password-stdin";
  if (args.has("password-stdin") && !args.has("auth-user")) return "--password-stdin needs --auth-user";
  return "";
}

// The relay the words describe, checked, with a placeholder for a password
// still to be read. TLS defaults: implicit on port 465, starttls (required)
// with AUTH, otherwise opportunistic.
Expected<OutgoingRelay> relay_from(const std::string& address, const Args& args) {
  auto parsed = store::parse_relay_address(address);
  if (!parsed) return Unexpected{parsed.error()};
  OutgoingRelay relay;
  relay.host = parsed->host;
  relay.port = parsed->port;
  relay.auth_user = args.value_or("auth-user", "");
  if (!relay.auth_user.empty()) relay.sealed_password = "(to be read)";
  if (auto text = args.value("tls")) {
    auto tls = tls_from(*text);
    if (!tls) return Unexpected{tls.error()};
    relay.tls = *tls;
  } else if (relay.port == kImplicitTlsPort) {
    relay.tls = RelayTls::Implicit;
  } else if (!relay.auth_user.empty()) {
    relay.tls = RelayTls::StartTls;
  }
  if (auto ok = store::check_relay(relay); !ok) return Unexpected{ok.error()};
  return relay;
}

// Reads the AUTH password of `relay` and seals it (the key first: no typing
// for nothing). Without an AUTH user there is nothing to read.
Expected<void> read_sealed_password(Context& ctx, OutgoingRelay& relay) {
  if (relay.auth_user.empty()) return {};
  auto key = ctx.server_key();
  if (!key) return Unexpected{key.error()};
  auto password = read_new_password(relay.auth_user + " at " + address_of(relay));
  if (!password) return Unexpected{password.error()};
  relay.sealed_password = crypto::seal(*key, *password);
  return {};
}

// RELAY: a position, or HOST[:PORT] (without a port, the only relay on HOST).
Expected<int> relay_position(const OutgoingRoute& r, const std::string& text) {
  if (auto n = parse_number(text, 1, std::numeric_limits<int>::max())) return static_cast<int>(*n);
  auto parsed = store::parse_relay_address(text);
  if (!parsed) return Unexpected{parsed.error()};
  const bool has_port = text.find("]:") != std::string::npos ||
                        (text.front() != '[' && std::count(text.begin(), text.end(), ':') == 1);
  std::vector<int> found;
  for (const auto& l : r.relays) {
    if (store::to_lower(l.host) == store::to_lower(parsed->host) && (!has_port || l.port == parsed->port))
      found.push_back(l.position);
  }
  if (found.size() == 1) return found.front();
  if (found.empty()) return fail(ErrorCode::NotFound, "outgoing route " + in_quotes(r.name) + " has no relay " + text);
  return fail(ErrorCode::InvalidInput, "outgoing route " + in_quotes(r.name) + " has " + std::to_string(found.size()) +
                                           " relays on " + text + ": give HOST:PORT or the position");
}

// ---------------------------------------------------------------- routes

Outcome route_list(Context& ctx, const Args&) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto routes = store::list_outgoing_routes(**db);
  if (!routes) return failed(routes);
  nlohmann::json doc = nlohmann::json::array();
  Table table({"POS", "NAME", "ENABLED", "SENDER", "DOMAIN", "METHOD", "RELAYS"});
  for (const auto& r : *routes) {
    doc.push_back(to_json(r));
    std::vector<std::string> relays;
    for (const auto& l : r.relays) relays.push_back(address_of(l));
    table.add({std::to_string(r.position), r.name, yes_no(r.enabled), r.sender_pattern, r.domain_pattern,
               std::string(store::to_string(r.method)), or_dash(join(relays, ", "))});
  }
  ctx.print(doc, (routes->empty() ? "" : table.render()) + coverage_note(*routes));
  return Outcome::ok();
}

Outcome route_show(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto r = store::get_outgoing_route(**db, args.positional[0]);
  if (!r) return failed(r);
  std::string text = "route     " + r->name + "\nposition  " + std::to_string(r->position) + "\nenabled   " +
                     yes_no(r->enabled) + "\nsender    " + r->sender_pattern + "\ndomain    " + r->domain_pattern +
                     "\n";
  if (r->method == OutgoingMethod::Mx) {
    text += "method    mx (directly to each recipient domain's MX hosts)\n";
  } else {
    text += "method    relay (tried in order, the next when one fails)\nrelays    " +
            std::to_string(r->relays.size()) + "\n";
    for (const auto& l : r->relays) {
      text += "  " + std::to_string(l.position) + ". " + address_of(l) + "  tls " +
              std::string(store::to_string(l.tls)) + "  " + auth_text(l) + "\n";
    }
    if (r->relays.empty()) text += "  (none: mail this route takes is not sent)\n";
  }
  ctx.print(to_json(*r), text);
  return Outcome::ok();
}

Outcome route_add(Context& ctx, const Args& args) {
  const bool mx = args.has("mx");
  const auto relay_address = args.value("relay");
  if (mx && relay_address) return Outcome::usage("give --relay or --mx, not both");
  if (!mx && !relay_address) return Outcome::usage("give --relay HOST[:PORT] or --mx");
  if (mx && (args.has("tls") || args.has("auth-user") || args.has("password-stdin")))
    return Outcome::usage("--tls, --auth-user and --password-stdin go with --relay");
  if (auto usage = auth_usage(args); !usage.empty()) return Outcome::usage(usage);

  OutgoingRoute r;
  r.name = args.positional[0];
  r.method = mx ? OutgoingMethod::Mx : OutgoingMethod::Relay;
  r.sender_pattern = args.value_or("sender", "*");
  r.domain_pattern = args.value_or("domain", "*");
  r.enabled = !args.has("disabled");
  auto position = position_from(args);
  if (!position) return failed(position);
  r.position = *position;
  // Every rule that needs no database is checked before a password is typed.
  if (auto ok = store::check_route_name(r.name); !ok) return failed(ok);
  if (auto ok = store::check_sender_pattern(r.sender_pattern); !ok) return failed(ok);
  if (auto ok = store::check_domain_pattern(r.domain_pattern); !ok) return failed(ok);
  if (relay_address) {
    auto relay = relay_from(*relay_address, args);
    if (!relay) return failed(relay);
    if (auto ok = read_sealed_password(ctx, *relay); !ok) return failed(ok);
    r.relays.push_back(*relay);
  }
  auto db = ctx.db();
  if (!db) return failed(db);
  auto added = store::create_outgoing_route(**db, r);
  if (!added) return failed(added);
  std::string text = "added outgoing route " + in_quotes(added->name) + " at position " +
                     std::to_string(added->position) + ": ";
  if (added->method == OutgoingMethod::Mx) {
    text += "directly by MX\nnote: direct delivery needs this server's host name to be a real FQDN with matching "
            "reverse DNS, or many receivers refuse the mail\n";
  } else {
    text += "through relay " + address_of(added->relays.front()) + "\n";
  }
  ctx.print(to_json(*added), text);
  return Outcome::ok();
}

Outcome route_edit(Context& ctx, const Args& args) {
  store::OutgoingRouteChanges changes;
  if (args.has("enable") && args.has("disable")) return Outcome::usage("give --enable or --disable, not both");
  if (args.has("enable")) changes.enabled = true;
  if (args.has("disable")) changes.enabled = false;
  changes.name = args.value("rename");
  changes.sender_pattern = args.value("sender");
  changes.domain_pattern = args.value("domain");
  auto position = position_from(args);
  if (!position) return failed(position);
  if (*position != 0) changes.position = *position;
  if (!changes.enabled && !changes.name && !changes.sender_pattern && !changes.domain_pattern && !changes.position)
    return Outcome::usage("nothing to change: give --sender, --domain, --position, --rename, --enable or --disable");
  auto db = ctx.db();
  if (!db) return failed(db);
  auto changed = store::update_outgoing_route(**db, args.positional[0], changes);
  if (!changed) return failed(changed);
  ctx.print(to_json(*changed), "changed outgoing route " + in_quotes(changed->name));
  return Outcome::ok();
}

Outcome route_del(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  const std::string& name = args.positional[0];
  auto done = store::delete_outgoing_route(**db, name);
  if (!done) return failed(done);
  ctx.print({{"deleted", {{"name", name}}}}, "deleted outgoing route " + in_quotes(name));
  return Outcome::ok();
}

// ---------------------------------------------------------------- relays

Outcome relay_add(Context& ctx, const Args& args) {
  if (auto usage = auth_usage(args); !usage.empty()) return Outcome::usage(usage);
  auto relay = relay_from(args.positional[1], args);
  if (!relay) return failed(relay);
  auto position = position_from(args);
  if (!position) return failed(position);
  relay->position = *position;
  auto db = ctx.db();
  if (!db) return failed(db);
  // An unknown or mx route fails before anyone types a password for it.
  auto r = store::get_outgoing_route(**db, args.positional[0]);
  if (!r) return failed(r);
  if (r->method == OutgoingMethod::Mx)
    return Outcome::failed("outgoing route " + in_quotes(r->name) + " delivers by MX: it takes no relays");
  if (auto ok = read_sealed_password(ctx, *relay); !ok) return failed(ok);
  auto added = store::add_outgoing_relay(**db, r->name, *relay);
  if (!added) return failed(added);
  nlohmann::json doc = to_json(*added);
  doc["route"] = r->name;
  ctx.print(doc, "added relay " + address_of(*added) + " to outgoing route " + in_quotes(r->name) + " at position " +
                     std::to_string(added->position));
  return Outcome::ok();
}

Outcome relay_edit(Context& ctx, const Args& args) {
  if (args.has("no-auth") && (args.has("auth-user") || args.has("password-stdin")))
    return Outcome::usage("give --auth-user or --no-auth, not both");
  if (auto usage = auth_usage(args); !usage.empty()) return Outcome::usage(usage);
  if (!args.has("tls") && !args.has("auth-user") && !args.has("no-auth"))
    return Outcome::usage("nothing to change: give --tls, --auth-user with --password-stdin, or --no-auth");
  store::OutgoingRelayChanges changes;
  if (auto text = args.value("tls")) {
    auto tls = tls_from(*text);
    if (!tls) return failed(tls);
    changes.tls = *tls;
  }
  auto db = ctx.db();
  if (!db) return failed(db);
  auto r = store::get_outgoing_route(**db, args.positional[0]);
  if (!r) return failed(r);
  auto position = relay_position(*r, args.positional[1]);
  if (!position) return failed(position);
  if (args.has("no-auth")) changes.auth = store::OutgoingRelayChanges::Auth{};
  if (auto user = args.value("auth-user")) {
    auto at = [&](const OutgoingRelay& l) { return l.position == *position; };
    auto found = std::find_if(r->relays.begin(), r->relays.end(), at);
    if (found == r->relays.end()) {
      return Outcome::failed("outgoing route " + in_quotes(r->name) + " has no relay at position " +
                             std::to_string(*position));
    }
    // Checked with the new settings before the password is typed.
    OutgoingRelay relay = *found;
    relay.auth_user = *user;
    relay.sealed_password = "(to be read)";
    if (changes.tls) relay.tls = *changes.tls;
    if (auto ok = store::check_relay(relay); !ok) return failed(ok);
    if (auto ok = read_sealed_password(ctx, relay); !ok) return failed(ok);
    changes.auth = store::OutgoingRelayChanges::Auth{relay.auth_user, relay.sealed_password};
  }
  auto changed = store::update_outgoing_relay(**db, r->name, *position, changes);
  if (!changed) return failed(changed);
  nlohmann::json doc = to_json(*changed);
  doc["route"] = r->name;
  ctx.print(doc, "changed relay " + address_of(*changed) + " of outgoing route " + in_quotes(r->name) + ": tls " +
                     std::string(store::to_string(changed->tls)) + ", " + auth_text(*changed));
  return Outcome::ok();
}

Outcome relay_del(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto r = store::get_outgoing_route(**db, args.positional[0]);
  if (!r) return failed(r);
  auto position = relay_position(*r, args.positional[1]);
  if (!position) return failed(position);
  std::string address = args.positional[1];
  for (const auto& l : r->relays)
    if (l.position == *position) address = address_of(l);
  auto done = store::delete_outgoing_relay(**db, r->name, *position);
  if (!done) return failed(done);
  ctx.print({{"deleted", {{"route", r->name}, {"relay", address}}}},
            "deleted relay " + address + " from outgoing route " + in_quotes(r->name));
  return Outcome::ok();
}

}  // namespace

std::vector<Command> route_commands() {
  const std::vector<OptionSpec> relay_options = {
      {"tls", OptionKind::Value}, {"auth-user", OptionKind::Value}, {"password-stdin"}};
  auto with = [&](std::vector<OptionSpec> more) {
    more.insert(more.begin(), relay_options.begin(), relay_options.end());
    return more;
  };
  return {
      {"route list", {}, {}, "",
       "Lists the outgoing routes in the order they are checked. For each remote recipient the\n"
       "first enabled route whose sender and domain patterns match sends the mail; mail no route\n"
       "matches is not sent.",
       route_list},
      {"route show", {"NAME"}, {}, "NAME",
       "Shows one outgoing route and its relays (AUTH passwords are never shown).", route_show},
      {"route add", {"NAME"},
       with({{"relay", OptionKind::Value}, {"mx"}, {"sender", OptionKind::Value}, {"domain", OptionKind::Value},
             {"position", OptionKind::Value}, {"disabled"}}),
       "NAME (--relay HOST[:PORT] [--tls none|starttls|opportunistic|implicit] [--auth-user USER --password-stdin]"
       " | --mx) [--sender PATTERN] [--domain PATTERN] [--position N] [--disabled]",
       "Adds an outgoing route at position N (default: last). --relay: send through this host\n"
       "(port 25 by default; add more with 'route relay add'); --tls defaults to implicit on port\n"
       "465, starttls (required) with --auth-user, else opportunistic. --auth-user: SMTP AUTH, the\n"
       "password read from standard input and stored sealed with the server key; AUTH needs\n"
       "starttls or implicit. --mx: deliver directly to each recipient domain's MX hosts.\n"
       "--sender: wildcard on the envelope sender (*@sales.example.com; <> the null sender);\n"
       "--domain: wildcard on the recipient's domain. Both default to * (any).",
       route_add},
      {"route edit", {"NAME"},
       {{"sender", OptionKind::Value}, {"domain", OptionKind::Value}, {"position", OptionKind::Value},
        {"rename", OptionKind::Value}, {"enable"}, {"disable"}},
       "NAME [--sender PATTERN] [--domain PATTERN] [--position N] [--rename NEW] [--enable|--disable]",
       "Changes an outgoing route. --position moves it; the routes between close up.", route_edit},
      {"route del", {"NAME"}, {}, "NAME", "Deletes an outgoing route and its relays; the later ones move up.",
       route_del},
      {"route relay add", {"NAME", "HOST[:PORT]"}, with({{"position", OptionKind::Value}}),
       "NAME HOST[:PORT] [--tls MODE] [--auth-user USER --password-stdin] [--position N]",
       "Adds a relay to a relay route at position N (default: last). Relays are tried in order:\n"
       "the next when one cannot be reached or fails temporarily. Defaults as for 'route add'.",
       relay_add},
      {"route relay edit", {"NAME", "RELAY"}, with({{"no-auth"}}),
       "NAME RELAY [--tls MODE] [--auth-user USER --password-stdin | --no-auth]",
       "Changes the TLS mode or the SMTP AUTH of a relay. RELAY: its position or HOST[:PORT].", relay_edit},
      {"route relay del", {"NAME", "RELAY"}, {}, "NAME RELAY",
       "Deletes a relay (its position or HOST[:PORT]); the last relay of a route cannot go.", relay_del},
  };
}

}  // namespace pillarbox::cli
