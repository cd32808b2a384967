#include "ecs/deployment/path_safety.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

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
  if (path.empty()) return make_error("InvalidPath", "the path is empty");
  if (path.find('\0') != std::string::npos) return make_error("InvalidPath", "the path contains a NUL byte");
  fs::path p(path);
  if (!p.is_absolute()) {
    return make_error("InvalidPath", "\"" + path + "\" is not an absolute path; pass the full path");
  }
  std::error_code ec;
  fs::path resolved = fs::canonical(p, ec);
  if (ec) return make_error("NotFound", "\"" + path + "\" does not exist or cannot be read (" + ec.message() + ")");
  if (auto why = sensitive_reason(resolved, policy)) {
    return make_error("SensitivePath", "refusing \"" + path + "\" (resolved to " + resolved.string() +
                                           "): " + *why + ". Point at the application's own directory.");
  }
  bool is_dir = fs::is_directory(resolved, ec);
  if (want_directory && !is_dir) return make_error("InvalidPath", "\"" + path + "\" is not a directory");
  if (!want_directory && (is_dir || !fs::is_regular_file(resolved, ec))) {
    return make_error("InvalidPath", "\"" + path + "\" is not a regular file");
  }
  return resolved;
}

}  // namespace

std::vector<fs::path> sensitive_locations(const PathPolicy& policy) {
  std::vector<fs::path> out = {"/etc", "/root", "/proc", "/sys", "/dev", "/boot", "/var/run",
                               "/run", "/var/lib/docker", "/var/log", "/bin", "/sbin",
                               "/lib", "/lib64"};
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
                         const std::string& content, bool overwrite) {
  fs::path rel(relative);
  if (relative.empty() || rel.is_absolute()) {
    return make_error("InvalidPath", "\"" + relative + "\" must be a relative path inside the app");
  }
  for (const auto& part : rel.lexically_normal()) {
    if (part == "..") return make_error("InvalidPath", "\"" + relative + "\" climbs out of the app");
  }
  std::error_code ec;
  fs::path root = fs::canonical(app_dir, ec);
  if (ec) return make_error("NotFound", app_dir.string() + " cannot be resolved: " + ec.message());
  fs::path target = root / rel.lexically_normal();
  fs::path parent = target.parent_path();
  // Create missing directories one level at a time, checking each resolved level stays inside.
  fs::path walk = root;
  for (const auto& part : fs::relative(parent, root)) {
    if (part == ".") continue;
    walk /= part;
    if (!fs::exists(fs::symlink_status(walk, ec))) {
      fs::create_directory(walk, ec);
      if (ec) return make_error("WriteFailed", "cannot create " + walk.string() + ": " + ec.message());
    }
    fs::path resolved = fs::canonical(walk, ec);
    if (ec || !is_within(resolved, root)) {
      return make_error("InvalidPath", walk.string() + " leads outside the app directory");
    }
  }
  auto st = fs::symlink_status(target, ec);
  if (fs::is_symlink(st)) {
    return make_error("InvalidPath", target.string() + " is a symlink; refusing to write through it");
  }
  if (fs::exists(st)) {
    if (!fs::is_regular_file(st)) return make_error("InvalidPath", target.string() + " is not a regular file");
    if (!overwrite) return make_error("AlreadyExists", target.string() + " already exists");
  }
  fs::path tmp = target;
  tmp += ".ecs-mcp-tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return make_error("WriteFailed", "cannot write " + tmp.string());
    out << content;
    if (!out.flush()) return make_error("WriteFailed", "cannot write " + tmp.string());
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return make_error("WriteFailed", "cannot write " + target.string());
  }
  return Status::Ok();
}

std::optional<std::string> read_text_file(const fs::path& file, size_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string s(max_bytes, '\0');
  in.read(s.data(), static_cast<std::streamsize>(max_bytes));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

}  // namespace ecs_mcp::ecs
