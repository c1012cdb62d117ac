// Loop lifecycle. The destructor drains close callbacks so wrappers destroyed
// just before it still free their state.
#include "libcore/event/loop.hpp"

#include <cstdlib>

#include "libcore/base/log.hpp"
#include "libcore/event/timer.hpp"

namespace pillarbox::event {

std::string uv_error_text(int rc) {
  std::string out = uv_strerror(rc);
  out += " (";
  out += uv_err_name(rc);
  out += ")";
  return out;
}

Loop::Loop() {
  int rc = uv_loop_init(&loop_);
  if (rc != 0) {
    log::error("uv_loop_init: {}", uv_error_text(rc));
    std::abort();
  }
}

Loop::~Loop() {
  // Let pending close callbacks run so their state is freed.
  for (int i = 0; i < 8 && uv_loop_alive(&loop_); ++i) uv_run(&loop_, UV_RUN_NOWAIT);
  if (uv_loop_close(&loop_) == UV_EBUSY) {
    // A handle outlived its owner: close what is left rather than abort.
    uv_walk(&loop_, [](uv_handle_t* h, void*) { if (!uv_is_closing(h)) uv_close(h, nullptr); }, nullptr);
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
  }
}

void Loop::run() { uv_run(&loop_, UV_RUN_DEFAULT); }
void Loop::run_once() { uv_run(&loop_, UV_RUN_ONCE); }
void Loop::stop() { uv_stop(&loop_); }

bool Loop::run_until(const std::function<bool()>& pred, std::chrono::milliseconds deadline) {
  if (pred()) return true;
  bool expired = false;
  uv_update_time(&loop_);  // the deadline counts from now, not from the last iteration
  Timer timer(*this);
  timer.start(static_cast<uint64_t>(deadline.count()), 0, [&expired] { expired = true; });
  while (!pred() && !expired) uv_run(&loop_, UV_RUN_ONCE);
  return pred();
}

}  // namespace pillarbox::event
