// Shared by the ecs-agent end-to-end tests: a scripted model provider on loopback that
// records what the agent sent, OpenAI-shaped streamed answers, and a runner for the
// ecs-agent binary (ECS_AGENT_PATH, a compile definition) with an exact environment.
//
// Thread-safety: a FakeProvider serves on its own thread; push() and requests() lock.
#pragma once

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace ecs_mcp::testing {

using json = nlohmann::json;

struct Recorded {
  std::string path;
  std::map<std::string, std::string> query;
  std::multimap<std::string, std::string> headers;
  std::string body;
  json body_json() const { return json::parse(body, nullptr, false); }
  std::string header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
    }
    return {};
  }
};

struct Scripted {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// One loopback HTTP server answering every POST with the next scripted response.
class FakeProvider {
 public:
  FakeProvider() {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      Scripted next;
      {
        std::lock_guard<std::mutex> lock(mu_);
        Recorded r{req.path, {}, {}, req.body};
        for (const auto& [k, v] : req.params) r.query[k] = v;
        for (const auto& [k, v] : req.headers) r.headers.emplace(k, v);
        requests_.push_back(std::move(r));
        if (script_.empty()) {
          next = Scripted{500, "application/json", R"({"error":{"message":"script ended"}})"};
        } else {
          next = script_.front();
          script_.pop_front();
        }
      }
      res.status = next.status;
      res.set_content(next.body, next.content_type);
    });
    server_.set_tcp_nodelay(true);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  ~FakeProvider() {
    server_.stop();
    thread_.join();
  }
  void push(Scripted s) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.push_back(std::move(s));
  }
  std::vector<Recorded> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::deque<Scripted> script_;
  std::vector<Recorded> requests_;
};

struct RunResult {
  int exit_code = -1;
  std::string out, err;
  double seconds = 0;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs ecs-agent with exactly `env`, `stdin_text` on its stdin; sends SIGINT after
// `interrupt_after` when set.
inline RunResult run_agent(
    const std::map<std::string, std::string>& env, const std::vector<std::string>& args,
    const std::string& stdin_text = "",
    std::optional<std::chrono::milliseconds> interrupt_after = std::nullopt) {
  const std::string dir =
      std::filesystem::temp_directory_path() / ("ecs-agent-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string in_path = dir + "/in", out_path = dir + "/out", err_path = dir + "/err";
  std::ofstream(in_path) << stdin_text;
  std::vector<std::string> argv_s{ECS_AGENT_PATH};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s;
  for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int in = open(in_path.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv, envp;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  if (interrupt_after) {
    std::this_thread::sleep_for(*interrupt_after);
    kill(pid, SIGINT);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  std::filesystem::remove_all(dir);
  return r;
}

// OpenAI-compatible streamed answers and what to read from the agent's requests.
inline std::string openai_sse(const std::vector<json>& chunks) {
  std::string body;
  for (const auto& c : chunks) body += "data: " + c.dump() + "\n\n";
  return body + "data: [DONE]\n\n";
}

inline Scripted openai_stream_text(const std::string& text) {
  return {
      200, "text/event-stream",
      openai_sse(
          {{{"choices",
             {{{"index", 0}, {"delta", {{"role", "assistant"}, {"content", text.substr(0, 3)}}}}}}},
           {{"choices", {{{"index", 0}, {"delta", {{"content", text.substr(3)}}}}}}},
           {{"choices", {{{"index", 0}, {"delta", json::object()}, {"finish_reason", "stop"}}}}}})};
}

inline Scripted openai_stream_calls(const std::vector<std::pair<std::string, json>>& calls) {
  std::vector<json> chunks;
  for (size_t i = 0; i < calls.size(); ++i) {
    const std::string args = calls[i].second.dump();
    chunks.push_back(
        {{"choices",
          {{{"index", 0},
            {"delta",
             {{"tool_calls",
               {{{"index", i},
                 {"id", "call_" + std::to_string(i)},
                 {"type", "function"},
                 {"function",
                  {{"name", calls[i].first}, {"arguments", args.substr(0, 1)}}}}}}}}}}}});
    chunks.push_back({{"choices",
                       {{{"index", 0},
                         {"delta",
                          {{"tool_calls",
                            {{{"index", i}, {"function", {{"arguments", args.substr(1)}}}}}}}}}}}});
  }
  chunks.push_back(
      {{"choices", {{{"index", 0}, {"delta", json::object()}, {"finish_reason", "tool_calls"}}}}});
  return {200, "text/event-stream", openai_sse(chunks)};
}

inline std::vector<std::string> tool_names(const json& body) {
  std::vector<std::string> names;
  for (const auto& t : body.value("tools", json::array())) names.push_back(t["function"]["name"]);
  return names;
}

// The tool messages the agent sent in an OpenAI request.
inline std::vector<std::string> tool_messages(const json& body) {
  std::vector<std::string> out;
  for (const auto& m : body["messages"]) {
    if (m["role"] == "tool") out.push_back(m["content"]);
  }
  return out;
}

}  // namespace ecs_mcp::testing
