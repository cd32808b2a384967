// Retry decisions, backoff arithmetic, and the retry loop of AwsClient driven by a fake
// HttpClient that replays scripted outcomes.
#include "aws/retry.h"

#include <gtest/gtest.h>

#include "aws/client.h"
#include "aws/services.h"
#include "support/fake_credentials.h"
#include "support/fake_http_client.h"
#include "support/fake_os.h"

namespace ecs_mcp::aws {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

// An error AWS answered with `code`.
Error error_with(std::string code, int status = 0) {
  Error e = make_service_error(std::move(code), "m");
  e.http_status = status;
  return e;
}

// A local (transport) error.
Error error_with(ErrorCode code, int status = 0) {
  Error e = make_error(code, "m");
  e.http_status = status;
  return e;
}

TEST(RetryDecisions, Retryable) {
  for (const char* code :
       {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException"}) {
    EXPECT_TRUE(is_retryable(error_with(code, 400))) << code;
  }
  for (ErrorCode code : {ErrorCode::kHttpTimeout, ErrorCode::kHttpConnectError,
                         ErrorCode::kHttpSendError, ErrorCode::kHttpRecvError}) {
    EXPECT_TRUE(is_retryable(error_with(code))) << code;
  }
  for (int status : {500, 502, 503, 504}) {
    EXPECT_TRUE(is_retryable(error_with("Whatever", status))) << status;
  }
}

TEST(RetryDecisions, NotRetryable) {
  EXPECT_FALSE(is_retryable(error_with(ErrorCode::kCancelled)));
  EXPECT_FALSE(is_retryable(error_with(ErrorCode::kHttpTlsError)));
  EXPECT_FALSE(is_retryable(error_with("AccessDeniedException", 400)));
  EXPECT_FALSE(is_retryable(error_with("ClusterNotFoundException", 400)));
  EXPECT_FALSE(is_retryable(error_with(ErrorCode::kUnexpectedResponse, 404)));
  EXPECT_FALSE(is_retryable(error_with("NotImplemented", 501)));
}

TEST(RetryPolicyTest, CountsAttemptsAndClonesFresh) {
  StandardRetryPolicy prototype(3);
  auto policy = prototype.clone();
  EXPECT_TRUE(policy->on_failure(error_with("Throttling")));
  EXPECT_TRUE(policy->on_failure(error_with("Throttling")));
  EXPECT_FALSE(policy->on_failure(error_with("Throttling")));
  EXPECT_EQ(policy->attempts(), 3);
  EXPECT_EQ(prototype.clone()->attempts(), 0);
  EXPECT_FALSE(prototype.clone()->on_failure(error_with("ValidationException", 400)));
}

TEST(BackoffPolicyTest, FullJitterUnderCappedExponential) {
  ExponentialJitterBackoff top(milliseconds(1000), milliseconds(20000), [] { return 0.999999; });
  std::vector<long> delays;
  for (int i = 0; i < 7; ++i) delays.push_back(top.on_completion().count());
  EXPECT_EQ(delays, (std::vector<long>{999, 1999, 3999, 7999, 15999, 19999, 19999}));
  ExponentialJitterBackoff half(milliseconds(100), milliseconds(20000), [] { return 0.5; });
  EXPECT_EQ(half.on_completion(), milliseconds(50));
  EXPECT_EQ(half.on_completion(), milliseconds(100));
  auto clone = half.clone();
  EXPECT_EQ(clone->on_completion(), milliseconds(50)) << "a clone starts over";
}

TEST(RetryOptionsTest, MaxAttemptsFromEnvironment) {
  auto env = [](std::string value) {
    auto os = testing::FakeOs::make();
    os->set("AWS_MAX_ATTEMPTS", value);
    return os;
  };
  auto attempts_allowed = [](const RetryOptions& options) {
    auto policy = options.retry_policy->clone();
    int n = 1;
    while (policy->on_failure(error_with("Throttling"))) ++n;
    return n;
  };
  EXPECT_EQ(attempts_allowed(RetryOptions::from_environment(*env("7"))), 7);
  EXPECT_EQ(attempts_allowed(RetryOptions::from_environment(*env("1"))), 1);
  EXPECT_EQ(attempts_allowed(RetryOptions::from_environment(*env("zero"))), 3);
  EXPECT_EQ(attempts_allowed(RetryOptions::from_environment(*env("-2"))), 3);
}

// --- the loop in AwsClient ----------------------------------------------------------------

HttpResponse json_response(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump();
  return r;
}

struct LoopFixture : ::testing::Test {
  std::shared_ptr<testing::FakeHttpClient> http = std::make_shared<testing::FakeHttpClient>();
  std::shared_ptr<testing::FakeCredentialsProvider> credentials =
      std::make_shared<testing::FakeCredentialsProvider>("AKID", "SECRET");
  std::vector<milliseconds> slept;
  std::shared_ptr<testing::FakeOs> os = testing::FakeOs::make();

  EcsClient client() {
    ClientConfig config;
    config.region = "us-east-1";
    config.credentials = credentials;
    config.http = http;
    os->set_now(std::chrono::system_clock::from_time_t(1700000001));
    os->set_tick(std::chrono::seconds(1));
    config.os = os;
    config.retry.sleep = [this](milliseconds d, const std::function<bool()>&) {
      slept.push_back(d);
      return true;
    };
    return EcsClient(config);
  }
};

TEST_F(LoopFixture, RetriesThrottlingAndResignsEachAttempt) {
  http->then(json_response(400, {{"__type", "ThrottlingException"}}));
  http->then(make_error(ErrorCode::kHttpRecvError, "connection reset"));
  http->then(json_response(200, {{"clusterArns", json::array()}}));
  auto result = client().call("ListClusters", json::object());
  ASSERT_TRUE(result.ok()) << result.error().describe();
  ASSERT_EQ(http->requests().size(), 3u);
  EXPECT_EQ(slept.size(), 2u);
  EXPECT_EQ(credentials->calls(), 3) << "credentials are fetched per attempt (they may rotate)";
  auto date_of = [](const HttpRequest& r) {
    for (const auto& [k, v] : r.headers) {
      if (k == "X-Amz-Date") return v;
    }
    return std::string();
  };
  EXPECT_NE(date_of(http->requests()[0]), date_of(http->requests()[2]))
      << "each attempt is signed anew";
  EXPECT_EQ(http->requests()[0].url, "https://ecs.us-east-1.amazonaws.com/");
}

TEST_F(LoopFixture, DoesNotRetryClientErrors) {
  http->then(json_response(400, {{"__type", "InvalidParameterException"}, {"message", "nope"}}));
  auto result = client().call("ListClusters", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().service_code, "InvalidParameterException");
  EXPECT_EQ(result.error().message, "nope") << "no retry note when nothing was retried";
  EXPECT_EQ(http->requests().size(), 1u);
  EXPECT_TRUE(slept.empty());
}

TEST_F(LoopFixture, GivesUpWithTheLastErrorAndAttemptCount) {
  for (int i = 0; i < 3; ++i) {
    http->then(json_response(500, {{"__type", "ServerException"}, {"message", "x"}}));
  }
  auto result = client().call("ListClusters", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().service_code, "ServerException");
  EXPECT_EQ(result.error().http_status, 500);
  EXPECT_EQ(result.error().message, "x (gave up after 3 attempts)");
  EXPECT_EQ(http->requests().size(), 3u);
}

TEST_F(LoopFixture, CancelledBeforeSendingMakesNoRequest) {
  CallOptions options;
  options.cancelled = [] { return true; };
  auto result = client().call("ListClusters", json::object(), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
  EXPECT_TRUE(http->requests().empty());
}

TEST_F(LoopFixture, TimeoutAndCancelReachTheTransport) {
  http->then(json_response(200, json::object()));
  CallOptions options;
  options.timeout = milliseconds(1234);
  options.cancelled = [] { return false; };
  ASSERT_TRUE(client().call("ListClusters", json::object(), options).ok());
  EXPECT_EQ(http->requests()[0].timeout, milliseconds(1234));
  EXPECT_TRUE(static_cast<bool>(http->requests()[0].cancelled));
}

TEST_F(LoopFixture, PaginateFollowsTokensAndHonoursPageCap) {
  http->then(json_response(200, {{"clusterArns", {"a"}}, {"nextToken", "t1"}}));
  http->then(json_response(200, {{"clusterArns", {"b"}}, {"nextToken", "t2"}}));
  http->then(json_response(200, {{"clusterArns", {"c"}}}));
  auto all = client().paginate("ListClusters", json::object(),
                               *service_paginator(Service::kEcs, "ListClusters"));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)["clusterArns"], json({"a", "b", "c"}));
  EXPECT_FALSE(all->contains("nextToken"));
  EXPECT_EQ(json::parse(http->requests()[1].body)["nextToken"], "t1");
  EXPECT_EQ(json::parse(http->requests()[2].body)["nextToken"], "t2");

  http->clear();
  http->then(json_response(200, {{"clusterArns", {"a"}}, {"nextToken", "t1"}}));
  http->then(json_response(200, {{"clusterArns", {"b"}}, {"nextToken", "t2"}}));
  PageSpec spec = *service_paginator(Service::kEcs, "ListClusters");
  spec.max_pages = 2;
  auto capped = client().paginate("ListClusters", json::object(), spec);
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ((*capped)["clusterArns"], json({"a", "b"}));
  EXPECT_EQ((*capped)["nextToken"], "t2");
  EXPECT_EQ(http->requests().size(), 2u);
}

TEST_F(LoopFixture, PaginateStopsOnAnError) {
  http->then(json_response(200, {{"clusterArns", {"a"}}, {"nextToken", "t1"}}));
  http->then(json_response(400, {{"__type", "AccessDeniedException"}}));
  auto result = client().paginate("ListClusters", json::object(),
                                  *service_paginator(Service::kEcs, "ListClusters"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().service_code, "AccessDeniedException");
}

}  // namespace
}  // namespace ecs_mcp::aws
