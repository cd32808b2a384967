#include "ecs/docs/docs_urls.h"

#include <cctype>
#include <string_view>

#include "common/strings.h"

namespace ecs_mcp::ecs {
namespace {

constexpr std::string_view kScheme = "https://";

// The host of an https URL (lower case, ":443" dropped), or empty when the authority is not
// a plain host name.
std::string https_host(const std::string& url) {
  if (url.size() <= kScheme.size() ||
      !ascii_iequals(std::string_view(url).substr(0, kScheme.size()), kScheme)) {
    return {};
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f || c == '\\') return {};
  }
  size_t end = url.find_first_of("/?#", kScheme.size());
  std::string host = url.substr(
      kScheme.size(), end == std::string::npos ? std::string::npos : end - kScheme.size());
  if (host.size() > 4 && host.compare(host.size() - 4, 4, ":443") == 0)
    host.resize(host.size() - 4);
  for (char& c : host) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) return {};
  }
  return host;
}

}  // namespace

std::optional<std::string> refuse_docs_url(const std::string& url) {
  std::string host = https_host(url);
  if (host == "docs.aws.amazon.com" || host == "aws.amazon.com") return std::nullopt;
  return "only AWS documentation can be read: the URL must start with https://docs.aws.amazon.com/ "
         "or https://aws.amazon.com/ (got " +
         url.substr(0, 200) + ")";
}

bool is_docs_page_url(const std::string& url) { return https_host(url) == "docs.aws.amazon.com"; }

std::string resolve_location(const std::string& base, const std::string& location) {
  if (location.find("://") != std::string::npos) return location;
  size_t authority = base.find("://");
  size_t path_start =
      authority == std::string::npos ? std::string::npos : base.find('/', authority + 3);
  std::string origin = base.substr(0, path_start);
  std::string scheme = authority == std::string::npos ? "https" : base.substr(0, authority);
  if (location.rfind("//", 0) == 0) return scheme + ":" + location;
  if (location.rfind('/', 0) == 0) return origin + location;
  std::string path = path_start == std::string::npos ? "/" : base.substr(path_start);
  path = path.substr(0, path.find_first_of("?#"));
  return origin + path.substr(0, path.rfind('/') + 1) + location;
}

}  // namespace ecs_mcp::ecs
