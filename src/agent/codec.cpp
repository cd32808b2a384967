#include "agent/codec.h"

namespace ecs_mcp::agent {

std::string_view to_string(StopReason stop) {
  switch (stop) {
    case StopReason::kEndTurn:
      return "end_turn";
    case StopReason::kToolUse:
      return "tool_use";
    case StopReason::kMaxTokens:
      return "max_tokens";
    case StopReason::kRefusal:
      return "refusal";
    case StopReason::kOther:
      return "other";
  }
  return "other";
}

Error ProviderCodec::http_error(const aws::HttpResponse& response) const {
  std::string code;  // the provider's own error code, when it names one
  std::string message;
  json body = json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    const json* detail = &body;
    if (body.contains("error") && body["error"].is_object()) detail = &body["error"];
    for (const char* key : {"message", "Message"}) {
      if (detail->contains(key) && (*detail)[key].is_string())
        message = (*detail)[key].get<std::string>();
    }
    for (const char* key : {"type", "code", "__type"}) {
      if (detail->contains(key) && (*detail)[key].is_string() &&
          !(*detail)[key].get<std::string>().empty()) {
        code = (*detail)[key].get<std::string>();
        break;
      }
    }
  }
  if (auto amz = response.header("x-amzn-errortype"); !amz.empty())
    code = amz.substr(0, amz.find(':'));
  if (message.empty()) message = response.body.substr(0, 300);
  if (message.empty())
    message = "the model provider answered HTTP " + std::to_string(response.status);
  Error error = code.empty() ? make_error(ErrorCode::kProviderError, name() + ": " + message)
                             : make_service_error(code, name() + ": " + message);
  error.http_status = response.status;
  for (const char* header : {"x-request-id", "request-id", "x-amzn-requestid", "apim-request-id"}) {
    if (auto id = response.header(header); !id.empty()) {
      error.request_id = id;
      break;
    }
  }
  return error;
}

void append_blocks(nlohmann::json& messages, const std::string& role, nlohmann::json blocks) {
  if (!messages.empty() && messages.back()["role"] == role) {
    for (auto& b : blocks) messages.back()["content"].push_back(std::move(b));
  } else {
    messages.push_back({{"role", role}, {"content", std::move(blocks)}});
  }
}

std::optional<std::string> check_tool_common(const ToolSpec& tool, size_t max_description) {
  if (tool.name.empty() || tool.name.size() > 64) return "its name must be 1 to 64 characters";
  for (char c : tool.name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return "its name may hold only letters, digits, '_' and '-'";
  }
  if (max_description > 0 && tool.description.size() > max_description) {
    return "its description is longer than " + std::to_string(max_description) + " characters";
  }
  if (!tool.input_schema.is_object() || tool.input_schema.value("type", "") != "object") {
    return "its input schema is not a JSON Schema object";
  }
  return std::nullopt;
}

}  // namespace ecs_mcp::agent
