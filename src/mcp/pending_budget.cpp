#include "mcp/pending_budget.h"

#include <utility>

namespace ecs_mcp::mcp {

PendingBudget::Lease::Lease(std::shared_ptr<std::atomic<size_t>> used, size_t bytes)
    : used_(std::move(used)), bytes_(bytes) {}

PendingBudget::Lease::Lease(Lease&& other) noexcept
    : used_(std::move(other.used_)), bytes_(std::exchange(other.bytes_, 0)) {}

PendingBudget::Lease& PendingBudget::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    used_ = std::move(other.used_);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

PendingBudget::Lease::~Lease() { release(); }

void PendingBudget::Lease::release() {
  if (used_) used_->fetch_sub(bytes_);
  used_.reset();
  bytes_ = 0;
}

PendingBudget::PendingBudget(size_t max_bytes) : max_bytes_(max_bytes) {}

std::optional<PendingBudget::Lease> PendingBudget::try_reserve(size_t bytes) {
  size_t current = used_->load();
  do {
    if (bytes > max_bytes_ || current > max_bytes_ - bytes) return std::nullopt;
  } while (!used_->compare_exchange_weak(current, current + bytes));
  return Lease(used_, bytes);
}

}  // namespace ecs_mcp::mcp
