#include "ecs/deployment/path_safety.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>
#include <utility>

#include "common/file_descriptor.h"
#include "common/random.h"
#include "common/regular_file.h"

namespace ecs_mcp::ecs {

namespace fs = std::filesystem;

namespace {

fs::path home_of(const PathPolicy& policy) {
  if (!policy.home.empty()) return policy.home;
  const char* h = std::getenv("HOME");
  return h && *h ? fs::path(h) : fs::path();
}

// `inner` equals `outer` or lies below it (both canonical/lexically normal).
bool is_within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

fs::path canonical_or_normal(const fs::path& p) {
  std::error_code ec;
  auto c = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

std::optional<std::string> sensitive_reason(const fs::path& resolved, const PathPolicy& policy) {
  if (resolved == resolved.root_path()) return "it is the root directory";
  fs::path home = home_of(policy);
  if (!home.empty()) {
    fs::path canon_home = canonical_or_normal(home);
    if (resolved == canon_home) {
      return "it is the home directory, which holds credential folders such as ~/.aws and ~/.ssh";
    }
  }
  for (const auto& s : sensitive_locations(policy)) {
    fs::path canon = canonical_or_normal(s);
    if (is_within(resolved, canon)) return "it is inside " + canon.string();
    if (is_within(canon, resolved)) return "it contains " + canon.string();
  }
  return std::nullopt;
}

Result<fs::path> resolve_existing(const std::string& path, const PathPolicy& policy,
                                  bool want_directory) {
  if (path.empty()) return make_error(ErrorCode::kInvalidPath, "the path is empty");
  if (path.find('\0') != std::string::npos)
    return make_error(ErrorCode::kInvalidPath, "the path contains a NUL byte");
  fs::path p(path);
  if (!p.is_absolute()) {
    return make_error(ErrorCode::kInvalidPath,
                      "\"" + path + "\" is not an absolute path; pass the full path");
  }
  std::error_code ec;
  fs::path resolved = fs::canonical(p, ec);
  if (ec)
    return make_error(ErrorCode::kNotFound,
                      "\"" + path + "\" does not exist or cannot be read (" + ec.message() + ")");
  if (auto why = sensitive_reason(resolved, policy)) {
    return make_error(ErrorCode::kSensitivePath, "refusing \"" + path + "\" (resolved to " +
                                                     resolved.string() + "): " + *why +
                                                     ". Point at the application's own directory.");
  }
  bool is_dir = fs::is_directory(resolved, ec);
  if (want_directory && !is_dir)
    return make_error(ErrorCode::kInvalidPath, "\"" + path + "\" is not a directory");
  if (!want_directory && (is_dir || !fs::is_regular_file(resolved, ec))) {
    return make_error(ErrorCode::kInvalidPath, "\"" + path + "\" is not a regular file");
  }
  return resolved;
}

std::string errno_message() { return std::error_code(errno, std::generic_category()).message(); }

// The directory `name` inside `dir`, opened only if it is a directory and not a link.
int open_directory_at(int dir, const char* name) {
  return ::openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

Error symlink_refusal(const fs::path& where) {
  return make_error(ErrorCode::kInvalidPath,
                    "refusing to write through " + where.string() +
                        ": it is a symlink, and files are written only inside the app directory");
}

// Why open_directory_at(parent, name) failed, as an Error; `where` is that directory's path.
// (Linux reports a link met with O_NOFOLLOW | O_DIRECTORY as ENOTDIR, other systems as ELOOP.)
Error refuse_directory(int parent, const char* name, const fs::path& where,
                       const std::string& doing) {
  int e = errno;
  struct stat st {};
  if ((e == ELOOP || e == ENOTDIR) && ::fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISLNK(st.st_mode)) {
    return symlink_refusal(where);
  }
  if (e == ENOTDIR)
    return make_error(ErrorCode::kInvalidPath,
                      "cannot " + doing + ": " + where.string() + " is not a directory");
  return make_error(ErrorCode::kWriteFailed,
                    "cannot " + doing + ": cannot open " + where.string() + ": " +
                        std::error_code(e, std::generic_category()).message());
}

// Opens the canonical directory `path` one component at a time from the root, following no
// link: a canonical path has none, so a link met now was put there after it was resolved.
Result<UniqueFd> open_directory_without_links(const fs::path& path) {
  UniqueFd dir(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  fs::path walked = path.root_path();
  for (const auto& part : path.relative_path()) {
    if (!dir.ok()) break;
    if (part.empty()) continue;
    walked /= part;
    UniqueFd next(open_directory_at(dir.get(), part.c_str()));
    if (!next.ok())
      return refuse_directory(dir.get(), part.c_str(), walked, "write into " + path.string());
    dir = std::move(next);
  }
  if (!dir.ok())
    return make_error(ErrorCode::kWriteFailed,
                      "cannot open " + path.string() + ": " + errno_message());
  return Result<UniqueFd>(std::move(dir));
}

// A new, empty file next to `name` in `dir` under a random name: its name and descriptor.
Result<std::pair<std::string, UniqueFd>> create_temporary_file(int dir, const std::string& name) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    auto suffix = random_hex(8);
    if (!suffix) return make_error(ErrorCode::kWriteFailed, suffix.error().message);
    std::string temp = "." + name.substr(0, 200) + ".ecs-mcp-" + *suffix + ".tmp";
    UniqueFd fd(
        ::openat(dir, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (fd.ok()) return std::make_pair(std::move(temp), std::move(fd));
    if (errno != EEXIST) return make_error(ErrorCode::kWriteFailed, errno_message());
  }
  return make_error(ErrorCode::kWriteFailed, "no free temporary name");
}

}  // namespace

std::vector<fs::path> sensitive_locations(const PathPolicy& policy) {
  std::vector<fs::path> out = {"/etc",     "/root", "/proc",           "/sys",     "/dev", "/boot",
                               "/var/run", "/run",  "/var/lib/docker", "/var/log", "/bin", "/sbin",
                               "/lib",     "/lib64"};
  fs::path home = home_of(policy);
  if (!home.empty()) {
    for (const char* d : {".aws", ".ssh", ".kube", ".gnupg", ".docker", ".config/gcloud", ".azure",
                          ".config/gh", ".netrc", ".git-credentials", ".password-store",
                          ".local/share/keyrings", ".finch", ".config/containers"}) {
      out.push_back(home / d);
    }
  }
  return out;
}

Result<fs::path> resolve_app_directory(const std::string& path, const PathPolicy& policy) {
  return resolve_existing(path, policy, true);
}

Result<fs::path> resolve_input_file(const std::string& path, const PathPolicy& policy) {
  return resolve_existing(path, policy, false);
}

Status write_file_in_app(const fs::path& app_dir, const std::string& relative,
                         const std::string& content, bool overwrite, const PathPolicy& policy) {
  // The names to walk below the app: no absolute path, no climbing out, at least a file name.
  fs::path rel(relative);
  if (relative.empty() || relative.find('\0') != std::string::npos || rel.is_absolute()) {
    return make_error(ErrorCode::kInvalidPath,
                      "\"" + relative + "\" must be a relative path inside the app");
  }
  std::vector<std::string> parts;
  for (const auto& part : rel.lexically_normal()) {
    if (part == "..")
      return make_error(ErrorCode::kInvalidPath, "\"" + relative + "\" climbs out of the app");
    if (!part.empty() && part != ".") parts.push_back(part.string());
  }
  if (parts.empty())
    return make_error(ErrorCode::kInvalidPath,
                      "\"" + relative + "\" names the app directory, not a file in it");

  // The app directory was vetted when the tool started; it may have been swapped for a link
  // since, so it is resolved and vetted again, then opened without following any link.
  std::error_code ec;
  fs::path root = fs::canonical(app_dir, ec);
  if (ec)
    return make_error(ErrorCode::kNotFound,
                      app_dir.string() + " cannot be resolved: " + ec.message());
  if (auto why = sensitive_reason(root, policy)) {
    return make_error(ErrorCode::kSensitivePath, "refusing to write into " + app_dir.string() +
                                                     " (resolved to " + root.string() +
                                                     "): " + *why);
  }
  auto opened = open_directory_without_links(root);
  if (!opened.ok()) return opened.error();
  UniqueFd dir = std::move(*opened);

  // Each directory below it is opened (or created) without following a link.
  fs::path shown = root;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const char* name = parts[i].c_str();
    shown /= parts[i];
    UniqueFd next(open_directory_at(dir.get(), name));
    if (!next.ok() && errno == ENOENT) {
      if (::mkdirat(dir.get(), name, 0755) != 0 && errno != EEXIST) {
        return make_error(ErrorCode::kWriteFailed,
                          "cannot create " + shown.string() + ": " + errno_message());
      }
      next = UniqueFd(open_directory_at(dir.get(), name));
    }
    if (!next.ok())
      return refuse_directory(dir.get(), name, shown,
                              "write " + (root / rel.lexically_normal()).string());
    dir = std::move(next);
  }

  const std::string& name = parts.back();
  const fs::path target = shown / name;
  struct stat existing {};
  bool exists = ::fstatat(dir.get(), name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0;
  if (!exists && errno != ENOENT)
    return make_error(ErrorCode::kWriteFailed,
                      "cannot inspect " + target.string() + ": " + errno_message());
  if (exists) {
    if (S_ISLNK(existing.st_mode)) return symlink_refusal(target);
    if (!S_ISREG(existing.st_mode))
      return make_error(ErrorCode::kInvalidPath, target.string() + " is not a regular file");
    if (!overwrite)
      return make_error(ErrorCode::kAlreadyExists, target.string() + " already exists");
  }

  // The content goes to a new file under an unpredictable name (O_EXCL: never an existing file
  // or a planted link), reaches the disk, then takes the target's place in one step.
  auto temp = create_temporary_file(dir.get(), name);
  if (!temp.ok())
    return make_error(ErrorCode::kWriteFailed, "cannot create a temporary file in " +
                                                   shown.string() + ": " + temp.error().message);
  const std::string temp_name = std::move(temp->first);
  UniqueFd out = std::move(temp->second);
  auto fail = [&](const std::string& what) -> Status {
    std::string why = errno_message();
    ::unlinkat(dir.get(), temp_name.c_str(), 0);
    return make_error(ErrorCode::kWriteFailed,
                      "cannot " + what + " " + target.string() + ": " + why);
  };
  if (exists) (void)::fchmod(out.get(), existing.st_mode & 07777);  // keep the file's permissions
  for (size_t done = 0; done < content.size();) {
    ssize_t n = ::write(out.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("write");
    done += static_cast<size_t>(n);
  }
  if (::fsync(out.get()) != 0 || ::close(out.release()) != 0) return fail("write");

  // A link may have appeared at the target meanwhile: renaming replaces it rather than writing
  // through it, but it is refused all the same.
  if (::fstatat(dir.get(), name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISLNK(existing.st_mode)) {
    ::unlinkat(dir.get(), temp_name.c_str(), 0);
    return symlink_refusal(target);
  }
  if (overwrite) {
    if (::renameat(dir.get(), temp_name.c_str(), dir.get(), name.c_str()) != 0)
      return fail("replace");
  } else if (::linkat(dir.get(), temp_name.c_str(), dir.get(), name.c_str(), 0) == 0) {
    // A hard link never replaces anything, so a file that appeared meanwhile is kept.
    ::unlinkat(dir.get(), temp_name.c_str(), 0);
  } else if (errno == EEXIST) {
    ::unlinkat(dir.get(), temp_name.c_str(), 0);
    return make_error(ErrorCode::kAlreadyExists, target.string() + " already exists");
  } else if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == EMLINK) {
    // A file system without hard links: rename, which at worst replaces a file created since
    // the check above (a rename never writes through a link).
    if (::renameat(dir.get(), temp_name.c_str(), dir.get(), name.c_str()) != 0)
      return fail("create");
  } else {
    return fail("create");
  }
  (void)::fsync(dir.get());  // the new directory entry, best effort
  return Status::Ok();
}

std::optional<std::string> read_text_file(const fs::path& file, size_t max_bytes) {
  auto text = read_regular_file(file.string(), max_bytes, /*truncate=*/true);
  if (!text.ok()) return std::nullopt;
  return std::move(text).value();
}

}  // namespace ecs_mcp::ecs
