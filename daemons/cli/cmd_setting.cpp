// pillarbox setting get|set|del|list: the server-wide settings table (one
// JSON value per dotted key). Keys that Pillarbox reads are type-checked
// here so a typo such as `setting set smtp.require_auth yes` is refused
// instead of silently read as the default; other keys take any JSON.
#include <array>
#include <string>
#include <vector>

#include "daemons/cli/command.hpp"
#include "daemons/cli/context.hpp"
#include "daemons/cli/output.hpp"
#include "libcore/directory/directory.hpp"
#include "libcore/store/settings.hpp"

namespace pillarbox::cli {
namespace {

enum class Kind { Bool, Count, Text };

struct KnownSetting {
  std::string_view key;
  Kind kind;
  std::string fallback;  // what the readers use while it is unset
};

// The settings the store reads itself; the directory's (smtp.*, pop3.*,
// imap.*, sender.*, ...) come from directory::known_settings().
const std::array kStoreSettings = {
    KnownSetting{store::setting::kPasswordMinLength, Kind::Count, "5"},
    KnownSetting{store::setting::kCatchAllAccount, Kind::Text, "\"\""},
    KnownSetting{store::setting::kDisableDefaultSmtpMappings, Kind::Bool, "false"},
    KnownSetting{store::setting::kDisableDefaultCollectorMappings, Kind::Bool, "false"},
};

const std::vector<KnownSetting>& known_settings() {
  static const std::vector<KnownSetting> all = [] {
    std::vector<KnownSetting> v(kStoreSettings.begin(), kStoreSettings.end());
    for (const auto& d : directory::known_settings()) {
      const Kind kind = d.type == directory::SettingInfo::Type::Bool    ? Kind::Bool
                        : d.type == directory::SettingInfo::Type::Count ? Kind::Count
                                                                        : Kind::Text;
      v.push_back({d.key, kind, d.fallback});
    }
    return v;
  }();
  return all;
}

const KnownSetting* known(std::string_view key) {
  for (const auto& k : known_settings())
    if (k.key == key) return &k;
  return nullptr;
}

// The JSON to store for `text`, or why not. A text setting also takes a
// bare word (`route.catch_all_account joe`, even `... 42`), saving the
// shell quoting.
Expected<nlohmann::json> value_for(const std::string& key, const std::string& text) {
  const KnownSetting* k = known(key);
  auto value = nlohmann::json::parse(text, nullptr, false);
  if (!k) {
    if (value.is_discarded()) return fail(ErrorCode::InvalidInput, "setting " + key + ": not valid JSON: " + text);
    return value;
  }
  switch (k->kind) {
    case Kind::Bool:
      if (!value.is_boolean()) return fail(ErrorCode::InvalidInput, "setting " + key + ": use true or false");
      return value;
    case Kind::Count:
      if (!value.is_number_unsigned())
        return fail(ErrorCode::InvalidInput, "setting " + key + ": use a whole number, 0 or more");
      return value;
    case Kind::Text: break;
  }
  return value.is_string() ? value : nlohmann::json(text);
}

nlohmann::json parsed(const std::string& json_text) {
  auto value = nlohmann::json::parse(json_text, nullptr, false);
  return value.is_discarded() ? nlohmann::json(json_text) : value;
}

Outcome setting_get(Context& ctx, const Args& args) {
  const std::string& key = args.positional[0];
  auto db = ctx.db();
  if (!db) return failed(db);
  auto value = store::get_setting(**db, key);
  if (!value) return failed(value);
  if (!*value) {
    const KnownSetting* k = known(key);
    return Outcome::failed("setting " + key + " is not set" +
                           (k ? " (the default is " + std::string(k->fallback) + ")" : ""));
  }
  ctx.print({{"key", key}, {"value", parsed(**value)}}, **value);
  return Outcome::ok();
}

Outcome setting_set(Context& ctx, const Args& args) {
  const std::string &key = args.positional[0], &text = args.positional[1];
  auto value = value_for(key, text);
  if (!value) return failed(value);
  auto db = ctx.db();
  if (!db) return failed(db);
  const std::string json_text = value->dump();
  auto done = store::set_setting(**db, key, json_text);
  if (!done) return failed(done);
  ctx.print({{"key", key}, {"value", *value}}, key + " = " + json_text);
  return Outcome::ok();
}

Outcome setting_del(Context& ctx, const Args& args) {
  const std::string& key = args.positional[0];
  auto db = ctx.db();
  if (!db) return failed(db);
  auto done = store::delete_setting(**db, key);
  if (!done) return failed(done);
  ctx.print({{"deleted", {{"key", key}}}}, "deleted setting " + key);
  return Outcome::ok();
}

Outcome setting_list(Context& ctx, const Args&) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto settings = store::list_settings(**db);
  if (!settings) return failed(settings);
  nlohmann::json doc = nlohmann::json::array();
  Table table({"KEY", "VALUE"});
  for (const auto& [key, value] : *settings) {
    doc.push_back({{"key", key}, {"value", parsed(value)}});
    table.add({key, value});
  }
  ctx.print(doc, table.render());
  return Outcome::ok();
}

}  // namespace

std::vector<Command> setting_commands() {
  return {
      {"setting get", {"KEY"}, {}, "KEY", "Prints the JSON value of a setting.", setting_get},
      {"setting set", {"KEY", "JSON"}, {}, "KEY JSON",
       "Sets a setting to a JSON value: true, 10240000, '\"text\"'. Known keys are type-checked:\n"
       "smtp.require_auth, smtp.require_auth_local_exception (true/false), smtp.max_message_size\n"
       "(bytes), auth.password_min_length, route.catch_all_account (account name),\n"
       "route.disable_default_smtp_mappings, route.disable_default_collector_mappings.",
       setting_set},
      {"setting del", {"KEY"}, {}, "KEY", "Removes a setting: its default applies again.", setting_del},
      {"setting list", {}, {}, "", "Lists every setting that is set, by key.", setting_list},
  };
}

}  // namespace pillarbox::cli
