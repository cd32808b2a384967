#include "ecs/aws_context.h"

#include "aws/credentials.h"
#include "aws/curl_http_client.h"
#include "aws/services.h"
#include "aws/shared_config.h"

namespace ecs_mcp::ecs {

AwsContext::AwsContext(const Config& config, AwsContextOptions options)
    : region_(config.region),
      region_error_(config.region_error),
      profile_(config.profile),
      options_(std::move(options)) {
  if (!options_.os) options_.os = real_os();
}

Result<std::shared_ptr<const aws::AwsClient>> AwsContext::client(AwsService service,
                                                                 const std::string& region) {
  const std::string& where = region.empty() ? region_ : region;
  if (where.empty()) {
    return make_error(ErrorCode::kNoRegion,
                      region_error_.empty() ? "No AWS region is configured" : region_error_);
  }
  std::lock_guard lock(mu_);
  auto& slot = clients_[{service, where}];
  if (slot) return slot;
  const std::shared_ptr<const Os>& os = options_.os;
  if (!http_) {
    http_ = options_.http ? options_.http
                          : std::make_shared<aws::CurlHttpClient>(
                                aws::CurlHttpClientOptions::from_environment(*os));
  }
  if (!credentials_) {
    if (options_.credentials) {
      credentials_ = options_.credentials;
    } else {
      aws::ChainOptions chain;
      chain.profile = profile_;
      credentials_ = aws::make_default_credentials_chain(os, http_, chain);
    }
  }
  aws::ClientConfig cc;
  cc.region = where;
  cc.credentials = credentials_;
  cc.http = http_;
  cc.retry = aws::RetryOptions::from_environment(*os);
  cc.os = os;
  slot = std::make_shared<const aws::AwsClient>(aws::service_descriptor(service), std::move(cc));
  return slot;
}

std::string describe_aws_failure(const std::string& what, const Error& error) {
  std::string out = what + " failed: " + error.describe();
  const std::string& code = error.service_code;  // empty unless AWS answered
  std::string hint;
  if (error.code == ErrorCode::kNoCredentials || error.code == ErrorCode::kProfileNotFound) {
    hint =
        "Configure AWS credentials for the server: AWS_PROFILE naming a profile in "
        "~/.aws/config or ~/.aws/credentials, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.";
  } else if (error.code == ErrorCode::kNoRegion) {
    hint.clear();  // the message already says how
  } else if (code == "AccessDeniedException" || code == "AccessDenied" ||
             code == "UnauthorizedOperation" || code == "UnrecognizedClientException" ||
             code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" ||
             code == "ExpiredTokenException" || code == "ExpiredToken") {
    hint = "Check that the credentials are valid and that their IAM policy allows this action.";
  } else if (code == "ClusterNotFoundException") {
    hint = "Check the cluster name with ListClusters, and that the server uses the right region.";
  } else if (code == "ServiceNotFoundException" || code == "ServiceNotActiveException") {
    hint = "Check the service name with ListServices for that cluster.";
  } else if (code == "RepositoryNotFoundException") {
    hint = "Check the repository name with ecr:DescribeRepositories.";
  } else if (error.code == ErrorCode::kHttpConnectError || error.code == ErrorCode::kHttpTimeout) {
    hint =
        "The AWS endpoint could not be reached; check network access, proxies "
        "(HTTPS_PROXY/NO_PROXY) and AWS_ENDPOINT_URL.";
  }
  if (!hint.empty()) out += "\n" + hint;
  return out;
}

}  // namespace ecs_mcp::ecs
