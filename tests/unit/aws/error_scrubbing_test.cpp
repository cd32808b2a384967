// Errors leaving the AWS layer carry no credentials: AWS's SignatureDoesNotMatch with its
// canonical request, and a proxy's error page echoing the request's headers, both built from
// what the client really sent through the HTTP seam.
#include <gtest/gtest.h>

#include "aws/client.h"
#include "aws/services.h"
#include "support/fake_credentials.h"
#include "support/fake_http_client.h"
#include "support/fake_os.h"

namespace ecs_mcp::aws {
namespace {

using nlohmann::json;

// Made here rather than written out, so no credential-shaped literal sits in the tree.
const std::string kKeyId = "ASIA" + std::string("Q7Z2M4X9B6N3P5R8");
const std::string kSecret = "q8Hn3vT0bXz+Lk2Wm/9JdR4sYc7uPeA1gF6iOw5N";
const std::string kToken =
    "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD" + std::string(120, 'T') + "Zk4=";

struct ErrorScrubbing : ::testing::Test {
  std::shared_ptr<testing::FakeHttpClient> http = std::make_shared<testing::FakeHttpClient>();

  EcsClient client() {
    ClientConfig config;
    config.region = "us-east-1";
    config.credentials =
        std::make_shared<testing::FakeCredentialsProvider>(kKeyId, kSecret, kToken);
    config.http = http;
    config.os = testing::FakeOs::make();  // no AWS_ENDPOINT_URL*: the real endpoint rules
    config.retry.sleep = [](std::chrono::milliseconds, const std::function<bool()>&) {
      return true;
    };
    return EcsClient(config);
  }

  static void expect_no_credentials(const Error& e, const HttpRequest& sent) {
    const std::string all = e.describe();
    EXPECT_EQ(all.find(kKeyId), std::string::npos) << all;
    EXPECT_EQ(all.find(kToken.substr(0, 40)), std::string::npos) << all;
    EXPECT_EQ(all.find(kSecret), std::string::npos) << all;
    const std::string authorization = testing::request_header(sent, "Authorization");
    const std::string signature = authorization.substr(authorization.rfind('=') + 1);
    ASSERT_EQ(signature.size(), 64u) << authorization;
    EXPECT_EQ(all.find(signature), std::string::npos) << all;
  }
};

TEST_F(ErrorScrubbing, SignatureDoesNotMatchKeepsItsCodeAndLosesTheCanonicalRequest) {
  // AWS answers a JSON service's bad signature in XML, quoting the canonical request it built
  // from the headers it received, the session token among them.
  http->otherwise([](const testing::FakeHttpClient::Sent& sent) -> Result<HttpResponse> {
    std::string canonical = "POST\n/\n\n";
    for (const char* h : {"content-type", "host", "x-amz-date", "x-amz-security-token"}) {
      canonical += std::string(h) + ":" + testing::request_header(sent.request, h) + "\n";
    }
    std::string body =
        "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The "
        "request signature we calculated does not match the signature you provided. Check your "
        "AWS Secret Access Key and signing method. Consult the service documentation for "
        "details.\n\nThe Canonical String for this request should have been\n'" +
        canonical +
        "\ncontent-type;host;x-amz-date;x-amz-security-token\n"
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'\n\n"
        "The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n"
        "20260101T000000Z\n20260101/us-east-1/ecs/aws4_request\n"
        "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0'\n</Message></Error>"
        "<RequestId>req-sig</RequestId></ErrorResponse>";
    return testing::fake_response(body, 403);
  });
  auto result = client().call("ListClusters", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().service_code, "SignatureDoesNotMatch");
  EXPECT_EQ(result.error().request_id, "req-sig");
  EXPECT_NE(result.error().message.find("does not match the signature you provided"),
            std::string::npos);
  EXPECT_NE(result.error().message.find("[REDACTED: canonical request echoed by AWS]"),
            std::string::npos)
      << result.error().message;
  expect_no_credentials(result.error(), http->requests().back());
}

TEST_F(ErrorScrubbing, ProxyPagesEchoingTheRequestHeaders) {
  // One header per page: the error keeps only the start of a page, and each must be checked.
  for (const char* header : {"Authorization", "X-Amz-Security-Token"}) {
    http->otherwise([header](const testing::FakeHttpClient::Sent& sent) -> Result<HttpResponse> {
      HttpResponse r;
      r.status = 502;
      r.headers["content-type"] = "text/html";
      r.body = "<p>" + std::string(header) + ": " + testing::request_header(sent.request, header) +
               "</p>";
      return r;
    });
    auto result = client().call("ListClusters", json::object());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().http_status, 502);
    EXPECT_NE(result.error().message.find(std::string("<p>") + header + ": "), std::string::npos)
        << result.error().message;
    EXPECT_NE(result.error().message.find("</p>"), std::string::npos)
        << "the whole header is within the excerpt, so all of it is checked: "
        << result.error().message;
    expect_no_credentials(result.error(), http->requests().back());
  }
}

}  // namespace
}  // namespace ecs_mcp::aws
