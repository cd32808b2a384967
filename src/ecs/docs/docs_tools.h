// The AWS documentation tools: aws_knowledge_aws___search_documentation,
// aws_knowledge_aws___read_documentation and aws_knowledge_aws___recommend, named as in the
// AWS Labs server so that agents written for it find them.
//
// Search and read call the AWS Knowledge MCP server's tools (KnowledgeClient: one request per
// call, answers cached); read falls back to fetching the docs.aws.amazon.com page itself and
// turning it into markdown when that server cannot answer (down, rate limited, unreachable).
// Recommend calls the AWS documentation recommendations API. Their schemas are local: listing
// them makes no request, and nothing connects before the first call. URLs outside the AWS
// documentation hosts are refused before any request. A remote that rate limits or cannot be
// reached makes an isError result saying so and when to retry; never a hang past the timeout.
//
// Access: plain reads, not sensitive (public documentation).
// Thread-safety: handlers may run concurrently; they share the client and caches, which are
// thread-safe.
#pragma once

#include <memory>
#include <vector>

#include "ecs/docs/docs_settings.h"
#include "mcp/client_http.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

// `http` replaces the real HTTP client (tests); by default libcurl, loaded on first use.
std::vector<mcp::Tool> make_docs_tools(const DocsSettings& settings,
                                       std::shared_ptr<mcp::ClientHttp> http = nullptr);

}  // namespace ecs_mcp::ecs
