#include "aws/protocols/json_1_1.h"

#include "aws/protocols/response_errors.h"

namespace ecs_mcp::aws::json_1_1 {

HttpRequest build_request(const std::string& endpoint, const std::string& target_prefix,
                          const std::string& operation, const nlohmann::json& params) {
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint + "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", target_prefix + "." + operation}};
  request.body = params.is_null() || params.empty() ? "{}" : params.dump();
  return request;
}

Error parse_error(const HttpResponse& response) {
  if (auto error = protocols::parse_json_error(response)) return *error;
  if (auto error = protocols::parse_xml_error(response)) return *error;
  return protocols::unexpected_response_error(response, "a JSON error document");
}

Result<nlohmann::json> parse_response(const HttpResponse& response) {
  if (response.status < 200 || response.status >= 300) return parse_error(response);
  if (response.body.empty()) return nlohmann::json::object();
  auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    Error error = protocols::unexpected_response_error(response, "a JSON object");
    error.code = ErrorCode::kInvalidResponse;
    return error;
  }
  return body;
}

}  // namespace ecs_mcp::aws::json_1_1
