#include "aws/services.h"

#include <array>
#include <map>
#include <set>
#include <span>
#include <string>

namespace ecs_mcp::aws {
namespace {

// The row types of service_table.inc: plain constants, so the table costs nothing at start-up
// and a descriptor is built only when a client first needs one.
struct NamePair {
  std::string_view from;
  std::string_view to;
};

struct ServiceRow {
  Service service{};
  std::string_view name{};             // botocore's serviceId, for messages
  std::string_view endpoint_prefix{};  // "ecs", "api.ecr", ...
  std::string_view env_suffix{};       // AWS_ENDPOINT_URL_<env_suffix>
  bool global = false;                 // one endpoint per partition (IAM)
  std::string_view signing_name{};
  Protocol protocol = Protocol::kJson11;
  std::string_view api_version{};
  std::string_view target_prefix{};  // JSON 1.1 only
  // XML shape hints (Query/EC2 responses).
  std::span<const std::string_view> lists{};
  std::span<const std::string_view> maps{};
  std::span<const std::string_view> integers{};
  std::span<const std::string_view> booleans{};
  std::span<const std::string_view> doubles{};
  std::span<const NamePair> renames{};
  std::span<const NamePair> renames_in_context{};
  // EC2 request members whose wire name differs ("Filters" -> "Filter").
  std::span<const NamePair> request_renames{};
};

struct PaginatorRow {
  Service service{};
  std::string_view operation{};
  std::string_view input_token{};
  std::string_view output_token{};
  std::string_view result_keys{};  // space-separated
  std::string_view more_results{};
};

#include "aws/service_table.inc"

constexpr size_t kServiceCount = std::size(kServiceRows);

constexpr bool rows_in_enum_order() {
  for (size_t i = 0; i < kServiceCount; ++i) {
    if (static_cast<size_t>(kServiceRows[i].service) != i) return false;
  }
  return true;
}
static_assert(rows_in_enum_order(), "service_table.inc lists the services in enum order");

std::set<std::string> set_of(std::span<const std::string_view> names) {
  return {names.begin(), names.end()};
}

std::map<std::string, std::string> map_of(std::span<const NamePair> pairs) {
  std::map<std::string, std::string> out;
  for (const auto& [from, to] : pairs) out.emplace(from, to);
  return out;
}

ServiceDescriptor descriptor_of(const ServiceRow& row) {
  ServiceDescriptor service;
  service.name = row.name;
  service.endpoint = {std::string(row.endpoint_prefix), std::string(row.env_suffix), row.global};
  service.signing_name = row.signing_name;
  service.protocol = row.protocol;
  service.api_version = row.api_version;
  service.target_prefix = row.target_prefix;
  auto& hints = service.response_hints;
  hints.lists = set_of(row.lists);
  hints.maps = set_of(row.maps);
  hints.integers = set_of(row.integers);
  hints.booleans = set_of(row.booleans);
  hints.doubles = set_of(row.doubles);
  hints.renames = map_of(row.renames);
  hints.renames_in_context = map_of(row.renames_in_context);
  if (row.protocol == Protocol::kEc2Query) {
    hints.capitalize = true;
    hints.list_member = "item";
  }
  service.request_options.renames = map_of(row.request_renames);
  return service;
}

}  // namespace

const ServiceDescriptor& service_descriptor(Service service) {
  static const auto descriptors = [] {
    std::array<ServiceDescriptor, kServiceCount> all;
    for (size_t i = 0; i < kServiceCount; ++i) all[i] = descriptor_of(kServiceRows[i]);
    return all;
  }();
  return descriptors.at(static_cast<size_t>(service));
}

std::optional<PageSpec> service_paginator(Service service, std::string_view operation) {
  for (const auto& row : kPaginatorRows) {
    if (row.service != service || row.operation != operation) continue;
    PageSpec spec;
    spec.input_token = row.input_token;
    spec.output_token = row.output_token;
    for (std::string_view keys = row.result_keys; !keys.empty();) {
      const size_t space = keys.find(' ');
      spec.result_keys.emplace_back(keys.substr(0, space));
      keys = space == std::string_view::npos ? std::string_view() : keys.substr(space + 1);
    }
    spec.more_results_key = row.more_results;
    return spec;
  }
  return std::nullopt;
}

}  // namespace ecs_mcp::aws
