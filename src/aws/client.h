// AwsClient: one AWS service, called by operation name with JSON in and JSON out.
//
// A ServiceDescriptor says how to reach and speak to a service (endpoint prefix, signing
// name, protocol, API version, JSON target prefix, XML shape hints); AwsClient resolves the
// endpoint once, then for every call builds the request for the protocol, signs it with the
// provider's current credentials, sends it through the HttpClient, retries what the retry
// policy allows (re-signing each attempt), and parses the answer. Every failure is an Error
// keeping the AWS code, message, HTTP status and request id.
//
// Thread-safety: call() and paginate() may run concurrently; the client holds no per-call
// state and its collaborators are required to be thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/http_client.h"
#include "aws/protocols/query.h"
#include "aws/protocols/xml_to_json.h"
#include "aws/retry.h"
#include "common/result.h"

namespace ecs_mcp::aws {

enum class Protocol { kJson11, kQuery, kEc2Query };

struct ServiceDescriptor {
  std::string name;          // for messages: "ECS", "CloudFormation"
  EndpointSpec endpoint;     // prefix, AWS_ENDPOINT_URL_<suffix>, global or regional
  std::string signing_name;  // "ecs", "elasticloadbalancing", ...
  Protocol protocol = Protocol::kJson11;
  std::string api_version;                  // "2014-11-13" (Query/EC2 send it as Version)
  std::string target_prefix;                // JSON 1.1: "AmazonEC2ContainerServiceV20141113"
  protocols::XmlShapeHints response_hints;  // Query/EC2
  query::FlattenOptions request_options;    // Query/EC2
};

struct ClientConfig {
  std::string region;
  std::shared_ptr<CredentialsProvider> credentials;
  std::shared_ptr<HttpClient> http;
  RetryOptions retry;
  // Endpoint overrides (AWS_ENDPOINT_URL...) and the signing time; tests give a FakeOs.
  std::shared_ptr<const Os> os = real_os();
  // False: requests go unsigned and `credentials` is not consulted (STS
  // AssumeRoleWithWebIdentity, whose token is the proof).
  bool sign_requests = true;
};

struct CallOptions {
  std::function<bool()> cancelled;               // polled during transfers and retry waits
  std::stop_token stop;                          // when given, wakes retry waits at once on a stop
  std::chrono::milliseconds timeout{0};          // per attempt; 0 = the transport's default
  std::chrono::milliseconds connect_timeout{0};  // 0 = the transport's default
};

// How an operation pages: botocore's paginator fields.
struct PageSpec {
  std::string input_token;               // "nextToken", "NextToken", "Marker"
  std::string output_token;              // "nextToken", "NextToken", "NextMarker", "Marker"
  std::vector<std::string> result_keys;  // lists concatenated across pages
  // For IAM-style paging: the output field that says more pages exist ("IsTruncated").
  std::string more_results_key;
  size_t max_pages = 100;  // a guard against services that never stop handing out tokens
  size_t max_items = 0;    // 0 = no limit; counted over the first result key
};

class AwsClient {
 public:
  AwsClient(ServiceDescriptor service, ClientConfig config);

  Result<nlohmann::json> call(const std::string& operation, const nlohmann::json& params,
                              const CallOptions& options = {}) const;

  // Calls `operation` repeatedly, feeding each page's output token back as the input token,
  // and returns the first page with the result keys concatenated. When a cap stops it early
  // the output token of the last page is kept in the result so the caller can go on.
  Result<nlohmann::json> paginate(const std::string& operation, nlohmann::json params,
                                  const PageSpec& spec, const CallOptions& options = {}) const;

  const ServiceDescriptor& service() const { return service_; }
  const std::string& region() const { return config_.region; }
  // Empty when the endpoint could not be resolved (calls then fail with that error).
  std::string endpoint_url() const { return endpoint_.ok() ? endpoint_->url : std::string(); }

 private:
  HttpRequest build_request(const std::string& operation, const nlohmann::json& params) const;
  Result<nlohmann::json> parse_response(const std::string& operation,
                                        const HttpResponse& response) const;
  Result<nlohmann::json> attempt(const std::string& operation, const nlohmann::json& params,
                                 const CallOptions& options) const;

  ServiceDescriptor service_;
  ClientConfig config_;
  Result<ResolvedEndpoint> endpoint_;
};

}  // namespace ecs_mcp::aws
