// AnthropicCodec: the Messages API (POST {base}/v1/messages, x-api-key, anthropic-version
// 2023-06-01) with tool_use / tool_result content blocks, streamed as SSE events
// (message_start, content_block_start/delta/stop, message_delta, message_stop).
//
// Tool results travel in a user message, so consecutive messages of one role are merged
// into one, as the API requires alternating roles. stop_reason "refusal" is a kRefusal turn.
//
// Thread-safety: immutable after construction.
#pragma once

#include <string>

#include "agent/codec.h"

namespace ecs_mcp::agent {

struct AnthropicEndpoint {
  std::string base = "https://api.anthropic.com";  // without /v1
  std::string api_key;
  std::string model;
  bool stream = true;
};

class AnthropicCodec : public ProviderCodec {
 public:
  explicit AnthropicCodec(AnthropicEndpoint endpoint);
  std::string name() const override { return "anthropic-claude"; }
  std::string model() const override { return endpoint_.model; }
  Result<aws::HttpRequest> build_request(const ModelRequest& request) const override;
  Result<ModelTurn> parse_response(const aws::HttpResponse& response) const override;
  std::unique_ptr<StreamDecoder> stream_decoder() const override;
  std::optional<std::string> reject_tool(const ToolSpec& tool) const override;

  json request_body(const ModelRequest& request) const;

 private:
  AnthropicEndpoint endpoint_;
};

}  // namespace ecs_mcp::agent
