#include "libcore/service/client_session.hpp"

#include "libcore/access/ip_address.hpp"
#include "libcore/base/log.hpp"

namespace pillarbox::service {

ClientSession::ClientSession(event::Loop& loop, event::Tcp tcp, const net::ConnectionLimits& limits,
                             directory::Directory& directory, std::shared_ptr<tls::Context> tls,
                             std::function<void()> ended)
    : conn_(loop, std::move(tcp), limits), tls_(std::move(tls)), directory_(directory), ended_(std::move(ended)) {}

ClientSession::~ClientSession() { *alive_ = false; }

bool ClientSession::admit(access::Service service, std::string_view refusal) {
  snapshot_ = directory_.current();
  auto ip = access::IpAddress::parse(conn_.peer_address());
  if (ip) decision_ = snapshot_->check(service, *ip);
  if (ip && decision_.allowed) return true;
  log::info("{} {}: refused by the {} access rules", access::to_string(service), conn_.peer_address(),
            access::to_string(service));
  refuse(refusal);
  return false;
}

void ClientSession::refuse(std::string_view line) {
  closing_ = true;
  (void)conn_.start([](std::string_view) {}, [this](const std::string& why) { finished(why); }, [] {});
  if (!line.empty()) conn_.send(line);
  conn_.close_after_flush();
}

bool ClientSession::open(bool implicit_tls) {
  if (implicit_tls && (!tls_ || !conn_.start_tls(tls_))) {
    refuse("");
    return false;
  }
  auto started = conn_.start(
      [this](std::string_view b) {
        if (!closing_) on_input(b);
      },
      [this](const std::string& why) { finished(why); },
      [this] {
        if (!closing_) on_idle();
      });
  if (!started) {
    finished(started.error().describe());
    return false;
  }
  return true;
}

void ClientSession::flow(bool engine_pending) {
  if (engine_pending) conn_.pause();
  else conn_.resume();
}

void ClientSession::finished(const std::string& reason) {
  if (!reason.empty()) log::info("{}: connection ended: {}", conn_.peer_address(), reason);
  on_finished();
  auto ended = std::move(ended_);
  if (ended) ended();  // destroys us
}

}  // namespace pillarbox::service
