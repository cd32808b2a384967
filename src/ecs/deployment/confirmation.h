// Confirmation tokens for destructive deletions: a preview hands out a token bound to exactly
// the stacks it showed (their stack IDs) and to an expiry a few minutes ahead; the deletion
// runs only when the same token comes back before it expires and the stacks are still those.
//
// A token is "<expiry epoch seconds>.<HMAC-SHA256 hex>" over the purpose, the expiry and the
// bound values. The key is 32 random bytes kept in $XDG_STATE_HOME/ecs-mcp/confirmation.key
// (default ~/.local/state/ecs-mcp/, mode 0600), read the first time a token is needed, so a
// token survives the one-process-per-call way platform agents run this server; when that file
// cannot be used the key lives in this process only and the token works only in this session.
//
// Thread-safety: ConfirmationTokens is safe to use from several threads.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace ecs_mcp::ecs {

std::string hmac_sha256_hex(const std::string& key, const std::string& message);

class ConfirmationTokens {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  // `key_file` empty: the default location; "-": a per-process key only.
  explicit ConfirmationTokens(std::string key_file = {},
                              std::chrono::seconds lifetime = std::chrono::minutes(10),
                              Clock clock = {});

  std::string issue(const std::string& purpose, const std::vector<std::string>& bound);
  // Ok, or "ConfirmationExpired" / "ConfirmationMismatch" with a message for the user.
  Status verify(const std::string& token, const std::string& purpose,
                const std::vector<std::string>& bound);
  std::chrono::seconds lifetime() const { return lifetime_; }
  // False when the key is per-process (the file could not be used).
  bool persistent_key();

 private:
  const std::string& key();
  std::string mac(const std::string& purpose, long long expiry,
                  const std::vector<std::string>& bound);

  std::string key_file_;
  std::chrono::seconds lifetime_;
  Clock clock_;
  std::mutex mu_;
  std::optional<std::string> key_;
  bool persistent_ = false;
};

}  // namespace ecs_mcp::ecs
