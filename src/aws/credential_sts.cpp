#include "aws/credential_sts.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "aws/credential_providers.h"
#include "aws/sts.h"
#include "common/json_fields.h"
#include "common/strings.h"

namespace ecs_mcp::aws {

namespace {

using nlohmann::json;

// Where and how the credential chain reaches STS for `region`.
struct StsTarget {
  ServiceDescriptor service;
  std::string region;
  EnvLookup env;
};

StsTarget sts_target(const Environment& env, std::string_view region) {
  StsTarget target{sts_service(), std::string(region), {}};
  if (target.region.empty()) {
    target.service.endpoint.global = true;
    target.region = "us-east-1";
  }
  const auto ignore = env.value("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  const bool ignore_endpoint_urls = ignore && ascii_lower(*ignore) == "true";
  target.env = [env, ignore_endpoint_urls](const std::string& name) -> std::optional<std::string> {
    if (ignore_endpoint_urls && name.starts_with("AWS_ENDPOINT_URL")) return std::nullopt;
    return env.value(name);
  };
  return target;
}

class StaticCredentialsProvider : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials)
      : credentials_(std::move(credentials)) {}
  Result<Credentials> get() override { return credentials_; }

 private:
  Credentials credentials_;
};

Result<Credentials> call_sts(HttpClient& http, const Environment& env, std::string_view region,
                             std::optional<Credentials> signer, std::string_view action,
                             const json& params, const AssumeRoleParams& role,
                             std::chrono::system_clock::time_point now) {
  const std::string what = "STS " + std::string(action) + " for " + role.role_arn;
  StsTarget target = sts_target(env, region);
  ClientConfig config;
  config.region = target.region;
  config.env = std::move(target.env);
  config.retry = RetryOptions::from_environment(config.env);
  // The chain's HttpClient outlives the call: share it without owning it.
  config.http = std::shared_ptr<HttpClient>(std::shared_ptr<HttpClient>(), &http);
  if (signer) {
    config.credentials = std::make_shared<StaticCredentialsProvider>(std::move(*signer));
  } else {
    config.sign_requests = false;
  }
  config.clock = [now] { return now; };
  const AwsClient client(std::move(target.service), std::move(config));

  CallOptions options;
  options.connect_timeout = std::chrono::seconds(5);
  options.timeout = std::chrono::seconds(30);
  auto answer = client.call(std::string(action), params, options);
  if (!answer) {
    Error e = std::move(answer).take_error();
    e.message = what + ": " + e.message;
    return e;
  }
  const json& result = *answer;
  const std::string request_id =
      string_field(result.value("ResponseMetadata", json::object()), "RequestId");
  const auto creds = result.find("Credentials");
  if (creds == result.end() || !creds->is_object()) {
    return Error{
        ErrorCode::kInvalidResponse,
        what + ": the response has no " + std::string(action) + "Result/Credentials element",
        request_id,
        200,
        {}};
  }
  Credentials out;
  out.access_key_id = string_field(*creds, "AccessKeyId");
  out.secret_access_key = string_field(*creds, "SecretAccessKey");
  out.session_token = string_field(*creds, "SessionToken");
  out.expiration = parse_iso8601(string_field(*creds, "Expiration"));
  if (!out.expiration) {  // unreadable expiry: assume a short life rather than for ever
    out.expiration = std::chrono::system_clock::now() + std::chrono::minutes(10);
  }
  out.source = role.source;
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    return Error{ErrorCode::kInvalidResponse,
                 what + ": the response has no AccessKeyId/SecretAccessKey",
                 request_id,
                 200,
                 {}};
  }
  return out;
}

}  // namespace

StsEndpoint sts_endpoint(const Environment& env, std::string_view region) {
  const StsTarget target = sts_target(env, region);
  auto resolved = resolve_endpoint(target.service.endpoint, target.region, target.env);
  if (!resolved) return {"", target.region};
  return {resolved->url, resolved->signing_region};
}

Result<Credentials> sts_assume_role(HttpClient& http, const Environment& env,
                                    std::string_view region, const Credentials& source_credentials,
                                    const AssumeRoleParams& params,
                                    std::chrono::system_clock::time_point now) {
  json request = {{"RoleArn", params.role_arn}, {"RoleSessionName", params.role_session_name}};
  if (!params.external_id.empty()) request["ExternalId"] = params.external_id;
  if (params.duration_seconds) request["DurationSeconds"] = *params.duration_seconds;
  return call_sts(http, env, region, source_credentials, "AssumeRole", request, params, now);
}

Result<Credentials> sts_assume_role_with_web_identity(HttpClient& http, const Environment& env,
                                                      std::string_view region,
                                                      const AssumeRoleParams& params,
                                                      const std::string& web_identity_token) {
  json request = {{"RoleArn", params.role_arn},
                  {"RoleSessionName", params.role_session_name},
                  {"WebIdentityToken", web_identity_token}};
  if (params.duration_seconds) request["DurationSeconds"] = *params.duration_seconds;
  return call_sts(http, env, region, std::nullopt, "AssumeRoleWithWebIdentity", request, params,
                  std::chrono::system_clock::now());
}

}  // namespace ecs_mcp::aws
