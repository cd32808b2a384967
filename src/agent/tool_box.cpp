#include "agent/tool_box.h"

#include <map>
#include <utility>

#include "mcp/client_http.h"
#include "mcp/http_client_transport.h"
#include "mcp/stdio_client_transport.h"

namespace ecs_mcp::agent {

struct ToolBox::Server {
  ServerSpec spec;
  mutable std::mutex mu;
  std::shared_ptr<mcp::ClientSession> session;
  size_t restarts = 0;
  std::optional<Error> gone;  // set when it died more often than it may be restarted
};

Result<std::unique_ptr<mcp::ClientTransport>> default_transport(const ServerSpec& spec) {
  if (spec.kind == ServerSpec::Kind::kHttp) {
    // One libcurl client for every remote server: its handles keep their connections open.
    static const auto http = std::make_shared<mcp::CurlClientHttp>();
    mcp::HttpClientTransportOptions options;
    options.url = spec.url;
    for (const auto& [name, value] : spec.headers) options.headers.emplace_back(name, value);
    return std::unique_ptr<mcp::ClientTransport>(
        std::make_unique<mcp::HttpClientTransport>(std::move(options), http));
  }
  mcp::StdioClientOptions options;
  options.command = spec.command;
  options.args = spec.args;
  options.environment = spec.environment;
  return std::unique_ptr<mcp::ClientTransport>(
      std::make_unique<mcp::StdioClientTransport>(std::move(options)));
}

std::string tool_result_text(const json& result) {
  std::string text;
  auto append = [&](const std::string& piece) {
    if (!text.empty()) text += "\n";
    text += piece;
  };
  if (result.contains("content") && result["content"].is_array()) {
    for (const auto& item : result["content"]) {
      const std::string type = item.value("type", "");
      if (type == "text") {
        append(item.value("text", ""));
      } else if (type == "resource" && item.contains("resource") && item["resource"].is_object()) {
        const json& r = item["resource"];
        append(r.contains("text") ? r.value("text", "") : "[resource " + r.value("uri", "") + "]");
      } else if (type == "resource_link") {
        append("[resource link " + item.value("uri", "") + "]");
      } else if (!type.empty()) {
        append("[" + type + " content omitted]");
      }
    }
  }
  if (text.empty() && result.contains("structuredContent"))
    text = result["structuredContent"].dump();
  return text;
}

bool is_access_refusal(const std::string& text) {
  return text.find("requires WRITE permission") != std::string::npos ||
         text.find("requires SENSITIVE DATA access") != std::string::npos ||
         text.find("requires both WRITE permission") != std::string::npos;
}

ToolBox::ToolBox(std::vector<ServerSpec> servers, ToolBoxOptions options)
    : options_(std::move(options)) {
  if (!options_.transport_factory) options_.transport_factory = default_transport;
  for (auto& spec : servers) {
    auto server = std::make_unique<Server>();
    server->spec = std::move(spec);
    servers_.push_back(std::move(server));
  }
}

ToolBox::~ToolBox() { close(); }

void ToolBox::close() {
  for (auto& server : servers_) {
    std::shared_ptr<mcp::ClientSession> session;
    {
      std::lock_guard<std::mutex> lock(server->mu);
      session = std::move(server->session);
    }
    if (session) session->close();
  }
}

Result<std::shared_ptr<mcp::ClientSession>> ToolBox::connect(Server& server) {
  auto transport = options_.transport_factory(server.spec);
  if (!transport.ok()) return transport.error();
  mcp::ClientSessionOptions session_options;
  session_options.info = options_.client;
  session_options.request_timeout = options_.call_timeout;
  auto session = std::make_shared<mcp::ClientSession>(std::move(*transport), session_options);
  if (options_.elicit) {
    const std::string key = server.spec.key;
    auto elicit = options_.elicit;
    session->on_request("elicitation/create", {{"elicitation", json::object()}},
                        [key, elicit](const json& params) { return elicit(key, params); });
  }
  auto described = session->initialize();
  if (!described.ok()) {
    Error error = described.error();
    error.message = "MCP server \"" + server.spec.key + "\" could not be started: " + error.message;
    return error;
  }
  return session;
}

Status ToolBox::start() {
  struct Listed {
    std::string name;
    ToolSpec spec;
    size_t server;
  };
  std::vector<Listed> listed;
  std::map<std::string, int> name_count;
  for (size_t i = 0; i < servers_.size(); ++i) {
    Server& server = *servers_[i];
    auto session = connect(server);
    if (!session.ok()) return session.error();
    auto tools = (*session)->list_tools();
    if (!tools.ok()) {
      Error error = tools.error();
      error.message = "MCP server \"" + server.spec.key + "\": tools/list failed: " + error.message;
      return error;
    }
    {
      std::lock_guard<std::mutex> lock(server.mu);
      server.session = *session;
    }
    for (const auto& tool : *tools) {
      ToolSpec spec;
      spec.name = tool.value("name", "");
      spec.description = tool.value("description", "");
      if (spec.description.empty()) spec.description = tool.value("title", "");
      spec.input_schema = tool.value("inputSchema", json::object());
      if (spec.name.empty()) continue;
      ++name_count[spec.name];
      listed.push_back({spec.name, std::move(spec), i});
    }
  }
  entries_.clear();
  for (auto& item : listed) {
    Entry entry;
    entry.original_name = item.name;
    entry.server = item.server;
    entry.spec = std::move(item.spec);
    if (name_count[item.name] > 1)
      entry.spec.name = servers_[item.server]->spec.key + "_" + item.name;
    entries_.push_back(std::move(entry));
  }
  return Status::Ok();
}

std::vector<ToolSpec> ToolBox::tools() const {
  std::vector<ToolSpec> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(e.spec);
  return out;
}

std::string ToolBox::server_of(const std::string& tool) const {
  for (const auto& e : entries_) {
    if (e.spec.name == tool) return servers_[e.server]->spec.key;
  }
  return {};
}

size_t ToolBox::restarts(const std::string& server_key) const {
  for (const auto& s : servers_) {
    if (s->spec.key == server_key) {
      std::lock_guard<std::mutex> lock(s->mu);
      return s->restarts;
    }
  }
  return 0;
}

ToolRunResult ToolBox::call(const std::string& name, const json& arguments,
                            const std::function<bool()>& cancelled) {
  const Entry* entry = nullptr;
  for (const auto& e : entries_) {
    if (e.spec.name == name) entry = &e;
  }
  if (entry == nullptr) return {"There is no tool named \"" + name + "\".", true, false};
  Server& server = *servers_[entry->server];
  const std::string who = "The MCP server \"" + server.spec.key + "\"";

  // The session to use, restarting a server found dead between calls.
  std::shared_ptr<mcp::ClientSession> session;
  {
    std::unique_lock<std::mutex> lock(server.mu);
    if (server.gone) return {server.gone->message, true, false};
    if (!server.session || !server.session->connected()) {
      const Error reason = server.session ? server.session->closed_reason()
                                          : make_error(ErrorCode::kNotStarted, "not started");
      if (server.restarts >= static_cast<size_t>(options_.max_restarts)) {
        server.gone = make_error(ErrorCode::kServerUnavailable,
                                 who + " stopped again (" + reason.message +
                                     ") and is not restarted any more: its tools are unavailable.");
        return {server.gone->message, true, false};
      }
      ++server.restarts;
      if (options_.warn)
        options_.warn(who + " stopped (" + reason.message + "); starting it again");
      auto fresh = connect(server);
      if (!fresh.ok()) {
        server.gone = fresh.error();
        return {fresh.error().message, true, false};
      }
      server.session = *fresh;
    }
    session = server.session;
  }

  mcp::RequestOptions request_options;
  request_options.cancelled = cancelled;
  auto result = session->call_tool(entry->original_name, arguments, request_options);
  if (result.ok()) {
    ToolRunResult out;
    out.text = tool_result_text(*result);
    out.is_error = result->value("isError", false);
    out.refused = out.is_error && is_access_refusal(out.text);
    return out;
  }
  const Error& error = result.error();
  if (error.is_cancelled()) return {"The call was cancelled by the user.", true, false};
  if (!session->connected()) {
    std::lock_guard<std::mutex> lock(server.mu);
    if (server.session == session &&
        server.restarts >= static_cast<size_t>(options_.max_restarts)) {
      server.gone = make_error(ErrorCode::kServerUnavailable,
                               who + " stopped again (" + error.message +
                                   ") and is not restarted any more: its tools are unavailable.");
      return {server.gone->message, true, false};
    }
    return {who + " stopped during this call (" + error.message +
                "). It will be started again for the next call; this call may or may not have "
                "taken effect.",
            true, false};
  }
  return {"The tool call failed: " + error.describe(), true, false};
}

}  // namespace ecs_mcp::agent
