// ecs-agent with the real ecs-mcp-server as its child, against moto_server: the ECS tools
// are offered only with ENABLE_ECS_MCP, the switches reach the server (a write is refused,
// then allowed), and the brief's example prompts run end to end: listing clusters, diagnosing
// failing tasks, and containerizing a Node.js app, deploying it, checking the deployment and
// deleting it after the person confirms on the terminal.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "integration/aws/moto_harness.h"
#include "support/fake_provider.h"

namespace {

using namespace ecs_mcp::testing;
using json = nlohmann::json;

std::map<std::string, std::string> moto_env(const FakeProvider& provider, bool ecs) {
  return {{"PATH", "/usr/bin:/bin"},
          {"HOME", "/tmp"},
          {"ECS_MCP_SERVER_PATH", ECS_MCP_SERVER_PATH},
          {"LLM_PROVIDER", "openai"},
          {"OPENAI_API_KEY", "sk-test"},
          {"OPENAI_MODEL_NAME", "gpt-test"},
          {"OPENAI_ENDPOINT", provider.base() + "/v1"},
          {"ENABLE_ECS_MCP", ecs ? "true" : "false"},
          {"AWS_REGION", "us-east-1"},
          {"AWS_ACCESS_KEY_ID", "testing"},
          {"AWS_SECRET_ACCESS_KEY", "testing"},
          {"AWS_ENDPOINT_URL", MotoServer::instance()->endpoint()},
          {"FASTMCP_LOG_LEVEL", "ERROR"}};
}

class AgentWithMoto : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(MotoServer::instance(), nullptr);
    ASSERT_TRUE(MotoServer::instance()->reset());
  }
};

TEST_F(AgentWithMoto, ListAllMyEcsClusters) {
  auto made = MotoServer::instance()->run_python(
      "import boto3\nboto3.client('ecs').create_cluster(clusterName='agent-cluster')\n");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  FakeProvider p;
  p.push(openai_stream_calls({{"ecs_resource_management", {{"api_operation", "ListClusters"}}}}));
  p.push(openai_stream_text("You have one cluster: agent-cluster."));
  auto r = run_agent(moto_env(p, true), {"ask", "List all my ECS clusters"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "You have one cluster: agent-cluster.\n");
  auto requests = p.requests();
  ASSERT_EQ(requests.size(), 2u);
  auto names = tool_names(requests[0].body_json());
  for (const char* t :
       {"ecs_resource_management", "containerize_app", "create_ecs_infrastructure",
        "get_deployment_status", "delete_ecs_infrastructure", "ecs_troubleshooting_tool"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), t), names.end()) << t;
  }
  auto results = tool_messages(requests[1].body_json());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_NE(results[0].find("agent-cluster"), std::string::npos) << results[0];
}

TEST_F(AgentWithMoto, DisabledMeansNoServerAndNoTools) {
  FakeProvider p;
  p.push(openai_stream_text("I have no ECS tools."));
  auto r = run_agent(moto_env(p, false), {"ask", "List all my ECS clusters"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(p.requests()[0].body_json().contains("tools"));
}

TEST_F(AgentWithMoto, WritesAreRefusedUntilTheSwitchIsOn) {
  FakeProvider refused;
  refused.push(openai_stream_calls(
      {{"ecs_resource_management",
        {{"api_operation", "CreateCluster"}, {"api_params", {{"clusterName", "made"}}}}}}));
  refused.push(openai_stream_text("Writes are off."));
  auto r = run_agent(moto_env(refused, true), {"ask", "Create a cluster named made"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto text = tool_messages(refused.requests()[1].body_json())[0];
  EXPECT_EQ(text.rfind("REFUSED", 0), 0u) << text;
  EXPECT_NE(text.find("Operation CreateCluster requires WRITE permission"), std::string::npos)
      << text;
  const std::string check =
      "import boto3\nprint(sorted(a.split('/')[-1] for a in "
      "boto3.client('ecs').list_clusters()['clusterArns']))\n";
  EXPECT_EQ(MotoServer::instance()->run_python(check).output, "[]\n");

  FakeProvider allowed;
  allowed.push(openai_stream_calls(
      {{"ecs_resource_management",
        {{"api_operation", "CreateCluster"}, {"api_params", {{"clusterName", "made"}}}}}}));
  allowed.push(openai_stream_text("Created."));
  auto env = moto_env(allowed, true);
  env["ECS_MCP_ALLOW_WRITE"] = "true";
  auto ok = run_agent(env, {"ask", "Create a cluster named made"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(MotoServer::instance()->run_python(check).output, "['made']\n");
  const std::string system = allowed.requests()[0].body_json()["messages"][0]["content"];
  EXPECT_NE(system.find("Write operations are ENABLED"), std::string::npos);
}

json tool_json(const std::string& text) { return json::parse(text, nullptr, false); }

TEST_F(AgentWithMoto, MyEcsTasksKeepFailingCanYouDiagnoseTheIssue) {
  auto made = MotoServer::instance()->run_python(R"(
ecs = boto3.client("ecs")
ec2 = boto3.client("ec2")
vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"][0]["SubnetId"]
sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"][0]["GroupId"]
ecs.create_cluster(clusterName="shop-prod")
ecs.register_task_definition(family="storefront", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
    cpu="256", memory="512", containerDefinitions=[{"name": "web", "image": "example/storefront:v7", "memory": 512}])
net = {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [sg]}}
for i in range(3):
    arn = ecs.run_task(cluster="shop-prod", taskDefinition="storefront", launchType="FARGATE",
                       networkConfiguration=net)["tasks"][0]["taskArn"]
    ecs.stop_task(cluster="shop-prod", task=arn, reason="CannotPullContainerError: pull image manifest has been "
                  "retried 5 time(s): failed to resolve ref example/storefront:v7: not found")
)");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const std::string prompt = "My ECS tasks keep failing, can you diagnose the issue?";
  FakeProvider p;
  p.push(openai_stream_calls({{"ecs_troubleshooting_tool",
                               {{"action", "fetch_task_failures"},
                                {"parameters", {{"ecs_cluster_name", "shop-prod"}}}}}}));
  p.push(
      openai_stream_text("The image example/storefront:v7 cannot be pulled: it does not exist."));
  // Production troubleshooting, as the README recommends: sensitive data on, writes off.
  auto env = moto_env(p, true);
  env["ECS_MCP_ALLOW_SENSITIVE_DATA"] = "true";
  auto r = run_agent(env, {"ask", prompt});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "The image example/storefront:v7 cannot be pulled: it does not exist.\n");
  auto requests = p.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body_json()["messages"][1]["content"], prompt);
  auto results = tool_messages(requests[1].body_json());
  ASSERT_EQ(results.size(), 1u);
  json failures = tool_json(results[0]);
  ASSERT_TRUE(failures.is_object()) << results[0];
  ASSERT_FALSE(failures["findings"].empty()) << results[0];
  EXPECT_EQ(failures["findings"][0]["category"], "image_pull") << results[0];
  EXPECT_EQ(failures["findings"][0]["occurrences"], 3) << results[0];
}

TEST_F(AgentWithMoto, ContainerizeThisNodeJsAppAndDeployItToAws) {
  const std::filesystem::path work =
      std::filesystem::temp_directory_path() / ("ecs-agent-deploy-" + std::to_string(getpid()));
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  const std::string app = (work / "node-express").string();
  std::filesystem::copy(std::string(ECS_MCP_APPS_DIR) + "/node-express", app,
                        std::filesystem::copy_options::recursive);
  auto net_out = MotoServer::instance()->run_python(R"(
ec2 = boto3.client("ec2")
vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]][:2]
print(json.dumps({"vpc_id": vpc, "subnet_ids": subnets}))
)");
  ASSERT_EQ(net_out.exit_code, 0) << net_out.output;
  const json net = json::parse(net_out.output);

  const std::string prompt = "Containerize this Node.js app and deploy it to AWS";
  FakeProvider p;
  p.push(openai_stream_calls({{"containerize_app", {{"app_path", app}, {"write_files", true}}}}));
  p.push(openai_stream_calls({{"create_ecs_infrastructure",
                               {{"app_name", "shop"},
                                {"app_path", app},
                                {"force_deploy", true},
                                {"vpc_id", net["vpc_id"]},
                                {"subnet_ids", net["subnet_ids"]},
                                {"image_uri", "public.ecr.aws/nginx/nginx:1.27"},
                                {"container_port", 80}}}}));
  p.push(openai_stream_calls({{"get_deployment_status", {{"app_name", "shop"}}}}));
  p.push(openai_stream_text("Deployed shop behind a load balancer."));
  auto env = moto_env(p, true);
  env["ECS_MCP_ALLOW_WRITE"] = "true";
  auto r = run_agent(env, {"ask", prompt});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Deployed shop behind a load balancer.\n");
  for (const char* tool :
       {"containerize_app", "create_ecs_infrastructure", "get_deployment_status"})
    EXPECT_NE(r.err.find(std::string("<- ") + tool + " ok"), std::string::npos) << r.err;
  auto requests = p.requests();
  ASSERT_EQ(requests.size(), 4u);

  // What the model read after each step, and what exists on disk and in the emulator.
  json containerized = tool_json(tool_messages(requests[1].body_json()).at(0));
  EXPECT_EQ(containerized["runtime"], "node") << containerized.dump();
  EXPECT_EQ(containerized["port"], 4000) << containerized.dump();
  EXPECT_TRUE(std::filesystem::exists(app + "/Dockerfile"));
  json created = tool_json(tool_messages(requests[2].body_json()).at(1));
  EXPECT_EQ(created["deployed"], true) << created.dump();
  ASSERT_EQ(created["stacks"].size(), 2u) << created.dump();
  EXPECT_EQ(created["stacks"][1]["status"], "CREATE_COMPLETE") << created.dump();
  json status = tool_json(tool_messages(requests[3].body_json()).at(2));
  EXPECT_EQ(status["service"]["name"], "shop-service") << status.dump();
  EXPECT_EQ(status["load_balancer_url"], created["load_balancer_url"]) << status.dump();
  const std::string stacks =
      "cfn = boto3.client('cloudformation')\n"
      "print(sorted(s['StackName'] for s in cfn.describe_stacks()['Stacks'] "
      "if s['StackStatus'] != 'DELETE_COMPLETE'))\n";
  EXPECT_EQ(MotoServer::instance()->run_python(stacks).output,
            "['shop-ecr-infrastructure', 'shop-ecs-infrastructure']\n");

  // Deleting asks the person on the terminal: "n" keeps everything, "y" deletes.
  const json remove{
      {"app_name", "shop"},
      {"ecr_template_path", app + "/cloudformation-templates/shop-ecr-infrastructure.json"},
      {"ecs_template_path", app + "/cloudformation-templates/shop-ecs-infrastructure.json"}};
  for (const std::string answer : {"n", "y"}) {
    FakeProvider d;
    d.push(openai_stream_calls({{"delete_ecs_infrastructure", remove}}));
    d.push(openai_stream_text("Done."));
    auto env_d = moto_env(d, true);
    env_d["ECS_MCP_ALLOW_WRITE"] = "true";
    auto deleted = run_agent(env_d, {"ask", "Delete the shop deployment"}, answer + "\n");
    ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
    EXPECT_NE(deleted.err.find("shop-ecs-infrastructure"), std::string::npos) << deleted.err;
    EXPECT_NE(deleted.err.find("Proceed? [y/N]"), std::string::npos) << deleted.err;
    json outcome = tool_json(tool_messages(d.requests().at(1).body_json()).at(0));
    EXPECT_EQ(outcome["phase"], answer == "y" ? "deleted" : "declined") << outcome.dump();
    EXPECT_EQ(MotoServer::instance()->run_python(stacks).output,
              answer == "y" ? "[]\n" : "['shop-ecr-infrastructure', 'shop-ecs-infrastructure']\n");
  }
  std::filesystem::remove_all(work);
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new ecs_mcp::testing::MotoEnvironment);
  return RUN_ALL_TESTS();
}
