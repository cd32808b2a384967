// The AWS Query protocol (CloudFormation, ELBv2, IAM, STS) and, with its variations, the
// EC2 protocol.
//
// Requests are form-encoded POST bodies: Action, Version, and the parameters flattened from
// a JSON object the way botocore does (lists Name.member.N from 1, maps
// Name.entry.N.key/value, structures Name.Sub). Responses are XML, converted to JSON shaped
// like botocore's output with the help of XmlShapeHints; the Result wrapper is removed and
// ResponseMetadata.RequestId is kept, as boto3 does.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "aws/http_client.h"
#include "aws/protocols/xml_to_json.h"
#include "common/result.h"

namespace ecs_mcp::aws::query {

struct FlattenOptions {
  bool ec2_lists = false;            // EC2: Name.N instead of Name.member.N; [] sends nothing
  std::set<std::string> map_params;  // parameter names whose JSON objects are maps
  // Member name -> wire name (EC2's locationName: "Filters" -> "Filter").
  std::map<std::string, std::string> renames;
};

using FormParams = std::vector<std::pair<std::string, std::string>>;

// Appends the flattened form of `params` (a JSON object) to `out`.
void flatten(const nlohmann::json& params, const FlattenOptions& options, FormParams& out);

// "Action=...&Version=...&..." with every key and value RFC 3986 encoded.
std::string form_body(const std::string& action, const std::string& version,
                      const nlohmann::json& params, const FlattenOptions& options);

HttpRequest build_request(const std::string& endpoint, const std::string& action,
                          const std::string& version, const nlohmann::json& params,
                          const FlattenOptions& options = {});

// The <ActionResult> contents as JSON plus ResponseMetadata, or the error described.
Result<nlohmann::json> parse_response(const HttpResponse& response, const std::string& action,
                                      const protocols::XmlShapeHints& hints);

Error parse_error(const HttpResponse& response);
// The same, naming the error document the protocol uses in the message for unparseable ones.
Error parse_error(const HttpResponse& response, const std::string& expected_error);

// Shared by Query and EC2: the error for a non-2xx answer (`expected_error` names the error
// document the protocol uses, for messages), or the XML document whose root must be
// <ActionResponse>, converted to JSON.
Result<nlohmann::json> parse_document(const HttpResponse& response, const std::string& action,
                                      const protocols::XmlShapeHints& hints,
                                      const std::string& expected_error);

}  // namespace ecs_mcp::aws::query
