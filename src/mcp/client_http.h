// ClientHttp: the seam through which the MCP client side (HttpClientSession) reaches the
// network, and CurlClientHttp, its one real implementation over libcurl.
//
// mcp/ knows nothing of AWS, so it cannot use aws/http_client.h; it shares only the lazily
// loaded libcurl table (common/curl_library.h). What this seam adds over a plain request /
// response is streaming: an MCP server may answer a POST with a Server-Sent Events stream
// that stays open after the answer, so the body is handed to `on_body` as it arrives and the
// caller stops the transfer once it has what it needs.
//
// A transport failure (DNS, connect, TLS, timeout, reset, cancellation) is an Error whose
// code is one of the Http codes (kHttpTimeout, kHttpConnectError, ...) or kCancelled; any
// HTTP status is a successful Result carrying that status. Proxies come from the standard
// variables (HTTPS_PROXY, https_proxy, http_proxy, NO_PROXY), which libcurl reads itself.
// Redirects are never followed: a caller that wants them checks each Location first.
//
// Thread-safety: send() may be called concurrently from many threads.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace ecs_mcp::mcp {

struct ClientHttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;                            // empty when the request had on_body

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct ClientHttpRequest {
  std::string method = "POST";  // GET, POST, DELETE
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{0};  // zero: the client's default
  std::chrono::milliseconds timeout{0};          // whole exchange; zero: the client's default
  // Polled while the request is in flight; true aborts it with Cancelled.
  std::function<bool()> cancelled;
  // When set, body bytes go here as they arrive (status and headers are already known) instead
  // of into the response; returning false ends the transfer early, successfully.
  std::function<bool(const ClientHttpResponse& head, std::string_view chunk)> on_body;
};

class ClientHttp {
 public:
  virtual ~ClientHttp() = default;
  virtual Result<ClientHttpResponse> send(const ClientHttpRequest& request) = 0;
};

struct CurlClientHttpOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{30000};
  std::optional<std::string> ca_bundle;      // an extra CA file (CURLOPT_CAINFO)
  size_t max_body_bytes = 16 * 1024 * 1024;  // larger answers fail with "HttpBodyTooLarge"
};

class CurlClientHttp final : public ClientHttp {
 public:
  explicit CurlClientHttp(CurlClientHttpOptions options = {});
  ~CurlClientHttp() override;
  CurlClientHttp(const CurlClientHttp&) = delete;
  CurlClientHttp& operator=(const CurlClientHttp&) = delete;

  // Loads libcurl on the first call, not before: constructing one costs nothing.
  Result<ClientHttpResponse> send(const ClientHttpRequest& request) override;

 private:
  struct Handle;
  std::unique_ptr<Handle> acquire();
  void release(std::unique_ptr<Handle> handle);

  CurlClientHttpOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Handle>> pool_;  // easy handles keep their connections open
};

}  // namespace ecs_mcp::mcp
