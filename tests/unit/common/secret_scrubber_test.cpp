// The secret matcher every layer shares: each known format found where it really appears (an
// AWS error, a proxy's page, a connection string, a shell line), the same text without
// secrets left exactly as it was.
#include "common/secret_scrubber.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ecs_mcp {
namespace {

// Secret-shaped values made here, so no real-looking literal sits in the tree.
const std::string kKeyId = "AKIA" + std::string("Z7Q2M4X9B6N3P5R8");
const std::string kSecretKey = "q8Hn3vT0bXz+Lk2Wm/9JdR4sYc7uPeA1gF6iOw5N";
const std::string kSessionToken =
    "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD" + std::string(200, 'Q') + "x9Zk4=";

void expect_gone(const std::string& out, const std::string& secret) {
  EXPECT_EQ(out.find(secret), std::string::npos) << "still there: " << secret << "\nin: " << out;
}

TEST(ScrubSecrets, AwsKeysAndTokensAnywhere) {
  size_t n = 0;
  std::string out = scrub_secrets(
      "key " + kKeyId + ", secret " + kSecretKey + ", token " + kSessionToken + " end", &n);
  expect_gone(out, kKeyId);
  expect_gone(out, kSecretKey);
  expect_gone(out, "IQoJb3JpZ2lu");
  EXPECT_EQ(n, 3u);
  EXPECT_NE(out.find("[REDACTED: AWS access key id]"), std::string::npos) << out;
  EXPECT_NE(out.find("[REDACTED: AWS secret access key]"), std::string::npos) << out;
  EXPECT_NE(out.find(" end"), std::string::npos);
}

TEST(ScrubSecrets, SignatureDoesNotMatchLosesItsCanonicalRequest) {
  // The shape of AWS's message, session token and all.
  const std::string message =
      "The request signature we calculated does not match the signature you provided. Check "
      "your AWS Secret Access Key and signing method. Consult the service documentation for "
      "details.\n\nThe Canonical String for this request should have been\n'POST\n/\n\n"
      "content-type:application/x-amz-json-1.1\nhost:ecs.us-east-1.amazonaws.com\n"
      "x-amz-date:20260101T000000Z\nx-amz-security-token:opaque-token-value-123\n"
      "x-amz-target:AmazonEC2ContainerServiceV20141113.ListClusters\n\n"
      "content-type;host;x-amz-date;x-amz-security-token;x-amz-target\n"
      "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'\n\n"
      "The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260101T000000Z\n"
      "20260101/us-east-1/ecs/aws4_request\n"
      "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0'\n";
  std::string out = scrub_secrets(message);
  expect_gone(out, "opaque-token-value-123");
  expect_gone(out, "x-amz-target");
  EXPECT_NE(out.find("does not match the signature you provided"), std::string::npos);
  EXPECT_NE(out.find("[REDACTED: canonical request echoed by AWS]"), std::string::npos) << out;
}

TEST(ScrubSecrets, ProxyPageEchoingRequestHeaders) {
  const std::string page =
      "<html><body><h1>502 Bad Gateway</h1><pre>POST / HTTP/1.1\r\nHost: ecs.us-east-1."
      "amazonaws.com\r\nAuthorization: AWS4-HMAC-SHA256 Credential=" +
      kKeyId +
      "/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, "
      "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7\r\n"
      "X-Amz-Security-Token: plain-opaque-session-value\r\nX-Amz-Date: 20260101T000000Z\r\n"
      "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n</pre></body></html>";
  std::string out = scrub_secrets(page);
  for (const std::string& secret :
       {kKeyId, std::string("5d672d79c15b131"), std::string("plain-opaque-session-value"),
        std::string("dXNlcjpwYXNz")}) {
    expect_gone(out, secret);
  }
  EXPECT_NE(out.find("502 Bad Gateway"), std::string::npos);
  EXPECT_NE(out.find("X-Amz-Date: 20260101T000000Z"), std::string::npos) << out;
  EXPECT_NE(out.find("Proxy-Authorization: Basic [REDACTED"), std::string::npos) << out;
}

TEST(ScrubSecrets, PrivateKeysJwtsUrlPasswordsAndConnectionStrings) {
  const std::string jwt =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
      "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  const std::string text =
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----\n"
      "auth " +
      jwt +
      "\n"
      "db postgres://app:s3cr3t-pw@db.internal:5432/orders\n"
      "mssql Server=tcp:db,1433;User Id=app;Password=Hunter2!;Encrypt=true\n"
      "query https://hooks.example.com/x?api_key=abc123&page=2\n"
      "json {\"SecretAccessKey\": \"raw-value\", \"Region\": \"us-east-1\"}";
  std::string out = scrub_secrets(text);
  for (const std::string& secret :
       {std::string("MIIEowIBAAKCAQEA7"), jwt.substr(0, 20), std::string("s3cr3t-pw"),
        std::string("Hunter2!"), std::string("abc123"), std::string("raw-value")}) {
    expect_gone(out, secret);
  }
  for (const char* kept : {"postgres://app:", "@db.internal:5432/orders", "User Id=app;",
                           "Encrypt=true", "&page=2", "\"Region\": \"us-east-1\""}) {
    EXPECT_NE(out.find(kept), std::string::npos) << kept << " in " << out;
  }
}

TEST(ScrubSecrets, OrdinaryAwsDataIsUntouched) {
  const std::vector<std::string> texts = {
      "arn:aws:ecs:us-east-1:123456789012:task/web-cluster/0123456789abcdef0123456789abcdef",
      "ecs/Web/0123456789abcdef0123456789abcdef",
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
      "ServiceTaskDefinitionExecutionRole1A2B3C",
      "arn:aws:iam::123456789012:role/web-ecs-infrastructure-TaskExecutionRole-1A2B3C4D5E6F",
      "web-alb-1234567890.us-east-1.elb.amazonaws.com",
      "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definitions.html",
      "AROAZ7Q2M4X9B6N3P5R8Q:botocore-session-1700000000",
      "Use AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY in examples",
      "nextToken=eyJ2IjoxfQ&maxResults=10",
      "Basic configuration of the Bearer token flow",
      "1700000000.0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
      // Flags and placeholders named like credentials (Rails' asset build, empty settings).
      "RUN SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile",
      "password= token=none \"api_key\": \"\" ENABLE_SECRET=true",
  };
  for (const auto& t : texts) {
    size_t n = 0;
    EXPECT_EQ(scrub_secrets(t, &n), t);
    EXPECT_EQ(n, 0u) << t;
  }
}

TEST(ScrubSecrets, RealValuesNamedLikeCredentialsStillGo) {
  const std::string out = scrub_secrets("DB_PASSWORD=hunter22 SECRET_KEY_BASE=abcd");
  EXPECT_EQ(out.find("hunter22"), std::string::npos) << out;
  EXPECT_EQ(out.find("abcd"), std::string::npos) << out;
}

TEST(ScrubSecrets, ScrubbingTwiceChangesNothingMore) {
  std::string once = scrub_secrets("postgres://a:b@h/db " + kKeyId + " Authorization: Bearer x1");
  size_t n = 0;
  EXPECT_EQ(scrub_secrets(once, &n), once);
  EXPECT_EQ(n, 0u);
}

TEST(CredentialNames, CommonSpellingsAndTheTokensThatAreNot) {
  for (const char* name :
       {"splunk-token", "DbPassword", "DB_PASSWORD", "license_key", "LicenseKey", "apikey",
        "dd_api_key", "ClientSecret", "HTTP_Passwd", "connection_string", "SENTRY_DSN",
        "basic_auth", "X-Amz-Security-Token", "sasl.password", "credentialsParameter", "db_pass",
        "PrivateKey", "x-amz-signature"}) {
    EXPECT_TRUE(names_a_credential(name)) << name;
  }
  for (const char* name : {"nextToken", "NextToken", "nextForwardToken", "clientToken",
                           "confirmation_token", "ClientRequestToken", "region", "Match",
                           "awslogs-group", "PrivateSubnets", "privateDnsName", "AuthType", "VpcId",
                           "Name", "log_key", "Author", "passthrough", "LoadBalancerUrl", ""}) {
    EXPECT_FALSE(names_a_credential(name)) << name;
  }
}

TEST(CredentialArguments, FlagsAssignmentsAndShellLines) {
  const std::string m = "[REDACTED]";
  std::vector<std::string> argv = {"app",  "--db-password=hunter2", "--api-key", "k-123", "--port",
                                   "8080", "TOKEN=t-456",           "--verbose"};
  EXPECT_EQ(mask_credential_arguments(argv, m), 3u);
  EXPECT_EQ(argv,
            (std::vector<std::string>{"app", "--db-password=[REDACTED]", "--api-key", "[REDACTED]",
                                      "--port", "8080", "TOKEN=[REDACTED]", "--verbose"}));

  std::vector<std::string> shell = {"CMD-SHELL",
                                    "curl -f -H 'X-Token: abc' --user-password 'pw 1' "
                                    "\"--secret=s-9\" http://localhost/ || exit 1"};
  EXPECT_EQ(mask_credential_arguments(shell, m), 2u);
  EXPECT_EQ(shell[1],
            "curl -f -H 'X-Token: abc' --user-password [REDACTED] 1' \"--secret=[REDACTED]\" "
            "http://localhost/ || exit 1");

  size_t n = 0;
  EXPECT_EQ(mask_credential_arguments("aws-vault exec --password  p@ss prod", m, &n),
            "aws-vault exec --password  [REDACTED] prod");
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(mask_credential_arguments("echo hello --port 80", m), "echo hello --port 80");
}

}  // namespace
}  // namespace ecs_mcp
