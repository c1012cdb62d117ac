// MX and address lookups: the query callback decodes while c-ares still owns
// the reply bytes, then posts the user callback out of c-ares.
#include "libcore/dns/lookup.hpp"

#include <memory>
#include <optional>

#include "libcore/dns/answer.hpp"

namespace pillarbox::dns::detail {

namespace {

constexpr int kTypeA = 1;
constexpr int kTypeMx = 15;
constexpr int kTypeAaaa = 28;

// Both halves of one addresses() lookup; the second to arrive posts the join.
struct AddressPair {
  std::string host;
  AddressesCallback cb;
  std::optional<Expected<std::vector<std::string>>> v6;
  std::optional<Expected<std::vector<std::string>>> v4;
};

void finish_pair(Channel& channel, const std::shared_ptr<AddressPair>& pair) {
  if (!pair->v6 || !pair->v4) return;
  channel.post([pair] { pair->cb(join_families(std::move(*pair->v6), std::move(*pair->v4))); });
}

}  // namespace

void lookup_mx(Channel& channel, std::string domain, MxCallback cb) {
  if (auto ok = check_name(domain); !ok) {
    channel.post([cb = std::move(cb), e = ok.error()] { cb(Unexpected{e}); });
    return;
  }
  std::string name = domain;
  channel.query(name, kTypeMx,
                [&channel, domain = std::move(domain), cb = std::move(cb)](
                    int status, const unsigned char* reply, int len) {
                  auto result = mx_answer(status, reply, len, domain);
                  if (result) order_mx(*result, channel.shuffle_rng());
                  channel.post([cb, r = std::move(result)]() mutable { cb(std::move(r)); });
                });
}

void lookup_addresses(Channel& channel, std::string host, AddressesCallback cb) {
  if (auto ok = check_name(host); !ok) {
    channel.post([cb = std::move(cb), e = ok.error()] { cb(Unexpected{e}); });
    return;
  }
  auto pair = std::make_shared<AddressPair>();
  pair->host = std::move(host);
  pair->cb = std::move(cb);
  channel.query(pair->host, kTypeAaaa, [&channel, pair](int status, const unsigned char* reply, int len) {
    pair->v6 = address_answer(status, reply, len, true, pair->host);
    finish_pair(channel, pair);
  });
  channel.query(pair->host, kTypeA, [&channel, pair](int status, const unsigned char* reply, int len) {
    pair->v4 = address_answer(status, reply, len, false, pair->host);
    finish_pair(channel, pair);
  });
}

}  // namespace pillarbox::dns::detail
