#include "aws/protocols/query.h"

#include "aws/protocols/response_errors.h"
#include "common/percent_encoding.h"

namespace ecs_mcp::aws::query {
namespace {

using nlohmann::json;

std::string wire_name(const std::string& name, const FlattenOptions& options) {
  auto it = options.renames.find(name);
  return it == options.renames.end() ? name : it->second;
}

std::string scalar_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return value.dump();  // numbers
}

void flatten_value(const json& value, const std::string& prefix, const std::string& member_name,
                   const FlattenOptions& options, FormParams& out) {
  if (value.is_null()) return;
  if (value.is_array()) {
    if (value.empty()) {
      // botocore sends "Name=" for an empty list so that the service sees it was given;
      // EC2 has no way to express it and sends nothing.
      if (!options.ec2_lists) out.emplace_back(prefix, "");
      return;
    }
    size_t index = 1;
    for (const auto& item : value) {
      std::string item_prefix = options.ec2_lists ? prefix + "." + std::to_string(index)
                                                  : prefix + ".member." + std::to_string(index);
      flatten_value(item, item_prefix, "", options, out);
      ++index;
    }
    return;
  }
  if (value.is_object()) {
    if (options.map_params.count(member_name)) {
      size_t index = 1;
      for (const auto& [key, item] : value.items()) {
        std::string entry = prefix + ".entry." + std::to_string(index++);
        out.emplace_back(entry + ".key", key);
        flatten_value(item, entry + ".value", "", options, out);
      }
      return;
    }
    for (const auto& [key, item] : value.items()) {
      std::string name = wire_name(key, options);
      flatten_value(item, prefix.empty() ? name : prefix + "." + name, key, options, out);
    }
    return;
  }
  out.emplace_back(prefix, scalar_text(value));
}

}  // namespace

void flatten(const json& params, const FlattenOptions& options, FormParams& out) {
  if (!params.is_object()) return;
  flatten_value(params, "", "", options, out);
}

std::string form_body(const std::string& action, const std::string& version, const json& params,
                      const FlattenOptions& options) {
  FormParams pairs = {{"Action", action}, {"Version", version}};
  flatten(params, options, pairs);
  std::string body;
  for (const auto& [key, value] : pairs) {
    if (!body.empty()) body += "&";
    body += uri_encode(key) + "=" + uri_encode(value);
  }
  return body;
}

HttpRequest build_request(const std::string& endpoint, const std::string& action,
                          const std::string& version, const json& params,
                          const FlattenOptions& options) {
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint + "/";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  request.body = form_body(action, version, params, options);
  return request;
}

Error parse_error(const HttpResponse& response, const std::string& expected_error) {
  if (auto error = protocols::parse_xml_error(response)) return *error;
  if (auto error = protocols::parse_json_error(response)) return *error;
  return protocols::unexpected_response_error(response, expected_error);
}

Error parse_error(const HttpResponse& response) {
  return parse_error(response, "an XML error document");
}

Result<json> parse_document(const HttpResponse& response, const std::string& action,
                            const protocols::XmlShapeHints& hints,
                            const std::string& expected_error) {
  if (response.status < 200 || response.status >= 300) {
    return parse_error(response, expected_error);
  }
  std::string root_name;
  auto document = protocols::xml_to_json(response.body, hints, &root_name);
  if (!document || root_name != action + "Response") {
    Error error = protocols::unexpected_response_error(response, "<" + action + "Response>");
    error.code = ErrorCode::kInvalidResponse;
    return error;
  }
  return std::move(*document);
}

Result<json> parse_response(const HttpResponse& response, const std::string& action,
                            const protocols::XmlShapeHints& hints) {
  auto document = parse_document(response, action, hints, "an XML error document");
  if (!document.ok()) return document;
  json result = json::object();
  if (auto it = document->find(action + "Result"); it != document->end() && it->is_object()) {
    result = std::move(*it);
  }
  std::string request_id;
  if (auto meta = document->find("ResponseMetadata");
      meta != document->end() && meta->is_object()) {
    if (auto id = meta->find("RequestId"); id != meta->end() && id->is_string()) {
      request_id = id->get<std::string>();
    }
  }
  if (request_id.empty()) request_id = protocols::request_id_from_headers(response);
  result["ResponseMetadata"] = {{"RequestId", request_id}, {"HTTPStatusCode", response.status}};
  return result;
}

}  // namespace ecs_mcp::aws::query
