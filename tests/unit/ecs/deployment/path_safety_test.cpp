// Where containerize_app and create_ecs_infrastructure may read and write.
#include "ecs/deployment/path_safety.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace ecs_mcp::ecs {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

class PathSafetyTest : public ::testing::Test {
 protected:
  PathSafetyTest() {
    fs::create_directories(home.path() / ".aws");
    fs::create_directories(home.path() / ".ssh");
    fs::create_directories(home.path() / "projects" / "web");
    policy.home = home.path();
  }
  TempDir home;
  PathPolicy policy;
};

TEST_F(PathSafetyTest, AcceptsAnOrdinaryAppDirectory) {
  auto r = resolve_app_directory((home.path() / "projects" / "web").string(), policy);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, home.path() / "projects" / "web");
}

TEST_F(PathSafetyTest, RefusesCredentialAndSystemDirectories) {
  for (const std::string& p : std::vector<std::string>{(home.path() / ".aws").string(), (home.path() / ".ssh").string(), std::string("/etc"),
                              std::string("/etc/ssl"), std::string("/proc/self"), std::string("/")}) {
    auto r = resolve_app_directory(p, policy);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.error().code, "SensitivePath") << p << ": " << r.error().message;
  }
}

TEST_F(PathSafetyTest, RefusesTheHomeDirectoryAndAnythingContainingACredentialFolder) {
  auto r = resolve_app_directory(home.path().string(), policy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "SensitivePath");
  auto parent = resolve_app_directory(home.path().parent_path().string(), policy);
  ASSERT_FALSE(parent.ok());
  EXPECT_NE(parent.error().message.find("contains"), std::string::npos) << parent.error().message;
}

TEST_F(PathSafetyTest, ResolvesDotDotAndSymlinksBeforeDeciding) {
  auto dotdot = resolve_app_directory((home.path() / "projects" / "web" / ".." / ".." / ".aws").string(), policy);
  ASSERT_FALSE(dotdot.ok());
  EXPECT_EQ(dotdot.error().code, "SensitivePath");
  fs::create_directory_symlink(home.path() / ".ssh", home.path() / "projects" / "innocent");
  auto link = resolve_app_directory((home.path() / "projects" / "innocent").string(), policy);
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.error().code, "SensitivePath");
}

TEST_F(PathSafetyTest, RefusesRelativeAndMissingPaths) {
  EXPECT_EQ(resolve_app_directory("projects/web", policy).error().code, "InvalidPath");
  EXPECT_EQ(resolve_app_directory((home.path() / "nope").string(), policy).error().code, "NotFound");
  EXPECT_EQ(resolve_input_file((home.path() / "projects").string(), policy).error().code, "InvalidPath");
}

TEST_F(PathSafetyTest, WritesOnlyInsideTheApp) {
  fs::path app = home.path() / "projects" / "web";
  ASSERT_TRUE(write_file_in_app(app, "Dockerfile", "FROM scratch\n", false).ok());
  EXPECT_EQ(read_text_file(app / "Dockerfile").value_or(""), "FROM scratch\n");
  EXPECT_EQ(write_file_in_app(app, "Dockerfile", "x", false).error().code, "AlreadyExists");
  ASSERT_TRUE(write_file_in_app(app, "Dockerfile", "FROM scratch AS b\n", true).ok());
  ASSERT_TRUE(write_file_in_app(app, "a/b/c.json", "{}", false).ok());
  EXPECT_TRUE(fs::exists(app / "a" / "b" / "c.json"));

  EXPECT_EQ(write_file_in_app(app, "../escape", "x", true).error().code, "InvalidPath");
  EXPECT_EQ(write_file_in_app(app, "/tmp/abs", "x", true).error().code, "InvalidPath");
  // A symlinked directory inside the app that leads out of it.
  fs::create_directory_symlink(home.path() / ".aws", app / "out");
  EXPECT_EQ(write_file_in_app(app, "out/credentials", "x", true).error().code, "InvalidPath");
  EXPECT_FALSE(fs::exists(home.path() / ".aws" / "credentials"));
  // A symlinked file.
  fs::create_symlink(home.path() / ".ssh" / "authorized_keys", app / ".dockerignore");
  EXPECT_EQ(write_file_in_app(app, ".dockerignore", "x", true).error().code, "InvalidPath");
  EXPECT_FALSE(fs::exists(home.path() / ".ssh" / "authorized_keys"));
}

}  // namespace
}  // namespace ecs_mcp::ecs
