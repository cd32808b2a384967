#include "agent/bedrock_codec.h"

#include <map>

#include "agent/event_stream.h"
#include "agent/openai_codec.h"
#include "aws/sigv4.h"
#include "common/percent_encoding.h"

namespace ecs_mcp::agent {
namespace {

StopReason stop_from(const std::string& reason) {
  if (reason == "tool_use") return StopReason::kToolUse;
  if (reason == "max_tokens") return StopReason::kMaxTokens;
  if (reason == "guardrail_intervened" || reason == "content_filtered") return StopReason::kRefusal;
  if (reason == "end_turn" || reason == "stop_sequence" || reason.empty())
    return StopReason::kEndTurn;
  return StopReason::kOther;
}

void settle(ModelTurn& turn) {
  if (turn.stop == StopReason::kRefusal) {
    turn.refusal =
        turn.text.empty() ? "Bedrock stopped the answer (" + turn.stop_detail + ")" : turn.text;
  }
  if (!turn.tool_calls.empty() && turn.stop == StopReason::kEndTurn)
    turn.stop = StopReason::kToolUse;
}

// ConverseStream: messageStart, contentBlockStart (tool uses), contentBlockDelta (text or
// tool input JSON in pieces), contentBlockStop, messageStop (stopReason), metadata (usage).
class BedrockStreamDecoder final : public StreamDecoder {
 public:
  Status feed(std::string_view bytes, const TextSink& on_text) override {
    return parser_.feed(bytes, [&](const EventStreamMessage& m) { return on_message(m, on_text); });
  }

  Result<ModelTurn> finish() override {
    if (!parser_.idle())
      return make_error(ErrorCode::kInvalidResponse,
                        "aws-bedrock: the event stream ended mid-message");
    for (auto& [index, block] : tools_) {
      turn_.tool_calls.push_back(ToolCall{block.id, block.name, parse_tool_arguments(block.input)});
    }
    settle(turn_);
    return turn_;
  }

 private:
  struct ToolBlock {
    std::string id, name, input;
  };

  Status on_message(const EventStreamMessage& m, const TextSink& on_text) {
    auto header = [&](const char* name) {
      auto it = m.headers.find(name);
      return it == m.headers.end() ? std::string() : it->second;
    };
    const std::string type = header(":message-type");
    json payload = json::parse(m.payload.empty() ? std::string("{}") : m.payload, nullptr, false);
    if (type == "exception" || type == "error") {
      std::string code = type == "exception" ? header(":exception-type") : header(":error-code");
      std::string message = payload.is_object() ? payload.value("message", "") : "";
      if (message.empty()) message = type == "error" ? header(":error-message") : m.payload;
      Error error = code.empty() ? make_error(ErrorCode::kProviderError, "aws-bedrock: " + message)
                                 : make_service_error(code, "aws-bedrock: " + message);
      if (code == "throttlingException" || code == "ThrottlingException") error.http_status = 429;
      return error;
    }
    if (!payload.is_object())
      return make_error(ErrorCode::kInvalidResponse, "aws-bedrock: an event is not JSON");
    const std::string event = header(":event-type");
    const int index = payload.value("contentBlockIndex", 0);
    if (event == "contentBlockStart") {
      const json start = payload.value("start", json::object());
      if (start.contains("toolUse") && start["toolUse"].is_object()) {
        tools_[index].id = start["toolUse"].value("toolUseId", "");
        tools_[index].name = start["toolUse"].value("name", "");
      }
    } else if (event == "contentBlockDelta") {
      const json delta = payload.value("delta", json::object());
      if (delta.contains("text") && delta["text"].is_string()) {
        const std::string text = delta["text"].get<std::string>();
        turn_.text += text;
        if (on_text && !text.empty()) on_text(text);
      } else if (delta.contains("toolUse") && delta["toolUse"].is_object()) {
        tools_[index].input += delta["toolUse"].value("input", "");
      }
    } else if (event == "messageStop") {
      turn_.stop_detail = payload.value("stopReason", "");
      turn_.stop = stop_from(turn_.stop_detail);
    } else if (event == "metadata") {
      const json usage = payload.value("usage", json::object());
      turn_.input_tokens = usage.value("inputTokens", 0);
      turn_.output_tokens = usage.value("outputTokens", 0);
    }
    return Status::Ok();
  }

  EventStreamParser parser_;
  ModelTurn turn_;
  std::map<int, ToolBlock> tools_;
};

}  // namespace

std::unique_ptr<StreamDecoder> BedrockCodec::stream_decoder() const {
  if (!endpoint_.stream) return nullptr;
  return std::make_unique<BedrockStreamDecoder>();
}

BedrockCodec::BedrockCodec(BedrockEndpoint endpoint) : endpoint_(std::move(endpoint)) {
  while (!endpoint_.base.empty() && endpoint_.base.back() == '/') endpoint_.base.pop_back();
}

json BedrockCodec::request_body(const ModelRequest& request) const {
  json messages = json::array();
  auto push = [&](const std::string& role, json blocks) {
    append_blocks(messages, role, std::move(blocks));
  };
  for (const Message& m : *request.messages) {
    switch (m.role) {
      case Role::kUser:
        push("user", json::array({{{"text", m.text}}}));
        break;
      case Role::kAssistant: {
        json blocks = json::array();
        if (!m.text.empty()) blocks.push_back({{"text", m.text}});
        for (const auto& call : m.tool_calls) {
          blocks.push_back(
              {{"toolUse",
                {{"toolUseId", call.id},
                 {"name", call.name},
                 {"input", call.arguments.is_object() ? call.arguments : json::object()}}}});
        }
        if (blocks.empty()) blocks.push_back({{"text", "(no answer)"}});
        push("assistant", std::move(blocks));
        break;
      }
      case Role::kTool: {
        json blocks = json::array();
        for (const auto& result : m.tool_results) {
          blocks.push_back({{"toolResult",
                             {{"toolUseId", result.call_id},
                              {"content", json::array({{{"text", result.content}}})},
                              {"status", result.is_error ? "error" : "success"}}}});
        }
        push("user", std::move(blocks));
        break;
      }
    }
  }
  json body{{"messages", std::move(messages)},
            {"inferenceConfig", {{"maxTokens", request.max_tokens}}}};
  if (!request.system.empty()) body["system"] = json::array({{{"text", request.system}}});
  if (!request.tools.empty()) {
    json tools = json::array();
    for (const auto& tool : request.tools) {
      tools.push_back({{"toolSpec",
                        {{"name", tool.name},
                         {"description", tool.description},
                         {"inputSchema", {{"json", tool.input_schema}}}}}});
    }
    body["toolConfig"] = {{"tools", std::move(tools)}};
  }
  return body;
}

Result<aws::HttpRequest> BedrockCodec::build_request(const ModelRequest& request) const {
  if (endpoint_.model_id.empty())
    return make_error(ErrorCode::kInvalidConfiguration,
                      "no Bedrock model id (AWS_BEDROCK_MODEL_ID)");
  aws::HttpRequest http;
  const bool stream = request.stream && endpoint_.stream;
  http.url = endpoint_.base + "/model/" + uri_encode(endpoint_.model_id) +
             (stream ? "/converse-stream" : "/converse");
  http.headers = {{"Content-Type", "application/json"},
                  {"Accept", stream ? "application/vnd.amazon.eventstream" : "application/json"}};
  http.body = request_body(request).dump(-1, ' ', false, json::error_handler_t::replace);
  return http;
}

Result<ModelTurn> BedrockCodec::parse_response(const aws::HttpResponse& response) const {
  json body = json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("output")) {
    return make_error(ErrorCode::kInvalidResponse,
                      "aws-bedrock: the answer has no output: " + response.body.substr(0, 300));
  }
  ModelTurn turn;
  const json message = body["output"].value("message", json::object());
  for (const auto& block : message.value("content", json::array())) {
    if (block.contains("text") && block["text"].is_string()) {
      turn.text += block["text"].get<std::string>();
    } else if (block.contains("toolUse") && block["toolUse"].is_object()) {
      const json& use = block["toolUse"];
      turn.tool_calls.push_back(ToolCall{use.value("toolUseId", ""), use.value("name", ""),
                                         use.value("input", json::object())});
    }
  }
  turn.stop_detail = body.value("stopReason", "");
  turn.stop = stop_from(turn.stop_detail);
  if (turn.stop == StopReason::kRefusal) {
    turn.refusal =
        turn.text.empty() ? "Bedrock stopped the answer (" + turn.stop_detail + ")" : turn.text;
  }
  if (!turn.tool_calls.empty() && turn.stop == StopReason::kEndTurn)
    turn.stop = StopReason::kToolUse;
  if (body.contains("usage") && body["usage"].is_object()) {
    turn.input_tokens = body["usage"].value("inputTokens", 0);
    turn.output_tokens = body["usage"].value("outputTokens", 0);
  }
  return turn;
}

std::optional<std::string> BedrockCodec::reject_tool(const ToolSpec& tool) const {
  if (tool.description.empty()) return "Bedrock needs a non-empty description";
  return check_tool_common(tool, 0);
}

}  // namespace ecs_mcp::agent
