// The transport and retry behaviour against a loopback server that misbehaves on purpose:
// throttling, 5xx storms, slow answers, malformed bodies, dropped and reset connections,
// and cancellation. The server is a few raw sockets so each fault is exact (an RST is an
// RST), with an attempt counter to assert how many requests were really made.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "aws/curl_http_client.h"
#include "aws/services.h"
#include "moto_harness.h"
#include "support/fake_http_client.h"
#include "test_support.h"

namespace ecs_mcp::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

struct FaultAction {
  enum class Kind { kRespond, kCloseWithoutAnswer, kReset } kind = Kind::kRespond;
  int status = 200;
  std::string body;
  std::string content_type = "application/x-amz-json-1.1";
  milliseconds delay{0};
};

class FaultServer {
 public:
  using Handler = std::function<FaultAction(int attempt, const std::string& request)>;

  explicit FaultServer(Handler handler) : handler_(std::move(handler)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    socklen_t size = sizeof(address);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    listen(listener_, 16);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~FaultServer() {
    stopping_ = true;
    acceptor_.join();
    for (auto& worker : workers_) worker.join();
    close(listener_);
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_; }
  std::string first_request() {
    std::lock_guard<std::mutex> lock(mutex_);
    return first_request_;
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      pollfd fd{listener_, POLLIN, 0};
      if (poll(&fd, 1, 50) <= 0) continue;
      int client = accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      workers_.emplace_back([this, client] { serve(client); });
    }
  }

  // Reads one request: headers, then Content-Length bytes of body.
  static bool read_request(int client, std::string& request) {
    char buffer[4096];
    size_t header_end = std::string::npos;
    size_t content_length = 0;
    while (true) {
      if (header_end != std::string::npos && request.size() >= header_end + 4 + content_length) {
        return true;
      }
      ssize_t n = recv(client, buffer, sizeof(buffer), 0);
      if (n <= 0) return false;
      request.append(buffer, static_cast<size_t>(n));
      if (header_end == std::string::npos) {
        header_end = request.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          std::string headers = request.substr(0, header_end);
          for (char& c : headers) c = static_cast<char>(std::tolower(c));
          if (size_t at = headers.find("content-length:"); at != std::string::npos) {
            content_length = std::stoul(headers.substr(at + 15));
          }
        }
      }
    }
  }

  void serve(int client) {
    std::string request;
    if (!read_request(client, request)) {
      close(client);
      return;
    }
    int attempt = ++requests_;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (attempt == 1) first_request_ = request;
    }
    FaultAction action = handler_(attempt, request);
    auto until = std::chrono::steady_clock::now() + action.delay;
    while (!stopping_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    if (action.kind == FaultAction::Kind::kReset) {
      linger hard{1, 0};  // close() then sends RST instead of FIN
      setsockopt(client, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
    } else if (action.kind == FaultAction::Kind::kRespond) {
      std::string response = "HTTP/1.1 " + std::to_string(action.status) + " Whatever\r\n" +
                             "Content-Type: " + action.content_type + "\r\n" +
                             "x-amzn-RequestId: req-" + std::to_string(attempt) + "\r\n" +
                             "Content-Length: " + std::to_string(action.body.size()) + "\r\n" +
                             "Connection: close\r\n\r\n" + action.body;
      send(client, response.data(), response.size(), MSG_NOSIGNAL);
    }
    close(client);
  }

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::string first_request_;
};

FaultAction fault(FaultAction::Kind kind) {
  FaultAction action;
  action.kind = kind;
  return action;
}

FaultAction json_answer(int status, const json& body) {
  return {FaultAction::Kind::kRespond, status, body.dump()};
}

class FaultTest : public ::testing::Test {
 protected:
  aws::ClientConfig config_for(const FaultServer& server) {
    aws::ClientConfig config =
        test_config(server.endpoint(), std::make_shared<aws::CurlHttpClient>());
    config.retry.sleep = [this](milliseconds delay, const std::function<bool()>&) {
      delays_.push_back(delay);
      return true;
    };
    return config;
  }
  std::vector<milliseconds> delays_;
};

#define ASSERT_OK(result) ASSERT_TRUE((result).ok()) << (result).error().describe()

TEST_F(FaultTest, ThrottlingIsRetriedUntilSuccess) {
  FaultServer server([](int attempt, const std::string&) {
    if (attempt < 3) {
      return json_answer(400, {{"__type", "ThrottlingException"}, {"message", "Rate exceeded"}});
    }
    return json_answer(200, {{"clusterArns", {"arn:aws:ecs:us-east-1:1:cluster/a"}}});
  });
  aws::EcsClient ecs(config_for(server));
  auto result = ecs.call("ListClusters", json::object());
  ASSERT_OK(result);
  EXPECT_EQ((*result)["clusterArns"].size(), 1u);
  EXPECT_EQ(server.requests(), 3);
  ASSERT_EQ(delays_.size(), 2u);
  EXPECT_LE(delays_[0], milliseconds(1000)) << "random * min(2^0 s, 20 s)";
  EXPECT_LE(delays_[1], milliseconds(2000)) << "random * min(2^1 s, 20 s)";

  // What reached the server was a signed JSON 1.1 request.
  std::string request = server.first_request();
  EXPECT_NE(request.find("X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters"),
            std::string::npos);
  EXPECT_NE(request.find("Authorization: AWS4-HMAC-SHA256 Credential=testing/"), std::string::npos);
  EXPECT_NE(request.find("/us-east-1/ecs/aws4_request"), std::string::npos);
}

TEST_F(FaultTest, ServerErrorStormGivesUpAfterMaxAttemptsKeepingTheCode) {
  FaultServer server([](int, const std::string&) {
    return json_answer(503, {{"__type", "ServerException"}, {"message", "try later"}});
  });
  aws::EcsClient ecs(config_for(server));
  auto result = ecs.call("ListClusters", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().service_code, "ServerException");
  EXPECT_EQ(result.error().http_status, 503);
  EXPECT_EQ(result.error().request_id, "req-3");
  EXPECT_NE(result.error().message.find("gave up after 3 attempts"), std::string::npos);
  EXPECT_EQ(server.requests(), 3);
}

TEST_F(FaultTest, MaxAttemptsComesFromTheEnvironment) {
  FaultServer server([](int, const std::string&) {
    return FaultAction{FaultAction::Kind::kRespond, 502, "<html>Bad Gateway</html>", "text/html"};
  });
  aws::ClientConfig config = config_for(server);
  auto sleep = config.retry.sleep;
  testing::FakeOs os;
  os.set("AWS_MAX_ATTEMPTS", "5");
  config.retry = aws::RetryOptions::from_environment(os);
  config.retry.sleep = sleep;
  aws::EcsClient ecs(config);
  auto result = ecs.call("ListClusters", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().http_status, 502);
  EXPECT_NE(result.error().message.find("Bad Gateway"), std::string::npos)
      << "an HTML body shows up in the message";
  EXPECT_EQ(server.requests(), 5);
}

TEST_F(FaultTest, SlowResponseTimesOut) {
  FaultServer server([](int, const std::string&) {
    FaultAction action = json_answer(200, json::object());
    action.delay = milliseconds(3000);
    return action;
  });
  aws::ClientConfig config = config_for(server);
  config.retry.retry_policy = std::make_shared<aws::StandardRetryPolicy>(2);
  aws::EcsClient ecs(config);
  aws::CallOptions options;
  options.timeout = milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  auto result = ecs.call("ListClusters", json::object(), options);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kHttpTimeout) << result.error().describe();
  EXPECT_EQ(server.requests(), 2) << "a timeout is retried";
  EXPECT_LT(elapsed, milliseconds(2500));
}

TEST_F(FaultTest, MalformedBodyIsAClearErrorAndNotRetried) {
  FaultServer server([](int, const std::string&) {
    FaultAction action;
    action.body = "{\"clusterArns\": [trunc";
    return action;
  });
  aws::EcsClient ecs(config_for(server));
  auto result = ecs.call("ListClusters", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidResponse);
  EXPECT_EQ(result.error().http_status, 200);
  EXPECT_NE(result.error().message.find("[trunc"), std::string::npos);
  EXPECT_EQ(server.requests(), 1);
}

TEST_F(FaultTest, MalformedXmlFromAQueryService) {
  FaultServer server([](int, const std::string&) {
    return FaultAction{FaultAction::Kind::kRespond, 200, "<DescribeStacksResponse><oops",
                       "text/xml"};
  });
  aws::CloudFormationClient cfn(config_for(server));
  auto result = cfn.call("DescribeStacks", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidResponse);
  EXPECT_NE(result.error().message.find("DescribeStacksResponse"), std::string::npos);
}

TEST_F(FaultTest, DroppedConnectionIsRetriedThenReported) {
  FaultServer server(
      [](int, const std::string&) { return fault(FaultAction::Kind::kCloseWithoutAnswer); });
  aws::EcsClient ecs(config_for(server));
  auto result = ecs.call("ListClusters", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kHttpRecvError) << result.error().describe();
  EXPECT_NE(result.error().message.find("gave up after 3 attempts"), std::string::npos);
  EXPECT_EQ(server.requests(), 3);
}

TEST_F(FaultTest, ResetConnectionIsRetriedAndCanRecover) {
  FaultServer server([](int attempt, const std::string&) {
    if (attempt == 1) return fault(FaultAction::Kind::kReset);
    return json_answer(200, {{"clusterArns", json::array()}});
  });
  aws::EcsClient ecs(config_for(server));
  auto result = ecs.call("ListClusters", json::object());
  ASSERT_OK(result);
  EXPECT_EQ(server.requests(), 2);
}

TEST_F(FaultTest, ResetEveryTimeEndsInATransportError) {
  FaultServer server([](int, const std::string&) { return fault(FaultAction::Kind::kReset); });
  aws::EcsClient ecs(config_for(server));
  auto result = ecs.call("ListClusters", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().code == ErrorCode::kHttpRecvError ||
              result.error().code == ErrorCode::kHttpSendError)
      << result.error().describe();
  EXPECT_EQ(server.requests(), 3);
}

TEST_F(FaultTest, NonRetryableClientErrorReturnsAtOnce) {
  FaultServer server([](int, const std::string&) {
    return json_answer(400, {{"__type", "com.amazonaws.ecs#InvalidParameterException"},
                             {"message", "bad cluster"}});
  });
  aws::EcsClient ecs(config_for(server));
  auto result = ecs.call("DescribeClusters", {{"clusters", {"x"}}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().service_code, "InvalidParameterException");
  EXPECT_EQ(result.error().message, "bad cluster");
  EXPECT_EQ(result.error().request_id, "req-1");
  EXPECT_EQ(server.requests(), 1);
  EXPECT_TRUE(delays_.empty());
}

TEST_F(FaultTest, CancellationStopsAnInFlightRequest) {
  FaultServer server([](int, const std::string&) {
    FaultAction action = json_answer(200, json::object());
    action.delay = milliseconds(5000);
    return action;
  });
  aws::EcsClient ecs(config_for(server));
  std::atomic<bool> cancel{false};
  aws::CallOptions options;
  options.cancelled = [&] { return cancel.load(); };
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(300));
    cancel = true;
  });
  auto start = std::chrono::steady_clock::now();
  auto result = ecs.call("ListClusters", json::object(), options);
  auto elapsed = std::chrono::steady_clock::now() - start;
  canceller.join();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
  EXPECT_LT(elapsed, milliseconds(2000));
  EXPECT_EQ(server.requests(), 1) << "a cancelled call is not retried";
}

TEST_F(FaultTest, CancellationDuringBackoffStopsRetrying) {
  FaultServer server([](int, const std::string&) {
    return json_answer(500, {{"__type", "InternalFailure"}});
  });
  aws::ClientConfig config = config_for(server);
  config.retry.sleep = {};  // the real, interruptible sleep
  config.retry.backoff_policy = std::make_shared<aws::ExponentialJitterBackoff>(
      milliseconds(10000), milliseconds(20000), [] { return 1.0; });
  aws::EcsClient ecs(config);
  std::atomic<bool> cancel{false};
  aws::CallOptions options;
  options.cancelled = [&] { return cancel.load(); };
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(300));
    cancel = true;
  });
  auto start = std::chrono::steady_clock::now();
  auto result = ecs.call("ListClusters", json::object(), options);
  auto elapsed = std::chrono::steady_clock::now() - start;
  canceller.join();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
  EXPECT_LT(elapsed, milliseconds(2000));
  EXPECT_EQ(server.requests(), 1);
}

TEST_F(FaultTest, RefusedConnectionIsAConnectError) {
  int port = free_loopback_port();  // nothing listens there now
  aws::ClientConfig config = test_config("http://127.0.0.1:" + std::to_string(port),
                                         std::make_shared<aws::CurlHttpClient>());
  auto counting = std::make_shared<FakeHttpClient>();
  counting->forward_to(config.http);
  config.http = counting;
  aws::EcsClient ecs(config);
  auto result = ecs.call("ListClusters", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kHttpConnectError) << result.error().describe();
  EXPECT_EQ(counting->count(), 3);
}

}  // namespace
}  // namespace ecs_mcp::testing
