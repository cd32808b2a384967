// The AWS integration tests' entry point: one moto_server for the whole run.
#include <gtest/gtest.h>

#include "moto_harness.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new ecs_mcp::testing::MotoEnvironment);
  return RUN_ALL_TESTS();
}
