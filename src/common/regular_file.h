// read_regular_file: reads a file the user controls without ever blocking on it.
//
// A path in the user's app may name a FIFO, a socket or a device as easily as a file: opening
// a FIFO for reading waits for a writer, and reading a device may never end. The file is opened
// with O_NONBLOCK (so opening never waits), checked with fstat on the descriptor it gave (no
// window for a swap between check and read), refused unless it is a regular file, and refused
// when larger than `max_bytes` (so a huge file costs nothing), or with `truncate` read only as
// far as its first `max_bytes`. Errors: "NotFound" (no such file), "NotRegularFile",
// "FileTooLarge", "ReadFailed" (any other failure to open or read, such as permissions).
//
// Thread-safety: a pure function over the file system; no shared state.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "common/result.h"

namespace ecs_mcp {

inline Result<std::string> read_regular_file(const std::string& path, size_t max_bytes,
                                             bool truncate = false) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return make_error(
        error == ENOENT || error == ENOTDIR ? ErrorCode::kNotFound : ErrorCode::kReadFailed,
        "cannot open " + path + ": " + std::strerror(error));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return make_error(ErrorCode::kReadFailed,
                      "cannot inspect " + path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) {
    return make_error(
        ErrorCode::kNotRegularFile,
        path + " is not a regular file (a FIFO, socket, device or directory); it was not read");
  }
  if (static_cast<unsigned long long>(st.st_size) > max_bytes && !truncate) {
    return make_error(ErrorCode::kFileTooLarge,
                      path + " holds " + std::to_string(st.st_size) + " bytes, more than the " +
                          std::to_string(max_bytes) + " it may have; it was not read");
  }
  std::string out;
  out.resize(std::min(static_cast<size_t>(st.st_size), max_bytes));
  size_t got = 0;
  // The file may have grown since fstat: read at most one byte past max_bytes to notice.
  while (got <= max_bytes) {
    if (got == out.size()) out.resize(std::min(max_bytes + 1, out.size() + 4096));
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return make_error(ErrorCode::kReadFailed,
                        "cannot read " + path + ": " + std::strerror(errno));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got > max_bytes && truncate) {
    got = max_bytes;
  } else if (got > max_bytes) {
    return make_error(ErrorCode::kFileTooLarge, path + " grew beyond " + std::to_string(max_bytes) +
                                                    " bytes while being read");
  }
  out.resize(got);
  return out;
}

}  // namespace ecs_mcp
