#include "aws/curl_http_client.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "common/curl_library.h"
#include "common/strings.h"
#include "common/url.h"

namespace ecs_mcp::aws {
namespace {

// Only reached after CurlLibrary::get() succeeded, so the table is there.
const CurlLibrary& curl() { return **CurlLibrary::get(); }

bool has_http_scheme(const std::string& url) {
  auto starts = [&](std::string_view scheme) {
    return url.size() >= scheme.size() &&
           ascii_iequals(std::string_view(url).substr(0, scheme.size()), scheme);
  };
  return starts("http://") || starts("https://");
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl().slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct Transfer {
  HttpResponse response;
  const HttpRequest* request = nullptr;
  CURL* curl = nullptr;
  bool cancelled = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->request->on_body_chunk) {
    long status = 0;
    curl().easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) {
      if (!transfer->request->on_body_chunk(std::string_view(data, size * count))) {
        transfer->cancelled = true;
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
      }
      return size * count;
    }
  }
  transfer->response.body.append(data, size * count);
  return size * count;
}

std::string trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after 100 Continue, or a proxy's CONNECT reply): start over.
    transfer->response.headers.clear();
    return size * count;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name = ascii_lower(trim(line.substr(0, colon)));
    std::string value = trim(line.substr(colon + 1));
    auto [it, inserted] = transfer->response.headers.emplace(name, value);
    if (!inserted) it->second += ", " + value;
  }
  return size * count;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->request->cancelled && transfer->request->cancelled()) {
    transfer->cancelled = true;
    return 1;  // aborts the transfer with CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

ErrorCode error_code_for(CURLcode code) {
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
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return ErrorCode::kHttpRecvError;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
      return ErrorCode::kHttpTlsError;
    case CURLE_ABORTED_BY_CALLBACK:
      return ErrorCode::kCancelled;
    default:
      return ErrorCode::kHttpError;
  }
}

}  // namespace

struct CurlHttpClient::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl != nullptr) aws::curl().easy_cleanup(curl);
  }
};

CurlHttpClientOptions CurlHttpClientOptions::from_environment(const Os& os) {
  CurlHttpClientOptions options;
  options.ca_bundle = os.env("AWS_CA_BUNDLE");
  return options;
}

CurlHttpClient::CurlHttpClient(CurlHttpClientOptions options) : options_(std::move(options)) {}

CurlHttpClient::~CurlHttpClient() = default;

std::unique_ptr<CurlHttpClient::Handle> CurlHttpClient::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!pool_.empty()) {
      auto handle = std::move(pool_.back());
      pool_.pop_back();
      // reset() clears options but keeps the handle's open connections and caches.
      curl().easy_reset(handle->curl);
      return handle;
    }
  }
  auto handle = std::make_unique<Handle>();
  handle->curl = curl().easy_init();
  if (handle->curl == nullptr) return nullptr;
  return handle;
}

void CurlHttpClient::release(std::unique_ptr<Handle> handle) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (pool_.size() < options_.max_pooled_handles) pool_.push_back(std::move(handle));
}

Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
  if (request.cancelled && request.cancelled()) {
    return make_error(ErrorCode::kCancelled, "request cancelled before it was sent");
  }
  // Endpoint URLs come from configuration (AWS_ENDPOINT_URL*, profiles): libcurl would as
  // happily fetch file://, ftp:// or gopher://, so only HTTP(S) is ever handed to it.
  if (!has_http_scheme(request.url)) {
    return make_error(ErrorCode::kHttpUnsupportedScheme,
                      "refusing to request " + request.url.substr(0, request.url.find(':')) +
                          " URL: only http and https endpoints are supported");
  }
  if (auto lib = CurlLibrary::get(); !lib.ok()) return lib.error();
  auto handle = acquire();
  if (!handle) return make_error(ErrorCode::kHttpError, "curl_easy_init failed");
  CURL* const handle_curl = handle->curl;
  const CurlLibrary& lib = curl();

  Transfer transfer;
  transfer.request = &request;
  transfer.curl = handle_curl;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  if (lib.easy_setopt(handle_curl, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
      lib.easy_setopt(handle_curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK) {
    return make_error(ErrorCode::kHttpError,
                      "this libcurl cannot be restricted to http and https (it predates 7.85)");
  }
  lib.easy_setopt(handle_curl, CURLOPT_URL, request.url.c_str());
  lib.easy_setopt(handle_curl, CURLOPT_ERRORBUFFER, error_buffer);
  lib.easy_setopt(handle_curl, CURLOPT_NOSIGNAL, 1L);
  lib.easy_setopt(handle_curl, CURLOPT_SSL_VERIFYPEER, 1L);
  lib.easy_setopt(handle_curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (options_.ca_bundle) lib.easy_setopt(handle_curl, CURLOPT_CAINFO, options_.ca_bundle->c_str());
  lib.easy_setopt(handle_curl, CURLOPT_FOLLOWLOCATION, 0L);
  lib.easy_setopt(handle_curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate, decoded by libcurl

  auto connect_timeout =
      request.connect_timeout.count() > 0 ? request.connect_timeout : options_.connect_timeout;
  auto timeout = request.timeout.count() > 0 ? request.timeout : options_.timeout;
  lib.easy_setopt(handle_curl, CURLOPT_CONNECTTIMEOUT_MS,
                  static_cast<long>(connect_timeout.count()));
  lib.easy_setopt(handle_curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));

  if (request.method == "GET" && request.body.empty()) {
    lib.easy_setopt(handle_curl, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    lib.easy_setopt(handle_curl, CURLOPT_NOBODY, 1L);
  } else {
    if (request.method != "POST") {
      lib.easy_setopt(handle_curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    lib.easy_setopt(handle_curl, CURLOPT_POST, 1L);
    lib.easy_setopt(handle_curl, CURLOPT_POSTFIELDSIZE_LARGE,
                    static_cast<curl_off_t>(request.body.size()));
    lib.easy_setopt(handle_curl, CURLOPT_POSTFIELDS, request.body.data());
  }

  Slist headers;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's way to send a header with an empty value.
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    headers.reset(lib.slist_append(headers.release(), line.c_str()));
  }
  // Without this curl waits for "100 Continue" on larger bodies, a round trip for nothing.
  headers.reset(lib.slist_append(headers.release(), "Expect:"));
  lib.easy_setopt(handle_curl, CURLOPT_HTTPHEADER, headers.get());

  lib.easy_setopt(handle_curl, CURLOPT_WRITEFUNCTION, on_body);
  lib.easy_setopt(handle_curl, CURLOPT_WRITEDATA, &transfer);
  lib.easy_setopt(handle_curl, CURLOPT_HEADERFUNCTION, on_header);
  lib.easy_setopt(handle_curl, CURLOPT_HEADERDATA, &transfer);
  lib.easy_setopt(handle_curl, CURLOPT_NOPROGRESS, 0L);
  lib.easy_setopt(handle_curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  lib.easy_setopt(handle_curl, CURLOPT_XFERINFODATA, &transfer);

  CURLcode code = lib.easy_perform(handle_curl);
  long status = 0;
  lib.easy_getinfo(handle_curl, CURLINFO_RESPONSE_CODE, &status);
  // The handle holds pointers into this frame; clear them before it goes back to the pool.
  lib.easy_setopt(handle_curl, CURLOPT_HTTPHEADER, nullptr);
  lib.easy_setopt(handle_curl, CURLOPT_ERRORBUFFER, nullptr);

  if (code != CURLE_OK) {
    std::string detail = error_buffer[0] != '\0' ? error_buffer : lib.easy_strerror(code);
    ErrorCode error_code = transfer.cancelled ? ErrorCode::kCancelled : error_code_for(code);
    // A handle whose transfer failed may hold a half-used connection: do not pool it.
    if (error_code == ErrorCode::kCancelled) {
      return make_error(error_code, "request cancelled");
    }
    std::string host = request.url;
    if (auto url = parse_url(request.url); url.ok()) host = url->host_header();
    return make_error(error_code, detail + " (" + request.method + " " + host + ")");
  }
  release(std::move(handle));
  transfer.response.status = static_cast<int>(status);
  return std::move(transfer.response);
}

}  // namespace ecs_mcp::aws
