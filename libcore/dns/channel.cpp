// Channel over c-ares 1.18's socket-state callback: c-ares says which sockets
// it wants watched and how; we answer with ares_process_fd when libuv reports
// readiness or our timer (armed from ares_timeout) expires.
#include "libcore/dns/channel.hpp"

#include <arpa/inet.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "libcore/base/log.hpp"
#include "libcore/dns/server_list.hpp"

namespace pillarbox::dns::detail {

namespace {

constexpr int kClassIn = 1;

// c-ares wants ares_library_init once per process before any channel (a no-op
// on POSIX today, but documented as required). Never cleaned up: channels may
// live until exit.
int library_status() {
  static std::once_flag once;
  static int status = ARES_SUCCESS;
  std::call_once(once, [] { status = ares_library_init(ARES_LIB_INIT_ALL); });
  return status;
}

}  // namespace

Channel::Channel(event::Loop& loop, Options options)
    : loop_(loop), options_(std::move(options)), timeout_(loop), dispatch_(loop),
      wake_(loop, [this] { dispatch(); }), rng_(std::random_device{}()) {
  wake_.unref();  // only the timer holds the loop open, and only while work waits
}

Expected<std::unique_ptr<Channel>> Channel::open(event::Loop& loop, Options options) {
  std::unique_ptr<Channel> ch(new Channel(loop, std::move(options)));
  auto ok = ch->init();
  if (!ok) return Unexpected{ok.error()};
  return ch;
}

Expected<void> Channel::init() {
  if (int rc = library_status(); rc != ARES_SUCCESS) {
    return fail(ErrorCode::Unavailable, "DNS resolver unavailable",
                std::string("ares_library_init: ") + ares_strerror(rc));
  }
  if (options_.tries < 0) return fail(ErrorCode::InvalidInput, "DNS tries must not be negative");
  if (options_.max_mx_hosts == 0) {
    return fail(ErrorCode::InvalidInput, "DNS max_mx_hosts must be at least 1");
  }
  if (options_.max_in_flight == 0) {
    return fail(ErrorCode::InvalidInput, "DNS max_in_flight must be at least 1");
  }
  if (options_.timeout.count() < 0 || options_.timeout.count() > INT_MAX) {
    return fail(ErrorCode::InvalidInput, "DNS timeout out of range");
  }
  auto servers = parse_servers(options_.servers);
  if (!servers) return Unexpected{servers.error()};

  ares_options o{};
  int mask = ARES_OPT_SOCK_STATE_CB;
  o.sock_state_cb = &Channel::on_sock_state;
  o.sock_state_cb_data = this;
  if (options_.timeout.count() > 0) {
    mask |= ARES_OPT_TIMEOUTMS;
    o.timeout = static_cast<int>(options_.timeout.count());
  }
  if (options_.tries > 0) {
    mask |= ARES_OPT_TRIES;
    o.tries = options_.tries;
  }
  if (servers->empty() && !options_.resolv_conf.empty()) {
    // c-ares would quietly fall back to 127.0.0.1 for a file it cannot read.
    if (std::FILE* f = std::fopen(options_.resolv_conf.c_str(), "r")) {
      std::fclose(f);
    } else {
      return fail(ErrorCode::InvalidInput, "cannot read " + options_.resolv_conf,
                  "open " + options_.resolv_conf + ": " + std::strerror(errno));
    }
    mask |= ARES_OPT_RESOLVCONF;
    o.resolvconf_path = options_.resolv_conf.data();  // c-ares copies it
  }
  if (int rc = ares_init_options(&channel_, &o, mask); rc != ARES_SUCCESS) {
    channel_ = nullptr;
    return fail(ErrorCode::Unavailable, "DNS resolver unavailable",
                std::string("ares_init_options: ") + ares_strerror(rc));
  }
  if (servers->empty()) return {};

  std::vector<ares_addr_port_node> nodes(servers->size());
  for (size_t i = 0; i < servers->size(); ++i) {
    const auto& s = (*servers)[i];
    auto& n = nodes[i];
    n.next = i + 1 < nodes.size() ? &nodes[i + 1] : nullptr;
    n.family = s.v6 ? AF_INET6 : AF_INET;
    // parse_servers already accepted the text, so inet_pton cannot fail here.
    inet_pton(n.family, s.ip.c_str(), s.v6 ? static_cast<void*>(&n.addr.addr6) : &n.addr.addr4);
    n.udp_port = s.port;
    n.tcp_port = s.port;
  }
  if (int rc = ares_set_servers_ports(channel_, nodes.data()); rc != ARES_SUCCESS) {
    return fail(ErrorCode::Unavailable, "DNS resolver unavailable",
                std::string("ares_set_servers_ports: ") + ares_strerror(rc));
  }
  return {};
}

Channel::~Channel() {
  *alive_ = false;
  destroying_ = true;
  // Every pending query reaches on_answer with ARES_EDESTRUCTION (dropped
  // there); every socket reaches on_sock_state(fd, 0, 0) before c-ares closes
  // it, so its Poll closes while the descriptor is still open.
  if (channel_ != nullptr) ares_destroy(channel_);
  polls_.clear();
  waiting_.clear();
  ready_.clear();
}

std::vector<std::string> Channel::servers() const {
  std::vector<std::string> out;
  ares_addr_port_node* head = nullptr;
  if (ares_get_servers_ports(channel_, &head) != ARES_SUCCESS) return out;
  for (auto* n = head; n != nullptr; n = n->next) {
    char text[INET6_ADDRSTRLEN] = {};
    bool v6 = n->family == AF_INET6;
    inet_ntop(n->family, v6 ? static_cast<const void*>(&n->addr.addr6) : &n->addr.addr4, text, sizeof text);
    int port = n->udp_port != 0 ? n->udp_port : 53;
    out.push_back((v6 ? "[" + std::string(text) + "]" : std::string(text)) + ":" + std::to_string(port));
  }
  ares_free_data(head);
  return out;
}

void Channel::query(const std::string& name, int type, Done done) {
  waiting_.push_back(Waiting{name, type, std::move(done)});
  send_waiting();
  arm_timeout();
}

// Why a limit: a burst of hundreds of UDP queries gets hundreds of replies
// at once, which overflow the socket buffers (ours or the server's); the
// dropped ones then time out and fail Temporary for no reason.
void Channel::send_waiting() {
  while (in_flight_ < options_.max_in_flight && !waiting_.empty()) {
    Waiting w = std::move(waiting_.front());
    waiting_.pop_front();
    ++in_flight_;
    auto* sent = new Sent{this, std::move(w.done)};
    ares_query(channel_, w.name.c_str(), kClassIn, w.type, &Channel::on_answer, sent);
  }
}

void Channel::on_answer(void* arg, int status, int /*timeouts*/, unsigned char* reply, int len) {
  std::unique_ptr<Sent> sent(static_cast<Sent*>(arg));
  --sent->channel->in_flight_;
  if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) return;  // never called back
  sent->done(status, reply, len);
}

// A zero-delay timer alone is not enough: libuv 1.44's UV_RUN_ONCE runs due
// timers first and then still blocks in poll for the next event, so a caller
// stepping the loop (Loop::run_until) would see a result posted before it
// started only when something else happens. The async wake is that event.
void Channel::post(std::function<void()> fn) {
  if (destroying_) return;
  ready_.push_back(std::move(fn));
  if (!dispatch_.active()) {
    dispatch_.start(0, 0, [this] { dispatch(); });
    wake_.send();
  }
}

void Channel::dispatch() {
  dispatch_.stop();  // whichever of timer and wake comes second finds nothing
  auto alive = alive_;
  auto batch = std::move(ready_);
  ready_.clear();
  for (auto& fn : batch) {
    fn();
    if (!*alive) return;  // a callback destroyed us: drop the rest unseen
  }
}

void Channel::on_sock_state(void* data, ares_socket_t fd, int readable, int writable) {
  static_cast<Channel*>(data)->watch(fd, readable != 0, writable != 0);
}

void Channel::watch(ares_socket_t fd, bool readable, bool writable) {
  if (!readable && !writable) {
    polls_.erase(fd);  // c-ares closes fd right after this returns
    return;
  }
  auto it = polls_.find(fd);
  if (it == polls_.end()) {
    auto opened = event::Poll::open(loop_, fd);
    if (!opened) {
      // Its queries will time out and fail Temporary; say why once.
      log::warning("dns watch socket {}: {}", fd, opened.error().describe());
      return;
    }
    it = polls_.emplace(fd, std::move(*opened)).first;
  }
  int events = (readable ? UV_READABLE : 0) | (writable ? UV_WRITABLE : 0);
  it->second.start(events, [this, fd](int status, int ev) {
    // On a poll error let c-ares try both directions: its read or write then
    // fails and it retries the query elsewhere.
    bool error = status < 0;
    process((error || (ev & UV_READABLE) != 0) ? fd : ARES_SOCKET_BAD,
            (error || (ev & UV_WRITABLE) != 0) ? fd : ARES_SOCKET_BAD);
  });
}

void Channel::process(ares_socket_t read_fd, ares_socket_t write_fd) {
  ares_process_fd(channel_, read_fd, write_fd);
  send_waiting();  // after, not inside, c-ares' processing: answers made room
  arm_timeout();
}

void Channel::arm_timeout() {
  timeval tv{};
  timeval* next = ares_timeout(channel_, nullptr, &tv);
  if (next == nullptr) {
    timeout_.stop();
    return;
  }
  // Round up: waking a millisecond late costs nothing, waking early only
  // spins once more through ares_process_fd.
  auto ms = static_cast<uint64_t>(next->tv_sec) * 1000 + (static_cast<uint64_t>(next->tv_usec) + 999) / 1000;
  timeout_.start(ms, 0, [this] { process(ARES_SOCKET_BAD, ARES_SOCKET_BAD); });
}

}  // namespace pillarbox::dns::detail
