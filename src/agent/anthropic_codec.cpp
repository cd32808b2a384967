#include "agent/anthropic_codec.h"

#include <map>

#include "agent/openai_codec.h"
#include "agent/sse.h"

namespace ecs_mcp::agent {
namespace {

StopReason stop_from(const std::string& reason) {
  if (reason == "tool_use") return StopReason::kToolUse;
  if (reason == "max_tokens") return StopReason::kMaxTokens;
  if (reason == "refusal") return StopReason::kRefusal;
  if (reason == "end_turn" || reason == "stop_sequence" || reason.empty())
    return StopReason::kEndTurn;
  return StopReason::kOther;
}

void settle(ModelTurn& turn) {
  if (turn.stop == StopReason::kRefusal && turn.refusal.empty()) {
    turn.refusal = turn.text.empty() ? "the model declined to answer" : turn.text;
  }
  if (!turn.tool_calls.empty() && turn.stop == StopReason::kEndTurn)
    turn.stop = StopReason::kToolUse;
}

class AnthropicStreamDecoder final : public StreamDecoder {
 public:
  Status feed(std::string_view bytes, const TextSink& on_text) override {
    Status status;
    parser_.feed(bytes, [&](const std::string& event, const std::string& data) {
      if (status.ok()) status = on_event(event, data, on_text);
    });
    return status;
  }

  Result<ModelTurn> finish() override {
    Status status;
    parser_.finish([&](const std::string& event, const std::string& data) {
      if (status.ok()) status = on_event(event, data, {});
    });
    if (!status.ok()) return status.error();
    for (auto& [index, block] : blocks_) {
      if (block.is_tool)
        turn_.tool_calls.push_back(
            ToolCall{block.id, block.name, parse_tool_arguments(block.json_text)});
    }
    settle(turn_);
    return turn_;
  }

 private:
  struct Block {
    bool is_tool = false;
    std::string id, name, json_text;
  };

  Status on_event(const std::string& event, const std::string& data, const TextSink& on_text) {
    json value = json::parse(data, nullptr, false);
    if (!value.is_object())
      return make_error(ErrorCode::kInvalidResponse,
                        "a streamed event is not JSON: " + data.substr(0, 200));
    const std::string type = value.value("type", event);
    if (type == "error") {
      const json error = value.value("error", json::object());
      const std::string code = error.value("type", "");
      const std::string message = "anthropic-claude: " + error.value("message", data);
      return code.empty() ? make_error(ErrorCode::kProviderError, message)
                          : make_service_error(code, message);
    }
    if (type == "message_start") {
      const json usage = value.value("message", json::object()).value("usage", json::object());
      turn_.input_tokens = usage.value("input_tokens", 0);
    } else if (type == "content_block_start") {
      const json block = value.value("content_block", json::object());
      Block& b = blocks_[value.value("index", 0)];
      if (block.value("type", "") == "tool_use") {
        b.is_tool = true;
        b.id = block.value("id", "");
        b.name = block.value("name", "");
      } else if (block.value("type", "") == "text" && block.contains("text") &&
                 block["text"].is_string()) {
        append_text(block["text"].get<std::string>(), on_text);
      }
    } else if (type == "content_block_delta") {
      const json delta = value.value("delta", json::object());
      const std::string kind = delta.value("type", "");
      if (kind == "text_delta") {
        append_text(delta.value("text", ""), on_text);
      } else if (kind == "input_json_delta") {
        blocks_[value.value("index", 0)].json_text += delta.value("partial_json", "");
      }
    } else if (type == "message_delta") {
      const json delta = value.value("delta", json::object());
      if (delta.contains("stop_reason") && delta["stop_reason"].is_string()) {
        turn_.stop_detail = delta["stop_reason"].get<std::string>();
        turn_.stop = stop_from(turn_.stop_detail);
      }
      if (value.contains("usage") && value["usage"].is_object()) {
        turn_.output_tokens = value["usage"].value("output_tokens", turn_.output_tokens);
      }
    }
    return Status::Ok();
  }

  void append_text(const std::string& text, const TextSink& on_text) {
    turn_.text += text;
    if (on_text && !text.empty()) on_text(text);
  }

  SseParser parser_;
  ModelTurn turn_;
  std::map<int, Block> blocks_;
};

}  // namespace

AnthropicCodec::AnthropicCodec(AnthropicEndpoint endpoint) : endpoint_(std::move(endpoint)) {
  while (!endpoint_.base.empty() && endpoint_.base.back() == '/') endpoint_.base.pop_back();
  // Accept a base given with /v1, as the SDKs' base URLs sometimes are.
  if (endpoint_.base.size() >= 3 &&
      endpoint_.base.compare(endpoint_.base.size() - 3, 3, "/v1") == 0) {
    endpoint_.base.resize(endpoint_.base.size() - 3);
  }
}

json AnthropicCodec::request_body(const ModelRequest& request) const {
  json messages = json::array();
  auto push = [&](const std::string& role, json blocks) {
    append_blocks(messages, role, std::move(blocks));
  };
  for (const Message& m : *request.messages) {
    switch (m.role) {
      case Role::kUser:
        push("user", json::array({{{"type", "text"}, {"text", m.text}}}));
        break;
      case Role::kAssistant: {
        json blocks = json::array();
        if (!m.text.empty()) blocks.push_back({{"type", "text"}, {"text", m.text}});
        for (const auto& call : m.tool_calls) {
          blocks.push_back(
              {{"type", "tool_use"},
               {"id", call.id},
               {"name", call.name},
               {"input", call.arguments.is_object() ? call.arguments : json::object()}});
        }
        if (blocks.empty()) blocks.push_back({{"type", "text"}, {"text", "(no answer)"}});
        push("assistant", std::move(blocks));
        break;
      }
      case Role::kTool: {
        json blocks = json::array();
        for (const auto& result : m.tool_results) {
          blocks.push_back({{"type", "tool_result"},
                            {"tool_use_id", result.call_id},
                            {"content", result.content},
                            {"is_error", result.is_error}});
        }
        push("user", std::move(blocks));
        break;
      }
    }
  }
  json body{{"model", endpoint_.model},
            {"max_tokens", request.max_tokens},
            {"messages", std::move(messages)}};
  if (!request.system.empty()) body["system"] = request.system;
  if (!request.tools.empty()) {
    json tools = json::array();
    for (const auto& tool : request.tools) {
      tools.push_back({{"name", tool.name},
                       {"description", tool.description},
                       {"input_schema", tool.input_schema}});
    }
    body["tools"] = std::move(tools);
  }
  if (request.stream && endpoint_.stream) body["stream"] = true;
  return body;
}

Result<aws::HttpRequest> AnthropicCodec::build_request(const ModelRequest& request) const {
  aws::HttpRequest http;
  http.url = endpoint_.base + "/v1/messages";
  http.headers = {{"x-api-key", endpoint_.api_key},
                  {"anthropic-version", "2023-06-01"},
                  {"Content-Type", "application/json"}};
  http.body = request_body(request).dump(-1, ' ', false, json::error_handler_t::replace);
  return http;
}

Result<ModelTurn> AnthropicCodec::parse_response(const aws::HttpResponse& response) const {
  json body = json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("content") || !body["content"].is_array()) {
    return make_error(ErrorCode::kInvalidResponse, "anthropic-claude: the answer has no content: " +
                                                       response.body.substr(0, 300));
  }
  ModelTurn turn;
  for (const auto& block : body["content"]) {
    const std::string type = block.value("type", "");
    if (type == "text") {
      turn.text += block.value("text", "");
    } else if (type == "tool_use") {
      turn.tool_calls.push_back(ToolCall{block.value("id", ""), block.value("name", ""),
                                         block.value("input", json::object())});
    }
  }
  turn.stop_detail =
      body.value("stop_reason", json("")).is_string() ? body.value("stop_reason", "") : "";
  turn.stop = stop_from(turn.stop_detail);
  if (body.contains("usage") && body["usage"].is_object()) {
    turn.input_tokens = body["usage"].value("input_tokens", 0);
    turn.output_tokens = body["usage"].value("output_tokens", 0);
  }
  settle(turn);
  return turn;
}

std::unique_ptr<StreamDecoder> AnthropicCodec::stream_decoder() const {
  if (!endpoint_.stream) return nullptr;
  return std::make_unique<AnthropicStreamDecoder>();
}

std::optional<std::string> AnthropicCodec::reject_tool(const ToolSpec& tool) const {
  return check_tool_common(tool, 0);
}

}  // namespace ecs_mcp::agent
