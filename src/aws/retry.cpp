#include "aws/retry.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <thread>

#include "common/random.h"

namespace ecs_mcp::aws {
namespace {

constexpr std::array<std::string_view, 14> kThrottlingCodes = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

constexpr std::array<std::string_view, 6> kTransientCodes = {
    "RequestTimeout",  "RequestTimeoutException", "InternalError",
    "InternalFailure", "ServiceUnavailable",      "IDPCommunicationError",
};

constexpr std::array<ErrorCode, 4> kRetryableTransportCodes = {
    ErrorCode::kHttpTimeout, ErrorCode::kHttpConnectError, ErrorCode::kHttpSendError,
    ErrorCode::kHttpRecvError};

template <typename Code, size_t N>
bool contains(const std::array<Code, N>& codes, const Code& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// Full jitter; without system randomness the full delay is the safe side.
double default_random() {
  auto fraction = random_fraction();
  return fraction.ok() ? *fraction : 1.0;
}

}  // namespace

bool is_throttling(const Error& error) {
  const bool throttled = error.code == ErrorCode::kServiceError &&
                         contains(kThrottlingCodes, std::string_view(error.service_code));
  return throttled || error.http_status == 429;
}

bool is_retryable(const Error& error) {
  if (error.is_cancelled()) return false;
  if (contains(kRetryableTransportCodes, error.code)) return true;
  if (is_throttling(error)) return true;
  if (error.code == ErrorCode::kServiceError &&
      contains(kTransientCodes, std::string_view(error.service_code)))
    return true;
  const int status = error.http_status;
  return status == 500 || status == 502 || status == 503 || status == 504;
}

bool StandardRetryPolicy::on_failure(const Error& error) {
  ++attempts_;
  return attempts_ < max_attempts_ && is_retryable(error);
}

ExponentialJitterBackoff::ExponentialJitterBackoff(std::chrono::milliseconds base,
                                                   std::chrono::milliseconds cap,
                                                   RandomSource random)
    : base_(base), cap_(cap), random_(random ? std::move(random) : RandomSource(default_random)) {}

std::unique_ptr<BackoffPolicy> ExponentialJitterBackoff::clone() const {
  return std::make_unique<ExponentialJitterBackoff>(base_, cap_, random_);
}

std::chrono::milliseconds ExponentialJitterBackoff::on_completion() {
  // Cap the exponent: beyond 2^20 the cap has long taken over and the shift would overflow.
  const int exponent = std::min(retries_++, 20);
  const auto ceiling = std::min<std::chrono::milliseconds::rep>(
      base_.count() * (std::chrono::milliseconds::rep{1} << exponent), cap_.count());
  return std::chrono::milliseconds(
      static_cast<std::chrono::milliseconds::rep>(random_() * static_cast<double>(ceiling)));
}

RetryOptions RetryOptions::from_environment(const Os& os) {
  RetryOptions options;
  if (auto text = os.env("AWS_MAX_ATTEMPTS")) {
    try {
      size_t used = 0;
      int value = std::stoi(*text, &used);
      if (used == text->size() && value > 0) {
        options.retry_policy = std::make_shared<StandardRetryPolicy>(value);
      }
    } catch (...) {
      // Not a number: keep the default, as the AWS CLI does with a malformed value.
    }
  }
  return options;
}

bool sleep_unless_cancelled(std::chrono::milliseconds delay,
                            const std::function<bool()>& cancelled) {
  constexpr auto kSlice = std::chrono::milliseconds(50);
  auto deadline = std::chrono::steady_clock::now() + delay;
  while (true) {
    if (cancelled && cancelled()) return false;
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return true;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(deadline - now, kSlice));
  }
}

}  // namespace ecs_mcp::aws
