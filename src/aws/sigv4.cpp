#include "aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "common/url.h"

namespace ecs_mcp::aws {
namespace {

std::string to_hex(const unsigned char* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0x0f]);
  }
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return std::string(reinterpret_cast<const char*>(out), size);
}

// Trim both ends and collapse inner runs of whitespace to one space, as SigV4 requires.
std::string canonical_header_value(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// Removes "." and ".." segments and duplicate slashes, keeping a trailing slash, the way
// botocore normalises paths for every service except S3.
std::string normalize_path(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.emplace_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& segment : segments) out += "/" + segment;
  if (out.empty()) return "/";
  if (path.back() == '/') out += "/";
  return out;
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string_view key = pair.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      // Decode first so that raw and already-encoded input canonicalise the same way.
      params.emplace_back(uri_encode(uri_decode(key)), uri_encode(uri_decode(value)));
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += "&";
    out += key + "=" + value;
  }
  return out;
}

// botocore's list: hop-by-hop headers a proxy may rewrite, plus the user agent and trace id
// that tooling appends after signing.
bool is_unsigned_header(const std::string& lower_name) {
  static const std::set<std::string> kUnsigned = {"authorization",
                                                  "connection",
                                                  "expect",
                                                  "keep-alive",
                                                  "proxy-authenticate",
                                                  "proxy-authorization",
                                                  "te",
                                                  "trailer",
                                                  "transfer-encoding",
                                                  "upgrade",
                                                  "user-agent",
                                                  "x-amzn-trace-id"};
  return kUnsigned.count(lower_name) > 0;
}

std::string format_time(std::chrono::system_clock::time_point now, const char* format) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  size_t size = std::strftime(buffer, sizeof(buffer), format, &utc);
  return std::string(buffer, size);
}

void remove_header(HttpRequest& request, std::string_view name) {
  auto& headers = request.headers;
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& h) { return ascii_iequals(h.first, name); }),
                headers.end());
}

std::string find_header(const HttpRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (ascii_iequals(key, name)) return value;
  }
  return {};
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return to_hex(digest, size);
}

Result<SignatureParts> compute_signature_v4(const HttpRequest& request,
                                            const Credentials& credentials,
                                            const SigningParams& params) {
  auto url = parse_url(request.url);
  if (!url.ok()) return make_error(ErrorCode::kInvalidEndpoint, url.error().message);

  const std::string amz_date = find_header(request, "x-amz-date");
  const std::string date = amz_date.substr(0, 8);

  // Group by lower-cased name; repeated headers join with ',' in the order given.
  std::map<std::string, std::string> headers;
  bool has_host = false;
  for (const auto& [name, value] : request.headers) {
    std::string key = ascii_lower(name);
    if (is_unsigned_header(key)) continue;
    if (key == "host") has_host = true;
    auto [it, inserted] = headers.emplace(key, canonical_header_value(value));
    if (!inserted) it->second += "," + canonical_header_value(value);
  }
  if (!has_host) headers["host"] = url->host_header();

  SignatureParts parts;
  std::string canonical_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!parts.signed_headers.empty()) parts.signed_headers += ";";
    parts.signed_headers += name;
  }

  parts.canonical_request = request.method + "\n" +
                            uri_encode(normalize_path(url->path), /*keep_slash=*/true) + "\n" +
                            canonical_query(url->query) + "\n" + canonical_headers + "\n" +
                            parts.signed_headers + "\n" + sha256_hex(request.body);

  const std::string scope = date + "/" + params.region + "/" + params.service + "/aws4_request";
  parts.string_to_sign =
      "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + sha256_hex(parts.canonical_request);

  std::string key = hmac_sha256("AWS4" + credentials.secret_access_key, date);
  key = hmac_sha256(key, params.region);
  key = hmac_sha256(key, params.service);
  key = hmac_sha256(key, "aws4_request");
  std::string raw = hmac_sha256(key, parts.string_to_sign);
  parts.signature = to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  return parts;
}

Status sign_v4(HttpRequest& request, const Credentials& credentials, const SigningParams& params) {
  // A retried request is signed again with a fresh date: drop what an earlier attempt added.
  for (const char* name :
       {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}) {
    remove_header(request, name);
  }
  request.headers.emplace_back("X-Amz-Date", format_time(params.now, "%Y%m%dT%H%M%SZ"));
  if (!credentials.session_token.empty()) {
    request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  if (params.add_content_sha256_header) {
    request.headers.emplace_back("X-Amz-Content-Sha256", sha256_hex(request.body));
  }
  auto parts = compute_signature_v4(request, credentials, params);
  if (!parts.ok()) return parts.error();
  const std::string date = format_time(params.now, "%Y%m%d");
  request.headers.emplace_back(
      "Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + date +
                           "/" + params.region + "/" + params.service +
                           "/aws4_request, SignedHeaders=" + parts->signed_headers +
                           ", Signature=" + parts->signature);
  return Status::Ok();
}

}  // namespace ecs_mcp::aws
