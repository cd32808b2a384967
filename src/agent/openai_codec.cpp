#include "agent/openai_codec.h"

#include <map>

#include "agent/sse.h"

namespace ecs_mcp::agent {
namespace {

StopReason stop_from_finish(const std::string& finish) {
  if (finish == "tool_calls" || finish == "function_call") return StopReason::kToolUse;
  if (finish == "length") return StopReason::kMaxTokens;
  if (finish == "content_filter") return StopReason::kRefusal;
  if (finish == "stop" || finish.empty()) return StopReason::kEndTurn;
  return StopReason::kOther;
}

void settle_stop(ModelTurn& turn) {
  if (!turn.refusal.empty()) {
    turn.stop = StopReason::kRefusal;
  } else if (turn.stop == StopReason::kRefusal) {
    turn.refusal = "the provider's content filter stopped the answer";
  }
  if (!turn.tool_calls.empty() && turn.stop != StopReason::kRefusal)
    turn.stop = StopReason::kToolUse;
}

class OpenAiStreamDecoder final : public StreamDecoder {
 public:
  Status feed(std::string_view bytes, const TextSink& on_text) override {
    Status status;
    parser_.feed(bytes, [&](const std::string&, const std::string& data) {
      if (status.ok()) status = on_data(data, on_text);
    });
    return status;
  }

  Result<ModelTurn> finish() override {
    Status status;
    parser_.finish([&](const std::string&, const std::string& data) {
      if (status.ok()) status = on_data(data, {});
    });
    if (!status.ok()) return status.error();
    for (auto& [index, partial] : calls_) {
      turn_.tool_calls.push_back(
          ToolCall{partial.id, partial.name, parse_tool_arguments(partial.arguments)});
    }
    settle_stop(turn_);
    return turn_;
  }

 private:
  struct PartialCall {
    std::string id, name, arguments;
  };

  Status on_data(const std::string& data, const TextSink& on_text) {
    if (data == "[DONE]") return Status::Ok();
    json chunk = json::parse(data, nullptr, false);
    if (!chunk.is_object())
      return make_error(ErrorCode::kInvalidResponse,
                        "a streamed chunk is not JSON: " + data.substr(0, 200));
    if (chunk.contains("error")) {
      return make_error(ErrorCode::kProviderError,
                        chunk["error"].value("message", chunk["error"].dump()));
    }
    if (chunk.contains("usage") && chunk["usage"].is_object()) {
      turn_.input_tokens = chunk["usage"].value("prompt_tokens", 0);
      turn_.output_tokens = chunk["usage"].value("completion_tokens", 0);
    }
    if (!chunk.contains("choices") || !chunk["choices"].is_array() || chunk["choices"].empty())
      return Status::Ok();
    const json& choice = chunk["choices"][0];
    if (choice.contains("delta") && choice["delta"].is_object()) {
      const json& delta = choice["delta"];
      if (delta.contains("content") && delta["content"].is_string()) {
        const std::string text = delta["content"].get<std::string>();
        turn_.text += text;
        if (on_text && !text.empty()) on_text(text);
      }
      if (delta.contains("refusal") && delta["refusal"].is_string())
        turn_.refusal += delta["refusal"].get<std::string>();
      if (delta.contains("tool_calls") && delta["tool_calls"].is_array()) {
        for (const auto& piece : delta["tool_calls"]) {
          auto& partial = calls_[piece.value("index", 0)];
          if (piece.contains("id") && piece["id"].is_string())
            partial.id = piece["id"].get<std::string>();
          if (piece.contains("function") && piece["function"].is_object()) {
            const json& fn = piece["function"];
            if (fn.contains("name") && fn["name"].is_string())
              partial.name += fn["name"].get<std::string>();
            if (fn.contains("arguments") && fn["arguments"].is_string()) {
              partial.arguments += fn["arguments"].get<std::string>();
            }
          }
        }
      }
    }
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string()) {
      turn_.stop_detail = choice["finish_reason"].get<std::string>();
      turn_.stop = stop_from_finish(turn_.stop_detail);
    }
    return Status::Ok();
  }

  SseParser parser_;
  ModelTurn turn_;
  std::map<int, PartialCall> calls_;
};

}  // namespace

json parse_tool_arguments(const std::string& text) {
  if (text.empty()) return json::object();
  json value = json::parse(text, nullptr, false);
  if (value.is_object()) return value;
  return json(text);
}

OpenAiEndpoint openai_endpoint(const std::string& base, const std::string& api_key,
                               const std::string& model) {
  std::string url = base;
  while (!url.empty() && url.back() == '/') url.pop_back();
  OpenAiEndpoint endpoint;
  endpoint.url = url + "/chat/completions";
  endpoint.headers = {{"Authorization", "Bearer " + api_key}};
  endpoint.model = model;
  return endpoint;
}

json OpenAiCodec::request_body(const ModelRequest& request) const {
  json messages = json::array();
  if (!request.system.empty())
    messages.push_back({{"role", "system"}, {"content", request.system}});
  for (const Message& m : *request.messages) {
    switch (m.role) {
      case Role::kUser:
        messages.push_back({{"role", "user"}, {"content", m.text}});
        break;
      case Role::kAssistant: {
        json message{{"role", "assistant"}, {"content", m.text.empty() ? json() : json(m.text)}};
        if (!m.tool_calls.empty()) {
          json calls = json::array();
          for (const auto& call : m.tool_calls) {
            calls.push_back(
                {{"id", call.id},
                 {"type", "function"},
                 {"function",
                  {{"name", call.name},
                   {"arguments", call.arguments.is_string() ? call.arguments.get<std::string>()
                                                            : call.arguments.dump()}}}});
          }
          message["tool_calls"] = std::move(calls);
        }
        messages.push_back(std::move(message));
        break;
      }
      case Role::kTool:
        for (const auto& result : m.tool_results) {
          messages.push_back(
              {{"role", "tool"}, {"tool_call_id", result.call_id}, {"content", result.content}});
        }
        break;
    }
  }
  json body{{"messages", std::move(messages)}};
  if (!endpoint_.model.empty()) body["model"] = endpoint_.model;
  if (!request.tools.empty()) {
    json tools = json::array();
    for (const auto& tool : request.tools) {
      tools.push_back({{"type", "function"},
                       {"function",
                        {{"name", tool.name},
                         {"description", tool.description},
                         {"parameters", tool.input_schema}}}});
    }
    body["tools"] = std::move(tools);
  }
  if (request.stream && endpoint_.stream) body["stream"] = true;
  return body;
}

Result<aws::HttpRequest> OpenAiCodec::build_request(const ModelRequest& request) const {
  aws::HttpRequest http;
  http.method = "POST";
  http.url = endpoint_.url;
  http.headers = endpoint_.headers;
  http.headers.emplace_back("Content-Type", "application/json");
  http.body = request_body(request).dump(-1, ' ', false, json::error_handler_t::replace);
  return http;
}

Result<ModelTurn> OpenAiCodec::parse_response(const aws::HttpResponse& response) const {
  json body = json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("choices") || !body["choices"].is_array() ||
      body["choices"].empty()) {
    return make_error(ErrorCode::kInvalidResponse,
                      name() + ": the answer has no choices: " + response.body.substr(0, 300));
  }
  const json& choice = body["choices"][0];
  const json message = choice.value("message", json::object());
  ModelTurn turn;
  if (message.contains("content") && message["content"].is_string())
    turn.text = message["content"].get<std::string>();
  if (message.contains("refusal") && message["refusal"].is_string())
    turn.refusal = message["refusal"].get<std::string>();
  if (message.contains("tool_calls") && message["tool_calls"].is_array()) {
    for (const auto& call : message["tool_calls"]) {
      const json fn = call.value("function", json::object());
      turn.tool_calls.push_back(ToolCall{call.value("id", ""), fn.value("name", ""),
                                         parse_tool_arguments(fn.value("arguments", ""))});
    }
  }
  turn.stop_detail =
      choice.value("finish_reason", json("")).is_string() ? choice.value("finish_reason", "") : "";
  turn.stop = stop_from_finish(turn.stop_detail);
  if (body.contains("usage") && body["usage"].is_object()) {
    turn.input_tokens = body["usage"].value("prompt_tokens", 0);
    turn.output_tokens = body["usage"].value("completion_tokens", 0);
  }
  settle_stop(turn);
  return turn;
}

std::unique_ptr<StreamDecoder> OpenAiCodec::stream_decoder() const {
  if (!endpoint_.stream) return nullptr;
  return std::make_unique<OpenAiStreamDecoder>();
}

std::optional<std::string> OpenAiCodec::reject_tool(const ToolSpec& tool) const {
  return check_tool_common(tool, 1024);
}

}  // namespace ecs_mcp::agent
