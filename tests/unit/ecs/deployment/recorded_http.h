// Recorded AWS responses for the deployment tests, served through the HttpClient seam by
// operation name (X-Amz-Target for JSON services, Action= for Query), so signing, protocol
// parsing and retries run as they do against AWS. Replies to one operation are served in the
// order queued; the last one repeats.
//
// Responses live in tests/fixtures/aws_responses/deployment/<service>/<file>, botocore-shaped
// (check_shapes.py there checks them against botocore's models).
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "aws/http_client.h"
#include "ecs/aws_context.h"
#include "ecs/config.h"

namespace ecs_mcp::ecs::testing {

inline std::filesystem::path deployment_fixtures() {
  return std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / "fixtures" /
         "aws_responses" / "deployment";
}

inline std::string read_deployment_fixture(const std::string& relative) {
  std::ifstream in(deployment_fixtures() / relative);
  EXPECT_TRUE(in.good()) << "missing fixture " << (deployment_fixtures() / relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The value of `key` in a form-encoded Query body ("" when absent); values here are unreserved
// characters, so no decoding is needed.
inline std::string form_value(const std::string& body, const std::string& key) {
  size_t at = 0;
  while (at < body.size()) {
    size_t end = body.find('&', at);
    if (end == std::string::npos) end = body.size();
    std::string pair = body.substr(at, end - at);
    if (pair.rfind(key + "=", 0) == 0) return pair.substr(key.size() + 1);
    at = end + 1;
  }
  return "";
}

class RecordedHttp : public aws::HttpClient {
 public:
  struct Sent {
    std::string operation;
    aws::HttpRequest request;
  };

  Result<aws::HttpResponse> send(const aws::HttpRequest& request) override {
    std::lock_guard lock(mu_);
    std::string op = operation_of(request);
    sent_.push_back({op, request});
    auto it = replies_.find(op);
    if (it == replies_.end() || it->second.empty()) {
      return make_error("HttpConnectError", "no recorded response for " + op);
    }
    aws::HttpResponse r = it->second.front();
    if (it->second.size() > 1) it->second.pop_front();
    return r;
  }

  // Queues a recorded file as the next reply to `operation`.
  void on(const std::string& operation, const std::string& relative, int status = 200) {
    aws::HttpResponse r;
    r.status = status;
    r.body = read_deployment_fixture(relative);
    r.headers["x-amzn-requestid"] = "req-" + operation + "-" + std::to_string(status);
    r.headers["content-type"] =
        relative.size() > 4 && relative.substr(relative.size() - 4) == ".xml"
            ? "text/xml"
            : "application/x-amz-json-1.1";
    std::lock_guard lock(mu_);
    replies_[operation].push_back(std::move(r));
  }

  std::vector<Sent> calls(const std::string& operation) const {
    std::lock_guard lock(mu_);
    std::vector<Sent> out;
    for (const auto& s : sent_) {
      if (s.operation == operation) out.push_back(s);
    }
    return out;
  }
  std::vector<std::string> operations() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& s : sent_) out.push_back(s.operation);
    return out;
  }

 private:
  static std::string operation_of(const aws::HttpRequest& request) {
    for (const auto& [k, v] : request.headers) {
      std::string lower = k;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "x-amz-target") return v.substr(v.find('.') + 1);
    }
    return form_value(request.body, "Action");
  }

  mutable std::mutex mu_;
  std::vector<Sent> sent_;
  std::map<std::string, std::deque<aws::HttpResponse>> replies_;
};

class FixedCredentials : public aws::CredentialsProvider {
 public:
  Result<aws::Credentials> get() override {
    return aws::Credentials{"AKIDTEST", "secret", "", std::nullopt, "test"};
  }
};

// An AwsContext in us-east-1 whose every call goes to `http`.
inline std::shared_ptr<AwsContext> recorded_context(std::shared_ptr<RecordedHttp> http) {
  Config config;
  config.region = "us-east-1";
  AwsContextOptions options;
  options.http = std::move(http);
  options.credentials = std::make_shared<FixedCredentials>();
  options.env = [](const auto&) -> std::optional<std::string> { return std::nullopt; };
  return std::make_shared<AwsContext>(config, options);
}

}  // namespace ecs_mcp::ecs::testing
