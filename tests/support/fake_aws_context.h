// An ecs::AwsContext whose every AWS call goes through a test's HttpClient, signed with fake
// credentials, on a FakeOs with an empty environment (no endpoint overrides, no profiles). For
// tests linking ecs_mcp_test_support_ecs.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "ecs/aws_context.h"
#include "support/fake_credentials.h"
#include "support/fake_os.h"

namespace ecs_mcp::testing {

inline std::shared_ptr<ecs::AwsContext> fake_aws_context(std::shared_ptr<aws::HttpClient> http,
                                                         const std::string& region = "us-east-1") {
  ecs::Config config;
  config.region = region;
  ecs::AwsContextOptions options;
  options.http = std::move(http);
  options.credentials = std::make_shared<FakeCredentialsProvider>();
  options.os = FakeOs::make();
  return std::make_shared<ecs::AwsContext>(config, options);
}

}  // namespace ecs_mcp::testing
