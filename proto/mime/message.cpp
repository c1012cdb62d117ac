// parse(): the part tree plus everything derived from it once, at delivery
// (see message.hpp). The work is in tree.cpp, imap_form.hpp, codec.hpp and
// search_text.cpp; this file only assembles the Message.
#include "proto/mime/message.hpp"

#include "proto/mime/codec.hpp"
#include "proto/mime/date.hpp"
#include "proto/mime/imap_form.hpp"
#include "proto/mime/search_text.hpp"
#include "proto/mime/text_util.hpp"
#include "proto/mime/tree.hpp"

namespace pillarbox::mime {

std::optional<std::string> Part::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

Expected<Message> parse(std::string_view raw, const Limits& limits) {
  auto root = parse_tree(raw, limits);
  if (!root) return Unexpected{root.error()};
  Message m;
  m.root = std::move(*root);
  m.headers = m.root.headers;
  m.size = raw.size();
  m.envelope = write_envelope(m.headers);
  m.body = write_body(m.root, false);
  m.bodystructure = write_body(m.root, true);

  auto decoded = [&](std::string_view name) {
    const Header* h = find_header(m.headers, name);
    return h ? std::string(trim(decode_words(h->value))) : std::string();
  };
  // Address fields join every occurrence, as the ENVELOPE does.
  auto decoded_all = [&](std::string_view name) {
    std::string out;
    for (const auto& h : m.headers) {
      if (!iequals(h.name, name) || trim(h.value).empty()) continue;
      if (!out.empty()) out += ", ";
      out += trim(decode_words(h.value));
    }
    return out;
  };
  m.subject = decoded("Subject");
  m.from = decoded_all("From");
  m.to = decoded_all("To");
  m.cc = decoded_all("Cc");
  m.message_id = decoded("Message-ID");
  m.in_reply_to = decoded("In-Reply-To");
  m.date = decoded("Date");
  if (const Header* h = find_header(m.headers, "Date")) m.date_epoch = parse_date(h->value);
  m.search_text = search_text(raw, m.root, limits.max_search_text);
  return m;
}

}  // namespace pillarbox::mime
