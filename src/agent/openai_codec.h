// OpenAiCodec: the Chat Completions wire format with function tools, streamed as SSE.
//
// Used as is for OpenAI (POST {base}/chat/completions, Authorization: Bearer) and, with
// another URL and header, for Azure OpenAI (see azure_openai_codec.h). Tool calls come back
// as message.tool_calls with arguments as a JSON string; streamed, they arrive in pieces
// keyed by index and are put together here. A `refusal` from the model, or finish_reason
// content_filter, is a kRefusal turn.
//
// Thread-safety: immutable after construction.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "agent/codec.h"

namespace ecs_mcp::agent {

struct OpenAiEndpoint {
  std::string provider_name = "openai";
  std::string url;  // the full chat/completions URL
  std::vector<std::pair<std::string, std::string>> headers;
  std::string model;  // sent as "model" when not empty (Azure names it in the URL)
  bool stream = true;
};

class OpenAiCodec : public ProviderCodec {
 public:
  explicit OpenAiCodec(OpenAiEndpoint endpoint) : endpoint_(std::move(endpoint)) {}
  std::string name() const override { return endpoint_.provider_name; }
  std::string model() const override { return endpoint_.model; }
  Result<aws::HttpRequest> build_request(const ModelRequest& request) const override;
  Result<ModelTurn> parse_response(const aws::HttpResponse& response) const override;
  std::unique_ptr<StreamDecoder> stream_decoder() const override;
  std::optional<std::string> reject_tool(const ToolSpec& tool) const override;

  // The JSON body alone, for tests.
  json request_body(const ModelRequest& request) const;

 private:
  OpenAiEndpoint endpoint_;
};

// OpenAI itself: `base` such as https://api.openai.com/v1.
OpenAiEndpoint openai_endpoint(const std::string& base, const std::string& api_key,
                               const std::string& model);

// Tool-call arguments as the model wrote them: an object when they parse as one, otherwise
// the raw text (the loop answers such a call with an error instead of running it).
json parse_tool_arguments(const std::string& text);

}  // namespace ecs_mcp::agent
