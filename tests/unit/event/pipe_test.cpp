// I/O tests for libcore/event/pipe: a Unix socket in a fresh temp dir with
// bind/listen/connect/accept, replacing a stale socket file, connecting to a
// missing path, and Pipe::open over a socketpair. Three cases pin down what
// "replacing a stale socket file" must not do.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libcore/event/loop.hpp"
#include "libcore/event/pipe.hpp"

using namespace pillarbox;
using namespace pillarbox::event;
using namespace std::chrono_literals;

namespace {

constexpr auto kDeadline = 5s;
constexpr int kPending = 1;

struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "pillarbox-pipe-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return path + "/" + name; }
};

bool is_socket(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// A listener that keeps accepted pipes and echoes what they read.
struct EchoServer {
  Pipe listener;
  std::vector<std::unique_ptr<Pipe>> accepted;
  std::string got;
  int accept_errors = 0;

  explicit EchoServer(Loop& loop) : listener(loop) {}

  Expected<void> start(const std::string& path) {
    if (auto r = listener.bind(path); !r) return r;
    return listener.listen(16, [this](int status) {
      auto c = listener.accept();
      if (status != 0 || !c) {
        ++accept_errors;
        return;
      }
      accepted.push_back(std::make_unique<Pipe>(std::move(*c)));
      Pipe& p = *accepted.back();
      CHECK(p.read_start(
                 [this, &p](std::string_view d) {
                   got += d;
                   CHECK(p.write(d).ok());
                 },
                 [](int) {})
                .ok());
    });
  }
};

// Connects a client to path, sends text and returns what came back.
std::string round_trip(Loop& loop, const std::string& path, const std::string& text, int* connect_status) {
  Pipe client(loop);
  int status = kPending;
  std::string back;
  client.connect(path, [&](int s) {
    status = s;
    if (s != 0) return;
    CHECK(client.read_start([&](std::string_view d) { back += d; }, [](int) {}).ok());
    CHECK(client.write(text).ok());
  });
  loop.run_until([&] { return status < 0 || back.size() >= text.size(); }, kDeadline);
  *connect_status = status;
  return back;
}

}  // namespace

TEST_CASE("Pipe bind listen connect and accept exchange bytes", "[pipe]") {
  Loop loop;
  TempDir dir;
  std::string path = dir.file("bus.sock");
  EchoServer server(loop);
  REQUIRE(server.start(path).ok());
  CHECK(is_socket(path));

  int status = kPending;
  CHECK(round_trip(loop, path, "hello bus", &status) == "hello bus");
  CHECK(status == 0);
  CHECK(server.got == "hello bus");
  CHECK(server.accept_errors == 0);
  REQUIRE(server.accepted.size() == 1);
}

TEST_CASE("Pipe serves several clients at once", "[pipe]") {
  Loop loop;
  TempDir dir;
  std::string path = dir.file("bus.sock");
  EchoServer server(loop);
  REQUIRE(server.start(path).ok());

  constexpr int kClients = 5;
  std::vector<std::unique_ptr<Pipe>> clients;
  std::vector<std::string> back(kClients);
  int connected = 0;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<Pipe>(loop));
    Pipe& c = *clients.back();
    c.connect(path, [&, i](int s) {
      CHECK(s == 0);
      ++connected;
      CHECK(c.read_start([&, i](std::string_view d) { back[static_cast<size_t>(i)] += d; }, [](int) {}).ok());
      CHECK(c.write("client " + std::to_string(i)).ok());
    });
  }
  REQUIRE(loop.run_until(
      [&] {
        for (int i = 0; i < kClients; ++i)
          if (back[static_cast<size_t>(i)].size() < 8) return false;
        return true;
      },
      kDeadline));
  CHECK(connected == kClients);
  CHECK(server.accepted.size() == kClients);
  for (int i = 0; i < kClients; ++i) CHECK(back[static_cast<size_t>(i)] == "client " + std::to_string(i));
}

TEST_CASE("Pipe bind replaces a stale socket file", "[pipe]") {
  Loop loop;
  TempDir dir;
  std::string path = dir.file("bus.sock");
  {
    // What a crashed master leaves behind: a socket file nobody listens on.
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    ::close(fd);
  }
  REQUIRE(is_socket(path));

  EchoServer server(loop);
  auto r = server.start(path);
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  int status = kPending;
  CHECK(round_trip(loop, path, "after restart", &status) == "after restart");
  CHECK(status == 0);
}

TEST_CASE("Pipe closed removes its socket file and the path can be bound again", "[pipe]") {
  Loop loop;
  TempDir dir;
  std::string path = dir.file("bus.sock");
  {
    EchoServer first(loop);
    REQUIRE(first.start(path).ok());
  }
  uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK_FALSE(std::filesystem::exists(path));  // libuv unlinks it on close

  EchoServer second(loop);
  REQUIRE(second.start(path).ok());
  int status = kPending;
  CHECK(round_trip(loop, path, "again", &status) == "again");
}

TEST_CASE("Pipe connect to a missing path reports ENOENT", "[pipe]") {
  Loop loop;
  TempDir dir;
  Pipe client(loop);
  int status = kPending;
  client.connect(dir.file("nobody.sock"), [&](int s) { status = s; });
  REQUIRE(loop.run_until([&] { return status != kPending; }, kDeadline));
  CHECK(status == UV_ENOENT);
}

TEST_CASE("Pipe bind in a missing directory fails", "[pipe]") {
  Loop loop;
  TempDir dir;
  Pipe p(loop);
  auto r = p.bind(dir.file("no/such/dir/bus.sock"));
  REQUIRE_FALSE(r.ok());
  // libuv turns bind's ENOENT into EACCES "for compatibility with Windows".
  CHECK((r.error().code == ErrorCode::NotFound || r.error().code == ErrorCode::PermissionDenied));
  CHECK(r.error().message.find("bind unix socket") != std::string::npos);
}

TEST_CASE("Pipe connect callback does not run after the Pipe is destroyed", "[pipe]") {
  Loop loop;
  TempDir dir;
  std::string path = dir.file("bus.sock");
  EchoServer server(loop);
  REQUIRE(server.start(path).ok());
  std::optional<Pipe> client;
  client.emplace(loop);
  bool called = false;
  client->connect(path, [&](int) { called = true; });
  client.reset();
  for (int i = 0; i < 4; ++i) uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK_FALSE(called);
}

TEST_CASE("Pipe open adopts both ends of a socketpair", "[pipe]") {
  Loop loop;
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
  auto a = Pipe::open(loop, fds[0]);
  auto b = Pipe::open(loop, fds[1]);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->fileno() == fds[0]);

  std::string a_got;
  std::string b_got;
  int b_end = kPending;
  CHECK(a->read_start([&](std::string_view d) { a_got += d; }, [](int) {}).ok());
  CHECK(b->read_start([&](std::string_view d) { b_got += d; }, [&](int s) { b_end = s; }).ok());
  CHECK(a->write("to b").ok());
  CHECK(b->write("to a").ok());
  REQUIRE(loop.run_until([&] { return a_got.size() >= 4 && b_got.size() >= 4; }, kDeadline));
  CHECK(a_got == "to a");
  CHECK(b_got == "to b");

  a->close();
  REQUIRE(loop.run_until([&] { return b_end != kPending; }, kDeadline));
  CHECK(b_end == UV_EOF);
}

// The header promises to replace a *stale socket file*. A regular file at the
// path (a mistyped bus path pointing at data) must survive.
TEST_CASE("Pipe bind does not delete a regular file at the path", "[pipe]") {
  Loop loop;
  TempDir dir;
  std::string path = dir.file("precious.txt");
  { std::ofstream(path) << "keep me\n"; }
  Pipe p(loop);
  auto r = p.bind(path);
  CHECK_FALSE(r.ok());
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  CHECK(line == "keep me");
}

// A socket someone is still listening on is not stale: binding over it
// would silently cut the running server off from new clients.
TEST_CASE("Pipe bind does not take over the path of a live listener", "[pipe]") {
  Loop loop;
  TempDir dir;
  std::string path = dir.file("bus.sock");
  EchoServer first(loop);
  REQUIRE(first.start(path).ok());

  Pipe second(loop);
  auto r = second.bind(path);
  CHECK_FALSE(r.ok());
  if (!r.ok()) CHECK(r.error().code == ErrorCode::InUse);

  int status = kPending;
  // The first server still gets new clients (the bind probe was one of them).
  CHECK(round_trip(loop, path, "still first", &status) == "still first");
  CHECK_FALSE(first.accepted.empty());
}

// sockaddr_un holds 107 path bytes. libuv 1.44 silently truncates longer
// paths, so the socket lands at a different name, and after a crash the
// next bind cannot replace it (Pipe::bind unlinks the long name only).
TEST_CASE("Pipe bind rejects a path too long for a socket address", "[pipe]") {
  Loop loop;
  TempDir dir;
  std::string sub = dir.file(std::string(120, 'd'));
  REQUIRE(std::filesystem::create_directory(sub));
  std::string path = sub + "/bus.sock";
  REQUIRE(path.size() > sizeof(sockaddr_un{}.sun_path) - 1);

  Pipe p(loop);
  auto r = p.bind(path);
  CHECK_FALSE(r.ok());
  if (!r.ok()) CHECK(r.error().code == ErrorCode::InvalidInput);
  // Nothing may appear anywhere but at the requested path.
  size_t entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path)) {
    (void)e;
    ++entries;
  }
  CHECK(entries == 1);
}
