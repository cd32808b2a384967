// BedrockCodec: the Bedrock Runtime Converse API
// (POST {endpoint}/model/{modelId}/converse, or /converse-stream when streaming, answered in
// the AWS event stream framing) with toolConfig, toolUse and toolResult blocks. The request is
// signed with SigV4 for service "bedrock" by the model client, not here. Consecutive messages of
// one role are merged (Converse wants alternating roles); stopReason guardrail_intervened or
// content_filtered is a kRefusal turn.
//
// Thread-safety: immutable after construction.
#pragma once

#include <string>

#include "agent/codec.h"

namespace ecs_mcp::agent {

struct BedrockEndpoint {
  std::string base;  // "https://bedrock-runtime.us-west-2.amazonaws.com" or an override
  std::string region;
  std::string model_id;
  bool stream = true;
};

class BedrockCodec : public ProviderCodec {
 public:
  explicit BedrockCodec(BedrockEndpoint endpoint);
  std::string name() const override { return "aws-bedrock"; }
  std::string model() const override { return endpoint_.model_id; }
  Result<aws::HttpRequest> build_request(const ModelRequest& request) const override;
  Result<ModelTurn> parse_response(const aws::HttpResponse& response) const override;
  std::unique_ptr<StreamDecoder> stream_decoder() const override;
  std::optional<std::string> reject_tool(const ToolSpec& tool) const override;

  const BedrockEndpoint& endpoint() const { return endpoint_; }
  json request_body(const ModelRequest& request) const;

 private:
  BedrockEndpoint endpoint_;
};

}  // namespace ecs_mcp::agent
