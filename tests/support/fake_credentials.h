// FakeCredentialsProvider: fixed credentials for signing in tests, counting the calls, with a
// failure or numbered keys on demand for the tests of what caches and refreshes them.
//
// Thread-safety: get() and the setters may be called from any thread.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "aws/credentials.h"

namespace ecs_mcp::testing {

class FakeCredentialsProvider : public aws::CredentialsProvider {
 public:
  // AKIDTEST / secret, no session token, source "test".
  FakeCredentialsProvider() : FakeCredentialsProvider("AKIDTEST", "secret") {}
  FakeCredentialsProvider(std::string access_key_id, std::string secret_access_key,
                          std::string session_token = "") {
    credentials_.access_key_id = std::move(access_key_id);
    credentials_.secret_access_key = std::move(secret_access_key);
    credentials_.session_token = std::move(session_token);
    credentials_.source = "test";
  }

  Result<aws::Credentials> get() override {
    std::lock_guard lock(mu_);
    ++calls_;
    if (failure_) return *failure_;
    aws::Credentials c = credentials_;
    if (numbered_) c.access_key_id += std::to_string(calls_);
    return c;
  }

  int calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  // Each get() returns the access key id followed by the call's number (1, 2, ...), so a test
  // can tell which call its credentials came from.
  void number_keys() {
    std::lock_guard lock(mu_);
    numbered_ = true;
  }
  void expire_at(std::optional<std::chrono::system_clock::time_point> expiration) {
    std::lock_guard lock(mu_);
    credentials_.expiration = expiration;
  }
  // get() fails with `error` until succeed().
  void fail_with(Error error) {
    std::lock_guard lock(mu_);
    failure_ = std::move(error);
  }
  void succeed() {
    std::lock_guard lock(mu_);
    failure_.reset();
  }

 private:
  mutable std::mutex mu_;
  aws::Credentials credentials_;
  std::optional<Error> failure_;
  bool numbered_ = false;
  int calls_ = 0;
};

}  // namespace ecs_mcp::testing
