// DocsSettings: where the AWS documentation tools get their answers, read from the
// environment with the rest of the Config.
//
//   ECS_MCP_DOCS=off             removes the three documentation tools (also false, 0, no)
//   ECS_MCP_KNOWLEDGE_URL        the AWS Knowledge MCP server (search and read)
//   ECS_MCP_DOCS_RECOMMEND_URL   the AWS documentation recommendations API
//   ECS_MCP_DOCS_PAGES_URL       where docs.aws.amazon.com pages are fetched from when the
//                                Knowledge server cannot answer (a mirror, or a test fake)
//   ECS_MCP_DOCS_TIMEOUT         seconds one documentation request may take (default 25)
//   AWS_CA_BUNDLE                an extra CA file, as for every AWS call
//
// Nothing here touches the network; the tools connect on their first call.
//
// Thread-safety: a plain value.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/os.h"

namespace ecs_mcp::ecs {

struct DocsSettings {
  bool enabled = true;
  std::string knowledge_url = "https://knowledge-mcp.global.api.aws";
  std::string recommend_url = "https://api.contentrecs.docs.aws.com/v1/recommendations";
  std::string pages_url = "https://docs.aws.amazon.com";
  std::optional<std::string> ca_bundle;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{25000};  // the Knowledge server typically answers in 5-7 s
};

// Adds a warning for a value it cannot use (and keeps the default).
DocsSettings read_docs_settings(const Os& os, std::vector<std::string>& warnings);

}  // namespace ecs_mcp::ecs
