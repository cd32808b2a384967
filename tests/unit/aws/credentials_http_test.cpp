// Credential sources that speak HTTP, against a loopback server standing in for the ECS
// container endpoint, EC2 instance metadata (IMDSv2) and STS, through the real CurlHttpClient.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "aws/credential_providers.h"
#include "aws/credential_sts.h"
#include "aws/credentials.h"
#include "aws/curl_http_client.h"
#include "credentials_test_support.h"

namespace ecs_mcp::aws {
namespace {

using testing::FakeOs;
using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::TempHome;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string metadata_json(const std::string& key) {
  return "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"" + key +
         "\",\"SecretAccessKey\":\"metasecret\",\"Token\":\"metatoken\","
         "\"Expiration\":\"2099-01-01T00:00:00Z\"}";
}

std::string sts_credentials_xml(const std::string& action, const std::string& key) {
  return "<" + action +
         "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
         "  <" +
         action +
         "Result>\n"
         "    <Credentials>\n"
         "      <AccessKeyId>" +
         key +
         "</AccessKeyId>\n"
         "      <SecretAccessKey>secret-of-" +
         key +
         "</SecretAccessKey>\n"
         "      <SessionToken>token-of-" +
         key +
         "</SessionToken>\n"
         "      <Expiration>2099-01-01T00:00:00Z</Expiration>\n"
         "    </Credentials>\n"
         "  </" +
         action +
         "Result>\n"
         "  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>\n"
         "</" +
         action + "Response>\n";
}

// The access key id named in a SigV4 Authorization header's Credential= part, and its scope.
std::string credential_of(const RecordedRequest& r) {
  const std::string auth = r.header("Authorization");
  const auto start = auth.find("Credential=");
  if (start == std::string::npos) return {};
  const auto end = auth.find(',', start);
  return auth.substr(start + 11, end - start - 11);
}

class HttpChainTest : public ::testing::Test {
 protected:
  HttpChainTest() : os_(FakeOs::make(home_.path())) {
    os_->set("AWS_EC2_METADATA_DISABLED", "true");  // unless a test wants IMDS
  }

  std::shared_ptr<CredentialsProvider> chain(ChainOptions options = {}) {
    if (options.container_endpoint == ChainOptions{}.container_endpoint) {
      options.container_endpoint = server_.url();
    }
    return make_default_credentials_chain(os_, http_, std::move(options));
  }

  TempHome home_;
  std::shared_ptr<FakeOs> os_;
  LoopbackServer server_;
  std::shared_ptr<HttpClient> http_ = std::make_shared<CurlHttpClient>();
};

// --- container credentials ------------------------------------------------------------------

TEST(CurlHttpClient, RequestsOnlyHttpAndHttpsUrls) {
  CurlHttpClient client;
  for (const char* url :
       {"file:///etc/passwd", "gopher://127.0.0.1:1/", "ftp://127.0.0.1/", "dict://x/"}) {
    HttpRequest request;
    request.method = "GET";
    request.url = url;
    auto r = client.send(request);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code, ErrorCode::kHttpUnsupportedScheme) << url;
  }
}

TEST_F(HttpChainTest, ContainerRelativeUriWithAuthorizationToken) {
  server_.server().Get("/v2/credentials/abc", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(metadata_json("AKIDECS"), "application/json");
  });
  server_.start();
  os_->set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
  os_->set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer xyz");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKIDECS");
  EXPECT_EQ(creds->secret_access_key, "metasecret");
  EXPECT_EQ(creds->session_token, "metatoken");
  EXPECT_EQ(creds->expiration, parse_iso8601("2099-01-01T00:00:00Z"));
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].header("Authorization"), "Bearer xyz");
}

TEST_F(HttpChainTest, ContainerFullUriWithTokenFile) {
  server_.server().Get("/pod-identity", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(metadata_json("AKIDEKS"), "application/json");
  });
  server_.start();
  const std::string token_file = home_.write("eks-token", "file-token\n");
  os_->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server_.url() + "/pod-identity");
  os_->set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file);
  os_->set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "loses-to-the-file");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKIDEKS");
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(server_.requests()[0].header("Authorization"), "file-token");
}

TEST_F(HttpChainTest, ContainerErrorIsReturnedNotSkipped) {
  server_.server().Get("/v2/credentials/abc", [](const httplib::Request&, httplib::Response& res) {
    res.status = 403;
    res.set_content("{\"Message\":\"denied\"}", "application/json");
  });
  server_.start();
  os_->set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
  auto creds = chain()->get();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::kContainerCredentialsError);
  EXPECT_EQ(creds.error().http_status, 403);
  EXPECT_TRUE(contains(creds.error().message, "denied"));
}

// --- IMDSv2 ---------------------------------------------------------------------------------

void serve_imds(LoopbackServer& server) {
  server.server().Put("/latest/api/token", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("X-aws-ec2-metadata-token-ttl-seconds").empty()) {
      res.status = 400;
      return;
    }
    res.set_content("IMDS-TOKEN-123", "text/plain");
  });
  auto require_token = [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("X-aws-ec2-metadata-token") != "IMDS-TOKEN-123") {
      res.status = 401;
      return false;
    }
    return true;
  };
  server.server().Get("/latest/meta-data/iam/security-credentials/",
                      [=](const httplib::Request& req, httplib::Response& res) {
                        if (require_token(req, res)) res.set_content("web-role\n", "text/plain");
                      });
  server.server().Get("/latest/meta-data/iam/security-credentials/web-role",
                      [=](const httplib::Request& req, httplib::Response& res) {
                        if (require_token(req, res)) {
                          res.set_content(metadata_json("AKIDEC2"), "text/plain");
                        }
                      });
}

TEST_F(HttpChainTest, InstanceMetadataV2TokenThenRoleThenCredentials) {
  serve_imds(server_);
  server_.start();
  os_->set("AWS_EC2_METADATA_DISABLED", "false");
  ChainOptions options;
  options.imds_endpoint = server_.url();
  auto creds = chain(options)->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKIDEC2");
  EXPECT_EQ(creds->source, "EC2 instance role web-role");

  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].path, "/latest/api/token");
  EXPECT_EQ(requests[0].header("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(requests[i].method, "GET");
    EXPECT_EQ(requests[i].header("X-aws-ec2-metadata-token"), "IMDS-TOKEN-123");
  }
  EXPECT_EQ(requests[2].path, "/latest/meta-data/iam/security-credentials/web-role");
}

TEST_F(HttpChainTest, InstanceMetadataEndpointFromEnvironment) {
  serve_imds(server_);
  server_.start();
  os_->set("AWS_EC2_METADATA_DISABLED", "");
  os_->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server_.url() + "/");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKIDEC2");
}

TEST_F(HttpChainTest, InstanceMetadataWithoutRoleOrUnreachableIsNoCredentialsQuickly) {
  server_.server().Put("/latest/api/token", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("T", "text/plain");
  });
  server_.server().Get("/latest/meta-data/iam/security-credentials/",
                       [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
  server_.start();
  os_->set("AWS_EC2_METADATA_DISABLED", "false");
  ChainOptions options;
  options.imds_endpoint = server_.url();
  auto no_role = chain(options)->get();
  ASSERT_FALSE(no_role.ok());
  EXPECT_EQ(no_role.error().code, ErrorCode::kNoCredentials);
  EXPECT_TRUE(contains(no_role.error().message, "no IAM role is attached"));

  // A port nobody listens on: refused at once, one attempt.
  const std::string dead = server_.url();
  server_.stop();
  options.imds_endpoint = dead;
  const auto start = std::chrono::steady_clock::now();
  auto unreachable = chain(options)->get();
  ASSERT_FALSE(unreachable.ok());
  EXPECT_EQ(unreachable.error().code, ErrorCode::kNoCredentials);
  EXPECT_TRUE(contains(unreachable.error().message, "not reachable"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// --- STS ------------------------------------------------------------------------------------

class StsTest : public HttpChainTest {
 protected:
  // Answers AssumeRole with keys named after the role's last path element, and
  // AssumeRoleWithWebIdentity likewise.
  void serve_sts() {
    server_.server().Post("/", [](const httplib::Request& req, httplib::Response& res) {
      const std::string action = req.get_param_value("Action");
      const std::string role = req.get_param_value("RoleArn");
      const std::string name = role.substr(role.rfind('/') + 1);
      if (name == "forbidden") {
        res.status = 403;
        res.set_header("x-amzn-RequestId", "req-403");
        res.set_content(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
            "<Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform "
            "sts:AssumeRole</Message></Error><RequestId>req-403</RequestId></ErrorResponse>",
            "text/xml");
        return;
      }
      res.set_content(sts_credentials_xml(action, "AKID-" + name), "text/xml");
    });
    server_.start();
    os_->set("AWS_ENDPOINT_URL_STS", server_.url());
  }
};

TEST_F(StsTest, AssumeRoleSignedWithTheSourceProfilesKey) {
  serve_sts();
  home_.write_credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = b\n");
  home_.write_config(
      "[profile deploy]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123:role/deployer\n"
      "source_profile = base\nrole_session_name = my-session\nexternal_id = ext-42\n"
      "duration_seconds = 1800\n");
  os_->set("AWS_PROFILE", "deploy");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKID-deployer");
  EXPECT_EQ(creds->secret_access_key, "secret-of-AKID-deployer");
  EXPECT_EQ(creds->session_token, "token-of-AKID-deployer");
  EXPECT_EQ(creds->expiration, parse_iso8601("2099-01-01T00:00:00Z"));

  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const RecordedRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.param("Action"), "AssumeRole");
  EXPECT_EQ(r.param("Version"), "2011-06-15");
  EXPECT_EQ(r.param("RoleArn"), "arn:aws:iam::123:role/deployer");
  EXPECT_EQ(r.param("RoleSessionName"), "my-session");
  EXPECT_EQ(r.param("ExternalId"), "ext-42");
  EXPECT_EQ(r.param("DurationSeconds"), "1800");
  const std::string credential = credential_of(r);
  EXPECT_TRUE(credential.starts_with("AKIDBASE/")) << r.header("Authorization");
  EXPECT_TRUE(credential.ends_with("/eu-west-1/sts/aws4_request")) << credential;
  EXPECT_TRUE(r.header("Content-Type").starts_with("application/x-www-form-urlencoded"));
}

TEST_F(StsTest, ChainedRolesUseEachPreviousRolesCredentials) {
  serve_sts();
  home_.write_credentials("[root]\naws_access_key_id = AKIDROOT\naws_secret_access_key = r\n");
  home_.write_config(
      "[profile hop1]\nrole_arn = arn:aws:iam::1:role/first\nsource_profile = root\n"
      "[profile hop2]\nrole_arn = arn:aws:iam::2:role/second\nsource_profile = hop1\n");
  os_->set("AWS_PROFILE", "hop2");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKID-second");
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].param("RoleArn"), "arn:aws:iam::1:role/first");
  EXPECT_TRUE(credential_of(requests[0]).starts_with("AKIDROOT/"));
  EXPECT_EQ(requests[1].param("RoleArn"), "arn:aws:iam::2:role/second");
  EXPECT_TRUE(credential_of(requests[1]).starts_with("AKID-first/"));
  EXPECT_EQ(requests[1].header("X-Amz-Security-Token"), "token-of-AKID-first");
  // No region anywhere: signed for us-east-1, as the global endpoint is.
  EXPECT_TRUE(credential_of(requests[1]).ends_with("/us-east-1/sts/aws4_request"));
}

TEST_F(StsTest, AssumeRoleErrorKeepsStsCodeAndRequestId) {
  serve_sts();
  home_.write_config(
      "[profile denied]\nrole_arn = arn:aws:iam::1:role/forbidden\nsource_profile = denied\n"
      "aws_access_key_id = AKIDSELF\naws_secret_access_key = s\n");
  os_->set("AWS_PROFILE", "denied");
  auto creds = chain()->get();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().service_code, "AccessDenied");
  EXPECT_EQ(creds.error().request_id, "req-403");
  EXPECT_EQ(creds.error().http_status, 403);
  EXPECT_TRUE(contains(creds.error().message, "not authorized"));
  // A profile naming itself as source_profile signs with its own keys.
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_TRUE(credential_of(server_.requests()[0]).starts_with("AKIDSELF/"));
}

TEST_F(StsTest, CredentialSourceEcsContainerFeedsAssumeRole) {
  server_.server().Get("/v2/creds", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(metadata_json("AKIDTASK"), "application/json");
  });
  serve_sts();
  os_->set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds");
  home_.write_config(
      "[profile x]\nrole_arn = arn:aws:iam::1:role/cross\n"
      "credential_source = EcsContainer\nregion = us-west-2\n");
  os_->set("AWS_PROFILE", "x");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKID-cross");
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/v2/creds");
  EXPECT_TRUE(credential_of(requests[1]).starts_with("AKIDTASK/"));
  EXPECT_EQ(requests[1].header("X-Amz-Security-Token"), "metatoken");
}

TEST_F(StsTest, WebIdentityFromEnvironmentIsUnsigned) {
  serve_sts();
  const std::string token_file = home_.write("token.jwt", "eyJ.jwt.token\n");
  os_->set("AWS_WEB_IDENTITY_TOKEN_FILE", token_file);
  os_->set("AWS_ROLE_ARN", "arn:aws:iam::1:role/irsa");
  os_->set("AWS_ROLE_SESSION_NAME", "pod-session");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKID-irsa");
  EXPECT_EQ(creds->source, "web identity (role arn:aws:iam::1:role/irsa)");
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].param("Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(requests[0].param("RoleArn"), "arn:aws:iam::1:role/irsa");
  EXPECT_EQ(requests[0].param("RoleSessionName"), "pod-session");
  EXPECT_EQ(requests[0].param("WebIdentityToken"), "eyJ.jwt.token");
  EXPECT_EQ(requests[0].header("Authorization"), "");
}

// The signing time and the default session name come from the Os clock, not the real one.
TEST_F(StsTest, AssumeRoleIsSignedAtTheOsClocksTime) {
  serve_sts();
  os_->set_now(*parse_iso8601("2031-02-03T04:05:06Z"));
  home_.write_credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = b\n");
  home_.write_config(
      "[profile deploy]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123:role/deployer\n"
      "source_profile = base\n");
  os_->set("AWS_PROFILE", "deploy");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("X-Amz-Date"), "20310203T040506Z");
  EXPECT_TRUE(credential_of(requests[0]).find("/20310203/eu-west-1/sts/") != std::string::npos)
      << credential_of(requests[0]);
  EXPECT_EQ(requests[0].param("RoleSessionName"), "ecs-mcp-1927857906");
}

// A FIFO as the token file would hang every credential refresh; it is refused at once, and STS
// is never called.
TEST_F(StsTest, WebIdentityTokenFileMustBeARegularFile) {
  serve_sts();
  const std::string fifo = home_.path() + "/token.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  os_->set("AWS_WEB_IDENTITY_TOKEN_FILE", fifo);
  os_->set("AWS_ROLE_ARN", "arn:aws:iam::1:role/irsa");
  const auto start = std::chrono::steady_clock::now();
  auto creds = chain()->get();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::kWebIdentityTokenError);
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(StsTest, WebIdentityFromProfileAndGenericEndpointVariable) {
  serve_sts();
  // AWS_ENDPOINT_URL is the fallback when AWS_ENDPOINT_URL_STS is not set.
  os_->set("AWS_ENDPOINT_URL_STS", "");
  os_->set("AWS_ENDPOINT_URL", server_.url());
  const std::string token_file = home_.write("token.jwt", "profile-token");
  home_.write_config(
      "[default]\nrole_arn = arn:aws:iam::1:role/from-profile\n"
      "web_identity_token_file = " +
      token_file + "\n");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKID-from-profile");
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(server_.requests()[0].param("WebIdentityToken"), "profile-token");
  EXPECT_TRUE(server_.requests()[0].param("RoleSessionName").starts_with("ecs-mcp-"));
}

TEST(StsEndpoint, RegionalGlobalAndOverrides) {
  auto os = FakeOs::make();
  EXPECT_EQ(sts_endpoint(os, "eu-west-1").url, "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(sts_endpoint(os, "cn-north-1").url, "https://sts.cn-north-1.amazonaws.com.cn");
  auto global = sts_endpoint(os, "");
  EXPECT_EQ(global.url, "https://sts.amazonaws.com");
  EXPECT_EQ(global.signing_region, "us-east-1");
  os->set("AWS_ENDPOINT_URL", "http://generic:1");
  EXPECT_EQ(sts_endpoint(os, "eu-west-1").url, "http://generic:1");
  os->set("AWS_ENDPOINT_URL_STS", "http://sts-only:2");
  EXPECT_EQ(sts_endpoint(os, "eu-west-1").url, "http://sts-only:2");
  EXPECT_EQ(sts_endpoint(os, "eu-west-1").signing_region, "eu-west-1");
  os->set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  EXPECT_EQ(sts_endpoint(os, "eu-west-1").url, "https://sts.eu-west-1.amazonaws.com");
}

}  // namespace
}  // namespace ecs_mcp::aws
