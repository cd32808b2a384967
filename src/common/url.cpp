#include "common/url.h"

#include <memory>

#include "common/curl_library.h"
#include "common/strings.h"

namespace ecs_mcp {
namespace {

// One part of a parsed URL; empty when the URL does not have it.
std::string part(const CurlLibrary& lib, const CURLU* url, CURLUPart which) {
  char* text = nullptr;
  if (lib.url_get(url, which, &text, 0) != CURLUE_OK || text == nullptr) return {};
  std::string out(text);
  lib.free(text);
  return out;
}

bool is_ipv4_loopback(std::string_view host) {
  if (!host.starts_with("127.")) return false;
  int parts = 0;
  size_t start = 0;
  while (start <= host.size()) {
    size_t end = host.find('.', start);
    if (end == std::string_view::npos) end = host.size();
    std::string_view digits = host.substr(start, end - start);
    if (digits.empty() || digits.size() > 3) return false;
    int value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255) return false;
    ++parts;
    start = end + 1;
  }
  return parts == 4;
}

}  // namespace

std::string Url::host_header() const {
  if (port.empty() || (scheme == "https" && port == "443") || (scheme == "http" && port == "80")) {
    return host;
  }
  return host + ":" + port;
}

std::string Url::bare_host() const {
  std::string_view h = host;
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  return ascii_lower(h);
}

Result<Url> parse_url(std::string_view text) {
  ECS_MCP_ASSIGN_OR_RETURN(auto lib, CurlLibrary::get());
  const CurlLibrary& curl = *lib;
  std::unique_ptr<CURLU, void (*)(CURLU*)> handle(curl.url(), curl.url_cleanup);
  if (!handle) return make_error(ErrorCode::kInvalidUrl, "out of memory parsing a URL");
  const std::string input(text);
  // A scheme this libcurl build cannot fetch is still a URL; the path is kept as written
  // (signing canonicalises it itself).
  const CURLUcode rc = curl.url_set(handle.get(), CURLUPART_URL, input.c_str(),
                                    CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS);
  if (rc != CURLUE_OK)
    return make_error(ErrorCode::kInvalidUrl, "not an absolute URL: '" + input + "'");
  Url url;
  url.scheme = ascii_lower(part(curl, handle.get(), CURLUPART_SCHEME));
  url.user = part(curl, handle.get(), CURLUPART_USER);
  url.password = part(curl, handle.get(), CURLUPART_PASSWORD);
  url.host = part(curl, handle.get(), CURLUPART_HOST);
  url.port = part(curl, handle.get(), CURLUPART_PORT);
  url.path = part(curl, handle.get(), CURLUPART_PATH);
  url.query = part(curl, handle.get(), CURLUPART_QUERY);
  url.fragment = part(curl, handle.get(), CURLUPART_FRAGMENT);
  if (url.host.empty())
    return make_error(ErrorCode::kInvalidUrl, "URL has no host: '" + input + "'");
  if (url.path.empty()) url.path.push_back('/');
  return url;
}

Result<std::string> resolve_url(std::string_view base, std::string_view reference) {
  auto lib = CurlLibrary::get();
  if (!lib.ok()) return lib.error();
  const CurlLibrary& curl = **lib;
  std::unique_ptr<CURLU, void (*)(CURLU*)> handle(curl.url(), curl.url_cleanup);
  if (!handle) return make_error(ErrorCode::kInvalidUrl, "out of memory resolving a URL");
  const std::string base_text(base);
  if (curl.url_set(handle.get(), CURLUPART_URL, base_text.c_str(), CURLU_NON_SUPPORT_SCHEME) !=
      CURLUE_OK) {
    return make_error(ErrorCode::kInvalidUrl, "not an absolute URL: '" + base_text + "'");
  }
  const std::string reference_text(reference);
  // libcurl 7.88 resolves a fragment-only reference like a relative path (dropping the last
  // segment and the query); RFC 3986 keeps the whole base and replaces only the fragment.
  if (reference_text.starts_with("#")) {
    curl.url_set(handle.get(), CURLUPART_FRAGMENT, nullptr, 0);
    std::string out = part(curl, handle.get(), CURLUPART_URL);
    if (out.empty())
      return make_error(ErrorCode::kInvalidUrl, "not an absolute URL: '" + base_text + "'");
    return out + reference_text;
  }
  // Setting a URL on a handle that already holds one resolves it as a reference.
  if (curl.url_set(handle.get(), CURLUPART_URL, reference_text.c_str(), CURLU_NON_SUPPORT_SCHEME) !=
      CURLUE_OK) {
    return make_error(ErrorCode::kInvalidUrl,
                      "cannot resolve '" + reference_text + "' against '" + base_text + "'");
  }
  std::string out = part(curl, handle.get(), CURLUPART_URL);
  if (out.empty())
    return make_error(ErrorCode::kInvalidUrl, "cannot resolve '" + reference_text + "'");
  return out;
}

bool is_loopback_host(std::string_view host) {
  const std::string h = ascii_lower(host);
  return h == "localhost" || h == "::1" || h == "[::1]" || is_ipv4_loopback(h);
}

}  // namespace ecs_mcp
