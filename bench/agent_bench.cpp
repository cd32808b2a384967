// agent-bench: what ecs-agent costs on top of the model and the tools.
//
// 1. Loop overhead per model turn: run_agent_turn against a scripted OpenAI-compatible
//    provider on loopback (streamed answers: a tool call, then text) with an in-process tool
//    that returns at once. Overhead = wall time - time inside the provider's HTTP exchange -
//    time in the tool phase, divided by the number of model turns.
// 2. Peak RSS of `ecs-agent ask` with ENABLE_ECS_MCP=true (the agent, and its ecs-mcp-server
//    child read from /proc while the conversation runs).
//
// Usage: agent-bench [-n TURNS] ECS_AGENT ECS_MCP_SERVER
#include <httplib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/agent_loop.h"
#include "agent/openai_codec.h"
#include "aws/curl_http_client.h"

namespace {

using namespace ecs_mcp::agent;

std::string sse(const std::vector<json>& chunks) {
  std::string body;
  for (const auto& c : chunks) body += "data: " + c.dump() + "\n\n";
  return body + "data: [DONE]\n\n";
}

const std::string kToolCall = sse(
    {{{"choices",
       {{{"index", 0},
         {"delta",
          {{"tool_calls",
            {{{"index", 0},
              {"id", "c1"},
              {"function",
               {{"name", "list_clusters"}, {"arguments", "{\"max_results\":10}"}}}}}}}}}}}},
     {{"choices", {{{"index", 0}, {"delta", json::object()}, {"finish_reason", "tool_calls"}}}}}});
const std::string kText = sse(
    {{{"choices", {{{"index", 0}, {"delta", {{"content", "You have one cluster, default."}}}}}}},
     {{"choices", {{{"index", 0}, {"delta", json::object()}, {"finish_reason", "stop"}}}}}});

class InstantTools final : public ToolExecutor {
 public:
  std::vector<ToolSpec> tools() const override { return {}; }
  ToolRunResult call(const std::string&, const json&, const std::function<bool()>&) override {
    return {R"({"clusterArns":["arn:aws:ecs:us-west-2:123456789012:cluster/default"]})", false,
            false};
  }
};

long vm_hwm_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// Children of `parent` (from /proc), with their peak RSS.
long children_hwm_kib(pid_t parent) {
  long total = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::ifstream in(entry.path() / "status");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("PPid:", 0) == 0) {
        if (std::stol(line.substr(5)) == parent) total += vm_hwm_kib(std::stoi(name));
        break;
      }
    }
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  int turns = 500;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
      turns = std::atoi(argv[++i]);
    } else {
      positional.push_back(argv[i]);
    }
  }
  if (positional.size() != 2) {
    std::fprintf(stderr, "usage: agent-bench [-n TURNS] ECS_AGENT ECS_MCP_SERVER\n");
    return 2;
  }

  httplib::Server provider;
  std::atomic<int> served{0};
  std::atomic<pid_t> agent_pid{0};
  std::atomic<long> child_hwm{0};
  provider.Post(".*", [&](const httplib::Request&, httplib::Response& res) {
    const bool tool_turn = served.fetch_add(1) % 2 == 0;
    if (agent_pid.load() > 0)
      child_hwm = std::max(child_hwm.load(), children_hwm_kib(agent_pid.load()));
    res.set_content(tool_turn ? kToolCall : kText, "text/event-stream");
  });
  provider.set_tcp_nodelay(true);  // otherwise Nagle delays every streamed answer by tens of ms
  const int port = provider.bind_to_any_port("127.0.0.1");
  std::thread server_thread([&] { provider.listen_after_bind(); });
  while (!provider.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string base = "http://127.0.0.1:" + std::to_string(port) + "/v1";

  // 1. Loop overhead.
  auto codec = std::make_shared<OpenAiCodec>(openai_endpoint(base, "sk-bench", "gpt-bench"));
  ModelClientOptions options;
  options.http = std::make_shared<ecs_mcp::aws::CurlHttpClient>();
  ModelClient model(codec, options);
  InstantTools tools;
  LoopOptions loop;
  loop.system = "You are a benchmark.";
  for (int i = 0; i < 40; ++i) {
    loop.tools.push_back(
        ToolSpec{"tool_" + std::to_string(i),
                 std::string(400, 'd'),
                 {{"type", "object"}, {"properties", {{"a", {{"type", "string"}}}}}}});
  }
  std::vector<double> overhead_us;
  std::chrono::microseconds provider_total{0}, wall_total{0};
  int model_turns = 0;
  for (int i = 0; i < turns / 2; ++i) {
    Conversation conversation{Message{Role::kUser, "List all my ECS clusters", {}, {}}};
    auto outcome = run_agent_turn(conversation, model, tools, loop, {});
    if (!outcome.ok()) {
      std::fprintf(stderr, "agent-bench: %s\n", outcome.error().describe().c_str());
      return 1;
    }
    const auto overhead = outcome->total_time - outcome->model_time - outcome->tool_time;
    overhead_us.push_back(static_cast<double>(overhead.count()) / outcome->steps);
    provider_total += outcome->model_time;
    wall_total += outcome->total_time;
    model_turns += outcome->steps;
  }
  std::sort(overhead_us.begin(), overhead_us.end());
  auto pct = [&](double p) {
    return overhead_us[static_cast<size_t>(p * (overhead_us.size() - 1))];
  };
  std::printf("agent loop, %d model turns (40 tools offered, one tool call per question):\n",
              model_turns);
  std::printf(
      "  overhead per model turn beyond provider and tool time: median %.1f us, p99 %.1f us\n",
      pct(0.5), pct(0.99));
  std::printf(
      "  provider exchange per turn (loopback HTTP, incl. stream decoding): %.1f "
      "us\n",
      static_cast<double>(provider_total.count()) / model_turns);

  // 2. Peak RSS of ecs-agent with the ECS server child.
  served = 0;
  std::fflush(stdout);  // the child must not inherit unwritten output
  const std::string agent = positional[0], server = positional[1];
  pid_t pid = fork();
  if (pid == 0) {
    const std::string endpoint = "OPENAI_ENDPOINT=" + base,
                      server_path = "ECS_MCP_SERVER_PATH=" + server;
    const std::string home =
        std::string("HOME=") + (std::getenv("HOME") ? std::getenv("HOME") : "/tmp");
    std::vector<std::string> env_s{"PATH=/usr/bin:/bin",          home,
                                   "LLM_PROVIDER=openai",         "OPENAI_API_KEY=sk-bench",
                                   "OPENAI_MODEL_NAME=gpt-bench", endpoint,
                                   "ENABLE_ECS_MCP=true",         server_path,
                                   "AWS_REGION=us-west-2",        "AWS_ACCESS_KEY_ID=bench",
                                   "AWS_SECRET_ACCESS_KEY=bench"};
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    char* args[] = {const_cast<char*>(agent.c_str()), const_cast<char*>("ask"),
                    const_cast<char*>("hi"), nullptr};
    execve(agent.c_str(), args, envp.data());
    _exit(127);
  }
  agent_pid = pid;
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  provider.stop();
  server_thread.join();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "agent-bench: ecs-agent ask failed (status %d)\n", status);
    return 1;
  }
  std::printf("peak RSS: ecs-agent %ld KiB, its ecs-mcp-server child %ld KiB\n", usage.ru_maxrss,
              child_hwm.load());
  return 0;
}
