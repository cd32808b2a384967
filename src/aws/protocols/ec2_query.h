// The EC2 protocol: the Query protocol's request form with EC2's differences.
//
// Lists are Name.N (no ".member"), parameter names are the model's locationName (Filters ->
// Filter), responses have no Result wrapper and lists are <item> elements with
// lowerCamelCase names (vpcSet -> Vpcs), and errors sit under <Response><Errors><Error>
// with a RequestID.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "aws/http_client.h"
#include "aws/protocols/query.h"
#include "aws/protocols/xml_to_json.h"
#include "common/result.h"

namespace ecs_mcp::aws::ec2_query {

// `options.ec2_lists` is forced on.
HttpRequest build_request(const std::string& endpoint, const std::string& action,
                          const std::string& version, const nlohmann::json& params,
                          query::FlattenOptions options = {});

// The response element's children as JSON (requestId moved to ResponseMetadata).
Result<nlohmann::json> parse_response(const HttpResponse& response, const std::string& action,
                                      const protocols::XmlShapeHints& hints);

Error parse_error(const HttpResponse& response);

}  // namespace ecs_mcp::aws::ec2_query
