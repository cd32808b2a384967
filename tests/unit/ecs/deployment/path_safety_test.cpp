// Where containerize_app and create_ecs_infrastructure may read and write.
#include "ecs/deployment/path_safety.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "common/regular_file.h"
#include "support/fixtures.h"

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

TEST_F(PathSafetyTest, ReadsOnlyRegularFilesAndNeverBlocks) {
  fs::path dir = home.path() / "projects" / "web";
  std::ofstream(dir / "package.json") << "{}";
  ASSERT_EQ(::mkfifo((dir / "fifo.json").c_str(), 0600), 0);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(read_text_file(dir / "fifo.json"), std::nullopt)
      << "a FIFO with no writer is refused, not waited on";
  auto fifo = read_regular_file((dir / "fifo.json").string(), 1024);
  ASSERT_FALSE(fifo.ok());
  EXPECT_EQ(fifo.error().code, ErrorCode::kNotRegularFile);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(read_regular_file(dir.string(), 1024).error().code, ErrorCode::kNotRegularFile);
  EXPECT_EQ(read_regular_file("/dev/zero", 1024).error().code, ErrorCode::kNotRegularFile);
  EXPECT_EQ(read_regular_file((dir / "package.json").string(), 1).error().code,
            ErrorCode::kFileTooLarge);
  EXPECT_EQ(read_regular_file((dir / "package.json").string(), 2).value(), "{}");
  EXPECT_EQ(read_regular_file((dir / "package.json").string(), 1, /*truncate=*/true).value(), "{");
  EXPECT_EQ(read_regular_file((dir / "missing").string(), 2).error().code, ErrorCode::kNotFound);
}

TEST_F(PathSafetyTest, AcceptsAnOrdinaryAppDirectory) {
  auto r = resolve_app_directory((home.path() / "projects" / "web").string(), policy);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, home.path() / "projects" / "web");
}

TEST_F(PathSafetyTest, RefusesCredentialAndSystemDirectories) {
  for (const std::string& p : std::vector<std::string>{
           (home.path() / ".aws").string(), (home.path() / ".ssh").string(), std::string("/etc"),
           std::string("/etc/ssl"), std::string("/proc/self"), std::string("/")}) {
    auto r = resolve_app_directory(p, policy);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.error().code, ErrorCode::kSensitivePath) << p << ": " << r.error().message;
  }
}

TEST_F(PathSafetyTest, RefusesTheHomeDirectoryAndAnythingContainingACredentialFolder) {
  auto r = resolve_app_directory(home.path().string(), policy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kSensitivePath);
  auto parent = resolve_app_directory(home.path().parent_path().string(), policy);
  ASSERT_FALSE(parent.ok());
  EXPECT_NE(parent.error().message.find("contains"), std::string::npos) << parent.error().message;
}

TEST_F(PathSafetyTest, ResolvesDotDotAndSymlinksBeforeDeciding) {
  auto dotdot = resolve_app_directory(
      (home.path() / "projects" / "web" / ".." / ".." / ".aws").string(), policy);
  ASSERT_FALSE(dotdot.ok());
  EXPECT_EQ(dotdot.error().code, ErrorCode::kSensitivePath);
  fs::create_directory_symlink(home.path() / ".ssh", home.path() / "projects" / "innocent");
  auto link = resolve_app_directory((home.path() / "projects" / "innocent").string(), policy);
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.error().code, ErrorCode::kSensitivePath);
}

TEST_F(PathSafetyTest, RefusesRelativeAndMissingPaths) {
  EXPECT_EQ(resolve_app_directory("projects/web", policy).error().code, ErrorCode::kInvalidPath);
  EXPECT_EQ(resolve_app_directory((home.path() / "nope").string(), policy).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(resolve_input_file((home.path() / "projects").string(), policy).error().code,
            ErrorCode::kInvalidPath);
}

TEST_F(PathSafetyTest, WritesOnlyInsideTheApp) {
  fs::path app = home.path() / "projects" / "web";
  ASSERT_TRUE(write_file_in_app(app, "Dockerfile", "FROM scratch\n", false).ok());
  EXPECT_EQ(read_text_file(app / "Dockerfile").value_or(""), "FROM scratch\n");
  EXPECT_EQ(write_file_in_app(app, "Dockerfile", "x", false).error().code,
            ErrorCode::kAlreadyExists);
  ASSERT_TRUE(write_file_in_app(app, "Dockerfile", "FROM scratch AS b\n", true).ok());
  ASSERT_TRUE(write_file_in_app(app, "a/b/c.json", "{}", false).ok());
  EXPECT_TRUE(fs::exists(app / "a" / "b" / "c.json"));

  EXPECT_EQ(write_file_in_app(app, "../escape", "x", true).error().code, ErrorCode::kInvalidPath);
  EXPECT_EQ(write_file_in_app(app, "/tmp/abs", "x", true).error().code, ErrorCode::kInvalidPath);
  // A symlinked directory inside the app that leads out of it.
  fs::create_directory_symlink(home.path() / ".aws", app / "out");
  EXPECT_EQ(write_file_in_app(app, "out/credentials", "x", true).error().code,
            ErrorCode::kInvalidPath);
  EXPECT_FALSE(fs::exists(home.path() / ".aws" / "credentials"));
  // A symlinked file.
  fs::create_symlink(home.path() / ".ssh" / "authorized_keys", app / ".dockerignore");
  EXPECT_EQ(write_file_in_app(app, ".dockerignore", "x", true).error().code,
            ErrorCode::kInvalidPath);
  EXPECT_FALSE(fs::exists(home.path() / ".ssh" / "authorized_keys"));
}

// A file outside the app that an attacker wants truncated (think ~/.bashrc).
class WriteThroughLinksTest : public PathSafetyTest {
 protected:
  WriteThroughLinksTest() {
    fs::create_directories(outside);
    std::ofstream(victim) << "precious\n";
  }
  std::string victim_text() { return read_text_file(victim).value_or("<gone>"); }
  fs::path app = home.path() / "projects" / "web";
  fs::path outside = home.path() / "elsewhere";
  fs::path victim = outside / "bashrc";
};

TEST_F(WriteThroughLinksTest, APlantedLinkAtTheOldTemporaryNameIsNotFollowed) {
  fs::create_symlink(victim, app / "Dockerfile.ecs-mcp-tmp");
  fs::create_directories(app / "cloudformation-templates");
  fs::create_symlink(victim,
                     app / "cloudformation-templates" / "shop-ecs-infrastructure.json.ecs-mcp-tmp");
  ASSERT_TRUE(write_file_in_app(app, "Dockerfile", "FROM scratch\n", true, policy).ok());
  ASSERT_TRUE(write_file_in_app(app, "cloudformation-templates/shop-ecs-infrastructure.json", "{}",
                                true, policy)
                  .ok());
  EXPECT_EQ(victim_text(), "precious\n");
  EXPECT_FALSE(fs::is_symlink(app / "Dockerfile"));
  EXPECT_EQ(read_text_file(app / "Dockerfile").value_or(""), "FROM scratch\n");
  EXPECT_EQ(read_text_file(app / "cloudformation-templates" / "shop-ecs-infrastructure.json")
                .value_or(""),
            "{}");
  // No temporary file is left behind.
  for (const auto& e : fs::recursive_directory_iterator(app)) {
    if (fs::is_symlink(e.symlink_status())) continue;  // the planted links
    EXPECT_EQ(e.path().filename().string().find(".ecs-mcp-"), std::string::npos) << e.path();
  }
}

TEST_F(WriteThroughLinksTest, ALinkAtTheTargetIsRefusedEvenWhenItPointsInsideTheApp) {
  fs::create_symlink(victim, app / "Dockerfile");
  auto st = write_file_in_app(app, "Dockerfile", "x", true, policy);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidPath);
  EXPECT_NE(st.error().message.find("symlink"), std::string::npos) << st.error().message;
  EXPECT_EQ(victim_text(), "precious\n");
  EXPECT_TRUE(fs::is_symlink(app / "Dockerfile"));

  std::ofstream(app / "real.json") << "{}";
  fs::create_symlink(app / "real.json", app / "alias.json");
  EXPECT_EQ(write_file_in_app(app, "alias.json", "x", true, policy).error().code,
            ErrorCode::kInvalidPath);
  EXPECT_EQ(write_file_in_app(app, "alias.json", "x", false, policy).error().code,
            ErrorCode::kInvalidPath);
  EXPECT_EQ(read_text_file(app / "real.json").value_or(""), "{}");
}

TEST_F(WriteThroughLinksTest, ALinkedSubdirectoryIsRefused) {
  fs::create_directory_symlink(outside, app / "cloudformation-templates");
  auto st = write_file_in_app(app, "cloudformation-templates/bashrc", "x", true, policy);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidPath);
  EXPECT_NE(st.error().message.find("cloudformation-templates"), std::string::npos)
      << st.error().message;
  EXPECT_NE(st.error().message.find("symlink"), std::string::npos) << st.error().message;
  EXPECT_EQ(victim_text(), "precious\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(outside), fs::directory_iterator()), 1)
      << "nothing created outside";

  // Deeper, and a link to a directory inside the app: writes never pass through a link.
  fs::create_directories(app / "a");
  fs::create_directory_symlink(outside, app / "a" / "b");
  EXPECT_EQ(write_file_in_app(app, "a/b/c/d.json", "x", true, policy).error().code,
            ErrorCode::kInvalidPath);
  EXPECT_FALSE(fs::exists(outside / "c"));
  fs::create_directory_symlink(app / "a", app / "inner");
  EXPECT_EQ(write_file_in_app(app, "inner/x.json", "x", true, policy).error().code,
            ErrorCode::kInvalidPath);
  EXPECT_FALSE(fs::exists(app / "a" / "x.json"));
}

TEST_F(WriteThroughLinksTest, NamesThatClimbOutOrAreNotFilesAreRefused) {
  for (const std::string& rel :
       {std::string("../elsewhere/bashrc"), std::string("a/../../elsewhere/bashrc"),
        std::string(".."), std::string("."), std::string("a/.."), std::string(""),
        std::string("/etc/passwd"), std::string("a\0b", 3)}) {
    auto st = write_file_in_app(app, rel, "x", true, policy);
    ASSERT_FALSE(st.ok()) << rel;
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidPath) << rel << ": " << st.error().message;
  }
  EXPECT_EQ(victim_text(), "precious\n");
  fs::create_directories(app / "dir");
  EXPECT_EQ(write_file_in_app(app, "dir", "x", true, policy).error().code, ErrorCode::kInvalidPath);
  ASSERT_TRUE(write_file_in_app(app, "a/../b/./c.txt", "ok", false, policy).ok());
  EXPECT_EQ(read_text_file(app / "b" / "c.txt").value_or(""), "ok");
}

TEST_F(WriteThroughLinksTest, TheAppDirectoryIsCheckedAgainWhenWriting) {
  // The directory vetted earlier is now a link to a credential folder.
  fs::create_directory_symlink(home.path() / ".ssh", home.path() / "projects" / "swapped");
  auto st = write_file_in_app(home.path() / "projects" / "swapped", "authorized_keys",
                              "ssh-ed25519 AAAA evil", true, policy);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kSensitivePath) << st.error().message;
  EXPECT_FALSE(fs::exists(home.path() / ".ssh" / "authorized_keys"));
  EXPECT_EQ(write_file_in_app(home.path() / ".aws", "credentials", "x", true, policy).error().code,
            ErrorCode::kSensitivePath);
  EXPECT_FALSE(fs::exists(home.path() / ".aws" / "credentials"));
  EXPECT_EQ(write_file_in_app(home.path(), "x", "x", true, policy).error().code,
            ErrorCode::kSensitivePath);
}

TEST_F(WriteThroughLinksTest, KeepsAnExistingFileUnlessOverwriting) {
  std::ofstream(app / "Dockerfile") << "FROM mine\n";
  EXPECT_EQ(write_file_in_app(app, "Dockerfile", "x", false, policy).error().code,
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(read_text_file(app / "Dockerfile").value_or(""), "FROM mine\n");
  ASSERT_TRUE(write_file_in_app(app, "Dockerfile", "FROM new\n", true, policy).ok());
  EXPECT_EQ(read_text_file(app / "Dockerfile").value_or(""), "FROM new\n");
  auto perms = fs::status(app / "Dockerfile").permissions();
  EXPECT_NE(perms & fs::perms::owner_read, fs::perms::none);
  EXPECT_EQ(perms & fs::perms::others_write, fs::perms::none);
}

}  // namespace
}  // namespace ecs_mcp::ecs
