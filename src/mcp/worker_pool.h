// WorkerPool: runs submitted tasks on a bounded set of threads created on demand.
//
// No thread exists until the first task arrives, so a process that only answers
// initialize and tools/list never pays for threads. Up to `max_threads` run at once; more
// tasks wait in FIFO order. The destructor runs what is queued, then joins.
//
// Thread-safety: submit() may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ecs_mcp::mcp {

class WorkerPool {
 public:
  explicit WorkerPool(size_t max_threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(std::function<void()> task);
  size_t thread_count() const;

 private:
  void run();

  const size_t max_threads_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace ecs_mcp::mcp
