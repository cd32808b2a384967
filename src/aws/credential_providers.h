// The individual credential sources of the default chain (see credentials.h).
//
// Each provider answers get() with credentials, with Error kCredentialsNotConfigured when its
// source is absent here (the message says what was looked for, for the chain's summary), or
// with another Error when the source is configured but failed. None of them caches: the chain
// puts one CachingCredentialsProvider in front of the whole list.
//
// Thread-safety: get() may be called concurrently; CredentialContext loads the shared files
// once under a lock.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "aws/shared_config.h"
#include "common/result.h"

namespace ecs_mcp::aws {

// What the providers of one chain share.
class CredentialContext {
 public:
  CredentialContext(std::shared_ptr<const Os> os, std::shared_ptr<HttpClient> http,
                    ChainOptions options);

  const Os& os() const { return *os_; }
  const std::shared_ptr<const Os>& shared_os() const { return os_; }
  // Null when the chain was built without one; network sources then fail with "NoHttpClient".
  HttpClient* http() const { return http_.get(); }
  const ChainOptions& options() const { return options_; }
  std::chrono::system_clock::time_point now() const { return os_->now(); }

  // The shared files, read on first use and then kept.
  Result<std::shared_ptr<const SharedConfig>> shared_config();

  // options.profile, else AWS_PROFILE / AWS_DEFAULT_PROFILE, else "default".
  const std::string& profile_name() const { return profile_name_; }
  // Whether the name was chosen by someone rather than defaulted; then it must exist.
  bool profile_explicit() const { return profile_explicit_; }
  // "AWS_PROFILE", "AWS_DEFAULT_PROFILE" or "the profile option": for messages.
  const std::string& profile_origin() const { return profile_origin_; }

 private:
  std::shared_ptr<const Os> os_;
  std::shared_ptr<HttpClient> http_;
  ChainOptions options_;
  std::string profile_name_;
  bool profile_explicit_ = false;
  std::string profile_origin_;
  std::mutex mu_;
  std::optional<Result<std::shared_ptr<const SharedConfig>>> shared_config_;
};

// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN, or the older
// AWS_SECURITY_TOKEN).
class EnvironmentCredentialsProvider : public CredentialsProvider {
 public:
  explicit EnvironmentCredentialsProvider(std::shared_ptr<CredentialContext> context)
      : context_(std::move(context)) {}
  Result<Credentials> get() override;

 private:
  std::shared_ptr<CredentialContext> context_;
};

// The selected profile of the shared files: static keys, role_arn with source_profile (which
// may chain) or credential_source, role_arn with web_identity_token_file, credential_process.
// A profile that exists but holds none of these is "not configured"; a named profile that is
// missing, a cycle of source_profiles or a failing source is an error.
class ProfileCredentialsProvider : public CredentialsProvider {
 public:
  // An empty `profile` means the context's selected profile.
  explicit ProfileCredentialsProvider(std::shared_ptr<CredentialContext> context,
                                      std::string profile = {})
      : context_(std::move(context)), profile_(std::move(profile)) {}
  Result<Credentials> get() override;

  // Error "ProfileNotFound" when the profile was named explicitly but is in neither file.
  // The chain asks this first, so a mistyped AWS_PROFILE is reported even when other
  // sources (environment keys) would have answered, as the CLI does.
  Status check_profile_exists();

 private:
  std::shared_ptr<CredentialContext> context_;
  std::string profile_;
};

// AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN [+ AWS_ROLE_SESSION_NAME]:
// STS AssumeRoleWithWebIdentity (EKS IRSA and similar).
class WebIdentityCredentialsProvider : public CredentialsProvider {
 public:
  explicit WebIdentityCredentialsProvider(std::shared_ptr<CredentialContext> context)
      : context_(std::move(context)) {}
  Result<Credentials> get() override;

 private:
  std::shared_ptr<CredentialContext> context_;
};

// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (ECS task role) or AWS_CONTAINER_CREDENTIALS_FULL_URI
// (loopback, ECS or EKS Pod Identity hosts only), with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
// or AWS_CONTAINER_AUTHORIZATION_TOKEN sent as the Authorization header.
class ContainerCredentialsProvider : public CredentialsProvider {
 public:
  explicit ContainerCredentialsProvider(std::shared_ptr<CredentialContext> context)
      : context_(std::move(context)) {}
  Result<Credentials> get() override;

 private:
  std::shared_ptr<CredentialContext> context_;
};

// The EC2 instance role through IMDSv2 (falling back to IMDSv1 when the token endpoint is
// absent, as the CLI does). Skipped when AWS_EC2_METADATA_DISABLED=true. When `required` is
// false (its place at the end of the chain) an unreachable endpoint means "not configured";
// when true (credential_source = Ec2InstanceMetadata) it is an error.
class InstanceMetadataCredentialsProvider : public CredentialsProvider {
 public:
  explicit InstanceMetadataCredentialsProvider(std::shared_ptr<CredentialContext> context,
                                               bool required = false)
      : context_(std::move(context)), required_(required) {}
  Result<Credentials> get() override;

 private:
  std::shared_ptr<CredentialContext> context_;
  bool required_;
};

// Runs `command` with /bin/sh -c through `os` (stdin from /dev/null, so it cannot eat the
// server's own stdin), and parses what it prints: {"Version": 1, "AccessKeyId", "SecretAccessKey",
// "SessionToken", "Expiration"}. A non-zero exit is Error "CredentialProcessError" carrying
// the exit status and the command's stderr.
Result<Credentials> run_credential_process(const Os& os, const std::string& command,
                                           std::chrono::seconds timeout, std::string source);
Result<Credentials> parse_credential_process_output(std::string_view json, std::string source);

// "2024-05-01T12:00:00Z", with optional fractional seconds and a "+hh:mm" offset in place of Z.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace ecs_mcp::aws
