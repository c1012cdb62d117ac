// pillarbox queue list|show|hold|release|retry|delete: the outgoing queue by
// queue id (the number `queue list` prints). Held messages are never sent
// until released; retry makes pending recipients due now; delete removes a
// message without any report (refused while senderd is delivering it).
#include <string>

#include "daemons/cli/command.hpp"
#include "daemons/cli/context.hpp"
#include "daemons/cli/output.hpp"
#include "libcore/store/queue.hpp"
#include "libcore/store/queue_admin.hpp"

namespace pillarbox::cli {
namespace {

Expected<int64_t> queue_id(const std::string& text) {
  try {
    std::size_t used = 0;
    const long long id = std::stoll(text, &used);
    if (used == text.size() && id > 0) return static_cast<int64_t>(id);
  } catch (const std::exception&) {
  }
  return fail(ErrorCode::InvalidInput, "queue id '" + text + "': use the number `pillarbox queue list` shows");
}

nlohmann::json recipient_json(const store::QueuedRecipient& r) {
  return {{"id", r.id},         {"address", r.recipient.address}, {"status", r.status},
          {"attempts", r.attempts}, {"next_attempt", r.next_attempt_at}, {"last_error", r.last_error},
          {"notify", r.recipient.notify}, {"orcpt", r.recipient.orcpt}};
}

nlohmann::json message_json(const store::QueuedMessage& m) {
  nlohmann::json rcpts = nlohmann::json::array();
  for (const auto& r : m.recipients) rcpts.push_back(recipient_json(r));
  return {{"id", m.id},   {"delivery_id", m.delivery_id}, {"sender", m.sender}, {"size", m.size},
          {"held", m.held}, {"created_at", m.created_at},  {"recipients", rcpts}};
}

std::string state_of(const store::QueuedMessage& m) {
  int pending = 0, done = 0, failed = 0;
  for (const auto& r : m.recipients) {
    if (r.status == "pending") ++pending;
    else if (r.status == "failed") ++failed;
    else ++done;
  }
  std::string s = m.held ? "held" : pending > 0 ? "pending" : "finished";
  return s + " (" + std::to_string(done) + " sent, " + std::to_string(failed) + " failed, " +
         std::to_string(pending) + " pending)";
}

Outcome queue_list(Context& ctx, const Args& args) {
  auto db = ctx.db();
  if (!db) return failed(db);
  auto all = store::list_queue(**db);
  if (!all) return failed(all);
  const bool everything = args.has("all");
  nlohmann::json doc = nlohmann::json::array();
  Table t({"ID", "QUEUED AS", "SENDER", "SIZE", "STATE", "NEXT TRY", "LAST ERROR"});
  for (const auto& m : *all) {
    bool pending = false;
    std::optional<int64_t> next;
    std::string error;
    for (const auto& r : m.recipients) {
      if (r.status != "pending") continue;
      pending = true;
      if (!next || r.next_attempt_at < *next) next = r.next_attempt_at;
      if (error.empty()) error = r.last_error;
    }
    if (!pending && !everything) continue;
    doc.push_back(message_json(m));
    t.add({std::to_string(m.id), m.delivery_id, m.sender.empty() ? "<>" : m.sender, std::to_string(m.size),
           state_of(m), m.held ? "-" : format_time(next), or_dash(error)});
  }
  ctx.print(doc, t.empty() ? (everything ? "The queue is empty." : "Nothing waits to be sent.") : t.render());
  return Outcome::ok();
}

Outcome queue_show(Context& ctx, const Args& args) {
  auto id = queue_id(args.positional[0]);
  if (!id) return failed(id);
  auto db = ctx.db();
  if (!db) return failed(db);
  auto d = store::queue_show(**db, *id);
  if (!d) return failed(d);
  const auto& m = d->message;
  nlohmann::json doc = message_json(m);
  doc["subject"] = d->subject;
  doc["attempts"] = nlohmann::json::array();
  std::string text = "queue id: " + std::to_string(m.id) + "\nqueued as: " + m.delivery_id +
                     "\nsender: " + (m.sender.empty() ? "<>" : m.sender) + "\nsubject: " + or_dash(d->subject) +
                     "\nsize: " + std::to_string(m.size) + "\nqueued: " + format_time(m.created_at) +
                     "\nstate: " + state_of(m) + "\n";
  Table rt({"RECIPIENT", "STATUS", "ATTEMPTS", "NEXT TRY", "LAST ERROR"});
  for (const auto& r : m.recipients)
    rt.add({r.recipient.address, r.status, std::to_string(r.attempts),
            r.status == "pending" ? format_time(r.next_attempt_at) : "-", or_dash(r.last_error)});
  text += "\n" + rt.render();
  if (!d->attempts.empty()) {
    Table at({"WHEN", "RECIPIENT", "OUTCOME", "SERVER", "REPLY"});
    for (const auto& a : d->attempts) {
      std::string address;
      for (const auto& r : m.recipients)
        if (r.id == a.recipient_id) address = r.recipient.address;
      at.add({format_time(a.at), address, a.outcome, or_dash(a.remote_mta), or_dash(a.reply)});
      doc["attempts"].push_back({{"recipient", address}, {"at", a.at}, {"outcome", a.outcome},
                                 {"remote_mta", a.remote_mta}, {"reply", a.reply}});
    }
    text += "\n\n" + at.render();
  }
  ctx.print(doc, text);
  return Outcome::ok();
}

template <class F>
Outcome queue_change(Context& ctx, const Args& args, F&& change, const char* done) {
  auto id = queue_id(args.positional[0]);
  if (!id) return failed(id);
  auto db = ctx.db();
  if (!db) return failed(db);
  auto r = change(**db, *id);
  if (!r) return failed(r);
  const std::string text = "queue " + std::to_string(*id) + ": " + done;
  ctx.print({{"id", *id}, {"result", done}}, text);
  return Outcome::ok();
}

Outcome queue_hold(Context& ctx, const Args& a) {
  return queue_change(ctx, a, [](auto& c, int64_t id) { return store::queue_hold(c, id); }, "held");
}
Outcome queue_release(Context& ctx, const Args& a) {
  return queue_change(ctx, a, [](auto& c, int64_t id) { return store::queue_release(c, id); }, "released");
}
Outcome queue_retry(Context& ctx, const Args& a) {
  return queue_change(ctx, a, [](auto& c, int64_t id) { return store::queue_retry(c, id); }, "due now");
}
Outcome queue_delete(Context& ctx, const Args& a) {
  return queue_change(ctx, a, [](auto& c, int64_t id) { return store::queue_delete(c, id); }, "deleted");
}

}  // namespace

std::vector<Command> queue_commands() {
  return {
      {"queue list", {}, {{"all"}}, "[--all]",
       "Lists the messages waiting to be sent (with --all, finished ones too).", queue_list},
      {"queue show", {"ID"}, {}, "ID", "Shows a queued message: recipients, states and every attempt.", queue_show},
      {"queue hold", {"ID"}, {}, "ID", "Holds a queued message: it is not sent until released.", queue_hold},
      {"queue release", {"ID"}, {}, "ID", "Releases a held message; it is sent at once.", queue_release},
      {"queue retry", {"ID"}, {}, "ID", "Makes the message's pending recipients due now.", queue_retry},
      {"queue delete", {"ID"}, {}, "ID", "Deletes a queued message without a report.", queue_delete},
  };
}

}  // namespace pillarbox::cli
