// ModelClient: one model provider reached over HTTP.
//
// It asks the codec for the request, signs it when a signer is set (Bedrock's SigV4),
// sends it through aws::HttpClient (the same curl client and seam the AWS layer uses), and
// retries 429, 5xx and transport failures with the AWS layer's retry and backoff policies,
// as long as no streamed text has reached the caller yet. Streamed text is handed to
// `on_text` as it arrives. Cancellation is polled during the transfer and the backoff waits.
//
// Thread-safety: complete() may be called concurrently; it keeps no per-call state.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "agent/codec.h"
#include "aws/http_client.h"
#include "aws/retry.h"

namespace ecs_mcp::agent {

using RequestSigner = std::function<Status(aws::HttpRequest& request)>;

struct ModelClientOptions {
  std::shared_ptr<aws::HttpClient> http;
  aws::RetryOptions retry;
  RequestSigner sign;  // empty: unsigned (API-key providers)
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
};

struct TurnTiming {
  int attempts = 0;
  std::chrono::microseconds provider_time{0};  // inside HttpClient::send
};

// What the loop needs from a model; ModelClient is the real one, tests script their own.
class ModelBackend {
 public:
  virtual ~ModelBackend() = default;
  virtual Result<ModelTurn> complete(const ModelRequest& request, const TextSink& on_text,
                                     const std::function<bool()>& cancelled,
                                     TurnTiming* timing) const = 0;
  // Why the provider would refuse this tool, or nullopt.
  virtual std::optional<std::string> reject_tool(const ToolSpec& tool) const = 0;
};

class ModelClient final : public ModelBackend {
 public:
  ModelClient(std::shared_ptr<const ProviderCodec> codec, ModelClientOptions options);

  Result<ModelTurn> complete(const ModelRequest& request, const TextSink& on_text,
                             const std::function<bool()>& cancelled,
                             TurnTiming* timing) const override;
  std::optional<std::string> reject_tool(const ToolSpec& tool) const override {
    return codec_->reject_tool(tool);
  }

  const ProviderCodec& codec() const { return *codec_; }

 private:
  std::shared_ptr<const ProviderCodec> codec_;
  ModelClientOptions options_;
};

}  // namespace ecs_mcp::agent
