#include "ecs/resource_management/operations.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <set>
#include <sstream>

#include "support/python.h"

namespace ecs_mcp::ecs {
namespace {

using mcp::AccessClass;

std::vector<std::string> botocore_operations(const std::string& service) {
  std::string cmd =
      "python3 -c \"import botocore.session as s; print(' '.join(s.get_session()"
      ".get_service_model('" +
      service + "').operation_names))\"";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  std::vector<std::string> ops;
  if (!pipe) return ops;
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  std::istringstream words(out);
  for (std::string w; words >> w;) ops.push_back(w);
  return ops;
}

TEST(ResourceOperations, EveryEcsAndEcrOperationIsClassifiedOrExcluded) {
  ECS_MCP_REQUIRE_PYTHON("botocore");
  for (const std::string prefix : {"", "ecr:"}) {
    auto ops = botocore_operations(prefix.empty() ? "ecs" : "ecr");
    ASSERT_GT(ops.size(), 40u) << "botocore's model for " << (prefix.empty() ? "ecs" : "ecr")
                               << " not found";
    for (const auto& op : ops) {
      std::string name = prefix + op;
      bool listed = find_resource_operation(name) != nullptr;
      bool excluded = find_excluded_operation(name) != nullptr;
      EXPECT_TRUE(listed != excluded)
          << name
          << (listed ? " is both listed and excluded" : " is neither classified nor excluded");
    }
  }
}

TEST(ResourceOperations, TableNamesAreUniqueAndReal) {
  ECS_MCP_REQUIRE_PYTHON("botocore");
  std::set<std::string> real;
  for (auto& op : botocore_operations("ecs")) real.insert(op);
  for (auto& op : botocore_operations("ecr")) real.insert("ecr:" + op);
  std::set<std::string_view> seen;
  for (const auto& op : resource_operations()) {
    EXPECT_TRUE(seen.insert(op.name).second) << op.name << " twice";
    EXPECT_TRUE(real.count(std::string(op.name))) << op.name << " is not in botocore's model";
    EXPECT_EQ(op.service == ApiService::kEcr, op.name.substr(0, 4) == "ecr:") << op.name;
  }
}

TEST(ResourceOperations, ClassificationIsByTableNotByPrefix) {
  auto access = [](std::string_view n) { return find_resource_operation(n)->access; };
  EXPECT_EQ(access("ListClusters"), AccessClass::kRead);
  EXPECT_EQ(access("DescribeTaskDefinition"), AccessClass::kRead);
  EXPECT_EQ(access("GetTaskProtection"), AccessClass::kRead);
  EXPECT_EQ(access("CreateCluster"), AccessClass::kWrite);
  EXPECT_EQ(access("RegisterTaskDefinition"), AccessClass::kWrite);
  EXPECT_EQ(access("UpdateService"), AccessClass::kWrite);
  EXPECT_EQ(access("PutAccountSetting"), AccessClass::kWrite);
  EXPECT_EQ(access("TagResource"), AccessClass::kWrite);
  EXPECT_EQ(access("RunTask"), AccessClass::kWrite);
  EXPECT_EQ(access("StartTask"), AccessClass::kWrite);
  EXPECT_EQ(access("StopTask"), AccessClass::kWrite);
  EXPECT_EQ(access("DeleteService"), AccessClass::kDestructive);
  EXPECT_EQ(access("DeregisterTaskDefinition"), AccessClass::kDestructive);
  EXPECT_EQ(access("StopServiceDeployment"), AccessClass::kDestructive);
  EXPECT_EQ(access("ExecuteCommand"), AccessClass::kExec);
  EXPECT_EQ(access("ecr:DescribeImages"), AccessClass::kRead);
  // A registry password would let a read-only session push images: not offered at all.
  EXPECT_EQ(find_resource_operation("ecr:GetAuthorizationToken"), nullptr);
  EXPECT_NE(find_excluded_operation("ecr:GetAuthorizationToken"), nullptr);
  EXPECT_EQ(access("ecr:CreateRepository"), AccessClass::kWrite);
  EXPECT_EQ(access("ecr:BatchDeleteImage"), AccessClass::kDestructive);
  for (const char* internal :
       {"SubmitTaskStateChange", "DiscoverPollEndpoint", "SubmitContainerStateChange",
        "SubmitAttachmentStateChanges", "RegisterContainerInstance"}) {
    EXPECT_EQ(find_resource_operation(internal), nullptr) << internal;
    EXPECT_NE(find_excluded_operation(internal), nullptr) << internal;
  }
}

TEST(ResourceOperations, ListOperationsHaveASmallDefaultPage) {
  for (const char* n : {"ListClusters", "ListServices", "ListTasks", "ListTaskDefinitions",
                        "ListContainerInstances", "ecr:DescribeRepositories", "ecr:DescribeImages",
                        "ecr:ListImages"}) {
    const auto* op = find_resource_operation(n);
    ASSERT_NE(op, nullptr) << n;
    EXPECT_GT(op->default_page_size, 0) << n;
    EXPECT_LE(op->default_page_size, 100) << n;
  }
}

}  // namespace
}  // namespace ecs_mcp::ecs
