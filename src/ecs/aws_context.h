// AwsContext: the AWS clients the product's tools use, built lazily from the Config.
//
// Nothing is read, resolved or connected at start-up: the credential chain, the HTTP client
// and each service client come into being on the first call that needs them, because a
// platform agent may spawn this process for a single tools/list. Tests substitute the
// HttpClient (recorded AWS responses) or point the clients at moto with AWS_ENDPOINT_URL.
//
// Thread-safety: client() may be called concurrently; clients are shared and thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "aws/client.h"
#include "aws/credentials.h"
#include "aws/http_client.h"
#include "aws/services.h"
#include "common/os.h"
#include "common/result.h"
#include "ecs/config.h"

namespace ecs_mcp::ecs {

// The services the tools call; the table behind them is aws/services.h.
using AwsService = aws::Service;

struct AwsContextOptions {
  // Replaces the real HTTP client (tests feed recorded responses through it).
  std::shared_ptr<aws::HttpClient> http;
  // Replaces the default credential chain.
  std::shared_ptr<aws::CredentialsProvider> credentials;
  // Replaces the real machine (common/os.h) for endpoint overrides, the credential chain and
  // its files, and the signing clock. Null: real_os().
  std::shared_ptr<const Os> os;
};

class AwsContext {
 public:
  AwsContext(const Config& config, AwsContextOptions options = {});

  // The client for `service` in the configured region, or in `region` when one is given
  // (logs and images can live in another region than the cluster); or the reason there cannot
  // be one (no region configured).
  Result<std::shared_ptr<const aws::AwsClient>> client(AwsService service,
                                                       const std::string& region = {});
  const std::string& region() const { return region_; }

 private:
  std::string region_;
  std::string region_error_;
  std::string profile_;
  AwsContextOptions options_;
  std::mutex mu_;
  std::shared_ptr<aws::HttpClient> http_;
  std::shared_ptr<aws::CredentialsProvider> credentials_;
  std::map<std::pair<AwsService, std::string>, std::shared_ptr<const aws::AwsClient>> clients_;
};

// "ListClusters failed: ClusterNotFoundException: ... (HTTP 400, request id ...)" plus a hint
// for the errors users meet most (missing credentials, region, permissions, unknown names).
std::string describe_aws_failure(const std::string& what, const Error& error);

}  // namespace ecs_mcp::ecs
