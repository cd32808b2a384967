// Retry and backoff: when to try an AWS call again, and how long to wait first.
//
// As in google-cloud-cpp, the two questions are separate objects: a RetryPolicy decides
// whether an error is worth another attempt and whether attempts are exhausted; a
// BackoffPolicy produces the delays. Both are prototypes cloned per call, so one configured
// policy serves many concurrent calls. The defaults follow the SDKs' "standard" mode: 3
// attempts (AWS_MAX_ATTEMPTS overrides), delay random * min(2^attempt * base, 20 s).
//
// Thread-safety: a policy object is used by one call at a time; the prototypes are only
// cloned, which is safe concurrently.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "aws/endpoints.h"
#include "common/result.h"

namespace ecs_mcp::aws {

// Throttling codes, transient codes, HTTP 500/502/503/504 and the transport failures that
// mean "the request may not have reached AWS or the answer got lost". Never a cancellation,
// never other 4xx.
bool is_retryable(const Error& error);
bool is_throttling(const Error& error);

class RetryPolicy {
 public:
  virtual ~RetryPolicy() = default;
  virtual std::unique_ptr<RetryPolicy> clone() const = 0;
  // Records a failed attempt; true when another attempt should be made.
  virtual bool on_failure(const Error& error) = 0;
  virtual int attempts() const = 0;
};

class StandardRetryPolicy final : public RetryPolicy {
 public:
  explicit StandardRetryPolicy(int max_attempts = 3) : max_attempts_(max_attempts) {}
  std::unique_ptr<RetryPolicy> clone() const override {
    return std::make_unique<StandardRetryPolicy>(max_attempts_);
  }
  bool on_failure(const Error& error) override;
  int attempts() const override { return attempts_; }
  int max_attempts() const { return max_attempts_; }

 private:
  int max_attempts_;
  int attempts_ = 0;
};

class BackoffPolicy {
 public:
  virtual ~BackoffPolicy() = default;
  virtual std::unique_ptr<BackoffPolicy> clone() const = 0;
  // The delay before the next attempt; called once per retry.
  virtual std::chrono::milliseconds on_completion() = 0;
};

// delay = random() * min(base * 2^retry, cap), retry counting from 0.
class ExponentialJitterBackoff final : public BackoffPolicy {
 public:
  using RandomSource = std::function<double()>;  // uniform in [0, 1)
  ExponentialJitterBackoff(std::chrono::milliseconds base = std::chrono::milliseconds(1000),
                           std::chrono::milliseconds cap = std::chrono::milliseconds(20000),
                           RandomSource random = {});
  std::unique_ptr<BackoffPolicy> clone() const override;
  std::chrono::milliseconds on_completion() override;

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  RandomSource random_;
  int retries_ = 0;
};

// What a client needs to retry: the two prototypes and a way to wait. `sleep` returns
// false when the wait was cut short by cancellation; tests inject one that never waits.
struct RetryOptions {
  std::shared_ptr<const RetryPolicy> retry_policy = std::make_shared<StandardRetryPolicy>();
  std::shared_ptr<const BackoffPolicy> backoff_policy =
      std::make_shared<ExponentialJitterBackoff>();
  std::function<bool(std::chrono::milliseconds, const std::function<bool()>& cancelled)> sleep;

  // Standard mode with AWS_MAX_ATTEMPTS applied when it is a positive integer.
  static RetryOptions from_environment(const Os& os = *real_os());
};

// Sleeps in short slices, returning false as soon as `cancelled` says so.
bool sleep_unless_cancelled(std::chrono::milliseconds delay,
                            const std::function<bool()>& cancelled);

}  // namespace ecs_mcp::aws
