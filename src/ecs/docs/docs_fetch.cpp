#include "ecs/docs/docs_fetch.h"

#include "common/json_fields.h"
#include "common/percent_encoding.h"
#include "ecs/docs/docs_urls.h"

namespace ecs_mcp::ecs {
namespace {

using json = nlohmann::json;

constexpr int kMaxRedirects = 5;
constexpr size_t kItemsPerGroup = 10;

// Where a docs.aws.amazon.com URL is fetched from: the same URL, or the configured mirror.
std::string fetch_url_for(const DocsSettings& settings, const std::string& url) {
  size_t path = url.find('/', std::string("https://").size());
  return settings.pages_url + (path == std::string::npos ? "/" : url.substr(path));
}

std::string one_line(std::string text, size_t limit = 200) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > limit) {
    size_t cut = text.rfind(' ', limit);
    text = text.substr(0, cut == std::string::npos || cut < limit / 2 ? limit : cut) + "...";
  }
  return text;
}

// A group is {"items":[...]} or a bare array.
json items_of(const json& body, const char* group) {
  if (!body.is_object() || !body.contains(group)) return json::array();
  const json& g = body[group];
  if (g.is_array()) return g;
  if (g.is_object() && g.contains("items") && g["items"].is_array()) return g["items"];
  return json::array();
}

}  // namespace

Result<FetchedPage> fetch_docs_page(mcp::ClientHttp& http, const DocsSettings& settings,
                                    const std::string& url,
                                    const std::function<bool()>& cancelled) {
  if (!is_docs_page_url(url)) {
    return make_error(
        ErrorCode::kRefusedUrl,
        "only https://docs.aws.amazon.com/ pages can be fetched directly: " + url.substr(0, 200));
  }
  std::string current = url;
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    mcp::ClientHttpRequest req;
    req.method = "GET";
    req.url = fetch_url_for(settings, current);
    req.headers = {{"Accept", "text/html"}, {"User-Agent", "ecs-mcp-server"}};
    req.connect_timeout = settings.connect_timeout;
    req.timeout = settings.timeout;
    req.cancelled = cancelled;
    auto response = http.send(req);
    if (!response.ok()) return response.error();
    int status = response->status;
    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
      std::string location = response->header("location");
      std::string next = resolve_location(current, location);
      if (location.empty() || !is_docs_page_url(next)) {
        return make_error(ErrorCode::kRefusedUrl,
                          current + " redirects outside https://docs.aws.amazon.com/ (to " +
                              location.substr(0, 200) + "); not followed");
      }
      current = next;
      continue;
    }
    if (status == 404)
      return make_error(ErrorCode::kNotFound, "no documentation page at " + current);
    if (status / 100 != 2) {
      Error e = make_error(ErrorCode::kHttpStatus,
                           "HTTP " + std::to_string(status) + " fetching " + current);
      e.http_status = status;
      return e;
    }
    return FetchedPage{current, html_to_markdown(response->body, current)};
  }
  return make_error(ErrorCode::kTooManyRedirects,
                    url + " redirected more than " + std::to_string(kMaxRedirects) + " times");
}

Result<json> fetch_recommendations(mcp::ClientHttp& http, const DocsSettings& settings,
                                   const std::string& page_url,
                                   const std::function<bool()>& cancelled) {
  mcp::ClientHttpRequest req;
  req.method = "GET";
  req.url = settings.recommend_url + "?path=" + uri_encode(page_url);
  req.headers = {{"Accept", "application/json"}, {"User-Agent", "ecs-mcp-server"}};
  req.connect_timeout = settings.connect_timeout;
  req.timeout = settings.timeout;
  req.cancelled = cancelled;
  auto response = http.send(req);
  if (!response.ok()) return response.error();
  if (response->status == 429) {
    Error e = make_error(ErrorCode::kRateLimited,
                         "the recommendations API is rate limiting requests; retry in a minute");
    e.http_status = 429;
    return e;
  }
  if (response->status / 100 != 2) {
    Error e = make_error(ErrorCode::kHttpStatus, "HTTP " + std::to_string(response->status) +
                                                     " from the recommendations API");
    e.http_status = response->status;
    return e;
  }
  json body = json::parse(response->body, nullptr, false);
  if (!body.is_object())
    return make_error(ErrorCode::kInvalidResponse, "the recommendations API did not answer JSON");

  json pages = json::array();
  auto add = [&](const char* group, const std::string& url, const std::string& title,
                 const std::string& context, size_t& taken) {
    if (url.empty() || taken >= kItemsPerGroup) return;
    ++taken;
    pages.push_back({{"group", group},
                     {"url", url},
                     {"title", one_line(title)},
                     {"context", one_line(context)}});
  };
  for (const auto& [from, group] : {std::pair{"highlyRated", "highly_rated"},
                                    std::pair{"new", "new"}, std::pair{"similar", "similar"}}) {
    size_t taken = 0;
    for (const auto& item : items_of(body, from)) {
      std::string context = string_field(item, "abstract");
      if (std::string date = string_field(item, "dateCreated");
          !date.empty() && std::string(from) == "new") {
        context = "added " + date + (context.empty() ? "" : ": " + context);
      }
      add(group, string_field(item, "url"), string_field(item, "assetTitle"), context, taken);
    }
  }
  size_t taken = 0;
  for (const auto& step : items_of(body, "journey")) {
    if (!step.is_object() || !step.contains("urls") || !step["urls"].is_array()) continue;
    for (const auto& link : step["urls"]) {
      add("journey", string_field(link, "url"), string_field(link, "assetTitle"),
          string_field(step, "intent"), taken);
    }
  }
  return json{{"pages", std::move(pages)}};
}

}  // namespace ecs_mcp::ecs
