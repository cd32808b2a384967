// The two STS calls that turn a role into credentials: AssumeRole (signed with the source
// credentials) and AssumeRoleWithWebIdentity (unsigned; the token is the proof). Query
// protocol: a form-encoded POST, an XML answer.
//
// The endpoint choice is kept here, small and local, so the credential chain does not depend
// on the service-client endpoint code.
//
// Thread-safety: free functions; safe to call concurrently with a thread-safe HttpClient.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "aws/shared_config.h"
#include "common/result.h"

namespace ecs_mcp::aws {

struct StsEndpoint {
  std::string url;             // "https://sts.eu-west-1.amazonaws.com"
  std::string signing_region;  // "eu-west-1"
};

// AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL (both ignored when
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true); else the regional endpoint for `region`; else,
// with no region, the global endpoint signed for us-east-1.
StsEndpoint sts_endpoint(const Environment& env, std::string_view region);

struct AssumeRoleParams {
  std::string role_arn;
  std::string role_session_name;
  std::string external_id;              // AssumeRole only; empty: not sent
  std::optional<int> duration_seconds;  // empty: STS default (1 hour)
  std::string source;                   // becomes Credentials::source
};

// Errors keep STS's code, message, request id and HTTP status.
Result<Credentials> sts_assume_role(HttpClient& http, const StsEndpoint& endpoint,
                                    const Credentials& source_credentials,
                                    const AssumeRoleParams& params,
                                    std::chrono::system_clock::time_point now);
Result<Credentials> sts_assume_role_with_web_identity(HttpClient& http, const StsEndpoint& endpoint,
                                                      const AssumeRoleParams& params,
                                                      const std::string& web_identity_token);

}  // namespace ecs_mcp::aws
