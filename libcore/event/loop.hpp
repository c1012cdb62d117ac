// Loop: owns one uv_loop_t. Each daemon and each test makes its own. Only the
// thread running the loop may touch its handles; other threads use Async.
// Handles must be closed (their wrappers destroyed) before the Loop is.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace pillarbox::event {

// "uv_strerror(rc)" with the libuv error name, for log lines.
std::string uv_error_text(int rc);

class Loop {
 public:
  Loop();
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  uv_loop_t* get() { return &loop_; }

  // Runs until stop() or until no handle is active.
  void run();
  // Runs one iteration, waiting for an event if any handle is active.
  void run_once();
  void stop();
  // Runs until pred() holds or the deadline passes; returns pred(). Meant for
  // tests and shutdown paths, never for request handling.
  bool run_until(const std::function<bool()>& pred, std::chrono::milliseconds deadline);
  // The loop's cached monotonic time in milliseconds.
  uint64_t now_ms() const { return uv_now(&loop_); }

 private:
  uv_loop_t loop_{};
};

}  // namespace pillarbox::event
