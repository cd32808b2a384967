#include "ecs/deployment/confirmation.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "aws/sigv4.h"
#include "common/random.h"

namespace ecs_mcp::ecs {

namespace fs = std::filesystem;

namespace {

std::string from_hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

fs::path default_key_file() {
  const char* state = std::getenv("XDG_STATE_HOME");
  if (state && *state) return fs::path(state) / "ecs-mcp" / "confirmation.key";
  const char* home = std::getenv("HOME");
  if (home && *home) return fs::path(home) / ".local" / "state" / "ecs-mcp" / "confirmation.key";
  return {};
}

// Reads the key file, creating it (0600, exclusively) when missing. Empty on any failure.
std::string load_or_create_key(const fs::path& file) {
  if (file.empty()) return "";
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      struct stat st {};
      std::string key(64, '\0');
      ssize_t n = (::fstat(fd, &st) == 0 && (st.st_mode & 077) == 0)
                      ? ::read(fd, key.data(), key.size())
                      : -1;
      ::close(fd);
      if (n == 32) return key.substr(0, 32);
      return "";
    }
    auto fresh = random_bytes(32);
    if (!fresh) return "";
    const std::string& key = *fresh;
    fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) continue;  // someone else created it first: read theirs
    bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
    ::close(fd);
    if (ok) return key;
    ::unlink(file.c_str());
    return "";
  }
  return "";
}

}  // namespace

std::string hmac_sha256_hex(const std::string& key_in, const std::string& message) {
  std::string key = key_in.size() > 64 ? from_hex(aws::sha256_hex(key_in)) : key_in;
  key.resize(64, '\0');
  std::string ipad(64, '\0'), opad(64, '\0');
  for (size_t i = 0; i < 64; ++i) {
    ipad[i] = static_cast<char>(key[i] ^ 0x36);
    opad[i] = static_cast<char>(key[i] ^ 0x5c);
  }
  std::string inner = from_hex(aws::sha256_hex(ipad + message));
  return aws::sha256_hex(opad + inner);
}

ConfirmationTokens::ConfirmationTokens(std::string key_file, std::chrono::seconds lifetime,
                                       Clock clock)
    : key_file_(std::move(key_file)), lifetime_(lifetime), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

const std::string& ConfirmationTokens::key() {
  std::lock_guard lock(mu_);
  if (!key_) {
    std::string k;
    if (key_file_ != "-")
      k = load_or_create_key(key_file_.empty() ? default_key_file() : fs::path(key_file_));
    persistent_ = !k.empty();
    auto fresh = random_bytes(32);
    key_ = persistent_ ? k : (fresh.ok() ? *fresh : std::string());
  }
  return *key_;
}

bool ConfirmationTokens::persistent_key() {
  key();
  std::lock_guard lock(mu_);
  return persistent_;
}

std::string ConfirmationTokens::mac(const std::string& purpose, long long expiry,
                                    const std::vector<std::string>& bound) {
  std::vector<std::string> sorted = bound;
  std::sort(sorted.begin(), sorted.end());
  std::string message = purpose + "\n" + std::to_string(expiry);
  for (const auto& b : sorted) message += "\n" + b;
  return hmac_sha256_hex(key(), message);
}

std::string ConfirmationTokens::issue(const std::string& purpose,
                                      const std::vector<std::string>& bound) {
  long long expiry =
      std::chrono::duration_cast<std::chrono::seconds>((clock_() + lifetime_).time_since_epoch())
          .count();
  return std::to_string(expiry) + "." + mac(purpose, expiry, bound);
}

Status ConfirmationTokens::verify(const std::string& token, const std::string& purpose,
                                  const std::vector<std::string>& bound) {
  auto dot = token.find('.');
  long long expiry = 0;
  try {
    if (dot == std::string::npos) throw std::invalid_argument("no dot");
    expiry = std::stoll(token.substr(0, dot));
  } catch (const std::exception&) {
    return make_error(ErrorCode::kConfirmationMismatch,
                      "the confirmation token is malformed; ask for a new preview (call without "
                      "confirmation_token)");
  }
  std::string expected = mac(purpose, expiry, bound);
  std::string given = token.substr(dot + 1);
  // Constant-time comparison.
  unsigned diff = expected.size() ^ given.size();
  for (size_t i = 0; i < std::min(expected.size(), given.size()); ++i)
    diff |= static_cast<unsigned>(expected[i] ^ given[i]);
  if (diff != 0) {
    return make_error(ErrorCode::kConfirmationMismatch,
                      "the confirmation token does not match these stacks as they are now (or was "
                      "issued by another "
                      "server); ask for a new preview (call without confirmation_token)");
  }
  long long now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
  if (now > expiry) {
    return make_error(
        ErrorCode::kConfirmationExpired,
        "the confirmation token expired; ask for a new preview (call without confirmation_token)");
  }
  return Status::Ok();
}

}  // namespace ecs_mcp::ecs
