// Operation names as models write them, and the suggestions an unknown one gets.
#include <gtest/gtest.h>

#include "ecs/resource_management/operations.h"

namespace ecs_mcp::ecs {
namespace {

TEST(OperationNames, SpellingsModelsUseFindTheOperation) {
  for (const char* spelling : {"ListClusters", "list_clusters", "listClusters", "ecs:ListClusters",
                               "LISTCLUSTERS", "list-clusters"}) {
    const OperationSpec* op = find_resource_operation(spelling);
    ASSERT_NE(op, nullptr) << spelling;
    EXPECT_EQ(op->name, "ListClusters") << spelling;
  }
  const OperationSpec* ecr = find_resource_operation("ECR:describe_images");
  ASSERT_NE(ecr, nullptr);
  EXPECT_EQ(ecr->name, "ecr:DescribeImages");
}

TEST(OperationNames, TheServicePrefixStillMatters) {
  // DescribeImages exists only in ECR: without the prefix it is not an ECS operation.
  EXPECT_EQ(find_resource_operation("DescribeImages"), nullptr);
  EXPECT_EQ(find_resource_operation("ecr:ListClusters"), nullptr);
  EXPECT_EQ(find_resource_operation(""), nullptr);
}

TEST(OperationNames, ExcludedOperationsAreRecognisedInAnySpelling) {
  EXPECT_NE(find_excluded_operation("discover_poll_endpoint"), nullptr);
}

TEST(OperationNames, UnknownNamesGetTheClosestOnes) {
  auto close = closest_resource_operations("ListClustrs");
  ASSERT_FALSE(close.empty());
  EXPECT_EQ(close.front(), "ListClusters");
  close = closest_resource_operations("DescribeService");
  ASSERT_FALSE(close.empty());
  EXPECT_EQ(close.front(), "DescribeServices");
  EXPECT_TRUE(closest_resource_operations("xyzzy-frobnicate-everything").empty());
  EXPECT_LE(closest_resource_operations("Describe", 3).size(), 3u);
}

}  // namespace
}  // namespace ecs_mcp::ecs
