#include "aws/protocols/ec2_query.h"

#include "aws/protocols/response_errors.h"

namespace ecs_mcp::aws::ec2_query {

using nlohmann::json;

HttpRequest build_request(const std::string& endpoint, const std::string& action,
                          const std::string& version, const json& params,
                          query::FlattenOptions options) {
  options.ec2_lists = true;
  return query::build_request(endpoint, action, version, params, options);
}

Error parse_error(const HttpResponse& response) {
  return query::parse_error(response, "an EC2 XML error document");
}

Result<json> parse_response(const HttpResponse& response, const std::string& action,
                            const protocols::XmlShapeHints& hints) {
  ECS_MCP_ASSIGN_OR_RETURN(
      auto document, query::parse_document(response, action, hints, "an EC2 XML error document"));
  json result = std::move(document);
  std::string request_id;
  // The element is <requestId>; capitalisation may have turned it into RequestId.
  for (const char* key : {"requestId", "RequestId"}) {
    if (auto it = result.find(key); it != result.end()) {
      if (it->is_string()) request_id = it->get<std::string>();
      result.erase(it);
    }
  }
  if (request_id.empty()) request_id = protocols::request_id_from_headers(response);
  result["ResponseMetadata"] = {{"RequestId", request_id}, {"HTTPStatusCode", response.status}};
  return result;
}

}  // namespace ecs_mcp::aws::ec2_query
