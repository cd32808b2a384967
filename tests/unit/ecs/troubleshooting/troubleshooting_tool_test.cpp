// ecs_troubleshooting_tool on recorded AWS responses (botocore-shaped JSON and XML under
// tests/fixtures/aws_responses/troubleshooting) fed through the HTTP seam: each action's
// diagnosis, paging, parameter checks, access classes, redaction and the size budget.
#include <gtest/gtest.h>

#include "ecs/redaction.h"
#include "ecs/response_shaping.h"
#include "troubleshooting_fixture.h"

namespace ecs_mcp::ecs::troubleshooting_test {
namespace {

constexpr const char* kCluster = "web-cluster";

void serve_service(testing::FakeHttpClient& http) {
  http.on_file("DescribeServices", "ecs/describe_services_web.json");
  http.on_file("DescribeTargetGroups", "elbv2/describe_target_groups.xml");
}

void serve_network(testing::FakeHttpClient& http) {
  serve_service(http);
  http.on_file("DescribeTargetHealth", "elbv2/describe_target_health_timeout.xml");
  http.on_file("DescribeLoadBalancers", "elbv2/describe_load_balancers.xml");
  http.on_file("DescribeListeners", "elbv2/describe_listeners.xml");
  http.on_file("DescribeSubnets", "ec2/describe_subnets.xml");
  http.on_file("DescribeRouteTables", "ec2/describe_route_tables.xml");
  http.on_file("DescribeSecurityGroups", "ec2/describe_security_groups.xml");
  http.on_file("DescribeVpcEndpoints", "ec2/describe_vpc_endpoints_none.xml");
  http.on_file("DescribeNatGateways", "ec2/describe_nat_gateways_none.xml");
}

TEST_F(TroubleshootingToolTest, DeclaresAccessPerActionAndRejectsUnknownActions) {
  auto tool = make();
  auto access = [&](const char* a) { return tool.access_for({{"action", a}}); };
  EXPECT_EQ(*access("get_ecs_troubleshooting_guidance"), mcp::AccessClass::kRead);
  EXPECT_EQ(*access("fetch_cloudformation_status"), mcp::AccessClass::kRead);
  EXPECT_EQ(*access("detect_image_pull_failures"), mcp::AccessClass::kRead);
  EXPECT_EQ(*access("fetch_task_logs"), mcp::AccessClass::kSensitiveRead);
  EXPECT_EQ(*access("fetch_service_events"), mcp::AccessClass::kRead)
      << "service events are a plain read, as in DescribeServices and get_deployment_status";
  EXPECT_EQ(*access("fetch_task_failures"), mcp::AccessClass::kSensitiveRead);
  EXPECT_EQ(*access("fetch_network_configuration"), mcp::AccessClass::kSensitiveRead);
  auto unknown = access("explain_everything");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("fetch_task_failures"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("get_ecs_troubleshooting_guidance"), std::string::npos);
  EXPECT_EQ(tool.operation_name({{"action", "fetch_task_logs"}}), "fetch_task_logs");
  EXPECT_TRUE(tool.annotations.read_only);
  EXPECT_FALSE(tool.annotations.destructive);
  EXPECT_FALSE(mcp::find_object_without_properties(tool.input_schema));
  EXPECT_FALSE(mcp::find_object_without_properties(tool.output_schema));
  // Every subschema is an object (a null one breaks clients' schema compilers).
  std::function<void(const json&, const std::string&)> no_nulls = [&](const json& v,
                                                                      const std::string& at) {
    EXPECT_FALSE(v.is_null()) << at;
    if (v.is_object()) {
      for (const auto& [k, child] : v.items()) no_nulls(child, at + "/" + k);
    }
  };
  no_nulls(tool.output_schema, "");
  no_nulls(tool.input_schema, "");
  EXPECT_NE(make({false, false}).description.find("ALLOW_SENSITIVE_DATA=true"), std::string::npos);
  EXPECT_TRUE(http->sent().empty()) << "building the tool calls nothing";
}

TEST_F(TroubleshootingToolTest, EachActionNamesTheParameterItMisses) {
  auto tool = make();
  struct Case {
    const char* action;
    json params;
    const char* missing;
  } cases[] = {
      {"get_ecs_troubleshooting_guidance", json::object(), "ecs_cluster_name"},
      {"fetch_cloudformation_status", json::object(), "cfn_stack_name"},
      {"fetch_service_events", {{"ecs_cluster_name", "c"}}, "ecs_service_name"},
      {"fetch_task_failures", {{"ecs_service_name", "s"}}, "ecs_cluster_name"},
      {"fetch_task_logs", json::object(), "ecs_task_id"},
      {"fetch_task_logs", {{"ecs_task_id", "abc"}}, "ecs_cluster_name"},
      {"detect_image_pull_failures", json::object(), "family_prefix"},
      {"fetch_network_configuration", json::object(), "vpc_id"},
      {"fetch_network_configuration", {{"ecs_service_name", "s"}}, "ecs_cluster_name"},
  };
  for (const auto& c : cases) {
    auto r = run(tool, c.action, c.params);
    ASSERT_TRUE(r.is_error) << c.action;
    EXPECT_NE(text(r).find(c.missing), std::string::npos) << c.action << ": " << text(r);
    EXPECT_NE(text(r).find("parameters."), std::string::npos) << text(r);
  }
  EXPECT_TRUE(http->sent().empty());
  auto bad_time =
      run(tool, "fetch_task_failures", {{"ecs_cluster_name", "c"}, {"start_time", "yesterday"}});
  ASSERT_TRUE(bad_time.is_error);
  EXPECT_NE(text(bad_time).find("start_time"), std::string::npos);
}

TEST_F(TroubleshootingToolTest, TaskFailuresReadsEveryPageAndRanksCauses) {
  auto tool = make();
  http->on_file("ListTasks", "ecs/list_tasks_stopped_page1.json");
  http->on_file("ListTasks", "ecs/list_tasks_stopped_page2.json");
  http->on_file("DescribeTasks", "ecs/describe_tasks_stopped.json");
  auto r = run(tool, "fetch_task_failures",
               {{"ecs_cluster_name", kCluster}, {"ecs_service_name", "web"}});
  ASSERT_FALSE(r.is_error) << text(r);
  auto list = http->calls("ListTasks");
  ASSERT_EQ(list.size(), 2u);
  json first = json::parse(list[0].request.body);
  EXPECT_EQ(first["desiredStatus"], "STOPPED");
  EXPECT_EQ(first["serviceName"], "web");
  EXPECT_EQ(json::parse(list[1].request.body)["nextToken"], "eyJwYWdlIjoyfQ==");
  EXPECT_EQ(json::parse(http->calls("DescribeTasks")[0].request.body)["tasks"].size(), 5u);

  const json& s = *r.structured;
  EXPECT_EQ(s["data"]["stopped_tasks_examined"], 4) << "one task stopped before the window";
  EXPECT_EQ(s["data"]["outside_window"], 1);
  EXPECT_EQ(s["data"]["failures"], 3);
  EXPECT_EQ(s["data"]["not_failures"], 1);
  EXPECT_EQ(s["data"]["by_category"]["image_pull"], 2);
  EXPECT_EQ(s["data"]["by_category"]["out_of_memory"], 1);
  EXPECT_EQ(s["data"]["by_category"]["scaling_activity"], 1);
  // Ranked: the image pull (critical, two tasks) before OOM (critical, one), scale-in last.
  EXPECT_EQ(s["findings"][0]["category"], "image_pull");
  EXPECT_EQ(s["findings"][0]["occurrences"], 2);
  EXPECT_EQ(s["findings"][1]["category"], "out_of_memory");
  EXPECT_EQ(s["findings"].back()["category"], "scaling_activity");
  EXPECT_EQ(s["findings"].back()["severity"], "info");
  EXPECT_NE(s["verdict"].get<std::string>().find("does not exist"), std::string::npos)
      << s["verdict"];
  EXPECT_NE(s["findings"][0]["evidence"].dump().find("web:v2: not found"), std::string::npos);
  EXPECT_EQ(s["data"]["tasks"][0]["stoppedAt"], "2025-01-15T11:30:00Z") << "ISO timestamps";
}

TEST_F(TroubleshootingToolTest, TaskFailuresWithNothingStoppedSaysSo) {
  auto tool = make();
  http->on_json("ListTasks", {{"taskArns", json::array()}});
  auto r = run(tool, "fetch_task_failures", {{"ecs_cluster_name", kCluster}});
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["findings"][0]["category"], "no_stopped_tasks");
  EXPECT_NE((*r.structured)["verdict"].get<std::string>().find("No problem found"),
            std::string::npos);
  EXPECT_TRUE(http->calls("DescribeTasks").empty());
}

TEST_F(TroubleshootingToolTest, ServiceEventsExplainsTargetHealthAndDeploymentTrouble) {
  auto tool = make();
  serve_service(*http);
  http->on_file("DescribeTargetHealth", "elbv2/describe_target_health_timeout.xml");
  auto r = run(tool, "fetch_service_events",
               {{"ecs_cluster_name", kCluster}, {"ecs_service_name", "web"}});
  ASSERT_FALSE(r.is_error) << text(r);
  const json& s = *r.structured;
  EXPECT_EQ(s["findings"][0]["category"], "target_health");
  EXPECT_EQ(s["findings"][0]["severity"], "critical") << "no target is healthy";
  EXPECT_NE(s["findings"][0]["cause"].get<std::string>().find("Target.Timeout"), std::string::npos);
  EXPECT_NE(s["findings"][0]["next_step"].get<std::string>().find("security group"),
            std::string::npos);
  EXPECT_FALSE(findings(r, "deployment_struggling").empty());
  EXPECT_FALSE(findings(r, "target_unhealthy").empty());
  EXPECT_EQ(findings(r, "steady_state").size(), 0u) << "the steady state is a day old";
  EXPECT_EQ(s["data"]["events_in_window"], 3) << "the day-old event is outside the hour";
  const json& lb = s["data"]["load_balancers"][0];
  EXPECT_EQ(lb["health_check"]["path"], "/health");
  EXPECT_EQ(lb["targets"][0]["reason"], "Target.Timeout");
  EXPECT_NE(lb["targets"][0]["meaning"].get<std::string>().find("timed out"), std::string::npos);
  json tg_call = http->calls("DescribeTargetGroups")[0].request.body;
  EXPECT_NE(tg_call.get<std::string>().find("TargetGroupArns.member.1="), std::string::npos);
}

TEST_F(TroubleshootingToolTest, ServiceEventsResponseCodeMismatchAndRollback) {
  auto tool = make();
  json svc = fixture_json("ecs/describe_services_web.json");
  json& d = svc["services"][0]["deployments"][0];
  d["rolloutState"] = "FAILED";
  d["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed to start.";
  svc["services"][0]["events"].insert(svc["services"][0]["events"].begin(),
                                      json{{"id", "e5"},
                                           {"createdAt", kFixtureNow - 30},
                                           {"message",
                                            "(service web) (deployment ecs-svc/5234523452345) "
                                            "deployment failed: tasks failed to start."}});
  http->on_json("DescribeServices", svc);
  http->on_file("DescribeTargetGroups", "elbv2/describe_target_groups.xml");
  http->on_file("DescribeTargetHealth", "elbv2/describe_target_health_mismatch.xml");
  auto r = run(tool, "fetch_service_events",
               {{"ecs_cluster_name", kCluster}, {"ecs_service_name", "web"}});
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["findings"][0]["category"], "deployment_rollback");
  auto mismatch = findings(r, "target_health");
  ASSERT_EQ(mismatch.size(), 1u);
  EXPECT_EQ(mismatch[0]["severity"], "error");
  EXPECT_NE(mismatch[0]["next_step"].get<std::string>().find("GETs /health and accepts 200"),
            std::string::npos);
}

TEST_F(TroubleshootingToolTest, ServiceNotFoundIsAnError) {
  auto tool = make();
  http->on_json(
      "DescribeServices",
      {{"services", json::array()},
       {"failures", {{{"arn", "arn:aws:ecs:us-east-1:1:service/c/nope"}, {"reason", "MISSING"}}}}});
  auto r = run(tool, "fetch_service_events",
               {{"ecs_cluster_name", kCluster}, {"ecs_service_name", "nope"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(text(r).find("MISSING"), std::string::npos) << text(r);
}

TEST_F(TroubleshootingToolTest, CloudFormationSeparatesRootCauseFromCascade) {
  auto tool = make();
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_rollback.xml");
  http->on_file("DescribeStackEvents", "cloudformation/describe_stack_events_rollback.xml");
  http->on_file("ListStackResources", "cloudformation/list_stack_resources_rollback.xml");
  auto r = run(tool, "fetch_cloudformation_status", {{"cfn_stack_name", "web-stack"}});
  ASSERT_FALSE(r.is_error) << text(r);
  const json& s = *r.structured;
  EXPECT_EQ(s["findings"][0]["category"], "cloudformation_root_cause");
  EXPECT_NE(s["verdict"].get<std::string>().find("TaskExecutionRole"), std::string::npos);
  EXPECT_NE(s["verdict"].get<std::string>().find("iam:CreateRole"), std::string::npos);
  EXPECT_EQ(s["data"]["root_cause"]["LogicalResourceId"], "TaskExecutionRole");
  EXPECT_EQ(s["data"]["cascade"].size(), 2u);
  for (const auto& e : s["data"]["cascade"])
    EXPECT_EQ(e["ResourceStatusReason"], "Resource creation cancelled");
  EXPECT_EQ(s["data"]["rolled_back"], true);
  EXPECT_EQ(s["data"]["stack"]["StackStatus"], "ROLLBACK_COMPLETE");
}

TEST_F(TroubleshootingToolTest, CloudFormationMissingStackLooksForItsDeletedPredecessor) {
  auto tool = make();
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_missing.xml", 400);
  http->on_file("ListStacks", "cloudformation/list_stacks_deleted.xml");
  auto r = run(tool, "fetch_cloudformation_status", {{"cfn_stack_name", "gone-stack"}});
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["findings"][0]["category"], "stack_not_found");
  EXPECT_NE((*r.structured)["verdict"].get<std::string>().find("deleted"), std::string::npos);
}

TEST_F(TroubleshootingToolTest, NetworkDecisionsForAServiceBehindAnAlb) {
  auto tool = make();
  serve_network(*http);
  auto r = run(tool, "fetch_network_configuration",
               {{"ecs_cluster_name", kCluster}, {"ecs_service_name", "web"}});
  ASSERT_FALSE(r.is_error) << text(r);
  const json& s = *r.structured;
  auto blocked = findings(r, "security_group_blocks_lb");
  ASSERT_EQ(blocked.size(), 1u);
  EXPECT_NE(blocked[0]["next_step"].get<std::string>().find("tcp 8080 from security group sg-0alb"),
            std::string::npos)
      << blocked[0];
  auto egress = findings(r, "no_route_to_registry");
  ASSERT_EQ(egress.size(), 1u);
  EXPECT_NE(egress[0]["cause"].get<std::string>().find("no public IP"), std::string::npos);
  EXPECT_NE(egress[0]["next_step"].get<std::string>().find("assignPublicIp=ENABLED"),
            std::string::npos);
  EXPECT_TRUE(findings(r, "lb_not_reachable").empty()) << "the ALB admits port 80 from anywhere";
  EXPECT_TRUE(findings(r, "lb_subnet_private").empty());
  EXPECT_EQ(s["data"]["vpc_id"], "vpc-0web");
  EXPECT_EQ(s["data"]["decisions"]["load_balancer_to_task"][0]["paths"][0]["allowed"], false);
  EXPECT_EQ(s["data"]["decisions"]["task_egress"][0]["default_route"], "igw-0web");
  EXPECT_EQ(s["data"]["subnets"][0]["kind"], "public");
  // DescribeNatGateways takes Filter (not Filters) on the wire.
  EXPECT_NE(http->calls("DescribeNatGateways")[0].request.body.find("Filter.1.Name=vpc-id"),
            std::string::npos);
}

TEST_F(TroubleshootingToolTest, NetworkSurveyOfAVpc) {
  auto tool = make();
  http->on_file("DescribeSubnets", "ec2/describe_subnets.xml");
  http->on_file("DescribeRouteTables", "ec2/describe_route_tables.xml");
  http->on_file("DescribeVpcEndpoints", "ec2/describe_vpc_endpoints_none.xml");
  http->on_file("DescribeNatGateways", "ec2/describe_nat_gateways_none.xml");
  auto r = run(tool, "fetch_network_configuration", {{"vpc_id", "vpc-0web"}});
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["data"]["subnets"].size(), 2u);
  EXPECT_EQ((*r.structured)["data"]["subnets"][1]["free_ips"], 3);
  EXPECT_FALSE(findings(r, "vpc_ok").empty());
}

TEST_F(TroubleshootingToolTest, ImagePullFindsMissingRepositoryAndARoleThatCannotPull) {
  auto tool = make();
  serve_network(*http);
  http->on_file("DescribeTaskDefinition", "ecs/describe_task_definition_web.json");
  http->on_file("DescribeImages", "ecr/describe_images_repository_not_found.json", 400);
  http->on_file("GetRole", "iam/get_role.xml");
  http->on_file("ListAttachedRolePolicies", "iam/list_attached_role_policies_none.xml");
  http->on_file("ListRolePolicies", "iam/list_role_policies.xml");
  http->on_file("GetRolePolicy", "iam/get_role_policy_logs_only.xml");
  auto r = run(tool, "detect_image_pull_failures",
               {{"ecs_cluster_name", kCluster}, {"ecs_service_name", "web"}});
  ASSERT_FALSE(r.is_error) << text(r);
  const json& s = *r.structured;
  auto missing = findings(r, "image_not_found");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0]["cause"].get<std::string>().find("repository web does not exist"),
            std::string::npos);
  auto role = findings(r, "execution_role_cannot_pull");
  ASSERT_EQ(role.size(), 1u);
  EXPECT_NE(role[0]["next_step"].get<std::string>().find("AmazonECSTaskExecutionRolePolicy"),
            std::string::npos);
  EXPECT_FALSE(findings(r, "no_route_to_registry").empty()) << "public subnet without public IP";
  EXPECT_FALSE(findings(r, "docker_hub_rate_limit").empty());
  json req = json::parse(http->calls("DescribeImages")[0].request.body);
  EXPECT_EQ(req["repositoryName"], "web");
  EXPECT_EQ(req["registryId"], "123456789012");
  EXPECT_EQ(req["imageIds"][0]["imageTag"], "v2");
  EXPECT_EQ(s["data"]["images"][0]["status"], "missing_repository");
  EXPECT_EQ(s["data"]["images"][1]["kind"], "docker_hub");
}

TEST_F(TroubleshootingToolTest, ImagePullMissingTagAndAGoodRoleForAFamily) {
  auto tool = make();
  http->on_json("ListTaskDefinitionFamilies", {{"families", {"web"}}});
  http->on_file("DescribeTaskDefinition", "ecs/describe_task_definition_web.json");
  http->on_file("DescribeImages", "ecr/describe_images_image_not_found.json", 400);
  http->on_file("GetRole", "iam/get_role.xml");
  http->on_file("ListAttachedRolePolicies", "iam/list_attached_role_policies_managed.xml");
  http->on_file("ListRolePolicies", "iam/list_role_policies.xml");
  http->on_file("GetRolePolicy", "iam/get_role_policy_logs_only.xml");
  auto r = run(tool, "detect_image_pull_failures", {{"family_prefix", "web"}});
  ASSERT_FALSE(r.is_error) << text(r);
  auto missing = findings(r, "image_not_found");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0]["cause"].get<std::string>().find("no image with tag v2"), std::string::npos);
  EXPECT_TRUE(findings(r, "execution_role_cannot_pull").empty());
  EXPECT_NE((*r.structured)["data"]["network_note"].get<std::string>().find("not checked"),
            std::string::npos);
}

TEST_F(TroubleshootingToolTest, ImagePullNoExecutionRole) {
  auto tool = make();
  json td = fixture_json("ecs/describe_task_definition_web.json");
  td["taskDefinition"].erase("executionRoleArn");
  http->on_json("ListTaskDefinitionFamilies", {{"families", {"web"}}});
  http->on_json("DescribeTaskDefinition", td);
  http->on_json("DescribeImages", {{"imageDetails", json::array({{{"imageTags", {"v2"}}}})}});
  auto r = run(tool, "detect_image_pull_failures", {{"family_prefix", "web"}});
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["findings"][0]["category"], "execution_role_missing");
  EXPECT_TRUE(findings(r, "image_not_found").empty());
}

TEST_F(TroubleshootingToolTest, TaskLogsUseTheAwslogsConfigurationAndSummarise) {
  auto tool = make();
  http->on_json("DescribeTasks",
                {{"tasks", {fixture_json("ecs/describe_tasks_stopped.json")["tasks"][0]}}});
  http->on_file("DescribeTaskDefinition", "ecs/describe_task_definition_web.json");
  http->on_file("FilterLogEvents", "logs/filter_log_events_page1.json");
  http->on_file("FilterLogEvents", "logs/filter_log_events_page2.json");
  http->on_json("FilterLogEvents",
                {{"events", json::array()}, {"searchedLogStreams", json::array()}});
  auto r = run(tool, "fetch_task_logs",
               {{"ecs_cluster_name", kCluster},
                {"ecs_task_id", "a1b2c3d4e5f60718293a4b5c6d7e8f90"},
                {"filter_pattern", "?ERROR ?panic ?WARN ?INFO"}});
  ASSERT_FALSE(r.is_error) << text(r);
  auto calls = http->calls("FilterLogEvents");
  ASSERT_EQ(calls.size(), 3u) << "both pages of the app's logs, then the proxy's";
  json body = json::parse(calls[0].request.body);
  EXPECT_EQ(body["logGroupName"], "/ecs/web");
  EXPECT_EQ(body["logStreamNames"], json({"ecs/app/a1b2c3d4e5f60718293a4b5c6d7e8f90"}));
  EXPECT_EQ(body["filterPattern"], "?ERROR ?panic ?WARN ?INFO");
  EXPECT_EQ(body["endTime"], static_cast<int64_t>(kFixtureNow * 1000));
  EXPECT_EQ(body["startTime"], static_cast<int64_t>((kFixtureNow - 3600) * 1000));
  const json& s = *r.structured;
  EXPECT_EQ(s["data"]["summary"]["by_severity"]["ERROR"], 7);
  EXPECT_EQ(s["data"]["summary"]["top_errors"][0]["count"], 6);
  EXPECT_EQ(s["findings"][0]["category"], "log_errors");
  EXPECT_NE(s["verdict"].get<std::string>().find("postgres"), std::string::npos);
  // The proxy logs to another region: read there, and said so.
  auto other = findings(r, "logs_other_region");
  ASSERT_EQ(other.size(), 1u);
  EXPECT_NE(other[0]["cause"].get<std::string>().find("eu-west-1"), std::string::npos);
  EXPECT_NE(calls[2].request.url.find("logs.eu-west-1.amazonaws.com"), std::string::npos)
      << calls[2].request.url;
  EXPECT_NE(calls[0].request.url.find("logs.us-east-1.amazonaws.com"), std::string::npos)
      << calls[0].request.url;
  EXPECT_EQ(s["data"]["events"].back()["message"],
            "panic: runtime error: invalid memory address or nil pointer dereference");
  EXPECT_EQ(s["data"]["events"][0]["timestamp"], "2025-01-15T11:35:00Z");
}

TEST_F(TroubleshootingToolTest, TaskLogsForAFamilyFindStreamsByPrefixAndReportAMissingGroup) {
  auto tool = make();
  json td = fixture_json("ecs/describe_task_definition_web.json");
  td["taskDefinition"]["containerDefinitions"].erase(1);
  http->on_json("ListTaskDefinitionFamilies", {{"families", {"web"}}});
  http->on_json("DescribeTaskDefinition", td);
  http->on_file("DescribeLogStreams", "logs/log_group_not_found.json", 400);
  auto r = run(tool, "fetch_task_logs", {{"family_prefix", "web"}});
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["findings"][0]["category"], "log_group_missing");
  json body = json::parse(http->calls("DescribeLogStreams")[0].request.body);
  EXPECT_EQ(body["logStreamNamePrefix"], "ecs/app/");
}

TEST_F(TroubleshootingToolTest, GuidanceSurveysEveryServiceAcrossPages) {
  auto tool = make();
  http->on_json("DescribeClusters", {{"clusters",
                                      {{{"clusterName", kCluster},
                                        {"status", "ACTIVE"},
                                        {"runningTasksCount", 2},
                                        {"activeServicesCount", 11}}}},
                                     {"failures", json::array()}});
  json page1 = {{"serviceArns", json::array()}, {"nextToken", "more"}};
  for (int i = 0; i < 10; ++i)
    page1["serviceArns"].push_back("arn:aws:ecs:us-east-1:123456789012:service/web-cluster/s" +
                                   std::to_string(i));
  http->on_json("ListServices", page1);
  http->on_json("ListServices",
                {{"serviceArns", {"arn:aws:ecs:us-east-1:123456789012:service/web-cluster/web"}}});
  json quiet = {{"services", json::array()}};
  for (int i = 0; i < 10; ++i) {
    quiet["services"].push_back({{"serviceName", "s" + std::to_string(i)},
                                 {"status", "ACTIVE"},
                                 {"desiredCount", 1},
                                 {"runningCount", 1},
                                 {"pendingCount", 0},
                                 {"deployments", json::array()},
                                 {"events", json::array()}});
  }
  http->on_json("DescribeServices", quiet);
  http->on_file("DescribeServices", "ecs/describe_services_web.json");
  http->on_file("DescribeTargetGroups", "elbv2/describe_target_groups.xml");
  http->on_file("DescribeTargetHealth", "elbv2/describe_target_health_timeout.xml");
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_rollback.xml");
  http->on_file("DescribeTaskDefinition", "ecs/describe_task_definition_web.json");
  http->on_file("DescribeImages", "ecr/describe_images_image_not_found.json", 400);
  auto r = run(tool, "get_ecs_troubleshooting_guidance",
               {{"ecs_cluster_name", kCluster},
                {"symptoms_description", "the ALB health check is failing"}});
  ASSERT_FALSE(r.is_error) << text(r);
  const json& s = *r.structured;
  EXPECT_EQ(s["data"]["services_total"], 11) << "all pages, not the first 10";
  EXPECT_EQ(http->calls("DescribeServices").size(), 2u) << "ten at a time";
  EXPECT_EQ(s["findings"][0]["severity"], "critical");
  EXPECT_FALSE(findings(r, "target_health").empty());
  EXPECT_FALSE(findings(r, "image_not_found").empty());
  EXPECT_FALSE(findings(r, "cloudformation_status").empty());
  EXPECT_EQ(s["data"]["cloudformation_stacks"]["web-stack"]["status"], "ROLLBACK_COMPLETE");
  EXPECT_EQ(s["data"]["suggested_actions"][0]["action"], "fetch_service_events");
}

TEST_F(TroubleshootingToolTest, GuidanceForAMissingCluster) {
  auto tool = make();
  http->on_json(
      "DescribeClusters",
      {{"clusters", json::array()},
       {"failures", {{{"arn", "arn:aws:ecs:us-east-1:1:cluster/nope"}, {"reason", "MISSING"}}}}});
  auto r = run(tool, "get_ecs_troubleshooting_guidance", {{"ecs_cluster_name", "nope"}});
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["findings"][0]["category"], "cluster_not_found");
}

TEST_F(TroubleshootingToolTest, ReadActionsRedactSecretsWithoutSensitiveAccess) {
  auto tool = make({false, false});
  http->on_json("DescribeClusters",
                {{"clusters", {{{"clusterName", kCluster}, {"status", "ACTIVE"}}}}});
  json svc = fixture_json("ecs/describe_services_web.json");
  svc["services"][0]["deploymentConfiguration"] = {
      {"environment", {{{"name", "X"}, {"value", "leak-me"}}}}};
  svc["services"][0]["events"] = {
      {{"createdAt", kFixtureNow - 5}, {"message", "(service web) has reached a steady state."}}};
  svc["services"][0]["recent_env"] = {
      {"environment", {{{"name", "TOKEN"}, {"value", "leak-me-too"}}}}};
  http->on_json("DescribeServices", svc);
  http->on_file("DescribeTargetGroups", "elbv2/describe_target_groups.xml");
  http->on_file("DescribeTargetHealth", "elbv2/describe_target_health_mismatch.xml");
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_rollback.xml");
  json td = fixture_json("ecs/describe_task_definition_web.json");
  http->on_json("DescribeTaskDefinition", td);
  http->on_json("DescribeImages", {{"imageDetails", json::array()}});
  auto r = run(tool, "get_ecs_troubleshooting_guidance",
               {{"ecs_cluster_name", kCluster}, {"ecs_service_name", "web"}});
  ASSERT_FALSE(r.is_error) << text(r);
  Redactor(false).redact(tool, r);  // what the server does with every answer
  EXPECT_EQ(r.structured->dump().find("hunter2"), std::string::npos);
  EXPECT_EQ(r.structured->dump().find("leak-me"), std::string::npos);
  EXPECT_EQ(text(r).find("leak-me"), std::string::npos);
}

TEST_F(TroubleshootingToolTest, LargeAnswersKeepTheFindingsAndCutTheData) {
  auto tool = make({true, true}, 6000);
  json many = {{"taskArns", json::array()}};
  json described[2] = {{{"tasks", json::array()}}, {{"tasks", json::array()}}};
  for (int i = 0; i < 200; ++i) {
    std::string arn = "arn:aws:ecs:us-east-1:123456789012:task/web-cluster/t" + std::to_string(i);
    many["taskArns"].push_back(arn);
    described[i / 100]["tasks"].push_back({{"taskArn", arn},
                                           {"stoppedAt", kFixtureNow - 100},
                                           {"stoppedReason", "Essential container in task exited"},
                                           {"containers", {{{"name", "app"}, {"exitCode", 139}}}}});
  }
  http->on_json("ListTasks", many);
  http->on_json("DescribeTasks", described[0]);
  http->on_json("DescribeTasks", described[1]);
  auto r = run(tool, "fetch_task_failures", {{"ecs_cluster_name", kCluster}, {"limit", 500}});
  ASSERT_FALSE(r.is_error) << text(r);
  const json& s = *r.structured;
  EXPECT_EQ(s["truncated"], true);
  EXPECT_LE(s.dump().size(), 8000u);
  EXPECT_EQ(s["findings"][0]["category"], "segmentation_fault");
  EXPECT_EQ(s["findings"][0]["occurrences"], 200);
  EXPECT_EQ(http->calls("DescribeTasks").size(), 2u) << "100 per DescribeTasks";
}

}  // namespace
}  // namespace ecs_mcp::ecs::troubleshooting_test
