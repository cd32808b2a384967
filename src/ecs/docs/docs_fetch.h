// The two plain HTTP reads behind the documentation tools, besides the Knowledge server:
// a docs.aws.amazon.com page fetched directly (read_documentation's fallback when the
// Knowledge server cannot answer), and the AWS documentation recommendations API.
//
// Pages: only https://docs.aws.amazon.com URLs are fetched (from DocsSettings::pages_url,
// which is that host unless a mirror is configured); redirects are followed by hand, at most
// five, and every target is checked again before it is requested.
//
// Thread-safety: stateless functions; ClientHttp allows concurrent use.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"
#include "ecs/docs/docs_settings.h"
#include "ecs/docs/html_markdown.h"
#include "mcp/client_http.h"

namespace ecs_mcp::ecs {

struct FetchedPage {
  std::string url;  // after redirects, as a docs.aws.amazon.com URL
  MarkdownPage page;
};

// Errors: "RefusedUrl" (before any request, or for a redirect), "NotFound", "HttpStatus",
// and the transport's "Http..." codes.
Result<FetchedPage> fetch_docs_page(mcp::ClientHttp& http, const DocsSettings& settings,
                                    const std::string& url, const std::function<bool()>& cancelled);

// {"pages":[{"group","url","title","context"}]}: up to ten pages in each of the four groups
// highly_rated, new, similar and journey (context: the abstract on one line, the date a new
// page was added, or the journey step's intent).
Result<nlohmann::json> fetch_recommendations(mcp::ClientHttp& http, const DocsSettings& settings,
                                             const std::string& page_url,
                                             const std::function<bool()>& cancelled);

}  // namespace ecs_mcp::ecs
