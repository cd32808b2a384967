// SigV4 against two independent references: botocore's signer (run live through
// sigv4_oracle.py, so the expectations cannot drift from what the AWS CLI sends) and cases
// from the public aws-signing-test-suite (awslabs/aws-c-auth, tests/aws-signing-test-suite/v4).
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "python_oracle.h"

namespace ecs_mcp::aws {
namespace {

using nlohmann::json;

std::string header_value(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return {};
}

TEST(SigV4Botocore, MatchesBotocoreForEveryOracleCase) {
  ECS_MCP_REQUIRE_PYTHON("botocore");
  std::string output = testing::run_oracle("sigv4_oracle.py");
  json cases = json::parse(output, nullptr, false);
  ASSERT_TRUE(cases.is_array()) << "the botocore oracle did not run: " << output;
  ASSERT_GE(cases.size(), 6u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    HttpRequest request;
    request.method = c["method"];
    request.url = c["url"];
    request.body = c["body"];
    for (const auto& h : c["headers"]) request.headers.emplace_back(h[0], h[1]);
    Credentials credentials{c["access_key"], c["secret_key"], c["token"], std::nullopt, "test"};
    SigningParams params{c["region"], c["service"],
                         std::chrono::system_clock::from_time_t(c["epoch_seconds"].get<long>())};

    auto parts = compute_signature_v4(
        [&] {
          HttpRequest with_date = request;
          with_date.headers.emplace_back("X-Amz-Date", c["amz_date"].get<std::string>());
          if (!credentials.session_token.empty()) {
            with_date.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
          }
          return with_date;
        }(),
        credentials, params);
    ASSERT_TRUE(parts.ok()) << parts.error().describe();
    EXPECT_EQ(parts->canonical_request, c["canonical_request"].get<std::string>());

    ASSERT_TRUE(sign_v4(request, credentials, params).ok());
    EXPECT_EQ(header_value(request, "Authorization"), c["authorization"].get<std::string>());
    EXPECT_EQ(header_value(request, "X-Amz-Date"), c["amz_date"].get<std::string>());
    EXPECT_EQ(header_value(request, "X-Amz-Security-Token"), c["token"].get<std::string>());
  }
}

TEST(SigV4Botocore, ResigningReplacesEarlierSignatureHeaders) {
  HttpRequest request;
  request.url = "https://ecs.us-east-1.amazonaws.com/";
  request.body = "{}";
  Credentials credentials{"AKID", "SECRET", "TOKEN", std::nullopt, "test"};
  SigningParams params{"us-east-1", "ecs", std::chrono::system_clock::from_time_t(1700000000)};
  ASSERT_TRUE(sign_v4(request, credentials, params).ok());
  std::string first = header_value(request, "Authorization");
  params.now += std::chrono::seconds(5);
  ASSERT_TRUE(sign_v4(request, credentials, params).ok());
  int authorizations = 0;
  int dates = 0;
  for (const auto& [name, value] : request.headers) {
    authorizations += name == "Authorization";
    dates += name == "X-Amz-Date";
  }
  EXPECT_EQ(authorizations, 1);
  EXPECT_EQ(dates, 1);
  EXPECT_NE(header_value(request, "Authorization"), first);
  EXPECT_EQ(header_value(request, "X-Amz-Date"), "20231114T221325Z");
}

// --- aws-signing-test-suite (v4). Fixed inputs for every case. -----------------------------
const Credentials kSuiteCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "",
                                    std::nullopt, "test-suite"};

SigningParams suite_params() {
  std::tm when{};
  when.tm_year = 2015 - 1900;
  when.tm_mon = 7;
  when.tm_mday = 30;
  when.tm_hour = 12;
  when.tm_min = 36;
  return {"us-east-1", "service", std::chrono::system_clock::from_time_t(timegm(&when))};
}

std::string sign_suite_request(HttpRequest request, Credentials credentials = kSuiteCredentials) {
  EXPECT_TRUE(sign_v4(request, credentials, suite_params()).ok());
  return header_value(request, "Authorization");
}

HttpRequest suite_request(const std::string& method, const std::string& path_and_query) {
  HttpRequest request;
  request.method = method;
  request.url = "https://example.amazonaws.com" + path_and_query;
  request.headers = {{"Host", "example.amazonaws.com"}};
  return request;
}

const char* kSuiteCredentialPrefix =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

TEST(SigV4TestSuite, GetVanillaQueryOrderKeyCase) {
  HttpRequest request = suite_request("GET", "/?Param2=value2&Param1=value1");
  auto parts = compute_signature_v4(
      [&] {
        HttpRequest r = request;
        r.headers.emplace_back("X-Amz-Date", "20150830T123600Z");
        return r;
      }(),
      kSuiteCredentials, suite_params());
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->canonical_request,
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sign_suite_request(request),
            std::string(kSuiteCredentialPrefix) +
                "SignedHeaders=host;x-amz-date, "
                "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4TestSuite, GetVanillaUtf8Query) {
  EXPECT_EQ(sign_suite_request(suite_request("GET", "/?\xE1\x88\xB4=bar")),
            std::string(kSuiteCredentialPrefix) +
                "SignedHeaders=host;x-amz-date, "
                "Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
}

TEST(SigV4TestSuite, GetVanillaQueryUnreserved) {
  const std::string unreserved =
      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  EXPECT_EQ(sign_suite_request(suite_request("GET", "/?" + unreserved + "=" + unreserved)),
            std::string(kSuiteCredentialPrefix) +
                "SignedHeaders=host;x-amz-date, "
                "Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
}

TEST(SigV4TestSuite, GetVanillaWithSessionToken) {
  Credentials credentials = kSuiteCredentials;
  credentials.session_token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
  EXPECT_EQ(sign_suite_request(suite_request("GET", "/"), credentials),
            std::string(kSuiteCredentialPrefix) +
                "SignedHeaders=host;x-amz-date;x-amz-security-token, "
                "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
}

TEST(SigV4TestSuite, PostHeaderKeySort) {
  HttpRequest request = suite_request("POST", "/");
  request.headers.emplace_back("My-Header1", "value1");
  EXPECT_EQ(sign_suite_request(request),
            std::string(kSuiteCredentialPrefix) +
                "SignedHeaders=host;my-header1;x-amz-date, "
                "Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c");
}

TEST(SigV4TestSuite, GetHeaderValueTrim) {
  HttpRequest request = suite_request("GET", "/");
  request.headers.emplace_back("My-Header1", " value1");
  request.headers.emplace_back("My-Header2", " \"a   b   c\"");
  EXPECT_EQ(sign_suite_request(request),
            std::string(kSuiteCredentialPrefix) +
                "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
}

TEST(SigV4Encoding, UriEncodeFollowsRfc3986) {
  EXPECT_EQ(uri_encode("a b+c/d~e_f.g-h"), "a%20b%2Bc%2Fd~e_f.g-h");
  EXPECT_EQ(uri_encode("/a b/", /*keep_slash=*/true), "/a%20b/");
  EXPECT_EQ(uri_encode("\xC3\xBC"), "%C3%BC");
  EXPECT_EQ(uri_decode("a%20b%2Fc%zz%4"), "a b/c%zz%4");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SigV4Encoding, RejectsUnparseableUrl) {
  HttpRequest request;
  request.url = "not a url";
  Credentials credentials{"AKID", "SECRET", "", std::nullopt, "test"};
  Status status = sign_v4(request, credentials, {"us-east-1", "ecs"});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidEndpoint);
}

}  // namespace
}  // namespace ecs_mcp::aws
