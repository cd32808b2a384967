#include "common/file_descriptor.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>

namespace ecs_mcp {
namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1 || errno != EBADF; }

TEST(UniqueFd, ClosesWhenItGoesOutOfScope) {
  int raw = -1;
  {
    UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(fd.ok());
    raw = fd.get();
    EXPECT_TRUE(is_open(raw));
  }
  EXPECT_FALSE(is_open(raw));
}

TEST(UniqueFd, MoveTransfersAndReleaseGivesUp) {
  UniqueFd a(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  const int raw = a.get();
  UniqueFd b(std::move(a));
  EXPECT_FALSE(a.ok());  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  EXPECT_EQ(b.get(), raw);
  UniqueFd c;
  c = std::move(b);
  EXPECT_EQ(c.get(), raw);
  const int released = c.release();
  EXPECT_FALSE(c.ok());
  EXPECT_TRUE(is_open(released));
  ::close(released);
}

TEST(UniqueFd, ResetClosesTheOldDescriptor) {
  UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  const int first = fd.get();
  fd.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  EXPECT_NE(fd.get(), -1);
  if (fd.get() != first) {
    EXPECT_FALSE(is_open(first));
  }
  fd.reset();
  EXPECT_FALSE(fd.ok());
}

TEST(Pipe, CarriesBytesAndIsCloseOnExec) {
  auto pipe = make_pipe();
  ASSERT_TRUE(pipe.ok()) << pipe.error().describe();
  EXPECT_TRUE(::fcntl(pipe->read.get(), F_GETFD) & FD_CLOEXEC);
  EXPECT_TRUE(::fcntl(pipe->write.get(), F_GETFD) & FD_CLOEXEC);
  ASSERT_EQ(::write(pipe->write.get(), "hi", 2), 2);
  pipe->write.reset();
  char buffer[4] = {};
  EXPECT_EQ(::read(pipe->read.get(), buffer, sizeof buffer), 2);
  EXPECT_EQ(std::string(buffer, 2), "hi");
  EXPECT_EQ(::read(pipe->read.get(), buffer, sizeof buffer), 0);  // writer closed: end of file
}

}  // namespace
}  // namespace ecs_mcp
