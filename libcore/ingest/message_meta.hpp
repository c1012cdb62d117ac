// What every way in for a message (smtpd, IMAP APPEND, collectors) does before
// the store takes it: parse it once with proto/mime and fill the MessageMeta
// the store keeps beside the body, so readers never parse again. Pure.
#pragma once

#include <string_view>

#include "libcore/base/expected.hpp"
#include "libcore/store/delivery.hpp"

namespace pillarbox::ingest {

// Fails only with TooBig when the message exceeds proto/mime's structural
// limits (nesting, part count, header size); malformed mail still parses.
Expected<store::MessageMeta> describe(std::string_view raw);

}  // namespace pillarbox::ingest
