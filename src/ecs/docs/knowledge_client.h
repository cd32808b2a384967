// KnowledgeClient: calls the tools of the AWS Knowledge MCP server (search and read the AWS
// documentation) through mcp::HttpClientSession, with a small in-process cache.
//
// The server allows about one request per 15 s per client, so every call is one request
// (a bare tools/call; a session only if the server demands one), and answers are kept for
// a while: an agent that repeats a search, or reads the next page of a result it just saw,
// costs the server nothing. Only successful answers are cached.
//
// Thread-safety: call() may be called concurrently.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"
#include "ecs/docs/answer_cache.h"
#include "ecs/docs/docs_settings.h"
#include "mcp/http_client_session.h"

namespace ecs_mcp::ecs {

class KnowledgeClient {
 public:
  KnowledgeClient(const DocsSettings& settings, std::shared_ptr<mcp::ClientHttp> http);

  // The tool's answer: the JSON its text content carries (or its structuredContent), or a
  // string when the text is not JSON. A tool-level error (isError) is an Error
  // "KnowledgeToolError" with the server's text.
  Result<nlohmann::json> call(const std::string& tool, const nlohmann::json& arguments,
                              const std::function<bool()>& cancelled);

  size_t cached_entries() const { return cache_.size(); }

 private:
  mcp::HttpClientSession session_;
  AnswerCache cache_{64, std::chrono::minutes(15)};
};

}  // namespace ecs_mcp::ecs
