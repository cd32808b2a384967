#include "common/os.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "common/random.h"
#include "common/regular_file.h"

namespace ecs_mcp {

std::optional<std::string> Os::env(std::string_view name) const {
  auto value = getenv(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

namespace {

std::string home_from_passwd() {
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::string buffer(size > 0 ? static_cast<size_t>(size) : 16384, '\0');
  passwd pw{};
  passwd* found = nullptr;
  if (getpwuid_r(getuid(), &pw, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr) {
    return found->pw_dir;
  }
  return {};
}

class RealOs final : public Os {
 public:
  std::optional<std::string> getenv(std::string_view name) const override {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  }

  std::string home_directory() const override {
    const char* home = std::getenv("HOME");
    return (home != nullptr && *home != '\0') ? std::string(home) : home_from_passwd();
  }

  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }

  Result<std::string> read_file(const std::string& path, size_t max_bytes) const override {
    return read_regular_file(path, max_bytes);
  }

  Result<SubprocessResult> run(const std::vector<std::string>& argv,
                               const SubprocessOptions& options) const override {
    return run_subprocess(argv, options);
  }

  Status random_bytes(std::span<unsigned char> out) const override {
    return ecs_mcp::random_bytes(out);
  }
};

}  // namespace

const std::shared_ptr<const Os>& real_os() {
  static const std::shared_ptr<const Os> os = std::make_shared<RealOs>();
  return os;
}

}  // namespace ecs_mcp
