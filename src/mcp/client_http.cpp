#include "mcp/client_http.h"

#include <cctype>
#include <utility>

#include "common/curl_library.h"

namespace ecs_mcp::mcp {
namespace {

// Reached only once CurlLibrary::get() has succeeded.
const CurlLibrary& lib() { return **CurlLibrary::get(); }

struct Exchange {
  const ClientHttpRequest* request = nullptr;
  size_t max_body = 0;
  ClientHttpResponse response;
  long status = 0;
  bool stopped_by_reader = false;  // on_body said it had enough
  bool too_large = false;
  bool cancelled = false;
  CURL* curl = nullptr;
};

std::string strip(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

size_t header_line(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  if (line.substr(0, 5) == "HTTP/") {
    exchange->response.headers.clear();  // a proxy's CONNECT answer or 100 Continue came first
    return line.size();
  }
  if (auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string name = strip(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = strip(line.substr(colon + 1));
    auto [it, fresh] = exchange->response.headers.emplace(std::move(name), value);
    if (!fresh) it->second += ", " + value;
  }
  return line.size();
}

size_t body_bytes(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t n = size * count;
  if (exchange->request->on_body) {
    if (exchange->response.status == 0) {
      lib().easy_getinfo(exchange->curl, CURLINFO_RESPONSE_CODE, &exchange->status);
      exchange->response.status = static_cast<int>(exchange->status);
    }
    if (!exchange->request->on_body(exchange->response, std::string_view(data, n))) {
      exchange->stopped_by_reader = true;
      return 0;  // a short count ends the transfer (CURLE_WRITE_ERROR), taken as success below
    }
    return n;
  }
  if (exchange->response.body.size() + n > exchange->max_body) {
    exchange->too_large = true;
    return 0;
  }
  exchange->response.body.append(data, n);
  return n;
}

int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* exchange = static_cast<Exchange*>(user);
  if (exchange->request->cancelled && exchange->request->cancelled()) {
    exchange->cancelled = true;
    return 1;
  }
  return 0;
}

ErrorCode code_for(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorCode::kHttpTimeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return ErrorCode::kHttpConnectError;
    case CURLE_SEND_ERROR:
      return ErrorCode::kHttpSendError;
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return ErrorCode::kHttpRecvError;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return ErrorCode::kHttpTlsError;
    default:
      return ErrorCode::kHttpError;
  }
}

}  // namespace

struct CurlClientHttp::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl != nullptr) lib().easy_cleanup(curl);
  }
};

CurlClientHttp::CurlClientHttp(CurlClientHttpOptions options) : options_(std::move(options)) {}
CurlClientHttp::~CurlClientHttp() = default;

std::unique_ptr<CurlClientHttp::Handle> CurlClientHttp::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!pool_.empty()) {
      auto handle = std::move(pool_.back());
      pool_.pop_back();
      lib().easy_reset(handle->curl);
      return handle;
    }
  }
  auto handle = std::make_unique<Handle>();
  handle->curl = lib().easy_init();
  if (handle->curl == nullptr) return nullptr;
  return handle;
}

void CurlClientHttp::release(std::unique_ptr<Handle> handle) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (pool_.size() < 4) pool_.push_back(std::move(handle));
}

Result<ClientHttpResponse> CurlClientHttp::send(const ClientHttpRequest& request) {
  if (request.cancelled && request.cancelled()) {
    return make_error(ErrorCode::kCancelled, "request cancelled before it was sent");
  }
  ECS_MCP_RETURN_IF_ERROR(CurlLibrary::get());
  auto handle = acquire();
  if (!handle) return make_error(ErrorCode::kHttpError, "curl_easy_init failed");
  const CurlLibrary& curl = lib();
  CURL* h = handle->curl;

  Exchange exchange;
  exchange.request = &request;
  exchange.max_body = options_.max_body_bytes;
  exchange.curl = h;
  char error_text[CURL_ERROR_SIZE] = {0};

  curl.easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl.easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);
  curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (options_.ca_bundle) curl.easy_setopt(h, CURLOPT_CAINFO, options_.ca_bundle->c_str());
  curl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  auto connect_timeout =
      request.connect_timeout.count() > 0 ? request.connect_timeout : options_.connect_timeout;
  auto timeout = request.timeout.count() > 0 ? request.timeout : options_.timeout;
  curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
  curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));

  if (request.method == "GET") {
    curl.easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    if (request.method != "POST")
      curl.easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl.easy_setopt(h, CURLOPT_POST, 1L);
    curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl.easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  }

  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    headers = curl.slist_append(headers, line.c_str());
  }
  headers = curl.slist_append(headers, "Expect:");
  curl.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl.easy_setopt(h, CURLOPT_HEADERFUNCTION, header_line);
  curl.easy_setopt(h, CURLOPT_HEADERDATA, &exchange);
  curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, body_bytes);
  curl.easy_setopt(h, CURLOPT_WRITEDATA, &exchange);
  curl.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress);
  curl.easy_setopt(h, CURLOPT_XFERINFODATA, &exchange);

  CURLcode code = curl.easy_perform(h);
  long status = 0;
  curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl.easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl.easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl.slist_free_all(headers);

  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && exchange.stopped_by_reader)) {
    // A handle whose transfer failed may hold a half-used connection: it is not pooled.
    if (exchange.cancelled) return make_error(ErrorCode::kCancelled, "request cancelled");
    if (exchange.too_large) {
      return make_error(ErrorCode::kHttpBodyTooLarge,
                        "the answer from " + request.url + " is larger than " +
                            std::to_string(options_.max_body_bytes) + " bytes");
    }
    std::string detail = error_text[0] != '\0' ? error_text : curl.easy_strerror(code);
    return make_error(code_for(code), detail + " (" + request.method + " " + request.url + ")");
  }
  if (!exchange.stopped_by_reader) release(std::move(handle));
  exchange.response.status = static_cast<int>(status);
  return std::move(exchange.response);
}

}  // namespace ecs_mcp::mcp
