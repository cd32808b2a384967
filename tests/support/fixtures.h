// The files tests read (tests/fixtures: recorded AWS responses, sample apps) and a temporary
// directory that cleans up after itself.
//
// Thread-safety: free functions are safe to call concurrently; a TempDir belongs to one test.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace ecs_mcp::testing {

// tests/ in the source tree. (Not __FILE__: with ccache's base_dir it is relative to the build
// directory, not to where a test runs.)
std::filesystem::path tests_dir();
// tests/fixtures.
std::filesystem::path fixtures_dir();
// tests/fixtures/aws_responses/<relative>.
std::filesystem::path aws_response_path(const std::filesystem::path& relative);
// The text of tests/fixtures/<relative>; a missing file fails the running test.
std::string read_fixture(const std::filesystem::path& relative);
nlohmann::json fixture_json(const std::filesystem::path& relative);
// tests/fixtures/apps/<name>, canonical.
std::filesystem::path sample_app(const std::string& name);

// A fresh directory under the system temporary directory, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "ecs-mcp-test-");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/relative, creating directories, and returns the full path.
  std::filesystem::path write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace ecs_mcp::testing
