#include "aws/credential_sts.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "aws/credential_providers.h"
#include "aws/services.h"
#include "common/json_fields.h"
#include "common/strings.h"

namespace ecs_mcp::aws {

namespace {

using nlohmann::json;

// Where and how the credential chain reaches STS for `region`.
struct StsTarget {
  ServiceDescriptor service;
  std::string region;
  std::shared_ptr<const Os> os;  // the caller's, or one that hides the endpoint variables
};

// The Os with AWS_ENDPOINT_URL* unset, for AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true.
class EndpointUrlsHidden final : public OsWrapper {
 public:
  using OsWrapper::OsWrapper;
  std::optional<std::string> getenv(std::string_view name) const override {
    if (name.starts_with("AWS_ENDPOINT_URL")) return std::nullopt;
    return OsWrapper::getenv(name);
  }
};

StsTarget sts_target(std::shared_ptr<const Os> os, std::string_view region) {
  if (!os) os = real_os();
  StsTarget target{service_descriptor(Service::kSts), std::string(region), os};
  if (target.region.empty()) {
    target.service.endpoint.global = true;
    target.region = "us-east-1";
  }
  const auto ignore = os->env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  if (ignore && ascii_lower(*ignore) == "true") {
    target.os = std::make_shared<EndpointUrlsHidden>(std::move(os));
  }
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

Result<Credentials> call_sts(HttpClient& http, std::shared_ptr<const Os> os,
                             std::string_view region, std::optional<Credentials> signer,
                             std::string_view action, const json& params,
                             const AssumeRoleParams& role) {
  const std::string what = "STS " + std::string(action) + " for " + role.role_arn;
  StsTarget target = sts_target(std::move(os), region);
  ClientConfig config;
  config.region = target.region;
  config.os = target.os;
  config.retry = RetryOptions::from_environment(*config.os);
  // The chain's HttpClient outlives the call: share it without owning it.
  config.http = std::shared_ptr<HttpClient>(std::shared_ptr<HttpClient>(), &http);
  if (signer) {
    config.credentials = std::make_shared<StaticCredentialsProvider>(std::move(*signer));
  } else {
    config.sign_requests = false;
  }
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
    out.expiration = target.os->now() + std::chrono::minutes(10);
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

StsEndpoint sts_endpoint(std::shared_ptr<const Os> os, std::string_view region) {
  const StsTarget target = sts_target(std::move(os), region);
  auto resolved = resolve_endpoint(target.service.endpoint, target.region, *target.os);
  if (!resolved) return {"", target.region};
  return {resolved->url, resolved->signing_region};
}

Result<Credentials> sts_assume_role(HttpClient& http, std::shared_ptr<const Os> os,
                                    std::string_view region, const Credentials& source_credentials,
                                    const AssumeRoleParams& params) {
  json request = {{"RoleArn", params.role_arn}, {"RoleSessionName", params.role_session_name}};
  if (!params.external_id.empty()) request["ExternalId"] = params.external_id;
  if (params.duration_seconds) request["DurationSeconds"] = *params.duration_seconds;
  return call_sts(http, std::move(os), region, source_credentials, "AssumeRole", request, params);
}

Result<Credentials> sts_assume_role_with_web_identity(HttpClient& http,
                                                      std::shared_ptr<const Os> os,
                                                      std::string_view region,
                                                      const AssumeRoleParams& params,
                                                      const std::string& web_identity_token) {
  json request = {{"RoleArn", params.role_arn},
                  {"RoleSessionName", params.role_session_name},
                  {"WebIdentityToken", web_identity_token}};
  if (params.duration_seconds) request["DurationSeconds"] = *params.duration_seconds;
  return call_sts(http, std::move(os), region, std::nullopt, "AssumeRoleWithWebIdentity", request,
                  params);
}

}  // namespace ecs_mcp::aws
