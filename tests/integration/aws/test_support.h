// Helpers shared by the AWS integration tests: fixed credentials, an HttpClient decorator
// that counts attempts, and an AwsClient configuration pointed at a test server.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "aws/client.h"
#include "aws/credentials.h"
#include "aws/curl_http_client.h"

namespace ecs_mcp::testing {

class StaticCredentials : public aws::CredentialsProvider {
 public:
  StaticCredentials(std::string key, std::string secret)
      : credentials_{std::move(key), std::move(secret), "", std::nullopt, "test"} {}
  Result<aws::Credentials> get() override { return credentials_; }

 private:
  aws::Credentials credentials_;
};

// Counts the requests that reach the transport: attempts, pages.
class CountingHttpClient : public aws::HttpClient {
 public:
  explicit CountingHttpClient(std::shared_ptr<aws::HttpClient> inner) : inner_(std::move(inner)) {}
  Result<aws::HttpResponse> send(const aws::HttpRequest& request) override {
    ++count;
    return inner_->send(request);
  }
  std::atomic<int> count{0};

 private:
  std::shared_ptr<aws::HttpClient> inner_;
};

// A client config that sends everything to `endpoint`, retries without waiting, and
// signs with the given keys for us-east-1.
inline aws::ClientConfig test_config(const std::string& endpoint,
                                     std::shared_ptr<aws::HttpClient> http,
                                     const std::string& key = "testing",
                                     const std::string& secret = "testing") {
  aws::ClientConfig config;
  config.region = "us-east-1";
  config.credentials = std::make_shared<StaticCredentials>(key, secret);
  config.http = std::move(http);
  config.env = [endpoint](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS_ENDPOINT_URL") return endpoint;
    return std::nullopt;
  };
  config.retry.sleep = [](std::chrono::milliseconds, const std::function<bool()>& cancelled) {
    return !(cancelled && cancelled());
  };
  return config;
}

}  // namespace ecs_mcp::testing
