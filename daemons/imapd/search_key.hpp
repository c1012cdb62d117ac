// The search tree as the IMAP grammar gives it (proto/imap, sequence sets
// already turned into UID ranges by the engine) -> the store's search key.
// Pure.
#pragma once

#include "libcore/store/imap_search.hpp"
#include "proto/imap/command.hpp"

namespace pillarbox::imapd {

// `recent`: the session's \Recent UIDs (for RECENT, NEW, OLD).
store::SearchKey to_store_key(const imap::SearchKey& key, const std::vector<std::int64_t>& recent);

}  // namespace pillarbox::imapd
