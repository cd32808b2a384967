#include "ecs/docs/knowledge_client.h"

namespace ecs_mcp::ecs {
namespace {

using json = nlohmann::json;

mcp::HttpClientSessionOptions session_options(const DocsSettings& settings) {
  mcp::HttpClientSessionOptions options;
  options.url = settings.knowledge_url;
  options.client_name = "ecs-mcp-server";
  options.connect_timeout = settings.connect_timeout;
  options.timeout = settings.timeout;
  return options;
}

std::string text_of(const json& content) {
  std::string out;
  if (!content.is_array()) return out;
  for (const auto& block : content) {
    if (block.is_object() && block.value("type", "") == "text") out += block.value("text", "");
  }
  return out;
}

}  // namespace

KnowledgeClient::KnowledgeClient(const DocsSettings& settings,
                                 std::shared_ptr<mcp::ClientHttp> http)
    : session_(session_options(settings), std::move(http)) {}

Result<json> KnowledgeClient::call(const std::string& tool, const json& arguments,
                                   const std::function<bool()>& cancelled) {
  const std::string key = tool + " " + arguments.dump();
  if (auto hit = cache_.get(key)) return *hit;
  mcp::CallControl control;
  control.cancelled = cancelled;
  ECS_MCP_ASSIGN_OR_RETURN(auto result, session_.call_tool(tool, arguments, control));
  const json& r = result;
  std::string text = text_of(r.value("content", json::array()));
  if (r.value("isError", false)) {
    return make_error(ErrorCode::kKnowledgeToolError,
                      text.empty() ? "the AWS Knowledge server reported an error" : text);
  }
  json value;
  if (r.contains("structuredContent") && r["structuredContent"].is_object()) {
    value = r["structuredContent"];
  } else {
    value = json::parse(text, nullptr, false);
    if (value.is_discarded()) value = text;
  }
  cache_.put(key, value);
  return value;
}

}  // namespace ecs_mcp::ecs
