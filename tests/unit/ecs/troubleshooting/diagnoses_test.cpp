// The pure diagnoses: target health reason codes and health-check ports, CloudFormation root
// cause versus cascade, image references, log summaries and the guidance's next actions.
#include <gtest/gtest.h>

#include "ecs/troubleshooting/cloudformation_root_cause.h"
#include "ecs/troubleshooting/guidance.h"
#include "ecs/troubleshooting/image_pull_check.h"
#include "ecs/troubleshooting/image_reference.h"
#include "ecs/troubleshooting/log_summary.h"
#include "ecs/troubleshooting/target_health_reasons.h"
#include "troubleshooting_fixture.h"

namespace ecs_mcp::ecs::troubleshooting {
namespace {

using nlohmann::json;
using troubleshooting_test::fixture_json;

json target(const std::string& id, int port, const std::string& state, const std::string& reason) {
  json d{{"Target", {{"Id", id}, {"Port", port}}}, {"TargetHealth", {{"State", state}}}};
  if (!reason.empty()) d["TargetHealth"]["Reason"] = reason;
  return d;
}

json target_group(const std::string& type, const std::string& hc_port) {
  return json{{"TargetGroupName", "web-tg"},      {"TargetType", type},
              {"HealthCheckPort", hc_port},       {"HealthCheckPath", "/health"},
              {"Matcher", {{"HttpCode", "200"}}}, {"LoadBalancerArns", {"arn:lb"}}};
}

TEST(TargetHealthReasons, EveryDocumentedCodeIsExplained) {
  for (const char* code :
       {"Elb.RegistrationInProgress", "Elb.InitialHealthChecking", "Elb.InternalError",
        "Target.ResponseCodeMismatch", "Target.Timeout", "Target.FailedHealthChecks",
        "Target.NotRegistered", "Target.NotInUse", "Target.DeregistrationInProgress",
        "Target.InvalidState", "Target.IpUnusable", "Target.HealthCheckDisabled"}) {
    auto r = explain_target_health_reason(code);
    EXPECT_EQ(r.meaning.find("reported reason code"), std::string::npos) << code;
    EXPECT_FALSE(r.next_step.empty()) << code;
  }
  EXPECT_NE(explain_target_health_reason("Target.Timeout").next_step.find("security group"),
            std::string::npos);
  EXPECT_NE(explain_target_health_reason("Target.Nope").meaning.find("Target.Nope"),
            std::string::npos);
}

TEST(TargetHealthReasons, AllTargetsTimingOutIsCritical) {
  json health = {target("10.0.1.5", 8080, "unhealthy", "Target.Timeout"),
                 target("10.0.2.7", 8080, "unhealthy", "Target.Timeout")};
  auto f = diagnose_target_group(target_group("ip", "traffic-port"), health, 8080);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kCritical);
  EXPECT_EQ(f[0].occurrences, 2u);
  EXPECT_NE(f[0].cause.find("2 of 2"), std::string::npos) << f[0].cause;
}

TEST(TargetHealthReasons, ResponseCodeMismatchNamesPathAndMatcher) {
  json health = {target("10.0.1.5", 8080, "healthy", ""),
                 target("10.0.2.7", 8080, "unhealthy", "Target.ResponseCodeMismatch")};
  auto f = diagnose_target_group(target_group("ip", "traffic-port"), health, 8080);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError) << "some targets are healthy";
  EXPECT_NE(f[0].next_step.find("/health"), std::string::npos);
  EXPECT_NE(f[0].next_step.find("200"), std::string::npos);
}

TEST(TargetHealthReasons, FixedHealthCheckPortIsWrongForIpTargetsOnAnotherPort) {
  auto wrong = diagnose_target_group(target_group("ip", "80"),
                                     json::array({target("10.0.1.5", 8080, "healthy", "")}), 8080);
  ASSERT_FALSE(wrong.empty());
  EXPECT_EQ(wrong[0].category, "health_check_port");
  EXPECT_EQ(wrong[0].severity, Severity::kCritical);
  auto right = diagnose_target_group(target_group("ip", "8080"),
                                     json::array({target("10.0.1.5", 8080, "healthy", "")}), 8080);
  EXPECT_TRUE(right.empty());
  auto instance = diagnose_target_group(target_group("instance", "80"),
                                        json::array({target("i-1", 32768, "healthy", "")}), 80);
  ASSERT_FALSE(instance.empty());
  EXPECT_EQ(instance[0].severity, Severity::kWarning) << "dynamic host ports";
}

TEST(TargetHealthReasons, UnattachedTargetGroupAndNoTargets) {
  json tg = target_group("ip", "traffic-port");
  tg["LoadBalancerArns"] = json::array();
  auto f = diagnose_target_group(tg, json::array(), 80);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, "target_group_unattached");
  auto empty = diagnose_target_group(target_group("ip", "traffic-port"), json::array(), 80);
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_NE(empty[0].cause.find("no registered targets"), std::string::npos);
}

TEST(CloudFormationRootCause, FirstRealFailureIsTheRootAndTheRestIsCascade) {
  json events = fixture_json("cloudformation/stack_events_rollback.json")["StackEvents"];
  auto a = analyze_stack_events(events, "web-stack");
  ASSERT_TRUE(a.root_cause.has_value());
  EXPECT_EQ((*a.root_cause)["LogicalResourceId"], "TaskExecutionRole");
  EXPECT_TRUE(a.rolled_back);
  ASSERT_GE(a.cascade.size(), 2u);
  for (const auto& e : a.cascade) EXPECT_NE(e["LogicalResourceId"], "TaskExecutionRole");
}

TEST(CloudFormationRootCause, OnlyTheLatestOperationCounts) {
  json events = fixture_json("cloudformation/stack_events_rollback.json")["StackEvents"];
  // A later update that succeeded: the old creation failure is history, not the cause.
  json newer = json::array({{{"EventId", "u3"},
                             {"LogicalResourceId", "web-stack"},
                             {"ResourceType", "AWS::CloudFormation::Stack"},
                             {"ResourceStatus", "UPDATE_COMPLETE"}},
                            {{"EventId", "u2"},
                             {"LogicalResourceId", "Cluster"},
                             {"ResourceType", "AWS::ECS::Cluster"},
                             {"ResourceStatus", "UPDATE_COMPLETE"}},
                            {{"EventId", "u1"},
                             {"LogicalResourceId", "web-stack"},
                             {"ResourceType", "AWS::CloudFormation::Stack"},
                             {"ResourceStatus", "UPDATE_IN_PROGRESS"},
                             {"ResourceStatusReason", "User Initiated"}}});
  for (const auto& e : events) newer.push_back(e);
  auto a = analyze_stack_events(newer, "web-stack");
  EXPECT_FALSE(a.root_cause.has_value());
  EXPECT_EQ(a.operation_events.size(), 3u);
  auto f = diagnose_stack({{"StackName", "web-stack"}, {"StackStatus", "UPDATE_COMPLETE"}}, a,
                          json::array());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
}

TEST(CloudFormationRootCause, DiagnosisGivesNextStepForTheRootReason) {
  json events = fixture_json("cloudformation/stack_events_rollback.json")["StackEvents"];
  auto a = analyze_stack_events(events, "web-stack");
  json stack{{"StackName", "web-stack"}, {"StackStatus", "ROLLBACK_COMPLETE"}};
  json resources = json::array({{{"LogicalResourceId", "Service"},
                                 {"ResourceType", "AWS::ECS::Service"},
                                 {"ResourceStatus", "CREATE_FAILED"}}});
  auto f = diagnose_stack(stack, a, resources);
  ASSERT_GE(f.size(), 3u);
  EXPECT_EQ(f[0].category, "cloudformation_root_cause");
  EXPECT_EQ(f[0].severity, Severity::kCritical);
  EXPECT_NE(f[0].cause.find("TaskExecutionRole"), std::string::npos) << f[0].cause;
  EXPECT_NE(f[0].next_step.find("IAM"), std::string::npos) << f[0].next_step;
  EXPECT_TRUE(std::any_of(f.begin(), f.end(), [](const Finding& x) {
    return x.cause.find("cannot be updated, only deleted") != std::string::npos;
  }));
}

TEST(CloudFormationRootCause, CascadeReasons) {
  EXPECT_TRUE(is_cascade_reason("Resource creation cancelled"));
  EXPECT_TRUE(is_cascade_reason("The following resource(s) failed to create: [Service]. "));
  EXPECT_FALSE(is_cascade_reason("Resource handler returned message: \"Invalid request\""));
}

TEST(CloudFormationRootCause, ServiceThatNeverStabilizesPointsAtTaskFailures) {
  json events = json::array(
      {{{"EventId", "3"},
        {"LogicalResourceId", "svc-stack"},
        {"ResourceType", "AWS::CloudFormation::Stack"},
        {"ResourceStatus", "CREATE_FAILED"},
        {"ResourceStatusReason", "The following resource(s) failed to create: [Service]. "}},
       {{"EventId", "2"},
        {"LogicalResourceId", "Service"},
        {"ResourceType", "AWS::ECS::Service"},
        {"ResourceStatus", "CREATE_FAILED"},
        {"ResourceStatusReason",
         "Resource handler returned message: \"Error occurred during operation "
         "'ECS Deployment Circuit Breaker was triggered'.\""}},
       {{"EventId", "1"},
        {"LogicalResourceId", "svc-stack"},
        {"ResourceType", "AWS::CloudFormation::Stack"},
        {"ResourceStatus", "CREATE_IN_PROGRESS"},
        {"ResourceStatusReason", "User Initiated"}}});
  auto a = analyze_stack_events(events, "svc-stack");
  auto f = diagnose_stack({{"StackName", "svc-stack"}, {"StackStatus", "CREATE_FAILED"}}, a,
                          json::array());
  ASSERT_FALSE(f.empty());
  EXPECT_NE(f[0].next_step.find("fetch_task_failures"), std::string::npos);
}

TEST(ImageReference, ParsesEcrDockerHubPublicAndDigests) {
  auto ecr = parse_image_reference("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:v1.2");
  EXPECT_TRUE(ecr.is_ecr);
  EXPECT_EQ(ecr.ecr_account, "123456789012");
  EXPECT_EQ(ecr.ecr_region, "eu-west-1");
  EXPECT_EQ(ecr.repository, "team/web");
  EXPECT_EQ(ecr.tag, "v1.2");
  auto hub = parse_image_reference("nginx");
  EXPECT_TRUE(hub.is_docker_hub);
  EXPECT_EQ(hub.repository, "library/nginx");
  EXPECT_EQ(hub.tag, "latest");
  auto digest = parse_image_reference("public.ecr.aws/nginx/nginx@sha256:abc");
  EXPECT_TRUE(digest.is_ecr_public);
  EXPECT_EQ(digest.digest, "sha256:abc");
  EXPECT_EQ(digest.tag, "");
  auto port = parse_image_reference("registry.local:5000/app:1");
  EXPECT_EQ(port.registry, "registry.local:5000");
  EXPECT_EQ(port.repository, "app");
  EXPECT_EQ(port.tag, "1");
}

TEST(ImagePullPolicies, PolicyDocumentsAllowWithWildcardsAndDeny) {
  std::string doc =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:Get*","ecr:BatchGetImage"],"Resource":"*"}]})";
  EXPECT_TRUE(policy_allows(doc, "ecr:GetAuthorizationToken"));
  EXPECT_TRUE(policy_allows(doc, "ecr:BatchGetImage"));
  EXPECT_FALSE(policy_allows(doc, "logs:PutLogEvents"));
  std::string encoded =
      "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%7D%7D";
  EXPECT_TRUE(policy_allows(encoded, "ecr:BatchGetImage"));
  std::string deny =
      R"({"Statement":[{"Effect":"Allow","Action":"*"},{"Effect":"Deny","Action":"ecr:*"}]})";
  EXPECT_FALSE(policy_allows(deny, "ecr:BatchGetImage"));
}

TEST(LogSummary, CountsBySeverityAndGroupsRepeatedErrors) {
  json events = json::array();
  for (int i = 0; i < 5; ++i) {
    events.push_back(
        {{"timestamp", 1000 + i},
         {"message", "ERROR connect to db 10.0.3." + std::to_string(i) + ":5432 refused"}});
  }
  events.push_back({{"timestamp", 2000}, {"message", "WARN slow request 1234ms"}});
  events.push_back({{"timestamp", 2001}, {"message", "INFO listening on :8080"}});
  events.push_back({{"timestamp", 2002}, {"message", "Traceback (most recent call last):"}});
  events.push_back({{"timestamp", 2003}, {"message", "{\"level\":\"debug\",\"msg\":\"tick\"}"}});
  auto s = summarize_log_events(events, 3);
  EXPECT_EQ(s["total"], 9);
  EXPECT_EQ(s["by_severity"]["ERROR"], 6);
  EXPECT_EQ(s["by_severity"]["WARN"], 1);
  EXPECT_EQ(s["by_severity"]["INFO"], 1);
  EXPECT_EQ(s["by_severity"]["DEBUG"], 1);
  ASSERT_GE(s["top_errors"].size(), 2u);
  EXPECT_EQ(s["top_errors"][0]["count"], 5);
  EXPECT_EQ(s["top_errors"][0]["line"], "ERROR connect to db N:N refused");
  EXPECT_EQ(normalize_log_line("req 3f2a9c1e-77aa-4b1c-9d2e-0123456789ab failed"),
            "req <id> failed");
}

TEST(LogSummary, AwslogsTargetsComeFromTheTaskDefinition) {
  json td = {{"containerDefinitions",
              {{{"name", "app"},
                {"logConfiguration",
                 {{"logDriver", "awslogs"},
                  {"options",
                   {{"awslogs-group", "/ecs/web"},
                    {"awslogs-region", "us-east-1"},
                    {"awslogs-stream-prefix", "ecs"}}}}}},
               {{"name", "proxy"}, {"logConfiguration", {{"logDriver", "splunk"}}}}}}};
  std::vector<std::string> others;
  auto targets = awslogs_targets(td, &others);
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].group, "/ecs/web");
  EXPECT_EQ(awslogs_stream_name(targets[0], "abc123"), "ecs/app/abc123");
  ASSERT_EQ(others.size(), 1u);
  EXPECT_EQ(others[0], "proxy: splunk");
}

TEST(Guidance, SymptomsPickTheNextActions) {
  auto names = [](const json& a) {
    std::vector<std::string> out;
    for (const auto& e : a) out.push_back(e["action"]);
    return out;
  };
  auto failing = names(suggest_actions("my ECS tasks keep failing, why?"));
  EXPECT_EQ(failing.front(), "fetch_task_failures");
  auto alb = names(suggest_actions("the ALB health check is failing"));
  EXPECT_EQ(alb.front(), "fetch_service_events");
  auto reach = names(suggest_actions("why can't I reach my app?"));
  EXPECT_EQ(reach.front(), "fetch_network_configuration");
  EXPECT_FALSE(suggest_actions("").empty());
}

}  // namespace
}  // namespace ecs_mcp::ecs::troubleshooting
