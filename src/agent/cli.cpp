#include "agent/cli.h"

#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "agent/a2a_card.h"
#include "agent/a2a_server.h"
#include "agent/a2a_tasks.h"
#include "agent/agent_loop.h"
#include "agent/config.h"
#include "agent/providers.h"
#include "agent/system_prompt.h"
#include "agent/tool_box.h"
#include "agent/transcript.h"
#include "aws/curl_http_client.h"
#include "common/token_file.h"

#ifndef ECS_MCP_VERSION
#define ECS_MCP_VERSION "0.0.0"
#endif

namespace ecs_mcp::agent {
namespace {

std::atomic<int> g_interrupts{0};

void on_sigint(int) { g_interrupts.fetch_add(1); }

void install_sigint() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a read at the prompt returns
  sigaction(SIGINT, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

std::mutex g_err_mu;
void err_line(const std::string& text) {
  std::lock_guard<std::mutex> lock(g_err_mu);
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

std::string short_json(const json& value, size_t limit = 160) {
  std::string text = value.dump();
  if (text.size() > limit) text = text.substr(0, limit) + "...";
  return text;
}

// One line from stdin; false at end of input or on Ctrl-C.
bool read_line(std::string& line) {
  line.clear();
  char c;
  while (true) {
    ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) return false;
    if (n <= 0) return !line.empty();
    if (c == '\n') return true;
    line.push_back(c);
  }
}

// elicitation/create on the terminal: the server's message, then y/N (default no).
Result<json> ask_person(const std::string& server, const json& params) {
  const std::string message = params.value("message", "The server asks for confirmation.");
  std::string answer;
  {
    std::lock_guard<std::mutex> lock(g_err_mu);
    std::fprintf(stderr, "\n[%s] %s\nProceed? [y/N] ", server.c_str(), message.c_str());
    std::fflush(stderr);
  }
  const int before = g_interrupts.load();
  bool got = read_line(answer);
  if (!got && g_interrupts.load() != before) return json{{"action", "cancel"}};
  const bool yes = !answer.empty() && (answer[0] == 'y' || answer[0] == 'Y');
  if (!yes) return json{{"action", "decline"}};
  json content = json::object();
  const json schema = params.value("requestedSchema", json::object());
  const json properties = schema.value("properties", json::object());
  for (const auto& [name, property] : properties.items()) {
    if (property.value("type", "") == "boolean") content[name] = true;
  }
  return json{{"action", "accept"}, {"content", content}};
}

struct ServeFlags {
  std::string host;
  int port = -1;
  std::string token_file;
  std::vector<std::string> allowed_origins;
  bool allow_remote_without_token = false;
  std::string public_url;
  int max_running = 4;
};

// `ecs-agent serve`: the loop as an A2A service until SIGTERM or Ctrl-C.
int run_serve(const ServeFlags& flags, const Os& os, const AgentConfig& config,
              const ModelBackend& model, ToolBox& tools, const LoopOptions& loop,
              std::function<Result<json>(const std::string&, const json&)>& elicit) {
  A2aServerOptions options;
  options.host = !flags.host.empty() ? flags.host : os.getenv("A2A_HOST").value_or("127.0.0.1");
  int port = flags.port;
  if (port < 0) {
    const std::string text = os.getenv("A2A_PORT").value_or("8000");
    try {
      port = std::stoi(text);
    } catch (...) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      std::fprintf(stderr, "ecs-agent: A2A_PORT=%s is not a port number\n", text.c_str());
      return 2;
    }
  }
  options.port = static_cast<uint16_t>(port);
  if (!flags.token_file.empty()) {
    std::vector<std::string> warnings;
    auto token = read_token_file(os, flags.token_file, warnings);
    if (!token.ok()) {
      std::fprintf(stderr, "ecs-agent: %s\n", token.error().message.c_str());
      return 2;
    }
    for (const auto& w : warnings) err_line("ecs-agent: warning: " + w);
    options.auth_token = *token;
  } else if (auto token = os.getenv("ECS_MCP_AUTH_TOKEN"); token && !token->empty()) {
    options.auth_token = *token;
  }
  options.allowed_origins = flags.allowed_origins;
  options.allow_remote_without_token = flags.allow_remote_without_token;
  options.public_url =
      !flags.public_url.empty() ? flags.public_url : os.getenv("A2A_PUBLIC_URL").value_or("");

  A2aRuntime runtime;
  runtime.model = &model;
  runtime.tools = &tools;
  runtime.server_of = [&tools](const std::string& tool) { return tools.server_of(tool); };
  runtime.loop = loop;
  A2aLimits limits;
  limits.max_running = static_cast<size_t>(flags.max_running);
  A2aTasks tasks(runtime, limits);
  elicit = [&tasks](const std::string& server, const json& params) {
    return tasks.elicit(server, params);
  };

  CardFacts facts;
  facts.version = ECS_MCP_VERSION;
  facts.ecs_enabled = config.enable_ecs;
  facts.allow_write = config.allow_write;
  facts.allow_sensitive_data = config.allow_sensitive_data;
  facts.bearer_token = !options.auth_token.empty();
  for (const auto& tool : loop.tools) {
    if (tools.server_of(tool.name) != "ecs") ++facts.other_tools;
  }
  A2aServer server(
      tasks,
      [facts](const std::string& url) mutable {
        facts.url = url;
        return agent_card(facts);
      },
      options);
  if (auto st = server.start(); !st.ok()) {
    std::fprintf(stderr, "ecs-agent: %s\n", st.error().message.c_str());
    elicit = nullptr;
    return 2;
  }
  A2aServer::install_signal_handlers(server);
  // The address first, on its own line, for whoever started us to read.
  std::printf("ecs-agent: serving A2A at %s\n", server.url().c_str());
  std::fflush(stdout);
  server.run();
  tasks.cancel_all();
  elicit = nullptr;
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{
      "ecs-agent: an AWS agent that answers questions and acts through MCP servers, "
      "the Amazon ECS MCP server among them (ENABLE_ECS_MCP=true).",
      "ecs-agent"};
  app.set_version_flag("--version", std::string("ecs-agent ") + ECS_MCP_VERSION);
  app.footer(
      "Environment: LLM_PROVIDER (openai | azure-openai | anthropic-claude | aws-bedrock) and its "
      "variables;\n"
      "ENABLE_ECS_MCP (default false), ECS_MCP_ALLOW_WRITE, ECS_MCP_ALLOW_SENSITIVE_DATA, "
      "ECS_MCP_SERVER_PATH,\n"
      "AWS_REGION (default us-west-2), AWS_PROFILE or "
      "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN.");
  std::string mcp_config_path;
  bool quiet = false, json_output = false;
  int max_steps = 0;
  app.add_option("--mcp-config", mcp_config_path, "More MCP servers, in the mcpServers JSON shape")
      ->check(CLI::ExistingFile);
  app.add_flag("-q,--quiet", quiet, "Do not print tool calls on stderr");
  app.add_flag("--json", json_output,
               "Print a machine-readable transcript instead of the answer (ask)");
  app.add_option("--max-steps", max_steps, "Model requests per question (default 25)")
      ->check(CLI::Range(1, 1000));
  std::vector<std::string> question_words;
  auto* ask = app.add_subcommand("ask", "Answer one question and exit");
  ask->add_option("question", question_words, "The question")->required();
  ask->fallthrough();
  auto* chat = app.add_subcommand("chat", "Talk with the agent; history is kept for the session");
  chat->fallthrough();
  ServeFlags serve_flags;
  auto* serve = app.add_subcommand(
      "serve", "Serve the agent over A2A (JSON-RPC over HTTP with SSE) for supervisor agents");
  serve->add_option("--host", serve_flags.host,
                    "Address to listen on (default A2A_HOST, else 127.0.0.1)");
  serve
      ->add_option("--port", serve_flags.port,
                   "Port to listen on (default A2A_PORT, else 8000; 0 picks one)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--auth-token-file", serve_flags.token_file,
                    "Require \"Authorization: Bearer <token>\" with the token in this file "
                    "(default: ECS_MCP_AUTH_TOKEN)");
  serve->add_option("--allow-origin", serve_flags.allowed_origins,
                    "Also accept browser requests from this origin (repeatable)");
  serve->add_flag("--allow-remote-without-token", serve_flags.allow_remote_without_token,
                  "Allow a non-loopback --host without a token (only behind something that "
                  "authenticates callers)");
  serve->add_option("--public-url", serve_flags.public_url,
                    "The URL supervisors reach the agent at, for the agent card (default "
                    "A2A_PUBLIC_URL, else from the request's Host)");
  serve
      ->add_option("--max-running", serve_flags.max_running,
                   "Tasks running at once (default 4); more are refused until one ends")
      ->check(CLI::Range(1, 64));
  serve->fallthrough();
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  const Os& os = *real_os();
  auto config = load_agent_config(os, argv[0]);
  if (!config.ok()) {
    std::fprintf(stderr, "ecs-agent: %s\n", config.error().message.c_str());
    return 2;
  }
  if (max_steps > 0) config->max_steps = max_steps;
  for (const auto& w : config->warnings) err_line("ecs-agent: warning: " + w);

  std::vector<ServerSpec> servers;
  if (config->enable_ecs) {
    if (::access(config->server_path.c_str(), X_OK) != 0) {
      std::fprintf(stderr,
                   "ecs-agent: ENABLE_ECS_MCP is on but %s is not an executable; build it or set "
                   "ECS_MCP_SERVER_PATH\n",
                   config->server_path.c_str());
      return 2;
    }
    servers.push_back(ecs_server_spec(*config, os));
  }
  if (!mcp_config_path.empty()) {
    // An MCP configuration is a few kilobytes of JSON.
    auto text = os.read_file(mcp_config_path, 1 << 20);
    if (!text.ok()) {
      std::fprintf(stderr, "ecs-agent: %s\n", text.error().message.c_str());
      return 2;
    }
    auto extra = parse_mcp_config(*text, os);
    if (!extra.ok()) {
      std::fprintf(stderr, "ecs-agent: %s: %s\n", mcp_config_path.c_str(),
                   extra.error().message.c_str());
      return 2;
    }
    for (auto& s : *extra) servers.push_back(std::move(s));
  }

  install_sigint();
  auto warn = [](const std::string& w) { err_line("ecs-agent: warning: " + w); };
  ToolBoxOptions box_options;
  box_options.client = mcp::ClientInfo{"ecs-agent", ECS_MCP_VERSION};
  // Serving, a confirmation is asked of the A2A task whose call is waiting (input-required).
  std::function<Result<json>(const std::string&, const json&)> a2a_elicit;
  if (*serve) {
    box_options.elicit = [&a2a_elicit](const std::string& server, const json& params) {
      return a2a_elicit ? a2a_elicit(server, params) : Result<json>(json{{"action", "decline"}});
    };
  } else {
    box_options.elicit = ask_person;
  }
  box_options.warn = warn;
  ToolBox tools(servers, box_options);
  if (auto st = tools.start(); !st.ok()) {
    std::fprintf(stderr, "ecs-agent: %s\n", st.error().describe().c_str());
    return 1;
  }

  auto http = std::make_shared<aws::CurlHttpClient>();
  auto model = make_model_client(*config, os, http);
  if (!model.ok()) {
    std::fprintf(stderr, "ecs-agent: %s\n", model.error().describe().c_str());
    return 2;
  }

  LoopOptions loop;
  loop.system = system_prompt(PromptFacts{std::chrono::system_clock::now(), config->region,
                                          config->enable_ecs, config->allow_write,
                                          config->allow_sensitive_data});
  loop.tools = offerable_tools(tools.tools(), **model, warn);
  loop.max_steps = config->max_steps;
  loop.tool_result_budget = config->tool_result_budget;
  loop.stream = config->provider.stream;

  if (*serve) {
    const int rc = run_serve(serve_flags, os, *config, **model, tools, loop, a2a_elicit);
    tools.close();
    return rc;
  }

  Conversation conversation;
  bool at_line_start = true;
  LoopCallbacks callbacks;
  callbacks.cancelled = [] { return g_interrupts.load() > 0; };
  if (!json_output) {
    callbacks.on_text = [&](std::string_view text) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fflush(stdout);
      at_line_start = text.back() == '\n';
    };
  }
  if (!quiet) {
    callbacks.on_tool_start = [&](const ToolCall& call) {
      if (!at_line_start) {
        std::fputc('\n', stdout);
        std::fflush(stdout);
        at_line_start = true;
      }
      err_line("-> " + call.name + " " + short_json(call.arguments));
    };
    callbacks.on_tool_end = [](const ToolCallRecord& record) {
      char seconds[32];
      std::snprintf(seconds, sizeof(seconds), "%.2f s", record.duration.count() / 1e6);
      const char* mark = record.result.refused    ? "refused"
                         : record.result.is_error ? "error"
                                                  : "ok";
      err_line("<- " + record.call.name + " " + mark + " in " + seconds);
    };
  }

  auto run_one = [&](const std::string& question) -> int {
    g_interrupts.store(0);
    conversation.push_back(Message{Role::kUser, question, {}, {}});
    at_line_start = true;
    auto outcome = run_agent_turn(conversation, **model, tools, loop, callbacks);
    if (!outcome.ok()) {
      if (!at_line_start) std::fputc('\n', stdout);
      std::fflush(stdout);
      if (outcome.error().is_cancelled()) {
        err_line("ecs-agent: cancelled");
        return 130;
      }
      err_line("ecs-agent: " + outcome.error().describe());
      return 1;
    }
    if (json_output) {
      json transcript = outcome_to_json(*outcome);
      transcript["provider"] = config->provider.provider;
      transcript["model"] = config->provider.model;
      transcript["ecs_enabled"] = config->enable_ecs;
      json offered = json::array();
      for (const auto& t : loop.tools) offered.push_back(t.name);
      transcript["tools_offered"] = offered;
      transcript["messages"] = conversation_to_json(conversation);
      std::printf("%s\n", transcript.dump(2).c_str());
    } else {
      // The model's text has been printed as it came (on_text); what is left is the end of
      // the line, or the refusal and step-limit notes that were not model text.
      if (outcome->refused) {
        std::printf("%s[refused] %s\n", at_line_start ? "" : "\n", outcome->answer.c_str());
      } else if (outcome->step_limit_reached) {
        std::printf("%s%s\n", at_line_start ? "" : "\n", outcome->answer.c_str());
      } else if (!at_line_start) {
        std::fputc('\n', stdout);
      }
      std::fflush(stdout);
    }
    return 0;
  };

  int rc = 0;
  if (*ask) {
    std::string question;
    for (const auto& w : question_words) question += (question.empty() ? "" : " ") + w;
    rc = run_one(question);
  } else {
    const bool tty = isatty(STDIN_FILENO);
    if (tty)
      err_line(
          "ecs-agent chat: ask anything; Ctrl-C cancels an answer, Ctrl-D or Ctrl-C at the prompt "
          "leaves.");
    while (true) {
      if (tty) {
        std::fputs("\n> ", stderr);
        std::fflush(stderr);
      }
      g_interrupts.store(0);
      std::string line;
      if (!read_line(line)) break;
      if (line.empty()) continue;
      if (line == "exit" || line == "quit") break;
      rc = run_one(line);
      if (rc == 130) rc = 0;  // a cancelled answer does not end the chat
    }
  }
  tools.close();
  return rc;
}

}  // namespace ecs_mcp::agent
