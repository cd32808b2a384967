// mcp-conformance-server: the MCP library (src/mcp) over Streamable HTTP, serving the fixed
// tools, resources and prompts that the official conformance suite
// (@modelcontextprotocol/conformance) calls, plus two tools the HTTP end-to-end tests use
// (`slow`, `echo`). A test binary, not part of the product; it knows nothing of AWS.
//
// Flags: --host H (127.0.0.1)  --port N (0: a free port; the URL is logged on stderr)
//        --auth-token T        --allow-origin O (repeatable)
//        --max-body-bytes N    --max-sessions N    --session-idle-ms N
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "mcp/http_transport.h"
#include "mcp/server.h"
#include "mcp/tool.h"

namespace {

using namespace ecs_mcp;
using mcp::json;
using mcp::Tool;
using mcp::ToolContext;
using mcp::ToolResult;

// A 1x1 red PNG and an eight-sample silent WAV.
constexpr const char* kPng =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg"
    "==";
constexpr const char* kWav =
    "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA==";

json no_arguments() {
  // Our registry wants every object schema to declare properties (some clients drop tools
  // that do not), so "no arguments" is an object with one optional, ignored property.
  return {{"type", "object"},
          {"properties", {{"note", {{"type", "string"}, {"description", "Ignored"}}}}}};
}

json string_arguments(std::vector<std::pair<std::string, std::string>> names) {
  json props = json::object();
  json required = json::array();
  for (auto& [name, description] : names) {
    props[name] = {{"type", "string"}, {"description", description}};
    required.push_back(name);
  }
  return {{"type", "object"}, {"properties", props}, {"required", required}};
}

ToolResult content(json blocks) {
  ToolResult r;
  r.content = std::move(blocks);
  return r;
}

Tool tool(std::string name, std::string description, json schema,
          std::function<ToolResult(const json&, ToolContext&)> handler) {
  Tool t;
  t.name = std::move(name);
  t.title = t.name;
  t.description = std::move(description);
  t.input_schema = std::move(schema);
  t.annotations = {true, false, true, false};
  t.handler = std::move(handler);
  return t;
}

void pause(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

ToolResult elicit(ToolContext& ctx, const std::string& message, json schema,
                  const std::string& prefix) {
  if (!ctx.client_capabilities().contains("elicitation")) {
    return ToolResult::error("the client does not support elicitation");
  }
  auto answer = ctx.request_client("elicitation/create",
                                   {{"message", message}, {"requestedSchema", std::move(schema)}},
                                   std::chrono::seconds(60));
  if (!answer.ok()) return ToolResult::error("elicitation failed: " + answer.error().message);
  if (prefix == "User response") {
    return ToolResult::text("User response: <action: " + answer->value("action", "?") +
                            ", content: " + answer->value("content", json::object()).dump() + ">");
  }
  return ToolResult::text(prefix + ": action=" + answer->value("action", "?") +
                          ", content=" + answer->value("content", json::object()).dump());
}

mcp::ToolRegistry conformance_tools() {
  mcp::ToolRegistry tools;
  std::vector<Tool> all;
  all.push_back(tool("test_simple_text", "Returns simple text", no_arguments(),
                     [](const json&, ToolContext&) {
                       return ToolResult::text("This is a simple text response for testing.");
                     }));
  all.push_back(
      tool("test_image_content", "Returns an image", no_arguments(), [](const json&, ToolContext&) {
        return content(
            json::array({{{"type", "image"}, {"data", kPng}, {"mimeType", "image/png"}}}));
      }));
  all.push_back(
      tool("test_audio_content", "Returns audio", no_arguments(), [](const json&, ToolContext&) {
        return content(
            json::array({{{"type", "audio"}, {"data", kWav}, {"mimeType", "audio/wav"}}}));
      }));
  all.push_back(tool("test_embedded_resource", "Returns an embedded resource", no_arguments(),
                     [](const json&, ToolContext&) {
                       return content(
                           json::array({{{"type", "resource"},
                                         {"resource",
                                          {{"uri", "test://embedded-resource"},
                                           {"mimeType", "text/plain"},
                                           {"text", "This is an embedded resource content."}}}}}));
                     }));
  all.push_back(tool(
      "test_multiple_content_types", "Returns text, image and resource", no_arguments(),
      [](const json&, ToolContext&) {
        return content(json::array({{{"type", "text"}, {"text", "Multiple content types test:"}},
                                    {{"type", "image"}, {"data", kPng}, {"mimeType", "image/png"}},
                                    {{"type", "resource"},
                                     {"resource",
                                      {{"uri", "test://mixed-content-resource"},
                                       {"mimeType", "application/json"},
                                       {"text", R"({"test":"data","value":123})"}}}}}));
      }));
  all.push_back(tool("test_tool_with_logging", "Logs three messages", no_arguments(),
                     [](const json&, ToolContext& ctx) {
                       ctx.log(mcp::LogLevel::kInfo, "conformance", "Tool execution started");
                       pause(50);
                       ctx.log(mcp::LogLevel::kInfo, "conformance", "Tool processing data");
                       pause(50);
                       ctx.log(mcp::LogLevel::kInfo, "conformance", "Tool execution completed");
                       return ToolResult::text("Tool with logging executed successfully");
                     }));
  all.push_back(
      tool("test_error_handling", "Always fails", no_arguments(), [](const json&, ToolContext&) {
        return ToolResult::error("This tool intentionally returns an error for testing");
      }));
  all.push_back(tool("test_tool_with_progress", "Reports progress", no_arguments(),
                     [](const json&, ToolContext& ctx) {
                       ctx.progress(0, 100);
                       pause(50);
                       ctx.progress(50, 100);
                       pause(50);
                       ctx.progress(100, 100);
                       return ToolResult::text("Tool with progress executed successfully");
                     }));
  all.push_back(tool(
      "test_sampling", "Asks the client's LLM", string_arguments({{"prompt", "The prompt"}}),
      [](const json& args, ToolContext& ctx) {
        if (!ctx.client_capabilities().contains("sampling")) {
          return ToolResult::error("the client does not support sampling");
        }
        json params{{"messages",
                     json::array({{{"role", "user"},
                                   {"content", {{"type", "text"}, {"text", args.at("prompt")}}}}})},
                    {"maxTokens", 100}};
        auto answer =
            ctx.request_client("sampling/createMessage", params, std::chrono::seconds(60));
        if (!answer.ok()) return ToolResult::error("sampling failed: " + answer.error().message);
        std::string text = answer->contains("content") && (*answer)["content"].is_object()
                               ? (*answer)["content"].value("text", "")
                               : "";
        return ToolResult::text("LLM response: " + text);
      }));
  all.push_back(tool(
      "test_elicitation", "Asks the user", string_arguments({{"message", "What to ask"}}),
      [](const json& args, ToolContext& ctx) {
        json schema{{"type", "object"},
                    {"properties",
                     {{"username", {{"type", "string"}, {"description", "User's response"}}},
                      {"email", {{"type", "string"}, {"description", "User's email address"}}}}},
                    {"required", {"username", "email"}}};
        return elicit(ctx, args.at("message"), schema, "User response");
      }));
  all.push_back(tool(
      "test_elicitation_sep1034_defaults", "Elicitation with defaults", no_arguments(),
      [](const json&, ToolContext& ctx) {
        json schema{
            {"type", "object"},
            {"properties",
             {{"name", {{"type", "string"}, {"description", "User name"}, {"default", "John Doe"}}},
              {"age", {{"type", "integer"}, {"description", "User age"}, {"default", 30}}},
              {"score", {{"type", "number"}, {"description", "User score"}, {"default", 95.5}}},
              {"status",
               {{"type", "string"},
                {"description", "User status"},
                {"enum", {"active", "inactive", "pending"}},
                {"default", "active"}}},
              {"verified", {{"type", "boolean"}, {"description", "Verified"}, {"default", true}}}}},
            {"required", json::array()}};
        return elicit(ctx, "Please review and update the form fields with defaults", schema,
                      "Elicitation completed");
      }));
  all.push_back(tool(
      "test_elicitation_sep1330_enums", "Elicitation with enums", no_arguments(),
      [](const json&, ToolContext& ctx) {
        json schema{
            {"type", "object"},
            {"properties",
             {{"untitledSingle",
               {{"type", "string"},
                {"description", "Untitled single-select"},
                {"enum", {"option1", "option2", "option3"}}}},
              {"titledSingle",
               {{"type", "string"},
                {"description", "Titled single-select"},
                {"oneOf", json::array({{{"const", "value1"}, {"title", "First Option"}},
                                       {{"const", "value2"}, {"title", "Second Option"}},
                                       {{"const", "value3"}, {"title", "Third Option"}}})}}},
              {"legacyEnum",
               {{"type", "string"},
                {"description", "Legacy titled enum"},
                {"enum", {"opt1", "opt2", "opt3"}},
                {"enumNames", {"Option One", "Option Two", "Option Three"}}}},
              {"untitledMulti",
               {{"type", "array"},
                {"description", "Untitled multi-select"},
                {"items", {{"type", "string"}, {"enum", {"option1", "option2", "option3"}}}}}},
              {"titledMulti",
               {{"type", "array"},
                {"description", "Titled multi-select"},
                {"items",
                 {{"anyOf", json::array({{{"const", "value1"}, {"title", "First Choice"}},
                                         {{"const", "value2"}, {"title", "Second Choice"}},
                                         {{"const", "value3"}, {"title", "Third Choice"}}})}}}}}}},
            {"required", json::array()}};
        return elicit(ctx, "Please select options from the enum fields", schema,
                      "Elicitation completed");
      }));
  {
    json schema{
        {"$schema", "https://json-schema.org/draft/2020-12/schema"},
        {"type", "object"},
        {"$defs",
         {{"address",
           {{"type", "object"},
            {"properties", {{"street", {{"type", "string"}}}, {"city", {{"type", "string"}}}}}}}}},
        {"properties",
         {{"name", {{"type", "string"}}}, {"address", {{"$ref", "#/$defs/address"}}}}},
        {"additionalProperties", false}};
    all.push_back(tool("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features", schema,
                       [](const json& args, ToolContext&) {
                         return ToolResult::text("JSON Schema 2020-12 tool called with " +
                                                 args.dump());
                       }));
  }
  all.push_back(tool("test_reconnection", "Answers after a short pause (SSE polling scenario)",
                     no_arguments(), [](const json&, ToolContext& ctx) {
                       ctx.log(mcp::LogLevel::kInfo, "conformance", "reconnection test started");
                       pause(100);
                       return ToolResult::text("Reconnection test completed");
                     }));
  // For the HTTP end-to-end tests.
  all.push_back(
      tool("echo", "Returns its message", string_arguments({{"message", "Text to echo"}}),
           [](const json& args, ToolContext&) { return ToolResult::text(args.at("message")); }));
  {
    json schema{{"type", "object"},
                {"properties",
                 {{"ms",
                   {{"type", "integer"},
                    {"minimum", 0},
                    {"maximum", 600000},
                    {"description", "How long"}}}}}};
    all.push_back(tool(
        "slow", "Sleeps `ms` milliseconds (default 30000) reporting progress; stops when cancelled",
        schema, [](const json& args, ToolContext& ctx) {
          int ms = args.value("ms", 30000);
          for (int waited = 0; waited < ms; waited += 20) {
            if (ctx.cancelled()) return ToolResult::text("cancelled");
            if (waited % 200 == 0) ctx.progress(waited, ms);
            pause(20);
          }
          return ToolResult::text("slept " + std::to_string(ms) + " ms");
        }));
  }
  for (auto& t : all) {
    if (auto st = tools.add(std::move(t)); !st.ok()) {
      std::fprintf(stderr, "bad fixture tool: %s\n", st.error().message.c_str());
      std::exit(1);
    }
  }
  return tools;
}

mcp::ServerCatalog conformance_catalog() {
  mcp::ServerCatalog c;
  auto text_resource = [](std::string uri, std::string name, std::string text) {
    mcp::Resource r;
    r.uri = uri;
    r.name = std::move(name);
    r.description = "Conformance test resource";
    r.mime_type = "text/plain";
    r.read = [uri, text](const std::string&) -> Result<json> {
      return json::array({{{"uri", uri}, {"mimeType", "text/plain"}, {"text", text}}});
    };
    return r;
  };
  c.resources.push_back(text_resource("test://static-text", "Static Text Resource",
                                      "This is the content of the static text resource."));
  {
    mcp::Resource r;
    r.uri = "test://static-binary";
    r.name = "Static Binary Resource";
    r.description = "A 1x1 PNG";
    r.mime_type = "image/png";
    r.read = [](const std::string& uri) -> Result<json> {
      return json::array({{{"uri", uri}, {"mimeType", "image/png"}, {"blob", kPng}}});
    };
    c.resources.push_back(std::move(r));
  }
  c.resources.push_back(
      text_resource("test://watched-resource", "Watched Resource", "Watched resource content"));
  {
    mcp::ResourceTemplate t;
    t.uri_template = "test://template/{id}/data";
    t.name = "Template Resource";
    t.description = "Data by id";
    t.mime_type = "application/json";
    t.read = [](const std::string& uri,
                const std::map<std::string, std::string>& vars) -> Result<json> {
      const std::string& id = vars.at("id");
      json data{{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
      return json::array({{{"uri", uri}, {"mimeType", "application/json"}, {"text", data.dump()}}});
    };
    c.resource_templates.push_back(std::move(t));
  }
  auto user_text = [](std::string text) {
    return json{{"role", "user"}, {"content", {{"type", "text"}, {"text", std::move(text)}}}};
  };
  {
    mcp::Prompt p;
    p.name = "test_simple_prompt";
    p.description = "A simple prompt without arguments";
    p.get = [user_text](const std::map<std::string, std::string>&) -> Result<json> {
      return json{{"messages", json::array({user_text("This is a simple prompt for testing.")})}};
    };
    c.prompts.push_back(std::move(p));
  }
  {
    mcp::Prompt p;
    p.name = "test_prompt_with_arguments";
    p.description = "A prompt with two arguments";
    p.arguments = {{"arg1", "First test argument", true}, {"arg2", "Second test argument", true}};
    p.get = [user_text](const std::map<std::string, std::string>& a) -> Result<json> {
      return json{
          {"messages", json::array({user_text("Prompt with arguments: arg1='" + a.at("arg1") +
                                              "', arg2='" + a.at("arg2") + "'")})}};
    };
    c.prompts.push_back(std::move(p));
  }
  {
    mcp::Prompt p;
    p.name = "test_prompt_with_embedded_resource";
    p.description = "A prompt embedding a resource";
    p.arguments = {{"resourceUri", "URI of the resource to embed", true}};
    p.get = [user_text](const std::map<std::string, std::string>& a) -> Result<json> {
      json resource{{"role", "user"},
                    {"content",
                     {{"type", "resource"},
                      {"resource",
                       {{"uri", a.at("resourceUri")},
                        {"mimeType", "text/plain"},
                        {"text", "Embedded resource content for testing."}}}}}};
      return json{
          {"messages",
           json::array({resource, user_text("Please process the embedded resource above.")})}};
    };
    c.prompts.push_back(std::move(p));
  }
  {
    mcp::Prompt p;
    p.name = "test_prompt_with_image";
    p.description = "A prompt with an image";
    p.get = [user_text](const std::map<std::string, std::string>&) -> Result<json> {
      json image{{"role", "user"},
                 {"content", {{"type", "image"}, {"data", kPng}, {"mimeType", "image/png"}}}};
      return json{{"messages", json::array({image, user_text("Please analyze the image above.")})}};
    };
    c.prompts.push_back(std::move(p));
  }
  c.complete = [](const json&, const json& argument) -> json {
    std::string prefix = argument.value("value", "");
    json values = json::array();
    for (const char* v : {"paris", "park", "party"}) {
      if (std::string(v).rfind(prefix, 0) == 0) values.push_back(v);
    }
    return {{"values", values}, {"total", values.size()}, {"hasMore", false}};
  };
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("stderr");
  spdlog::set_default_logger(logger);
  mcp::HttpTransportOptions http;
  http.port = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--host") {
      http.host = next();
    } else if (arg == "--port") {
      http.port = static_cast<uint16_t>(std::stoi(next()));
    } else if (arg == "--auth-token") {
      http.auth_token = next();
    } else if (arg == "--allow-origin") {
      http.allowed_origins.push_back(next());
    } else if (arg == "--max-body-bytes") {
      http.max_body_bytes = std::stoull(next());
    } else if (arg == "--max-sessions") {
      http.max_sessions = std::stoull(next());
    } else if (arg == "--session-idle-ms") {
      http.session_idle_timeout = std::chrono::milliseconds(std::stoll(next()));
    } else if (arg == "--log-level") {
      spdlog::set_level(spdlog::level::from_str(next()));
    } else {
      std::fprintf(stderr, "unknown flag %s\n", arg.c_str());
      return 2;
    }
  }
  mcp::ServerInfo info{"mcp-conformance-server", "MCP conformance fixture", "0.1.0", ""};
  mcp::Server server(info, conformance_tools(), nullptr, {}, conformance_catalog());
  mcp::HttpTransport transport(server, http);
  if (auto st = transport.start(); !st.ok()) {
    spdlog::critical("cannot start: {}", st.error().message);
    return 2;
  }
  mcp::HttpTransport::install_signal_handlers(transport);
  int rc = transport.run();
  spdlog::shutdown();
  std::_Exit(rc);
}
