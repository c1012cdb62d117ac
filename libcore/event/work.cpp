// queue_work over uv_queue_work; the request frees itself after completion.
#include "libcore/event/work.hpp"

namespace pillarbox::event {
namespace {
struct WorkReq {
  uv_work_t req{};
  std::function<void()> work;
  std::function<void()> after;
};
}  // namespace

void queue_work(Loop& loop, std::function<void()> work, std::function<void()> after) {
  auto* w = new WorkReq;
  w->work = std::move(work);
  w->after = std::move(after);
  w->req.data = w;
  uv_queue_work(loop.get(), &w->req,
                [](uv_work_t* r) { static_cast<WorkReq*>(r->data)->work(); },
                [](uv_work_t* r, int) {
                  auto* wr = static_cast<WorkReq*>(r->data);
                  if (wr->after) wr->after();
                  delete wr;
                });
}

}  // namespace pillarbox::event
