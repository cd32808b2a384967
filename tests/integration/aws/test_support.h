// The AwsClient configuration the AWS integration tests share: pointed at a test server,
// signing with fixed keys, retrying without waiting.
#pragma once

#include <memory>
#include <string>

#include "aws/client.h"
#include "aws/credentials.h"
#include "support/fake_credentials.h"
#include "support/fake_os.h"

namespace ecs_mcp::testing {

// A client config that sends everything to `endpoint`, retries without waiting, and
// signs with the given keys for us-east-1.
inline aws::ClientConfig test_config(const std::string& endpoint,
                                     std::shared_ptr<aws::HttpClient> http,
                                     const std::string& key = "testing",
                                     const std::string& secret = "testing") {
  aws::ClientConfig config;
  config.region = "us-east-1";
  config.credentials = std::make_shared<FakeCredentialsProvider>(key, secret);
  config.http = std::move(http);
  auto os = FakeOs::make();
  os->set("AWS_ENDPOINT_URL", endpoint);
  config.os = std::move(os);
  config.retry.sleep = [](std::chrono::milliseconds, const std::function<bool()>& cancelled) {
    return !(cancelled && cancelled());
  };
  return config;
}

}  // namespace ecs_mcp::testing
