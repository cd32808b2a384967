// The AWS JSON 1.1 protocol (ECS, CloudWatch Logs, ECR, Application Auto Scaling).
//
// Requests are POST / with the operation in X-Amz-Target and the parameters as the JSON
// body, passed through unchanged; responses are JSON passed through unchanged. Errors name
// their code in "__type"; the parser also copes with the XML and HTML bodies that front
// ends send instead (signature failures, unimplemented operations) so that the caller always
// gets a code, the HTTP status and a recognisable message.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "aws/http_client.h"
#include "common/result.h"

namespace ecs_mcp::aws::json_1_1 {

// `endpoint` is "https://ecs.us-east-1.amazonaws.com"; `target_prefix` is
// "AmazonEC2ContainerServiceV20141113".
HttpRequest build_request(const std::string& endpoint, const std::string& target_prefix,
                          const std::string& operation, const nlohmann::json& params);

// A 2xx body as JSON ({} when empty), or the error the response describes.
Result<nlohmann::json> parse_response(const HttpResponse& response);

// The Error for a non-2xx response.
Error parse_error(const HttpResponse& response);

}  // namespace ecs_mcp::aws::json_1_1
