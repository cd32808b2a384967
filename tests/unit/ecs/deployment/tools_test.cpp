// The deployment tools' declarations and the parts of their handlers that need no AWS answer:
// access classes, local files written, and validation that stops a call before any request.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <mutex>

#include "ecs/deployment/containerize.h"
#include "ecs/deployment/delete_infrastructure.h"
#include "ecs/deployment/deployment_status.h"
#include "ecs/deployment/infrastructure.h"
#include "ecs/deployment/path_safety.h"
#include "mcp/json_schema.h"
#include "support/fake_aws_context.h"
#include "support/fake_http_client.h"
#include "support/fixtures.h"
#include "support/null_tool_context.h"

namespace ecs_mcp::ecs {
namespace {

namespace fs = std::filesystem;
using mcp::AccessClass;
using mcp::json;

class DeploymentToolsTest : public ::testing::Test {
 protected:
  std::shared_ptr<AwsContext> context() { return testing::fake_aws_context(http); }
  fs::path copy_app(const std::string& name) {
    fs::path dst = tmp.path() / name;
    fs::copy(testing::sample_app(name), dst, fs::copy_options::recursive);
    return dst;
  }
  mcp::ToolResult run(const mcp::Tool& tool, const json& args) {
    if (auto e = mcp::validate_against_schema(tool.input_schema, args)) {
      return mcp::ToolResult::error("schema: " + *e);
    }
    testing::NullToolContext ctx;
    return tool.handler(args, ctx);
  }
  std::string text(const mcp::ToolResult& r) { return r.content[0].value("text", ""); }

  std::shared_ptr<testing::FakeHttpClient> http = std::make_shared<testing::FakeHttpClient>();
  testing::TempDir tmp;
};

TEST_F(DeploymentToolsTest, SchemasDeclarePropertiesAndAccessFollowsTheArguments) {
  auto aws = context();
  std::vector<mcp::Tool> tools{make_containerize_tool(), make_create_infrastructure_tool(aws, {}),
                               make_deployment_status_tool(aws),
                               make_delete_infrastructure_tool(aws)};
  for (const auto& t : tools) {
    EXPECT_FALSE(mcp::find_object_without_properties(t.input_schema)) << t.name;
    EXPECT_FALSE(mcp::find_object_without_properties(t.output_schema)) << t.name;
  }
  EXPECT_EQ(tools[0].name, "containerize_app");
  EXPECT_EQ(*tools[0].access_needed({{"app_path", "/x"}, {"write_files", true}}),
            AccessClass::kRead);
  EXPECT_EQ(*tools[1].access_needed({{"app_name", "a"}, {"app_path", "/x"}}), AccessClass::kRead);
  EXPECT_EQ(
      *tools[1].access_needed({{"app_name", "a"}, {"app_path", "/x"}, {"force_deploy", true}}),
      AccessClass::kWrite);
  EXPECT_EQ(*tools[2].access_needed({{"app_name", "a"}}), AccessClass::kRead);
  EXPECT_EQ(*tools[3].access_needed({{"app_name", "a"}}), AccessClass::kDestructive);
  EXPECT_TRUE(tools[3].annotations.destructive);
}

TEST_F(DeploymentToolsTest, ContainerizeReturnsFilesAndWritesThemOnlyWhenAsked) {
  fs::path app = copy_app("python-flask");
  auto tool = make_containerize_tool();
  auto r = run(tool, {{"app_path", app.string()}});
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["framework"], "flask");
  EXPECT_EQ((*r.structured)["dockerfile"]["status"], "returned");
  EXPECT_FALSE(fs::exists(app / "Dockerfile"));

  r = run(tool, {{"app_path", app.string()}, {"write_files", true}});
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["dockerfile"]["status"], "written");
  EXPECT_EQ(read_text_file(app / "Dockerfile").value_or(""),
            (*r.structured)["dockerfile"]["content"]);
  EXPECT_TRUE(fs::exists(app / ".dockerignore"));

  // An existing Dockerfile is kept unless overwrite is set.
  std::ofstream(app / "Dockerfile") << "FROM mine\n";
  r = run(tool, {{"app_path", app.string()}, {"write_files", true}, {"port", 7000}});
  EXPECT_EQ((*r.structured)["dockerfile"]["status"], "kept-existing");
  EXPECT_EQ(read_text_file(app / "Dockerfile").value_or(""), "FROM mine\n");
  r = run(tool,
          {{"app_path", app.string()}, {"write_files", true}, {"overwrite", true}, {"port", 7000}});
  EXPECT_EQ((*r.structured)["dockerfile"]["status"], "written");
  EXPECT_NE(read_text_file(app / "Dockerfile").value_or("").find("EXPOSE 7000"), std::string::npos);
}

TEST_F(DeploymentToolsTest, ContainerizeRefusesSensitiveDirectories) {
  auto r = run(make_containerize_tool(), {{"app_path", "/etc"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(text(r).find("refusing"), std::string::npos) << text(r);
}

TEST_F(DeploymentToolsTest, ContainerizeAnswersWhenAManifestIsAFifo) {
  fs::path app = copy_app("node-express");
  fs::remove(app / "package.json");
  ASSERT_EQ(::mkfifo((app / "package.json").c_str(), 0600), 0);
  auto start = std::chrono::steady_clock::now();
  auto r = run(make_containerize_tool(), {{"app_path", app.string()}});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5))
      << "the FIFO was waited on";
  (void)r;  // detected or not, it answers
}

TEST_F(DeploymentToolsTest, ExistingTemplatesAreKeptUnlessOverwriteIsAsked) {
  fs::path app = copy_app("node-express");
  auto tool = make_create_infrastructure_tool(context(), {});
  ASSERT_FALSE(run(tool, {{"app_name", "shop"}, {"app_path", app.string()}}).is_error);
  fs::path edited = app / "cloudformation-templates" / "shop-ecs-infrastructure.json";
  std::ofstream(edited) << "{\"edited\": true}";

  auto again = run(tool, {{"app_name", "shop"}, {"app_path", app.string()}});
  ASSERT_FALSE(again.is_error) << text(again);
  EXPECT_EQ(read_text_file(edited).value_or(""), "{\"edited\": true}");
  const json& s = *again.structured;
  EXPECT_EQ(s["templates"]["ecs"]["status"], "kept-existing");
  EXPECT_EQ(s["templates"]["ecr"]["status"], "written")
      << "unchanged files are not reported as kept";
  EXPECT_NE(s["warnings"].dump().find(edited.string()), std::string::npos) << s["warnings"].dump();

  auto replaced =
      run(tool, {{"app_name", "shop"}, {"app_path", app.string()}, {"overwrite", true}});
  ASSERT_FALSE(replaced.is_error) << text(replaced);
  EXPECT_NE(read_text_file(edited).value_or(""), "{\"edited\": true}");
  EXPECT_EQ((*replaced.structured)["templates"]["ecs"]["status"], "written");
}

TEST_F(DeploymentToolsTest, TemplatesOnlyWithoutForceDeployAndNoAwsCall) {
  fs::path app = copy_app("node-express");
  auto tool = make_create_infrastructure_tool(context(), {});
  auto r = run(tool, {{"app_name", "shop"},
                      {"app_path", app.string()},
                      {"enable_auto_scaling", true},
                      {"min_capacity", 1},
                      {"max_capacity", 3}});
  ASSERT_FALSE(r.is_error) << text(r);
  const json& s = *r.structured;
  EXPECT_EQ(s["deployed"], false);
  EXPECT_EQ(s["parameters"]["ContainerPort"], "4000") << "detected from the app";
  EXPECT_EQ(s["parameters"]["EnableAutoScaling"], "true");
  fs::path dir = app / "cloudformation-templates";
  EXPECT_TRUE(fs::exists(dir / "shop-ecr-infrastructure.json"));
  EXPECT_TRUE(fs::exists(dir / "shop-ecs-infrastructure.json"));
  EXPECT_TRUE(fs::exists(dir / "shop-ecs-infrastructure-parameters.json"));
  EXPECT_NE(s["next_steps"].dump().find("force_deploy=true"), std::string::npos);
  EXPECT_TRUE(http->sent().empty());
}

TEST_F(DeploymentToolsTest, InvalidArgumentsFailBeforeAnyAwsCall) {
  fs::path app = copy_app("node-express");
  auto tool = make_create_infrastructure_tool(context(), {});
  auto base = [&](json extra) {
    json a{{"app_name", "shop"},
           {"app_path", app.string()},
           {"force_deploy", true},
           {"image_uri", "nginx:1.27"}};
    a.update(extra);
    return a;
  };
  for (const json& extra :
       {json{{"app_name", "Shop_App"}}, json{{"cpu", 256}, {"memory", 4096}},
        json{{"vpc_id", "vpc-12345678"}, {"subnet_ids", {"subnet-12345678"}}},
        json{{"subnet_ids", {"subnet-12345678", "subnet-87654321"}}},
        json{{"certificate_arn", "arn:aws:iam::1:x"}}, json{{"health_check_path", "health"}},
        json{{"image_uri", "not an image"}}, json{{"app_path", "/etc"}}}) {
    auto r = run(tool, base(extra));
    EXPECT_TRUE(r.is_error) << extra.dump();
  }
  EXPECT_TRUE(http->sent().empty()) << "validation happens before any request";
}

TEST_F(DeploymentToolsTest, ForceDeployWithoutAContainerToolSaysSoBeforeAnyAwsCall) {
  fs::path app = copy_app("node-express");
  std::ofstream(app / "Dockerfile") << "FROM scratch\n";
  InfrastructureOptions o;
  o.container_tools = {"ecs-mcp-no-such-container-tool"};
  auto tool = make_create_infrastructure_tool(context(), {.allow_write = true}, o);
  auto r = run(tool, {{"app_name", "shop"}, {"app_path", app.string()}, {"force_deploy", true}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(text(r).find("no usable container tool"), std::string::npos) << text(r);
  EXPECT_NE(text(r).find("image_uri"), std::string::npos) << text(r);
  EXPECT_TRUE(http->sent().empty());

  fs::remove(app / "Dockerfile");
  r = run(tool, {{"app_name", "shop"}, {"app_path", app.string()}, {"force_deploy", true}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(text(r).find("containerize_app"), std::string::npos) << text(r);
}

TEST_F(DeploymentToolsTest, DeleteRefusesTemplatePathsInSensitivePlaces) {
  auto tool = make_delete_infrastructure_tool(context(), {});
  auto r = run(tool, {{"app_name", "shop"},
                      {"ecr_template_path", "/etc/passwd"},
                      {"ecs_template_path", "/etc/hosts"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(text(r).find("refusing"), std::string::npos) << text(r);
  EXPECT_TRUE(http->sent().empty());
}

}  // namespace
}  // namespace ecs_mcp::ecs
