#include "aws/endpoints.h"

#include <algorithm>
#include <cstdlib>

namespace ecs_mcp::aws {
namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// The partition of a region decides the DNS suffix and where global services sign.
struct Partition {
  std::string dns_suffix;
  std::string global_region;
};

Partition partition_of(const std::string& region) {
  if (starts_with(region, "cn-")) return {"amazonaws.com.cn", "cn-north-1"};
  if (starts_with(region, "us-gov-")) return {"amazonaws.com", "us-gov-west-1"};
  if (starts_with(region, "us-iso-")) return {"c2s.ic.gov", "us-iso-east-1"};
  if (starts_with(region, "us-isob-")) return {"sc2s.sgov.gov", "us-isob-east-1"};
  return {"amazonaws.com", "us-east-1"};
}

std::string strip_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

bool is_valid_region_name(const std::string& region) {
  // us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5, us-isob-east-1, ...:
  // lower-case words joined by '-', ending in a number. The name becomes part of a host
  // name and a signing scope, so nothing else may pass (a task definition's awslogs-region
  // is data from the account, not from the operator).
  if (region.empty() || region.size() > 32) return false;
  size_t dashes = 0;
  for (char c : region) {
    if (c == '-') {
      ++dashes;
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  size_t last = region.rfind('-');
  return dashes >= 2 && region.front() != '-' && last + 1 < region.size() &&
         region.find("--") == std::string::npos &&
         std::all_of(region.begin() + static_cast<std::ptrdiff_t>(last) + 1, region.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

Result<ResolvedEndpoint> resolve_endpoint(const EndpointSpec& spec, const std::string& region,
                                          const Os& os) {
  if (!region.empty() && !is_valid_region_name(region)) {
    return make_error(ErrorCode::kInvalidRegion,
                      "'" + region +
                          "' is not an AWS region name (expected a name such as "
                          "us-east-1)");
  }
  std::optional<std::string> override_url;
  std::string source;
  if (!spec.env_suffix.empty()) {
    source = "AWS_ENDPOINT_URL_" + spec.env_suffix;
    override_url = os.env(source);
  }
  if (!override_url) {
    source = "AWS_ENDPOINT_URL";
    override_url = os.env(source);
  }
  if (override_url) {
    auto url = parse_url(*override_url);
    if (!url.ok() || (url->scheme != "http" && url->scheme != "https")) {
      return make_error(ErrorCode::kInvalidEndpoint,
                        source + " must be an http(s) URL, got '" + *override_url + "'");
    }
    // With a custom endpoint the SDKs sign for the configured region; fall back to the
    // partition's home region so that a missing region does not block local test servers.
    return ResolvedEndpoint{strip_trailing_slash(*override_url),
                            region.empty() ? "us-east-1" : region};
  }

  if (region.empty()) {
    return make_error(ErrorCode::kNoRegion,
                      "no AWS region configured: set AWS_REGION (or region in the AWS profile)");
  }
  Partition partition = partition_of(region);
  if (spec.global) {
    // IAM's global endpoint: iam.amazonaws.com, iam.us-gov.amazonaws.com,
    // iam.cn-north-1.amazonaws.com.cn.
    std::string host;
    if (partition.global_region == "us-east-1") {
      host = spec.endpoint_prefix + "." + partition.dns_suffix;
    } else if (partition.global_region == "us-gov-west-1") {
      host = spec.endpoint_prefix + ".us-gov." + partition.dns_suffix;
    } else {
      host = spec.endpoint_prefix + "." + partition.global_region + "." + partition.dns_suffix;
    }
    return ResolvedEndpoint{"https://" + host, partition.global_region};
  }
  return ResolvedEndpoint{
      "https://" + spec.endpoint_prefix + "." + region + "." + partition.dns_suffix, region};
}

}  // namespace ecs_mcp::aws
