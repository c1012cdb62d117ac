// Unit tests for libcore/base/owner.hpp: UniqueFd closes exactly the
// descriptor it owns (checked with fcntl(F_GETFD)), and CPtr calls its C
// deleter once and never for null.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "libcore/base/owner.hpp"

using namespace pillarbox;

namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

int open_fd() {
  int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  return fd;
}

int g_freed = 0;
int* g_last_freed = nullptr;
void free_int(int* p) {
  ++g_freed;
  g_last_freed = p;
  delete p;
}

}  // namespace

TEST_CASE("UniqueFd default is invalid", "[owner]") {
  UniqueFd fd;
  CHECK_FALSE(fd.valid());
  CHECK(fd.get() == -1);
}

TEST_CASE("UniqueFd closes its descriptor on destruction", "[owner]") {
  int raw = open_fd();
  {
    UniqueFd fd(raw);
    CHECK(fd.valid());
    CHECK(fd.get() == raw);
    CHECK(is_open(raw));
  }
  errno = 0;
  CHECK(::fcntl(raw, F_GETFD) == -1);
  CHECK(errno == EBADF);
}

TEST_CASE("UniqueFd reset closes the old descriptor and takes the new one", "[owner]") {
  int a = open_fd();
  int b = open_fd();
  UniqueFd fd(a);
  fd.reset(b);
  CHECK_FALSE(is_open(a));
  CHECK(is_open(b));
  CHECK(fd.get() == b);
  fd.reset();
  CHECK_FALSE(is_open(b));
  CHECK_FALSE(fd.valid());
}

TEST_CASE("UniqueFd move construction transfers ownership", "[owner]") {
  int raw = open_fd();
  UniqueFd a(raw);
  UniqueFd b(std::move(a));
  CHECK_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): moved-from state is specified
  CHECK(b.get() == raw);
  a.reset();  // closing the empty one must not touch raw
  CHECK(is_open(raw));
  b.reset();
  CHECK_FALSE(is_open(raw));
}

TEST_CASE("UniqueFd move assignment closes the target's old descriptor", "[owner]") {
  int a_raw = open_fd();
  int b_raw = open_fd();
  UniqueFd a(a_raw);
  UniqueFd b(b_raw);
  b = std::move(a);
  CHECK_FALSE(is_open(b_raw));
  CHECK(is_open(a_raw));
  CHECK(b.get() == a_raw);
  CHECK_FALSE(a.valid());  // NOLINT(bugprone-use-after-move)
}

TEST_CASE("UniqueFd self move assignment keeps the descriptor", "[owner]") {
  int raw = open_fd();
  UniqueFd a(raw);
  UniqueFd& alias = a;
  a = std::move(alias);
  CHECK(a.get() == raw);
  CHECK(is_open(raw));
}

TEST_CASE("UniqueFd release gives up ownership without closing", "[owner]") {
  int raw = open_fd();
  {
    UniqueFd fd(raw);
    CHECK(fd.release() == raw);
    CHECK_FALSE(fd.valid());
  }
  CHECK(is_open(raw));
  ::close(raw);
}

TEST_CASE("CPtr calls its deleter once with the owned pointer", "[owner]") {
  g_freed = 0;
  g_last_freed = nullptr;
  int* raw = new int(5);
  {
    CPtr<int, free_int> p(raw);
    CHECK(*p == 5);
    CHECK(g_freed == 0);
  }
  CHECK(g_freed == 1);
  CHECK(g_last_freed == raw);
}

TEST_CASE("CPtr reset frees the old object and release does not", "[owner]") {
  g_freed = 0;
  int* first = new int(1);
  int* second = new int(2);
  CPtr<int, free_int> p(first);
  p.reset(second);
  CHECK(g_freed == 1);
  CHECK(g_last_freed == first);

  int* kept = p.release();
  CHECK(kept == second);
  p.reset();
  CHECK(g_freed == 1);
  delete kept;
}

TEST_CASE("CPtr does not call its deleter for null", "[owner]") {
  g_freed = 0;
  { CPtr<int, free_int> p; }
  { CPtr<int, free_int> p(nullptr); }
  CHECK(g_freed == 0);
}

TEST_CASE("CPtr move transfers the object so it is freed once", "[owner]") {
  g_freed = 0;
  {
    CPtr<int, free_int> a(new int(3));
    CPtr<int, free_int> b = std::move(a);
    CHECK(a == nullptr);  // NOLINT(bugprone-use-after-move)
    CHECK(*b == 3);
  }
  CHECK(g_freed == 1);
}
