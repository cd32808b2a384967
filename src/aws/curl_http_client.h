// CurlHttpClient: the real HttpClient, over libcurl.
//
// TLS peers are always verified (AWS_CA_BUNDLE names an extra CA file, as in the AWS CLI);
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured by libcurl itself. Easy handles are pooled
// so that consecutive calls reuse the open connection. Nothing touches libcurl until the
// first send(): the server is spawned once per tool call, so start-up must stay cheap.
//
// Thread-safety: send() may be called concurrently; each call borrows its own easy handle.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/endpoints.h"
#include "aws/http_client.h"

namespace ecs_mcp::aws {

struct CurlHttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{60000};
  std::optional<std::string> ca_bundle;  // CURLOPT_CAINFO when set
  size_t max_pooled_handles = 8;

  // Defaults plus AWS_CA_BUNDLE from the environment.
  static CurlHttpClientOptions from_environment(const Os& os = *real_os());
};

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient() : CurlHttpClient(CurlHttpClientOptions::from_environment()) {}
  explicit CurlHttpClient(CurlHttpClientOptions options);
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  struct Handle;
  std::unique_ptr<Handle> acquire();
  void release(std::unique_ptr<Handle> handle);

  CurlHttpClientOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Handle>> pool_;
};

}  // namespace ecs_mcp::aws
