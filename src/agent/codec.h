// ProviderCodec: one model provider's wire format.
//
// A codec turns a ModelRequest into an HTTP request (URL, headers, JSON body; signing is the
// client's business), turns a complete HTTP answer into a ModelTurn, and, for providers that
// stream, decodes the streamed body incrementally. It also knows which tools the provider
// would reject, so they can be left out before a request fails. Codecs do no I/O.
//
// Thread-safety: codecs are immutable after construction; a StreamDecoder is used by one
// request at a time.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "agent/conversation.h"
#include "aws/http_client.h"
#include "common/result.h"

namespace ecs_mcp::agent {

class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Consumes the next bytes of the body; text deltas go to `on_text` as they are decoded.
  virtual Status feed(std::string_view bytes, const TextSink& on_text) = 0;
  // The whole turn, once the body has ended.
  virtual Result<ModelTurn> finish() = 0;
};

class ProviderCodec {
 public:
  virtual ~ProviderCodec() = default;
  virtual std::string name() const = 0;  // "openai", "anthropic-claude", ...
  virtual std::string model() const = 0;
  virtual Result<aws::HttpRequest> build_request(const ModelRequest& request) const = 0;
  virtual Result<ModelTurn> parse_response(const aws::HttpResponse& response) const = 0;
  // Null when this codec does not stream (then build_request asks for a whole answer).
  virtual std::unique_ptr<StreamDecoder> stream_decoder() const = 0;
  // Why the provider would refuse this tool in a request, or nullopt when it is acceptable.
  virtual std::optional<std::string> reject_tool(const ToolSpec& tool) const = 0;
  // The error a non-2xx answer stands for: the provider's message, and the HTTP status kept so
  // that 429 and 5xx are retried.
  Error http_error(const aws::HttpResponse& response) const;
};

// Rules the function-calling providers share: a name of 1..64 of [A-Za-z0-9_-], a
// description of at most `max_description` characters (0: no limit), an object schema.
std::optional<std::string> check_tool_common(const ToolSpec& tool, size_t max_description);

// Appends content `blocks` to `messages` as a `role` message, merging them into the last
// message when it has the same role: Anthropic and Bedrock want roles to alternate, so
// consecutive tool results (and a following text) travel in one user message.
void append_blocks(nlohmann::json& messages, const std::string& role, nlohmann::json blocks);

}  // namespace ecs_mcp::agent
