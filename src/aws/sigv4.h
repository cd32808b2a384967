// AWS Signature Version 4 request signing.
//
// sign_v4() adds the X-Amz-Date, (X-Amz-Security-Token,) X-Amz-Content-Sha256 when asked, and
// Authorization headers to a request, canonicalising the path, query and headers the way
// botocore does for the services this project calls (no double URI-encoding of the path for
// S3 is needed here; every service we call uses the standard form). Like botocore, every
// header present when signing is signed except hop-by-hop ones, user-agent and
// x-amzn-trace-id; headers the transport adds later (curl's Accept) are left unsigned, which
// AWS accepts.
//
// Thread-safety: pure functions of their inputs.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "common/percent_encoding.h"  // uri_encode, which canonicalisation uses

namespace ecs_mcp::aws {

struct SigningParams {
  std::string region;   // "us-east-1"
  std::string service;  // signing name: "ecs", "logs", "elasticloadbalancing", ...
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  // S3-style services want the payload hash as a header too; none of ours do.
  bool add_content_sha256_header = false;
};

// Signs `request` in place. Fails only when the URL cannot be parsed.
Status sign_v4(HttpRequest& request, const Credentials& credentials, const SigningParams& params);

// The intermediate texts of a signature, exposed so tests can compare each step with the
// published test suite rather than only the final hex string.
struct SignatureParts {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;
  std::string signature;
};
Result<SignatureParts> compute_signature_v4(const HttpRequest& request,
                                            const Credentials& credentials,
                                            const SigningParams& params);

// Hex SHA-256 of `data`; the payload hash of SigV4 and handy for tests.
std::string sha256_hex(std::string_view data);

}  // namespace ecs_mcp::aws
