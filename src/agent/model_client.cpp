#include "agent/model_client.h"

#include <utility>

namespace ecs_mcp::agent {

ModelClient::ModelClient(std::shared_ptr<const ProviderCodec> codec, ModelClientOptions options)
    : codec_(std::move(codec)), options_(std::move(options)) {}

Result<ModelTurn> ModelClient::complete(const ModelRequest& request, const TextSink& on_text,
                                        const std::function<bool()>& cancelled,
                                        TurnTiming* timing) const {
  ECS_MCP_ASSIGN_OR_RETURN(auto built, codec_->build_request(request));
  auto retry = options_.retry.retry_policy ? options_.retry.retry_policy->clone()
                                           : std::make_unique<aws::StandardRetryPolicy>();
  auto backoff = options_.retry.backoff_policy ? options_.retry.backoff_policy->clone()
                                               : std::make_unique<aws::ExponentialJitterBackoff>();
  while (true) {
    aws::HttpRequest http = built;
    http.timeout = options_.timeout;
    http.connect_timeout = options_.connect_timeout;
    http.cancelled = cancelled;
    if (options_.sign) {
      ECS_MCP_RETURN_IF_ERROR(options_.sign(http));
    }
    std::unique_ptr<StreamDecoder> decoder = request.stream ? codec_->stream_decoder() : nullptr;
    bool streamed_text = false;
    Status decode_status;
    if (decoder) {
      http.on_body_chunk = [&](std::string_view chunk) {
        decode_status = decoder->feed(chunk, [&](std::string_view text) {
          streamed_text = true;
          if (on_text) on_text(text);
        });
        return decode_status.ok();
      };
    }
    const auto started = std::chrono::steady_clock::now();
    auto response = options_.http->send(http);
    if (timing != nullptr) {
      ++timing->attempts;
      timing->provider_time += std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - started);
    }
    if (!decode_status.ok()) return decode_status.error();
    Error error;
    if (!response.ok()) {
      error = response.error();
      if (error.is_cancelled())
        return make_error(ErrorCode::kCancelled, "the model request was cancelled");
    } else if (response->status < 200 || response->status >= 300) {
      error = codec_->http_error(*response);
    } else if (decoder) {
      return decoder->finish();
    } else if (auto fallback = codec_->stream_decoder();
               fallback && response->header("content-type").rfind("text/event-stream", 0) == 0) {
      // A server that streams although it was not asked to.
      ECS_MCP_RETURN_IF_ERROR(fallback->feed(response->body, on_text));
      return fallback->finish();
    } else {
      auto turn = codec_->parse_response(*response);
      if (turn.ok() && on_text && !turn->text.empty()) on_text(turn->text);
      return turn;
    }
    if (streamed_text || !retry->on_failure(error)) {
      if (retry->attempts() > 1)
        error.message += " (gave up after " + std::to_string(retry->attempts()) + " attempts)";
      return error;
    }
    const auto delay = backoff->on_completion();
    const bool slept = options_.retry.sleep ? options_.retry.sleep(delay, cancelled)
                                            : aws::sleep_unless_cancelled(delay, cancelled);
    if (!slept)
      return make_error(ErrorCode::kCancelled,
                        "the model request was cancelled while waiting to retry");
  }
}

}  // namespace ecs_mcp::agent
