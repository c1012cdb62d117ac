// pillarbox forward set|show and assistant set|show: per-account forwarding
// and assistants (admin guide 4.5), copy or --redirect. The time window is
// kept as stored (set it through the admin API); `set ACCOUNT --off` alone
// only switches the rule off, keeping its addresses for later.
#include <cstdio>

#include "daemons/cli/command.hpp"
#include "daemons/cli/context.hpp"
#include "daemons/cli/output.hpp"
#include "libcore/store/forwarding.hpp"

namespace pillarbox::cli {
namespace {

nlohmann::json optional_json(const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json to_json(const std::string& account, const store::Forwarding& f) {
  return {{"account", account},
          {"enabled", f.enabled},
          {"redirect", f.redirect},
          {"addresses", f.addresses},
          {"window",
           {{"from_date", optional_json(f.window.from_date)},
            {"to_date", optional_json(f.window.to_date)},
            {"from_minute", optional_json(f.window.from_minute)},
            {"to_minute", optional_json(f.window.to_minute)}}}};
}

std::string day_time(const std::optional<int>& date, const std::optional<int>& minute) {
  std::string out = date ? std::to_string(*date) : "";
  if (minute) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", *minute / 60 % 100, *minute % 60);
    out += (out.empty() ? "" : " ") + std::string(buf);
  }
  return out.empty() ? "open" : out;
}

std::string describe(const char* what, const std::string& account, const store::Forwarding& f) {
  const auto& w = f.window;
  const bool windowed = w.from_date || w.to_date || w.from_minute || w.to_minute;
  return std::string(what) + " of " + account + ": " + (f.enabled ? "on" : "off") + ", " +
         (f.redirect ? "redirect (no local copy)" : "copy") + "\naddresses: " + or_dash(join(f.addresses, "; ")) +
         "\nwindow: " +
         (windowed ? day_time(w.from_date, w.from_minute) + " to " + day_time(w.to_date, w.to_minute) : "always");
}

Outcome forwarding_set(Context& ctx, const Args& args, store::ForwardKind kind, const char* what) {
  const std::string& account = args.positional[0];
  const bool off = args.has("off");
  if (!args.has("to") && !off) return Outcome::usage("give --to ADDR[;ADDR...] or --off");
  auto db = ctx.db();
  if (!db) return failed(db);
  auto current = store::get_forwarding(**db, account, kind);
  if (!current) return failed(current);
  store::Forwarding f = *current;
  f.enabled = !off;
  if (args.has("to")) {
    f.addresses.clear();
    for (const auto& v : args.values("to")) {
      auto parts = split_list(v);
      f.addresses.insert(f.addresses.end(), parts.begin(), parts.end());
    }
    f.redirect = args.has("redirect");
  } else if (args.has("redirect")) {
    f.redirect = true;
  }
  if (f.enabled && f.addresses.empty()) return Outcome::failed("no addresses: give --to ADDR[;ADDR...]");
  auto done = store::set_forwarding(**db, account, kind, f);
  if (!done) return failed(done);
  ctx.print(to_json(account, f), describe(what, account, f));
  return Outcome::ok();
}

Outcome forwarding_show(Context& ctx, const Args& args, store::ForwardKind kind, const char* what) {
  const std::string& account = args.positional[0];
  auto db = ctx.db();
  if (!db) return failed(db);
  auto f = store::get_forwarding(**db, account, kind);
  if (!f) return failed(f);
  ctx.print(to_json(account, *f), describe(what, account, *f));
  return Outcome::ok();
}

Outcome forward_set(Context& ctx, const Args& a) {
  return forwarding_set(ctx, a, store::ForwardKind::Forward, "forwarding");
}
Outcome forward_show(Context& ctx, const Args& a) {
  return forwarding_show(ctx, a, store::ForwardKind::Forward, "forwarding");
}
Outcome assistant_set(Context& ctx, const Args& a) {
  return forwarding_set(ctx, a, store::ForwardKind::Assistant, "assistants");
}
Outcome assistant_show(Context& ctx, const Args& a) {
  return forwarding_show(ctx, a, store::ForwardKind::Assistant, "assistants");
}

std::vector<OptionSpec> set_options() { return {{"to", OptionKind::Value}, {"redirect"}, {"off"}}; }

}  // namespace

std::vector<Command> forward_commands() {
  return {
      {"forward set", {"ACCOUNT"}, set_options(), "ACCOUNT --to ADDR[;ADDR...] [--redirect] [--off]",
       "Forwards the account's mail to these addresses: a copy, or with --redirect instead of\n"
       "keeping it. --off switches forwarding off (alone: keeping the addresses).",
       forward_set},
      {"forward show", {"ACCOUNT"}, {}, "ACCOUNT", "Shows the account's forwarding.", forward_show},
      {"assistant set", {"ACCOUNT"}, set_options(), "ACCOUNT --to ADDR[;ADDR...] [--redirect] [--off]",
       "Sends the account's mail to its assistants: a copy, or with --redirect instead of keeping\n"
       "it (mail sent by an assistant is never redirected). --off switches them off.",
       assistant_set},
      {"assistant show", {"ACCOUNT"}, {}, "ACCOUNT", "Shows the account's assistants.", assistant_show},
  };
}

}  // namespace pillarbox::cli
