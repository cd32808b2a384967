#include "aws/protocols/response_errors.h"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace ecs_mcp::aws::protocols {
namespace {

std::string child_text(const pugi::xml_node& node, const char* name) {
  return node.child(name).text().as_string();
}

}  // namespace

std::string body_excerpt(const std::string& body, size_t limit) {
  std::string out;
  bool space = false;
  for (char c : body) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() >= limit) {
      out += "...";
      break;
    }
  }
  return out;
}

std::string request_id_from_headers(const HttpResponse& response) {
  for (const char* name : {"x-amzn-requestid", "x-amz-request-id", "x-amzn-request-id"}) {
    std::string id = response.header(name);
    if (!id.empty()) return id;
  }
  return {};
}

std::optional<Error> parse_xml_error(const HttpResponse& response) {
  pugi::xml_document doc;
  if (!doc.load_buffer(response.body.data(), response.body.size())) return std::nullopt;
  pugi::xml_node root = doc.document_element();
  pugi::xml_node error;
  std::string request_id;
  if (std::string(root.name()) == "ErrorResponse") {
    // Query services use <Error>; moto's auth failures nest it in <Errors> as EC2 does.
    error = root.child("Error") ? root.child("Error") : root.child("Errors").child("Error");
    request_id = child_text(root, "RequestId");
  } else if (std::string(root.name()) == "Response") {
    error = root.child("Errors").child("Error");
    request_id = child_text(root, "RequestID");
    if (request_id.empty()) request_id = child_text(root, "RequestId");
  } else if (std::string(root.name()) == "Error") {
    error = root;
    request_id = child_text(root, "RequestId");
  }
  if (!error || child_text(error, "Code").empty()) return std::nullopt;
  Error out = make_service_error(child_text(error, "Code"), "");
  out.message = child_text(error, "Message");
  out.http_status = response.status;
  out.request_id = request_id.empty() ? request_id_from_headers(response) : request_id;
  return out;
}

std::optional<Error> parse_json_error(const HttpResponse& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return std::nullopt;
  std::string code;
  if (auto it = body.find("__type"); it != body.end() && it->is_string()) {
    code = it->get<std::string>();
  } else if (auto code_it = body.find("code"); code_it != body.end() && code_it->is_string()) {
    code = code_it->get<std::string>();
  }
  if (code.empty()) code = response.header("x-amzn-errortype");
  // "com.amazonaws.ecs#ClusterNotFoundException" and "Code:http://internal..." both name
  // the same code.
  if (size_t hash = code.rfind('#'); hash != std::string::npos) code.erase(0, hash + 1);
  if (size_t colon = code.find(':'); colon != std::string::npos) code.erase(colon);
  if (code.empty()) return std::nullopt;
  Error out = make_service_error(code, "");
  for (const char* key : {"message", "Message", "errorMessage"}) {
    if (auto it = body.find(key); it != body.end() && it->is_string()) {
      out.message = it->get<std::string>();
      break;
    }
  }
  out.http_status = response.status;
  out.request_id = request_id_from_headers(response);
  return out;
}

Error unexpected_response_error(const HttpResponse& response, const std::string& expected) {
  Error out;
  if (response.status == 429) {
    out = make_service_error("TooManyRequestsException", "");
  } else if (response.status == 503) {
    out = make_service_error("ServiceUnavailable", "");
  } else {
    out.code = ErrorCode::kUnexpectedResponse;
  }
  std::string content_type = response.header("content-type");
  out.message = "expected " + expected + ", got HTTP " + std::to_string(response.status);
  if (!content_type.empty()) out.message += " (" + content_type + ")";
  std::string excerpt = body_excerpt(response.body);
  out.message += excerpt.empty() ? " with an empty body" : ": " + excerpt;
  out.http_status = response.status;
  out.request_id = request_id_from_headers(response);
  return out;
}

}  // namespace ecs_mcp::aws::protocols
