#include "libcore/ingest/message_meta.hpp"

#include "proto/mime/message.hpp"
#include "proto/mime/part_json.hpp"

namespace pillarbox::ingest {

Expected<store::MessageMeta> describe(std::string_view raw) {
  auto parsed = mime::parse(raw);
  if (!parsed) return Unexpected{parsed.error()};
  store::MessageMeta meta;
  meta.envelope = std::move(parsed->envelope);
  meta.body = std::move(parsed->body);
  meta.bodystructure = std::move(parsed->bodystructure);
  meta.subject = std::move(parsed->subject);
  meta.from = std::move(parsed->from);
  meta.to = std::move(parsed->to);
  meta.cc = std::move(parsed->cc);
  meta.message_id = std::move(parsed->message_id);
  meta.date_text = std::move(parsed->date);
  meta.date_epoch = parsed->date_epoch;
  meta.search_text = std::move(parsed->search_text);
  meta.parts = mime::part_to_json(parsed->root).dump();
  return meta;
}

}  // namespace pillarbox::ingest
