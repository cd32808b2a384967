// The two STS calls that turn a role into credentials: AssumeRole (signed with the source
// credentials) and AssumeRoleWithWebIdentity (unsigned; the token is the proof).
//
// Both go through AwsClient with the STS service descriptor, so they share the service
// clients' Query encoding, error parsing, endpoint rules, region validation and retries. The
// credential chain calls STS in the region its profile resolves to, or, with none, at the
// global endpoint signed for us-east-1.
//
// Thread-safety: free functions; safe to call concurrently with a thread-safe HttpClient.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "aws/shared_config.h"
#include "common/os.h"
#include "common/result.h"

namespace ecs_mcp::aws {

struct StsEndpoint {
  std::string url;             // "https://sts.eu-west-1.amazonaws.com"; empty when unresolvable
  std::string signing_region;  // "eu-west-1"
};

// AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL (both ignored when
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true); else the regional endpoint for `region`; else,
// with no region, the global endpoint signed for us-east-1. The calls below use the same
// rule and report why when it cannot be applied (an invalid region, a malformed URL).
StsEndpoint sts_endpoint(std::shared_ptr<const Os> os, std::string_view region);

struct AssumeRoleParams {
  std::string role_arn;
  std::string role_session_name;
  std::string external_id;              // AssumeRole only; empty: not sent
  std::optional<int> duration_seconds;  // empty: STS default (1 hour)
  std::string source;                   // becomes Credentials::source
};

// Errors keep STS's code, message, request id and HTTP status.
// The Os gives the endpoint variables, the retry settings and the signing time.
Result<Credentials> sts_assume_role(HttpClient& http, std::shared_ptr<const Os> os,
                                    std::string_view region, const Credentials& source_credentials,
                                    const AssumeRoleParams& params);
Result<Credentials> sts_assume_role_with_web_identity(HttpClient& http,
                                                      std::shared_ptr<const Os> os,
                                                      std::string_view region,
                                                      const AssumeRoleParams& params,
                                                      const std::string& web_identity_token);

}  // namespace ecs_mcp::aws
