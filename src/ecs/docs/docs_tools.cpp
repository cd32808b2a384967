#include "ecs/docs/docs_tools.h"

#include "common/json_fields.h"
#include "ecs/docs/answer_cache.h"
#include "ecs/docs/docs_fetch.h"
#include "ecs/docs/docs_urls.h"
#include "ecs/docs/knowledge_client.h"

namespace ecs_mcp::ecs {
namespace {

using json = nlohmann::json;

constexpr size_t kDefaultMaxLength = 10000;

struct DocsBackend {
  DocsBackend(const DocsSettings& s, std::shared_ptr<mcp::ClientHttp> h)
      : settings(s), http(std::move(h)), knowledge(s, http) {}
  DocsSettings settings;
  std::shared_ptr<mcp::ClientHttp> http;
  KnowledgeClient knowledge;
  AnswerCache pages{8, std::chrono::minutes(15)};
  AnswerCache recommendations{32, std::chrono::minutes(15)};
};

// Why a call failed, for the model: rate limits say when to retry; unreachable remotes say
// what to check.
std::string explain(const std::string& what, const std::string& endpoint, const Error& e) {
  if (e.code == ErrorCode::kRateLimited) {
    return what + " is rate limited by " + endpoint + " (" + e.message +
           "). Wait before retrying, or answer from what you already know.";
  }
  if (e.code == ErrorCode::kKnowledgeToolError) return what + " failed: " + e.message;
  if (e.is_cancelled()) return what + " was cancelled.";
  return what + " failed: " + e.describe() + ". Check network access to " + endpoint +
         " (HTTPS_PROXY, NO_PROXY), or turn the documentation tools off with ECS_MCP_DOCS=off.";
}

// The Knowledge server wraps answers as {"content":{"result":X}}; older forms are {"result":X} or
// X.
json unwrap(const json& value) {
  if (value.is_object() && value.contains("content") && value["content"].is_object() &&
      value["content"].contains("result")) {
    return value["content"]["result"];
  }
  if (value.is_object() && value.contains("result")) return value["result"];
  return value;
}

size_t size_argument(const json& args, const char* name, size_t fallback) {
  if (!args.contains(name) || !args[name].is_number_integer()) return fallback;
  long long v = args[name].get<long long>();
  return v < 0 ? fallback : static_cast<size_t>(v);
}

mcp::Tool base_tool(const char* name, const char* title, const char* description) {
  mcp::Tool tool;
  tool.name = name;
  tool.title = title;
  tool.description = description;
  tool.annotations = {
      .read_only = true, .destructive = false, .idempotent = true, .open_world = true};
  tool.access_classes = {mcp::AccessClass::kRead};
  return tool;
}

mcp::Tool search_tool(std::shared_ptr<DocsBackend> backend) {
  mcp::Tool tool = base_tool(
      "aws_knowledge_aws___search_documentation", "Search AWS documentation",
      "Search the AWS documentation when the ECS tools do not answer (task definition parameters, "
      "quotas, Fargate, networking, IAM, error messages). Returns ranked pages to read with "
      "aws_knowledge_aws___read_documentation. Uses the AWS Knowledge MCP server (internet).");
  tool.input_schema = {
      {"type", "object"},
      {"properties",
       {{"search_phrase", {{"type", "string"}}},
        {"topics",
         {{"type", "array"},
          {"maxItems", 3},
          {"items",
           {{"type", "string"},
            {"enum",
             {"reference_documentation", "current_awareness", "troubleshooting", "amplify_docs",
              "cdk_docs", "cdk_constructs", "cloudformation", "general"}}}}}},
        {"limit", {{"type", "integer"}, {"minimum", 1}}}}},
      {"required", {"search_phrase"}}};
  tool.output_schema = {{"type", "object"},
                        {"properties",
                         {{"results",
                           {{"type", "array"},
                            {"items",
                             {{"type", "object"},
                              {"properties",
                               {{"rank_order", {{"type", "integer"}}},
                                {"url", {{"type", "string"}}},
                                {"title", {{"type", "string"}}},
                                {"context", {{"type", "string"}}}}}}}}}}}};
  tool.handler = [backend](const json& args, mcp::ToolContext& ctx) -> mcp::ToolResult {
    json remote_args{{"search_phrase", args.at("search_phrase")}};
    for (const char* k : {"topics", "limit"}) {
      if (args.contains(k) && !args[k].is_null()) remote_args[k] = args[k];
    }
    auto answer =
        backend->knowledge.call("aws___search_documentation", remote_args, ctx.cancel_predicate());
    if (!answer.ok()) {
      return mcp::ToolResult::error(
          explain("Documentation search", backend->settings.knowledge_url, answer.error()));
    }
    json found = unwrap(*answer);
    json results = json::array();
    if (found.is_array()) {
      int rank = 0;
      for (const auto& r : found) {
        ++rank;
        if (!r.is_object()) continue;
        results.push_back(
            {{"rank_order", r.contains("rank_order") && r["rank_order"].is_number_integer()
                                ? r["rank_order"].get<int>()
                                : rank},
             {"url", string_field(r, "url")},
             {"title", string_field(r, "title")},
             {"context", string_field(r, "context")}});
      }
    }
    return mcp::ToolResult::structured_result({{"results", results}});
  };
  return tool;
}

mcp::Tool read_tool(std::shared_ptr<DocsBackend> backend) {
  mcp::Tool tool = base_tool(
      "aws_knowledge_aws___read_documentation", "Read an AWS documentation page",
      "Read an AWS documentation page (https://docs.aws.amazon.com/ or https://aws.amazon.com/) as "
      "markdown. Long pages come in parts: when next_start_index is set, call again with "
      "start_index set to it. Uses the AWS Knowledge MCP server, else the page itself (internet).");
  tool.input_schema = {{"type", "object"},
                       {"properties",
                        {{"url", {{"type", "string"}}},
                         {"max_length", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100000}}},
                         {"start_index", {{"type", "integer"}, {"minimum", 0}}}}},
                       {"required", {"url"}}};
  tool.output_schema = {{"type", "object"},
                        {"properties",
                         {{"url", {{"type", "string"}}},
                          {"content", {{"type", "string"}}},
                          {"source", {{"type", "string"}}},
                          {"next_start_index", {{"type", "integer"}}},
                          {"note", {{"type", "string"}}}}}};
  tool.handler = [backend](const json& args, mcp::ToolContext& ctx) -> mcp::ToolResult {
    const std::string url = args.at("url").get<std::string>();
    if (auto why = refuse_docs_url(url)) return mcp::ToolResult::error("Refused: " + *why);
    const size_t max_length = size_argument(args, "max_length", kDefaultMaxLength);
    const size_t start_index = size_argument(args, "start_index", 0);
    json remote_args{{"url", url}, {"max_length", max_length}, {"start_index", start_index}};
    auto answer =
        backend->knowledge.call("aws___read_documentation", remote_args, ctx.cancel_predicate());
    if (answer.ok()) {
      json content = unwrap(*answer);
      return mcp::ToolResult::structured_result(
          {{"url", url},
           {"content", content.is_string() ? content.get<std::string>() : content.dump()},
           {"source", "knowledge"}});
    }
    const Error& remote_error = answer.error();
    if (remote_error.is_cancelled() || !is_docs_page_url(url)) {
      return mcp::ToolResult::error(
          explain("Reading " + url, backend->settings.knowledge_url, remote_error));
    }
    // The Knowledge server cannot answer: read the page from docs.aws.amazon.com directly.
    std::string markdown;
    std::string final_url = url;
    if (auto hit = backend->pages.get(url)) {
      markdown = string_field(*hit, "markdown");
      final_url = string_field(*hit, "url");
    } else {
      auto page = fetch_docs_page(*backend->http, backend->settings, url, ctx.cancel_predicate());
      if (!page.ok()) {
        return mcp::ToolResult::error(
            explain("Reading " + url, backend->settings.knowledge_url, remote_error) +
            " Fetching the page directly failed too: " + page.error().describe());
      }
      markdown = page->page.title.empty()
                     ? page->page.markdown
                     : "Title: " + page->page.title + "\n\n" + page->page.markdown;
      final_url = page->url;
      backend->pages.put(url, {{"url", final_url}, {"markdown", markdown}});
    }
    TextPage part = page_of(markdown, start_index, max_length);
    json out{{"url", final_url}, {"content", part.text}, {"source", "docs.aws.amazon.com"}};
    if (part.text.empty() && start_index > 0) {
      out["note"] = "start_index " + std::to_string(start_index) + " is past the end (" +
                    std::to_string(part.total_length) + " characters).";
    } else if (part.next_start_index > 0) {
      out["next_start_index"] = part.next_start_index;
      out["note"] =
          "Showing " + std::to_string(start_index) + "-" + std::to_string(part.next_start_index) +
          " of " + std::to_string(part.total_length) +
          " characters; call again with start_index=" + std::to_string(part.next_start_index) +
          " for more.";
    }
    return mcp::ToolResult::structured_result(out);
  };
  return tool;
}

mcp::Tool recommend_tool(std::shared_ptr<DocsBackend> backend) {
  mcp::Tool tool = base_tool(
      "aws_knowledge_aws___recommend", "Related AWS documentation pages",
      "Pages related to an AWS documentation page, each with its group: highly_rated, new (recent "
      "features), similar, or journey (where readers go next). Use to find ECS features or next "
      "steps around a page. Uses the AWS documentation recommendations API (internet).");
  tool.input_schema = {
      {"type", "object"}, {"properties", {{"url", {{"type", "string"}}}}}, {"required", {"url"}}};
  tool.output_schema = {{"type", "object"},
                        {"properties",
                         {{"pages",
                           {{"type", "array"},
                            {"items",
                             {{"type", "object"},
                              {"properties",
                               {{"group", {{"type", "string"}}},
                                {"url", {{"type", "string"}}},
                                {"title", {{"type", "string"}}},
                                {"context", {{"type", "string"}}}}}}}}}}}};
  tool.handler = [backend](const json& args, mcp::ToolContext& ctx) -> mcp::ToolResult {
    const std::string url = args.at("url").get<std::string>();
    if (auto why = refuse_docs_url(url)) return mcp::ToolResult::error("Refused: " + *why);
    if (auto hit = backend->recommendations.get(url))
      return mcp::ToolResult::structured_result(*hit);
    auto found =
        fetch_recommendations(*backend->http, backend->settings, url, ctx.cancel_predicate());
    if (!found.ok()) {
      return mcp::ToolResult::error(
          explain("Recommendations for " + url, backend->settings.recommend_url, found.error()));
    }
    backend->recommendations.put(url, *found);
    return mcp::ToolResult::structured_result(*found);
  };
  return tool;
}

}  // namespace

std::vector<mcp::Tool> make_docs_tools(const DocsSettings& settings,
                                       std::shared_ptr<mcp::ClientHttp> http) {
  if (!http) {
    mcp::CurlClientHttpOptions options;
    options.connect_timeout = settings.connect_timeout;
    options.timeout = settings.timeout;
    options.ca_bundle = settings.ca_bundle;
    http = std::make_shared<mcp::CurlClientHttp>(options);
  }
  auto backend = std::make_shared<DocsBackend>(settings, std::move(http));
  std::vector<mcp::Tool> tools;
  tools.push_back(search_tool(backend));
  tools.push_back(read_tool(backend));
  tools.push_back(recommend_tool(backend));
  return tools;
}

}  // namespace ecs_mcp::ecs
