// The service table compiled into aws/ (src/aws/service_table.inc) must be exactly what
// scripts/generate-service-table derives from the botocore installed here; and the lookups
// over it must hand out what botocore says.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "aws/services.h"
#include "common/regular_file.h"
#include "python_oracle.h"
#include "support/fixtures.h"

namespace ecs_mcp::aws {
namespace {

TEST(ServiceTable, MatchesWhatTheGeneratorDerivesFromBotocore) {
  ECS_MCP_REQUIRE_PYTHON("botocore");
  const auto root = testing::tests_dir().parent_path();
  const auto generated = testing::run_command(
      "python3 '" + (root / "scripts" / "generate-service-table").string() + "'");
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  const auto checked_in =
      read_regular_file((root / "src" / "aws" / "service_table.inc").string(), 1 << 20);
  ASSERT_TRUE(checked_in.ok()) << checked_in.error().describe();
  if (*checked_in == generated.output) return;
  // Name the first line that differs rather than printing both files.
  std::istringstream have(*checked_in);
  std::istringstream want(generated.output);
  std::string have_line;
  std::string want_line;
  for (int line = 1;; ++line) {
    const bool more_have = static_cast<bool>(std::getline(have, have_line));
    const bool more_want = static_cast<bool>(std::getline(want, want_line));
    if (more_have && more_want && have_line == want_line) continue;
    ADD_FAILURE() << "src/aws/service_table.inc differs from what botocore says at line " << line
                  << ":\n  checked in: " << (more_have ? have_line : "(end of file)")
                  << "\n  generated:  " << (more_want ? want_line : "(end of output)")
                  << "\nRun scripts/generate-service-table --write and review the diff.";
    return;
  }
}

TEST(ServiceTable, DescriptorsCarryTheModelsMetadata) {
  const auto& ecr = service_descriptor(Service::kEcr);
  EXPECT_EQ(ecr.name, "ECR");
  EXPECT_EQ(ecr.endpoint.endpoint_prefix, "api.ecr");
  EXPECT_EQ(ecr.signing_name, "ecr");
  EXPECT_EQ(ecr.target_prefix, "AmazonEC2ContainerRegistry_V20150921");
  EXPECT_EQ(ecr.protocol, Protocol::kJson11);

  const auto& iam = service_descriptor(Service::kIam);
  EXPECT_TRUE(iam.endpoint.global);
  EXPECT_EQ(iam.protocol, Protocol::kQuery);
  EXPECT_TRUE(iam.response_hints.booleans.contains("IsTruncated"));
  EXPECT_FALSE(service_descriptor(Service::kSts).endpoint.global);

  const auto& ec2 = service_descriptor(Service::kEc2);
  EXPECT_EQ(ec2.protocol, Protocol::kEc2Query);
  EXPECT_EQ(ec2.api_version, "2016-11-15");
  EXPECT_TRUE(ec2.response_hints.capitalize);
  EXPECT_EQ(ec2.response_hints.list_member, "item");
  EXPECT_EQ(ec2.response_hints.renames.at("vpcSet"), "Vpcs");
  EXPECT_EQ(ec2.response_hints.renames_in_context.at("NetworkInterfaces/tagSet"), "TagSet");
  EXPECT_EQ(ec2.request_options.renames.at("Filters"), "Filter");
  EXPECT_EQ(service_descriptor(Service::kElbv2).endpoint.env_suffix, "ELASTIC_LOAD_BALANCING_V2");
}

TEST(ServiceTable, PaginatorsAreBotocores) {
  auto filter = service_paginator(Service::kLogs, "FilterLogEvents");
  ASSERT_TRUE(filter);
  EXPECT_EQ(filter->input_token, "nextToken");
  EXPECT_EQ(filter->output_token, "nextToken");
  EXPECT_EQ(filter->result_keys, (std::vector<std::string>{"events", "searchedLogStreams"}));
  EXPECT_TRUE(filter->more_results_key.empty());

  auto roles = service_paginator(Service::kIam, "ListRoles");
  ASSERT_TRUE(roles);
  EXPECT_EQ(roles->input_token, "Marker");
  EXPECT_EQ(roles->output_token, "Marker");
  EXPECT_EQ(roles->result_keys, std::vector<std::string>{"Roles"});
  EXPECT_EQ(roles->more_results_key, "IsTruncated");

  auto rules = service_paginator(Service::kElbv2, "DescribeRules");
  ASSERT_TRUE(rules);
  EXPECT_EQ(rules->input_token, "Marker");
  EXPECT_EQ(rules->output_token, "NextMarker");

  // Paged by its callers (the token never runs out), and operations that do not page.
  EXPECT_FALSE(service_paginator(Service::kLogs, "GetLogEvents"));
  EXPECT_FALSE(service_paginator(Service::kEcs, "DescribeClusters"));
  EXPECT_FALSE(service_paginator(Service::kSts, "GetCallerIdentity"));
  // A paginator belongs to its service only.
  EXPECT_FALSE(service_paginator(Service::kEcr, "ListClusters"));
}

}  // namespace
}  // namespace ecs_mcp::aws
