// AWS credentials and the providers that find them.
//
// A CredentialsProvider returns the credentials to sign with now; providers of temporary
// credentials cache them and refresh shortly before `expiration`. The default chain follows
// the AWS CLI's order: environment, shared files (profile; role_arn + source_profile,
// credential_process, web identity), web identity from the environment, container
// credentials, EC2 instance metadata (IMDSv2). When nothing is found the error lists every
// source that was tried. The individual providers live in credential_providers.h.
//
// Building the chain does no I/O at all: the first get() reads the files and, only if it
// has to, the network. Variables, files, the clock and credential_process are reached through
// the Os the chain is given (common/os.h). Per-process start-up cost matters because a server is
// spawned for every tool call.
//
// Thread-safety: get() may be called concurrently from many threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "aws/http_client.h"
#include "aws/shared_config.h"
#include "common/os.h"
#include "common/result.h"

namespace ecs_mcp::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;
  std::string source;  // where they came from, for messages: "environment", "profile dev", ...
};

// The error code of a provider whose source is simply absent (no variables set, no such
// profile, no instance role): the chain moves on to the next source. Any other error means
// the source is configured but failed, and the chain stops with it, as the CLI does.
inline constexpr ErrorCode kCredentialsNotConfigured = ErrorCode::kCredentialsNotConfigured;

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  virtual Result<Credentials> get() = 0;
};

// Decorator that caches what `inner` returns. Credentials without an expiration are kept for
// the life of the process; temporary ones are refreshed once `os->now()` is within
// `refresh_before_expiry` of their expiration. If a refresh fails while the cached
// credentials have not yet expired, the cached ones are returned (the refresh is retried on
// the next call); once they have expired, the error is returned.
//
// One refresh runs at a time, and no lock is held while it runs (a credential_process may take
// up to a minute): callers that arrive meanwhile sign with the cached credentials while they are
// still valid, and only callers that have nothing valid wait, for that refresh's outcome rather
// than starting their own.
class CachingCredentialsProvider : public CredentialsProvider {
 public:
  explicit CachingCredentialsProvider(
      std::shared_ptr<CredentialsProvider> inner,
      std::chrono::seconds refresh_before_expiry = std::chrono::minutes(5),
      std::shared_ptr<const Os> os = real_os());
  Result<Credentials> get() override;

 private:
  std::shared_ptr<CredentialsProvider> inner_;
  std::chrono::seconds refresh_before_expiry_;
  std::shared_ptr<const Os> os_;
  std::mutex mu_;  // guards the members below; never held while `inner_` runs
  std::condition_variable refreshed_;
  bool refreshing_ = false;
  uint64_t refresh_generation_ = 0;  // counts finished refreshes
  std::optional<Credentials> cached_;
  std::optional<Error> last_error_;  // of the last refresh, when it failed
};

struct ChainOptions {
  // Like `aws --profile NAME`: overrides AWS_PROFILE and, as in the CLI, takes precedence
  // over credentials in environment variables.
  std::string profile;
  // The shared files when the caller has loaded them already (e.g. to resolve the region);
  // otherwise they are loaded on the first get().
  std::shared_ptr<const SharedConfig> shared_config;
  std::chrono::seconds refresh_before_expiry{300};
  // Base URL for AWS_CONTAINER_CREDENTIALS_RELATIVE_URI; tests point it at loopback.
  std::string container_endpoint = "http://169.254.170.2";
  std::chrono::milliseconds container_timeout{2000};
  // Empty: AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://169.254.169.254.
  std::string imds_endpoint;
  // Short and a single attempt, so that "not on EC2" costs at most this once.
  std::chrono::milliseconds imds_timeout{1000};
  // A credential_process that runs longer than this is killed.
  std::chrono::seconds process_timeout{60};
};

// The chain described at the top of this file, wrapped in a CachingCredentialsProvider.
// When no source has credentials: Error "NoCredentials" listing each source and how to fix
// it. An explicitly selected profile (options.profile, AWS_PROFILE, AWS_DEFAULT_PROFILE) that
// is in neither file: Error "ProfileNotFound".
std::shared_ptr<CredentialsProvider> make_default_credentials_chain(
    std::shared_ptr<const Os> os, std::shared_ptr<HttpClient> http, ChainOptions options = {});

}  // namespace ecs_mcp::aws
