#include "ecs/docs/docs_urls.h"

#include <string_view>

#include "common/strings.h"
#include "common/url.h"

namespace ecs_mcp::ecs {
namespace {

// The host of an https URL with no user info and no port but 443 (lower case), or empty.
// Whitespace, control characters and backslashes are refused before parsing: browsers and
// parsers disagree about them, and the text checked must be the text fetched.
std::string https_host(const std::string& url) {
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f || c == '\\') return {};
  }
  auto parsed = parse_url(url);
  if (!parsed.ok() || parsed->scheme != "https" || !parsed->user.empty() ||
      !parsed->password.empty() || (!parsed->port.empty() && parsed->port != "443")) {
    return {};
  }
  return parsed->bare_host();
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
  auto resolved = resolve_url(base, location);
  return resolved.ok() ? *resolved : location;
}

}  // namespace ecs_mcp::ecs
