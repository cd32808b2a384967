// Test fixtures for the credential and shared-config tests: a throw-away HOME directory and a
// loopback HTTP server that records what it was sent. The environment is a testing::FakeOs
// (support/fake_os.h): the real process environment is never touched.
#pragma once

#include <httplib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aws/shared_config.h"
#include "support/fake_os.h"
#include "support/fixtures.h"

namespace ecs_mcp::testing {

// A throw-away HOME with an empty .aws directory.
class TempHome {
 public:
  TempHome() : dir_("ecs-mcp-home-") { std::filesystem::create_directories(dir_.path() / ".aws"); }

  std::string path() const { return dir_.path().string(); }
  std::string config_path() const { return (dir_.path() / ".aws" / "config").string(); }
  std::string credentials_path() const { return (dir_.path() / ".aws" / "credentials").string(); }

  // Writes `text` to a file relative to HOME and returns its full path.
  std::string write(const std::string& relative, const std::string& text,
                    bool executable = false) const {
    const auto full = dir_.write(relative, text);
    if (executable) ::chmod(full.c_str(), 0755);
    return full.string();
  }
  void write_config(const std::string& text) const { write(".aws/config", text); }
  void write_credentials(const std::string& text) const { write(".aws/credentials", text); }

 private:
  TempDir dir_;
};

struct RecordedRequest {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string, httplib::detail::ci> headers;
  std::string body;
  httplib::Params params;  // form fields of a urlencoded POST body

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
};

// An httplib::Server on 127.0.0.1 with a free port, serving from its own thread. Routes are
// added with server() before start(); every request is recorded.
class LoopbackServer {
 public:
  LoopbackServer() {
    // One request per connection: stop() then never waits on an idle keep-alive connection.
    server_.set_keep_alive_max_count(1);
    // Post-routing: the body has been read by then, and the response not yet sent, so a
    // client that has its answer can rely on the request being recorded.
    server_.set_post_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      RecordedRequest r{req.method, req.path, {}, req.body, {}};
      for (const auto& [k, v] : req.headers) r.headers.emplace(k, v);
      if (req.get_header_value("Content-Type").starts_with("application/x-www-form-urlencoded")) {
        httplib::detail::parse_query_text(req.body, r.params);
      }
      std::lock_guard lock(mu_);
      requests_.push_back(std::move(r));
    });
  }
  ~LoopbackServer() { stop(); }

  httplib::Server& server() { return server_; }

  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  void stop() {
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace ecs_mcp::testing
