// The OS seam: the real machine behind it, the forwarding wrapper, and the test double every
// other suite uses in its place.
#include "common/os.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/fake_os.h"

namespace ecs_mcp {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ecs-mcp-os-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name, const std::string& text) const {
    const std::string full = path_ + "/" + name;
    std::ofstream(full) << text;
    return full;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(RealOs, ReadsTheProcessEnvironmentWithoutChangingIt) {
  const Os& os = *real_os();
  const char* path = std::getenv("PATH");
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(os.getenv("PATH"), std::string(path));
  EXPECT_EQ(os.getenv("ECS_MCP_SURELY_NOT_SET_ANYWHERE"), std::nullopt);
  EXPECT_FALSE(os.home_directory().empty());
  EXPECT_EQ(real_os().get(), real_os().get()) << "one instance for the process";
}

TEST(RealOs, ClockIsTheSystemClock) {
  const auto before = system_clock::now();
  const auto now = real_os()->now();
  EXPECT_LE(before, now);
  EXPECT_LE(now, system_clock::now());
}

TEST(RealOs, ReadsOnlyBoundedRegularFiles) {
  ScratchDir dir;
  const Os& os = *real_os();
  EXPECT_EQ(os.read_file(dir.file("a.txt", "hello"), 5).value(), "hello");
  EXPECT_EQ(os.read_file(dir.file("b.txt", "hello!"), 5).error().code, ErrorCode::kFileTooLarge);
  EXPECT_EQ(os.read_file(dir.path() + "/missing", 5).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(os.read_file(dir.path(), 5).error().code, ErrorCode::kNotRegularFile);
  const std::string fifo = dir.path() + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(os.read_file(fifo, 5).error().code, ErrorCode::kNotRegularFile)
      << "and it did not block";
}

TEST(RealOs, RunsProgramsAndDrawsRandomBytes) {
  auto ran = real_os()->run({"/bin/sh", "-c", "printf 'out'; exit 3"}, {});
  ASSERT_TRUE(ran.ok()) << ran.error().describe();
  EXPECT_EQ(ran->exit_code, 3);
  EXPECT_EQ(ran->out, "out");

  std::array<unsigned char, 32> a{}, b{};
  ASSERT_TRUE(real_os()->random_bytes(a).ok());
  ASSERT_TRUE(real_os()->random_bytes(b).ok());
  EXPECT_NE(a, b);
}

TEST(Os, EnvTreatsEmptyAsUnsetWhileGetenvDoesNot) {
  testing::FakeOs os;
  os.set("EMPTY", "").set("SET", "v");
  EXPECT_EQ(os.getenv("EMPTY"), std::string());
  EXPECT_EQ(os.env("EMPTY"), std::nullopt);
  EXPECT_EQ(os.env("SET"), "v");
  EXPECT_EQ(os.env("UNSET"), std::nullopt);
}

// A wrapper changes only what it overrides; everything else reaches the wrapped Os.
TEST(OsWrapper, ForwardsWhatItDoesNotOverride) {
  class NoHome final : public OsWrapper {
   public:
    using OsWrapper::OsWrapper;
    std::string home_directory() const override { return "/elsewhere"; }
  };
  auto inner = testing::FakeOs::make("/home/u");
  inner->set("X", "1");
  inner->set_now(system_clock::from_time_t(1000));
  inner->add_file("/f", "text");
  NoHome os(inner);
  EXPECT_EQ(os.home_directory(), "/elsewhere");
  EXPECT_EQ(os.getenv("X"), "1");
  EXPECT_EQ(os.now(), system_clock::from_time_t(1000));
  EXPECT_EQ(os.read_file("/f", 10).value(), "text");
}

TEST(FakeOs, DescribesAMachine) {
  testing::FakeOs os("/home/t");
  EXPECT_EQ(os.home_directory(), "/home/t");
  EXPECT_EQ(os.getenv("PATH"), std::nullopt) << "nothing leaks in from the real environment";

  os.set_now(system_clock::from_time_t(100));
  os.advance(seconds(5));
  EXPECT_EQ(os.now(), system_clock::from_time_t(105));
  os.set_tick(seconds(1));
  EXPECT_EQ(os.now(), system_clock::from_time_t(105));
  EXPECT_EQ(os.now(), system_clock::from_time_t(106));

  os.add_file("/etc/app.conf", "abc");
  EXPECT_EQ(os.read_file("/etc/app.conf", 3).value(), "abc");
  EXPECT_EQ(os.read_file("/etc/app.conf", 2).error().code, ErrorCode::kFileTooLarge);
  os.fail_reads("/etc/app.conf", make_error(ErrorCode::kReadFailed, "injected"));
  EXPECT_EQ(os.read_file("/etc/app.conf", 3).error().message, "injected");
  EXPECT_EQ(os.reads().size(), 3u);

  os.on_run([](const std::vector<std::string>& argv, const SubprocessOptions&) {
    SubprocessResult r;
    r.exit_code = 0;
    r.out = "ran " + argv.at(0);
    return Result<SubprocessResult>(r);
  });
  EXPECT_EQ(os.run({"/usr/bin/aws"}, {})->out, "ran /usr/bin/aws");

  os.set_random_byte(0x2a);
  std::array<unsigned char, 4> bytes{};
  ASSERT_TRUE(os.random_bytes(bytes).ok());
  EXPECT_EQ(bytes, (std::array<unsigned char, 4>{0x2a, 0x2a, 0x2a, 0x2a}));
}

}  // namespace
}  // namespace ecs_mcp
