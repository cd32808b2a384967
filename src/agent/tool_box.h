// ToolBox: the MCP servers of one conversation and the tools they offer, as one flat list.
//
// Each server gets one ClientSession for the whole conversation (not a process per call).
// Tool names stay as the servers give them; a name offered by two servers is prefixed with
// each server's key ("ecs_list_clusters"). A server-to-client elicitation/create is passed to
// the owner's `elicit` callback (the CLI asks the person y/N). When a server dies (a stdio child
// exits, an HTTP server forgets the session), the call that noticed fails with a note, the server
// is started again once, and if it dies a second time its tools answer with a clear error for the
// rest of the conversation.
//
// Thread-safety: call() may run concurrently for any tools; start() and close() once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/mcp_config.h"
#include "agent/tool_executor.h"
#include "common/result.h"
#include "mcp/client_session.h"
#include "mcp/client_transport.h"

namespace ecs_mcp::agent {

struct ToolBoxOptions {
  mcp::ClientInfo client;
  // Answers elicitation/create from server `server_key`; empty: elicitation not declared.
  std::function<Result<json>(const std::string& server_key, const json& params)> elicit;
  std::function<void(const std::string& warning)> warn;
  std::chrono::milliseconds call_timeout{std::chrono::minutes(15)};
  int max_restarts = 1;
  // Makes the transport for a server; the default runs stdio servers as children and reaches
  // Streamable HTTP servers with libcurl. Tests substitute their own.
  std::function<Result<std::unique_ptr<mcp::ClientTransport>>(const ServerSpec&)> transport_factory;
};

// The default transport_factory.
Result<std::unique_ptr<mcp::ClientTransport>> default_transport(const ServerSpec& spec);

// The text the model reads for a CallToolResult: its text content joined, other content
// named, structuredContent when there is no text.
std::string tool_result_text(const json& call_tool_result);
// True for the access-gate refusals of ecs-mcp-server ("... requires WRITE permission ...").
bool is_access_refusal(const std::string& text);

class ToolBox final : public ToolExecutor {
 public:
  ToolBox(std::vector<ServerSpec> servers, ToolBoxOptions options);
  ~ToolBox() override;

  // Connects to every server and lists its tools. Fails on the first server that cannot be
  // reached, naming it.
  Status start();
  void close();

  std::vector<ToolSpec> tools() const override;
  ToolRunResult call(const std::string& name, const json& arguments,
                     const std::function<bool()>& cancelled) override;

  // The key of the server that offers `tool`, or "" when unknown.
  std::string server_of(const std::string& tool) const;
  size_t restarts(const std::string& server_key) const;

 private:
  struct Server;
  struct Entry {
    ToolSpec spec;
    std::string original_name;
    size_t server = 0;
  };

  Result<std::shared_ptr<mcp::ClientSession>> connect(Server& server);

  std::vector<std::unique_ptr<Server>> servers_;
  ToolBoxOptions options_;
  std::vector<Entry> entries_;
};

}  // namespace ecs_mcp::agent
