#include "support/fixtures.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

namespace ecs_mcp::testing {

std::filesystem::path tests_dir() { return ECS_MCP_TESTS_DIR; }

std::filesystem::path fixtures_dir() { return tests_dir() / "fixtures"; }

std::filesystem::path aws_response_path(const std::filesystem::path& relative) {
  return fixtures_dir() / "aws_responses" / relative;
}

std::string read_fixture(const std::filesystem::path& relative) {
  const auto path = fixtures_dir() / relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json fixture_json(const std::filesystem::path& relative) {
  return nlohmann::json::parse(read_fixture(relative));
}

std::filesystem::path sample_app(const std::string& name) {
  return std::filesystem::canonical(fixtures_dir() / "apps" / name);
}

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = std::filesystem::canonical(pattern);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempDir::write(const std::string& relative,
                                     const std::string& content) const {
  const auto full = path_ / relative;
  std::filesystem::create_directories(full.parent_path());
  std::ofstream(full, std::ios::binary) << content;
  return full;
}

}  // namespace ecs_mcp::testing
