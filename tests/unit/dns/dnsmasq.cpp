// Dnsmasq launcher: fork/exec with stdout and stderr in a temp log, a free
// port found by binding UDP and TCP to it, readiness proven by a real DNS
// exchange rather than a sleep. A port taken between our probe and dnsmasq's
// bind shows up as an early exit; we retry with another port.
#include "dnsmasq.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "dns_wire.hpp"

namespace pillarbox::dns::test {

namespace {

std::string find_binary() {
  if (const char* env = std::getenv("PILLARBOX_DNSMASQ"); env != nullptr && *env != '\0') return env;
  std::vector<std::string> dirs = {"/usr/sbin", "/usr/local/sbin", "/sbin"};
  if (const char* path = std::getenv("PATH")) {
    std::stringstream ss(path);
    for (std::string d; std::getline(ss, d, ':');) dirs.push_back(d);
  }
  for (const auto& d : dirs) {
    std::string p = d + "/dnsmasq";
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  throw std::runtime_error(
      "dnsmasq not found: install dnsmasq-base (packaging/install-deps.sh) or set PILLARBOX_DNSMASQ");
}

sockaddr_in loopback(uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons(port);
  return sa;
}

// A port free for both UDP and TCP right now (dnsmasq binds both).
uint16_t free_port() {
  for (int attempt = 0; attempt < 50; ++attempt) {
    int u = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int t = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto sa = loopback(0);
    socklen_t len = sizeof sa;
    bool ok = u >= 0 && t >= 0 && ::bind(u, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0 &&
              ::getsockname(u, reinterpret_cast<sockaddr*>(&sa), &len) == 0 &&
              ::bind(t, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
    uint16_t port = ntohs(sa.sin_port);
    if (u >= 0) ::close(u);
    if (t >= 0) ::close(t);
    if (ok) return port;
  }
  throw std::runtime_error("dnsmasq: no free port on 127.0.0.1");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One query/answer exchange with a short wait; true when the server replied.
bool probe(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  timeval tv{0, 50 * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  auto sa = loopback(port);
  auto id = static_cast<uint16_t>(std::random_device{}());
  std::string q = make_query(id, "probe.invalid", kTypeA);
  bool answered = false;
  if (::sendto(fd, q.data(), q.size(), 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa) > 0) {
    char buf[512];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    answered = n >= 12 && parse_question(std::string_view(buf, static_cast<size_t>(n))).has_value() &&
               parse_question(std::string_view(buf, static_cast<size_t>(n)))->id == id;
  }
  ::close(fd);
  return answered;
}

}  // namespace

Dnsmasq::Dnsmasq(const std::vector<std::string>& records) {
  std::string why;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (start_once(records, why)) return;
  }
  throw std::runtime_error("dnsmasq did not start: " + why);
}

Dnsmasq::~Dnsmasq() {
  stop();
  if (!log_path_.empty()) ::unlink(log_path_.c_str());
}

bool Dnsmasq::start_once(const std::vector<std::string>& records, std::string& why) {
  std::string binary = find_binary();
  port_ = free_port();
  argv_ = {binary, "--no-daemon", "--port=" + std::to_string(port_), "--listen-address=127.0.0.1",
           "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--pid-file="};
  argv_.insert(argv_.end(), records.begin(), records.end());

  if (log_path_.empty()) {
    char tmpl[] = "/tmp/pillarbox-dnsmasq-XXXXXX";
    int fd = ::mkstemp(tmpl);
    if (fd < 0) throw std::runtime_error(std::string("dnsmasq log: ") + std::strerror(errno));
    ::close(fd);
    log_path_ = tmpl;
  }
  int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (log_fd < 0) throw std::runtime_error(std::string("dnsmasq log: ") + std::strerror(errno));

  std::vector<char*> argv;
  for (auto& a : argv_) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error(std::string("dnsmasq fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    // Child: die with the test process, write into the log, become dnsmasq.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log_fd);

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      why = "exited early; its output:\n" + read_file(log_path_);
      return false;
    }
    if (probe(port_)) return true;
  }
  stop();
  why = "no answer within 10 s; its output:\n" + read_file(log_path_);
  return false;
}

void Dnsmasq::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

}  // namespace pillarbox::dns::test
