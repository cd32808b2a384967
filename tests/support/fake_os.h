// FakeOs: the one test double of the OS seam (common/os.h). A test describes the machine it
// needs — variables, home directory, clock, files, programs, random bytes — and hands the
// FakeOs to the code under test; the real process environment is never read or changed.
//
// Defaults: no variables, HOME "/nonexistent-home", the real clock until set_now(), files
// read from the real file system (tests write them under a TempDir) unless put in memory with
// add_file() or made to fail with fail_reads(), programs run for real unless on_run() says
// otherwise, and random bytes from the real generator unless fixed with set_random_byte().
// The view is live: changes after the code under test took the FakeOs are seen on its next
// call.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/os.h"

namespace ecs_mcp::testing {

class FakeOs : public Os {
 public:
  explicit FakeOs(std::string home = "/nonexistent-home") : home_(std::move(home)) {}

  // A shared FakeOs with HOME `home`, for code that keeps the Os it is given.
  static std::shared_ptr<FakeOs> make(std::string home = "/nonexistent-home") {
    return std::make_shared<FakeOs>(std::move(home));
  }

  FakeOs& set(const std::string& name, const std::string& value) {
    std::lock_guard lock(mu_);
    vars_[name] = value;
    return *this;
  }
  FakeOs& unset(const std::string& name) {
    std::lock_guard lock(mu_);
    vars_.erase(name);
    return *this;
  }
  void set_home(std::string home) {
    std::lock_guard lock(mu_);
    home_ = std::move(home);
  }
  // Fixes the clock; advance() moves it.
  void set_now(std::chrono::system_clock::time_point now) {
    std::lock_guard lock(mu_);
    now_ = now;
  }
  void advance(std::chrono::system_clock::duration by) {
    std::lock_guard lock(mu_);
    if (!now_) now_ = std::chrono::system_clock::now();
    *now_ += by;
  }
  // Each now() moves the fixed clock on by `tick` after answering, so that successive
  // readings differ (re-signing a retried request).
  void set_tick(std::chrono::system_clock::duration tick) {
    std::lock_guard lock(mu_);
    tick_ = tick;
  }
  // `path` reads as `content` (subject to max_bytes like a real file).
  void add_file(const std::string& path, std::string content) {
    std::lock_guard lock(mu_);
    files_[path] = std::move(content);
  }
  // Reading `path` fails with `error`.
  void fail_reads(const std::string& path, Error error) {
    std::lock_guard lock(mu_);
    read_failures_.insert_or_assign(path, std::move(error));
  }
  // Every run() goes to `handler` instead of a real process.
  void on_run(std::function<Result<SubprocessResult>(const std::vector<std::string>&,
                                                     const SubprocessOptions&)>
                  handler) {
    std::lock_guard lock(mu_);
    run_ = std::move(handler);
  }
  // random_bytes() fills with `byte`.
  void set_random_byte(unsigned char byte) {
    std::lock_guard lock(mu_);
    random_byte_ = byte;
  }
  // The paths read so far, in order (real and in-memory alike).
  std::vector<std::string> reads() const {
    std::lock_guard lock(mu_);
    return reads_;
  }

  std::optional<std::string> getenv(std::string_view name) const override {
    std::lock_guard lock(mu_);
    auto it = vars_.find(name);
    if (it == vars_.end()) return std::nullopt;
    return it->second;
  }
  std::string home_directory() const override {
    std::lock_guard lock(mu_);
    return home_;
  }
  std::chrono::system_clock::time_point now() const override {
    std::lock_guard lock(mu_);
    if (!now_) return std::chrono::system_clock::now();
    const auto answer = *now_;
    *now_ += tick_;
    return answer;
  }
  Result<std::string> read_file(const std::string& path, size_t max_bytes) const override {
    {
      std::lock_guard lock(mu_);
      reads_.push_back(path);
      if (auto failure = read_failures_.find(path); failure != read_failures_.end()) {
        return failure->second;
      }
      if (auto file = files_.find(path); file != files_.end()) {
        if (file->second.size() > max_bytes) {
          return make_error(ErrorCode::kFileTooLarge,
                            path + " is larger than " + std::to_string(max_bytes) + " bytes");
        }
        return file->second;
      }
    }
    return real_os()->read_file(path, max_bytes);
  }
  Result<SubprocessResult> run(const std::vector<std::string>& argv,
                               const SubprocessOptions& options) const override {
    std::function<Result<SubprocessResult>(const std::vector<std::string>&,
                                           const SubprocessOptions&)>
        handler;
    {
      std::lock_guard lock(mu_);
      handler = run_;
    }
    return handler ? handler(argv, options) : real_os()->run(argv, options);
  }
  Status random_bytes(std::span<unsigned char> out) const override {
    std::optional<unsigned char> byte;
    {
      std::lock_guard lock(mu_);
      byte = random_byte_;
    }
    if (!byte) return real_os()->random_bytes(out);
    for (auto& b : out) b = *byte;
    return {};
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> vars_;
  std::string home_;
  mutable std::optional<std::chrono::system_clock::time_point> now_;
  std::chrono::system_clock::duration tick_{};
  std::map<std::string, std::string> files_;
  std::map<std::string, Error> read_failures_;
  std::function<Result<SubprocessResult>(const std::vector<std::string>&, const SubprocessOptions&)>
      run_;
  std::optional<unsigned char> random_byte_;
  mutable std::vector<std::string> reads_;
};

}  // namespace ecs_mcp::testing
