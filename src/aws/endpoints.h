// Endpoint resolution: which URL a service is called at, and which region signs for it.
//
// Regional services live at <prefix>.<region>.<dns suffix>; IAM is global and signed for
// the partition's home region. The AWS SDK's configuration variables override this:
// AWS_ENDPOINT_URL_<SERVICE> first, then AWS_ENDPOINT_URL (empty values count as unset, as the
// AWS CLI does). The environment is read through the OS seam (common/os.h), so that tests
// never mutate the real process environment.
//
// Thread-safety: pure functions of their inputs and the Os.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "common/os.h"
#include "common/result.h"
#include "common/url.h"

namespace ecs_mcp::aws {

// What the resolver needs to know about a service.
struct EndpointSpec {
  std::string endpoint_prefix;  // "ecs", "logs", "api.ecr", "iam", ...
  std::string env_suffix;       // "ECS" for AWS_ENDPOINT_URL_ECS
  bool global = false;          // one endpoint per partition (IAM)
};

struct ResolvedEndpoint {
  std::string url;             // "https://ecs.us-east-1.amazonaws.com" (no trailing slash)
  std::string signing_region;  // the region the credential scope names
};

// Fails with "InvalidEndpoint" when an override is not an http(s) URL, and with
// NoRegion when no region is known and no override is given.
// True for names shaped like AWS regions (us-east-1, us-gov-west-1, cn-north-1, ...).
bool is_valid_region_name(const std::string& region);

Result<ResolvedEndpoint> resolve_endpoint(const EndpointSpec& spec, const std::string& region,
                                          const Os& os = *real_os());

}  // namespace ecs_mcp::aws
