// PendingBudget: a bound on the memory that requests waiting for their answers may hold,
// shared by every session of a transport.
//
// A transport estimates what a message will cost once parsed (estimated_message_bytes() in
// jsonrpc.h) and reserves that much before parsing it; the Lease it gets is kept with the
// request's reply and gives the bytes back when the reply is destroyed (the answer went out).
// A request that does not fit is refused at once, so a burst of large or deeply nested
// messages while calls wait on slow work costs a bounded amount of memory, not their number
// times their size.
//
// Thread-safety: try_reserve() and in_use() from any thread; a Lease may be released on any
// thread and may outlive the transport (it shares ownership of the count).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>

namespace ecs_mcp::mcp {

class PendingBudget {
 public:
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    size_t bytes() const { return bytes_; }

   private:
    friend class PendingBudget;
    Lease(std::shared_ptr<std::atomic<size_t>> used, size_t bytes);
    void release();

    std::shared_ptr<std::atomic<size_t>> used_;
    size_t bytes_ = 0;
  };

  explicit PendingBudget(size_t max_bytes);

  // A lease on `bytes`, or nullopt when that would pass the budget.
  std::optional<Lease> try_reserve(size_t bytes);
  size_t in_use() const { return used_->load(); }
  size_t max_bytes() const { return max_bytes_; }

 private:
  size_t max_bytes_;
  std::shared_ptr<std::atomic<size_t>> used_ = std::make_shared<std::atomic<size_t>>(0);
};

}  // namespace ecs_mcp::mcp
