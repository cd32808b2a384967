// The one redaction every answer passes (Redactor, the server's answer filter): what
// configuration marks secret is hidden unless ALLOW_SENSITIVE_DATA=true, known secret formats
// always, in structuredContent and text alike.
#include "ecs/redaction.h"

#include <gtest/gtest.h>

#include <string>

namespace ecs_mcp::ecs {
namespace {

using json = nlohmann::json;

const Redactor kHidden(/*allow_sensitive_data=*/false);
const Redactor kShown(/*allow_sensitive_data=*/true);

void expect_gone(const std::string& text, const std::string& secret) {
  EXPECT_EQ(text.find(secret), std::string::npos) << secret << " still in " << text;
}
void expect_kept(const std::string& text, const std::string& kept) {
  EXPECT_NE(text.find(kept), std::string::npos) << kept << " lost from " << text;
}

TEST(Redaction, HidesValuesKeepsNames) {
  json td = json::parse(R"({"taskDefinition":{"containerDefinitions":[{
      "name":"app",
      "environment":[{"name":"DB_PASSWORD","value":"hunter2"},{"name":"MODE","value":"prod"}],
      "secrets":[{"name":"API_KEY","valueFrom":"arn:aws:secretsmanager:us-east-1:1:secret:k"}],
      "repositoryCredentials":{"credentialsParameter":"arn:aws:secretsmanager:us-east-1:1:secret:r"}
    }]},
    "tasks":[{"overrides":{"containerOverrides":[{"name":"app",
      "environment":[{"name":"TOKEN","value":"abc"}]}]}}]})");
  size_t n = kHidden.redact(td);
  EXPECT_EQ(n, 5u);
  std::string text = td.dump();
  for (const char* secret : {"hunter2", "prod", "secretsmanager", "abc"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
  for (const char* name : {"DB_PASSWORD", "MODE", "API_KEY", "TOKEN", "credentialsParameter"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
  EXPECT_EQ(td["taskDefinition"]["containerDefinitions"][0]["environment"][0]["value"],
            kRedactedMarker);
}

TEST(Redaction, LogRouterSecretsAndCredentialNamedStackParameters) {
  json v = json::parse(R"({"containerDefinitions":[{"name":"app","logConfiguration":{
      "logDriver":"splunk",
      "options":{"splunk-url":"https://splunk.example.com","splunk-token":"tok-123"},
      "secretOptions":[{"name":"splunk-token","valueFrom":"arn:aws:ssm:us-east-1:1:parameter/tok"}]}}],
    "Stacks":[{"Parameters":[{"ParameterKey":"DbPassword","ParameterValue":"pw-456"},
                             {"ParameterKey":"VpcId","ParameterValue":"vpc-1"},
                             {"ParameterKey":"ApiToken","ParameterValue":"****"}],
               "Outputs":[{"OutputKey":"ClientSecret","OutputValue":"cs-789"},
                          {"OutputKey":"Url","OutputValue":"http://lb"}]}]})");
  EXPECT_EQ(kHidden.redact(v), 4u);
  std::string text = v.dump();
  for (const char* secret : {"tok-123", "parameter/tok", "pw-456", "cs-789"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
  for (const char* kept : {"https://splunk.example.com", "vpc-1", "http://lb", "\"****\""}) {
    EXPECT_NE(text.find(kept), std::string::npos) << kept;
  }
}

TEST(Redaction, LeavesOtherDataAlone) {
  json v = json::parse(
      R"({"clusters":[{"clusterName":"a","settings":[{"name":"containerInsights","value":"enabled"}]}]})");
  json before = v;
  EXPECT_EQ(kHidden.redact(v), 0u);
  EXPECT_EQ(v, before);
}

TEST(Redaction, LabelsTagsOptionsAndCommandsOfATaskDefinition) {
  json td = json::parse(R"({"taskDefinition":{"containerDefinitions":[{
      "name":"app",
      "command":["--db-password=hunter2","--port","8080"],
      "entryPoint":["/bin/sh","-c","exec app --api-key k-77 --verbose"],
      "healthCheck":{"command":["CMD-SHELL","curl -f -u admin --password s3cret http://localhost/ || exit 1"]},
      "dockerLabels":{"com.example.team":"web","NEW_RELIC_LICENSE_KEY":"nr-lic-1"},
      "logConfiguration":{"logDriver":"awsfirelens","options":{"Name":"datadog","Host":"http-intake.logs.datadoghq.com",
        "dd_service":"web","apikey":"dd-key-2","provider":"ecs"}},
      "firelensConfiguration":{"type":"fluentbit","options":{"enable-ecs-log-metadata":"true","license_key":"nr-lic-3"}}
    }]},
    "tags":[{"key":"team","value":"web"},{"key":"slack-token","value":"slk-4"}]})");
  size_t n = kHidden.redact(td);
  EXPECT_EQ(n, 7u);
  const std::string text = td.dump();
  for (const char* secret :
       {"hunter2", "k-77", "s3cret", "nr-lic-1", "dd-key-2", "nr-lic-3", "slk-4"}) {
    expect_gone(text, secret);
  }
  for (const char* kept :
       {"--db-password=", "--port", "8080", "--api-key", "--verbose", "com.example.team",
        "NEW_RELIC_LICENSE_KEY", "http-intake.logs", "\"dd_service\":\"web\"", "slack-token",
        "\"value\":\"web\"", "enable-ecs-log-metadata"}) {
    expect_kept(text, kept);
  }
  EXPECT_EQ(td["taskDefinition"]["containerDefinitions"][0]["command"][0],
            std::string("--db-password=") + kRedactedMarker);
}

TEST(Redaction, StackOutputsInEveryShapeAndCredentialsInsideValues) {
  // Outputs as CloudFormation lists them, and as a name -> value map (get_deployment_status).
  json v = json::parse(R"({"Outputs":[{"OutputKey":"DbPassword","OutputValue":"pw-1"},
      {"OutputKey":"DatabaseUrl","OutputValue":"postgres://app:pw-2@db.internal:5432/app"},
      {"OutputKey":"LoadBalancerUrl","OutputValue":"http://web-alb-1.us-east-1.elb.amazonaws.com"}],
    "outputs":{"AdminPassword":"pw-3","ServiceName":"web-service"},
    "authorizationData":[{"authorizationToken":"QVdTOmVjci10b2tlbi12YWx1ZQ==","proxyEndpoint":"https://1.dkr.ecr"}]})");
  EXPECT_EQ(kHidden.redact(v), 4u);
  const std::string text = v.dump();
  for (const char* secret : {"pw-1", "pw-2", "pw-3", "QVdTOmVjci10"}) expect_gone(text, secret);
  for (const char* kept : {"postgres://app:", "@db.internal:5432/app", "web-alb-1", "web-service",
                           "https://1.dkr.ecr"}) {
    expect_kept(text, kept);
  }
}

TEST(Redaction, SensitiveModeShowsConfigurationButNeverKnownSecretFormats) {
  const std::string key_id = "AKIA" + std::string("Z7Q2M4X9B6N3P5R8");
  json v = {{"environment",
             {{{"name", "DB_PASSWORD"}, {"value", "hunter2"}},
              {{"name", "AWS_ACCESS_KEY_ID"}, {"value", key_id}}}},
            {"Outputs",
             {{{"OutputKey", "DbPassword"}, {"OutputValue", "pw-1"}},
              {{"OutputKey", "Url"}, {"OutputValue", "mysql://u:pw-2@db/x"}}}}};
  json shown = v;
  EXPECT_EQ(kShown.redact(shown), 2u);
  const std::string text = shown.dump();
  expect_kept(text, "hunter2");
  expect_kept(text, "pw-1");
  expect_gone(text, key_id);
  expect_gone(text, "pw-2");
  expect_kept(text, "[REDACTED: AWS access key id]");
}

TEST(Redaction, AnswersTextAndStructuredContentAlike) {
  mcp::Tool tool;
  tool.name = "t";
  tool.output_schema = {{"type", "object"},
                        {"properties", {{"redactedValues", {{"type", "integer"}}}}}};
  // A structured answer mirrored as text: both masked, the count added, the mirror kept exact.
  auto r = mcp::ToolResult::structured_result(
      {{"dockerLabels", {{"api_token", "tok-1"}}}, {"nextToken", "page-2"}});
  kHidden.redact(tool, r);
  EXPECT_EQ((*r.structured)["redactedValues"], 1);
  EXPECT_EQ((*r.structured)["nextToken"], "page-2");
  EXPECT_EQ(r.content[0]["text"], r.structured->dump());
  // Plain text (an error) and JSON text without structuredContent.
  mcp::ToolResult e = mcp::ToolResult::error(
      "DescribeStacks failed: proxy said Authorization: Bearer abc.def.ghi (HTTP 502)");
  e.content.push_back({{"type", "text"}, {"text", R"({"options":{"splunk-token":"tok-2"}})"}});
  kHidden.redact(tool, e);
  EXPECT_EQ(e.content[0]["text"],
            "DescribeStacks failed: proxy said Authorization: Bearer [REDACTED: credential "
            "header] (HTTP 502)");
  expect_gone(e.content[1]["text"].get<std::string>(), "tok-2");
  EXPECT_FALSE(e.structured);
  // A tool whose schema does not declare the count gets none.
  mcp::Tool plain;
  plain.name = "p";
  auto p = mcp::ToolResult::structured_result({{"outputs", {{"DbPassword", "pw"}}}});
  kHidden.redact(plain, p);
  EXPECT_FALSE(p.structured->contains("redactedValues"));
  EXPECT_EQ((*p.structured)["outputs"]["DbPassword"], kRedactedMarker);
}

}  // namespace
}  // namespace ecs_mcp::ecs
