// fake-mcp-server: a small stdio MCP server for the agent's tests, built on mcp/ alone.
//
// It stands in for ecs-mcp-server where the test is about the agent, not about ECS: it
// reports the environment it was given (so tests see what the agent passed to its child),
// refuses write_thing with ecs-mcp-server's refusal words unless ALLOW_WRITE=true, asks the
// client to confirm through elicitation, answers slowly, answers big, and crashes on request.
// `fake-mcp-server --http [TOKEN]` serves the same tools over Streamable HTTP on a free
// loopback port (with TOKEN, a bearer token is required) and prints "listening PORT".
//
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "mcp/http_transport.h"
#include "mcp/server.h"
#include "mcp/stdio_transport.h"
#include "mcp/tool.h"

namespace {

using namespace ecs_mcp;
using mcp::json;
using mcp::Tool;
using mcp::ToolContext;
using mcp::ToolResult;

json object_schema(json properties, json required = json::array()) {
  json schema{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

mcp::ToolRegistry make_tools() {
  mcp::ToolRegistry registry;
  auto add = [&](Tool t) {
    const std::string name = t.name;
    if (auto st = registry.add(std::move(t)); !st.ok()) {
      std::fprintf(stderr, "fake-mcp-server: tool %s: %s\n", name.c_str(),
                   st.error().message.c_str());
      std::exit(2);
    }
  };
  {
    Tool t;
    t.name = "echo";
    t.description = "Returns its message.";
    t.input_schema = object_schema({{"message", {{"type", "string"}}}}, {"message"});
    t.handler = [](const json& a, ToolContext&) {
      return ToolResult::text(a.value("message", ""));
    };
    add(std::move(t));
  }
  {
    Tool t;
    t.name = "environment";
    t.description = "Returns the environment variables this server was started with.";
    t.input_schema = object_schema({{"verbose", {{"type", "boolean"}}}});
    t.handler = [](const json&, ToolContext&) {
      json out = json::object();
      for (char** e = environ; *e != nullptr; ++e) {
        std::string kv = *e;
        auto eq = kv.find('=');
        out[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
      }
      return ToolResult::text(out.dump());
    };
    add(std::move(t));
  }
  {
    Tool t;
    t.name = "slow";
    t.description = "Waits `ms` milliseconds, then answers; stops early when cancelled.";
    t.input_schema = object_schema({{"ms", {{"type", "integer"}}}});
    t.handler = [](const json& a, ToolContext& ctx) {
      const auto until =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(a.value("ms", 200));
      while (std::chrono::steady_clock::now() < until) {
        if (ctx.cancelled()) return ToolResult::error("cancelled");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      return ToolResult::text("done after " + std::to_string(a.value("ms", 200)) + " ms");
    };
    add(std::move(t));
  }
  {
    Tool t;
    t.name = "write_thing";
    t.description = "Writes a thing (needs ALLOW_WRITE=true).";
    t.input_schema = object_schema({{"name", {{"type", "string"}}}});
    t.access_classes = {mcp::AccessClass::kWrite};
    t.handler = [](const json& a, ToolContext&) {
      return ToolResult::text("wrote " + a.value("name", "thing"));
    };
    add(std::move(t));
  }
  {
    Tool t;
    t.name = "delete_thing";
    t.description = "Deletes a thing after the user confirms through elicitation.";
    t.input_schema = object_schema({{"name", {{"type", "string"}}}}, {"name"});
    t.handler = [](const json& a, ToolContext& ctx) {
      const std::string name = a.value("name", "");
      json schema{{"type", "object"},
                  {"properties", {{"confirm", {{"type", "boolean"}, {"title", "Delete " + name}}}}},
                  {"required", {"confirm"}}};
      auto answer = ctx.request_client(
          "elicitation/create",
          {{"message", "Delete " + name + " permanently?"}, {"requestedSchema", schema}},
          std::chrono::seconds(30));
      if (!answer.ok()) return ToolResult::error("could not ask: " + answer.error().message);
      const bool yes = answer->value("action", "") == "accept" &&
                       answer->value("content", json::object()).value("confirm", false);
      return ToolResult::text(yes ? "deleted " + name
                                  : "kept " + name + " (" + answer->value("action", "") + ")");
    };
    add(std::move(t));
  }
  {
    Tool t;
    t.name = "big";
    t.description = "Returns `n` characters.";
    t.input_schema = object_schema({{"n", {{"type", "integer"}}}});
    t.handler = [](const json& a, ToolContext&) {
      return ToolResult::text(std::string(a.value("n", 100000), 'x'));
    };
    add(std::move(t));
  }
  {
    Tool t;
    t.name = "crash";
    t.description = "Makes this server exit at once with status 3.";
    t.input_schema = object_schema({{"reason", {{"type", "string"}}}});
    t.handler = [](const json&, ToolContext&) -> ToolResult {
      std::fputs("fake-mcp-server: crashing on request\n", stderr);
      std::fflush(stderr);
      std::_Exit(3);
    };
    add(std::move(t));
  }
  {
    Tool t;
    t.name = "wordy";
    t.description = std::string(1500, 'w');
    t.input_schema = object_schema({{"words", {{"type", "integer"}}}});
    t.handler = [](const json&, ToolContext&) { return ToolResult::text("wordy"); };
    add(std::move(t));
  }
  return registry;
}

}  // namespace

int main(int argc, char** argv) {
  const bool allow_write = env_or("ALLOW_WRITE", "false") == "true";
  auto guard = [allow_write](const Tool& tool, const json&,
                             mcp::AccessClass needed) -> std::optional<std::string> {
    if (needed == mcp::AccessClass::kWrite && !allow_write) {
      return "Operation " + tool.name +
             " requires WRITE permission. Set ALLOW_WRITE=true in your environment to enable write "
             "operations.";
    }
    return std::nullopt;
  };
  mcp::Server server(mcp::ServerInfo{"fake-mcp-server", "Fake MCP server", "1.0.0", ""},
                     make_tools(), guard);
  if (argc > 1 && std::string(argv[1]) == "--http") {
    mcp::HttpTransportOptions options;
    options.port = 0;
    if (argc > 2) options.auth_token = argv[2];
    mcp::HttpTransport http(server, options);
    if (auto st = http.start(); !st.ok()) {
      std::fprintf(stderr, "fake-mcp-server: %s\n", st.error().message.c_str());
      return 2;
    }
    std::printf("listening %u\n", static_cast<unsigned>(http.port()));
    std::fflush(stdout);
    mcp::HttpTransport::install_signal_handlers(http);
    std::_Exit(http.run());
  }
  mcp::StdioTransport transport(server, STDIN_FILENO, STDOUT_FILENO);
  mcp::StdioTransport::install_signal_handlers(transport);
  const int rc = transport.run();
  std::_Exit(rc);
}
