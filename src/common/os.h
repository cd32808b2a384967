// Os: the one seam through which the program reaches the operating system, in the spirit of
// leveldb's Env. Environment variables and the home directory, the wall clock, files,
// processes and randomness are asked of an Os, never of the C library directly, so that a test
// can describe a whole machine (tests/support/fake_os.h) without touching the real one, and
// fault injection needs no global state.
//
// real_os() is the process's own machine. Callers keep a std::shared_ptr<const Os> when they
// outlive the call (credential providers, clients) and take a `const Os&` otherwise.
//
// Thread-safety: every member may be called concurrently; implementations must allow it.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/subprocess.h"

namespace ecs_mcp {

class Os {
 public:
  virtual ~Os() = default;

  // The variable's value, or nullopt when it is not set (an empty value is a value).
  virtual std::optional<std::string> getenv(std::string_view name) const = 0;
  // The user's home directory: $HOME, else the password database; empty when neither says.
  virtual std::string home_directory() const = 0;

  // Wall-clock time, for signing and credential expiry.
  virtual std::chrono::system_clock::time_point now() const = 0;

  // A regular file's bytes, with read_regular_file's contract (common/regular_file.h): never
  // blocks on a FIFO or device, refuses anything but a regular file, refuses files larger
  // than `max_bytes`. Errors "NotFound", "NotRegularFile", "FileTooLarge", "ReadFailed".
  virtual Result<std::string> read_file(const std::string& path, size_t max_bytes) const = 0;

  // Runs a program, with run_subprocess's contract (common/subprocess.h).
  virtual Result<SubprocessResult> run(const std::vector<std::string>& argv,
                                       const SubprocessOptions& options) const = 0;

  // Fills `out` from a cryptographically secure generator, with random_bytes's contract.
  virtual Status random_bytes(std::span<unsigned char> out) const = 0;

  // The variable's value when it is set and not empty. The AWS SDKs treat an empty variable
  // as unset, and so does every caller that asks this way: `AWS_PROFILE= cmd` means "none".
  std::optional<std::string> env(std::string_view name) const;
};

// Forwards every call to another Os; a subclass overrides what it changes (a view of the
// environment with some variables hidden, a clock that runs differently, injected faults).
class OsWrapper : public Os {
 public:
  explicit OsWrapper(std::shared_ptr<const Os> target) : target_(std::move(target)) {}

  std::optional<std::string> getenv(std::string_view name) const override {
    return target_->getenv(name);
  }
  std::string home_directory() const override { return target_->home_directory(); }
  std::chrono::system_clock::time_point now() const override { return target_->now(); }
  Result<std::string> read_file(const std::string& path, size_t max_bytes) const override {
    return target_->read_file(path, max_bytes);
  }
  Result<SubprocessResult> run(const std::vector<std::string>& argv,
                               const SubprocessOptions& options) const override {
    return target_->run(argv, options);
  }
  Status random_bytes(std::span<unsigned char> out) const override {
    return target_->random_bytes(out);
  }

 private:
  std::shared_ptr<const Os> target_;
};

// The real machine: getenv, $HOME or getpwuid_r, system_clock, read_regular_file,
// run_subprocess, RAND_bytes. One instance for the process.
const std::shared_ptr<const Os>& real_os();

}  // namespace ecs_mcp
