// An AWS response as an endpoint (or a proxy, or anything an endpoint override points at)
// returns it, parsed by each protocol. The first byte picks the status (2xx or an error) and
// the x-amzn-RequestId header; the rest is the body. XML bodies also go through xml_to_json
// directly with Query-style and EC2-style hints.
#include <cstddef>
#include <cstdint>
#include <string>

#include "aws/protocols/ec2_query.h"
#include "aws/protocols/json_1_1.h"
#include "aws/protocols/query.h"
#include "aws/protocols/xml_to_json.h"

using namespace ecs_mcp::aws;
using protocols::XmlShapeHints;

namespace {

const XmlShapeHints& query_hints() {
  static const XmlShapeHints h = [] {
    XmlShapeHints h;
    h.lists = {"Stacks", "Outputs", "Tags", "LoadBalancers", "Listeners"};
    h.maps = {"Attributes"};
    h.integers = {"Port", "MaxResults"};
    h.booleans = {"EnableTerminationProtection"};
    h.doubles = {"Weight"};
    return h;
  }();
  return h;
}

const XmlShapeHints& ec2_hints() {
  static const XmlShapeHints h = [] {
    XmlShapeHints h;
    h.capitalize = true;
    h.list_member = "item";
    h.lists = {"subnetSet", "tagSet", "groupSet", "ipPermissions"};
    h.integers = {"fromPort", "toPort"};
    h.booleans = {"isDefault"};
    h.renames = {{"subnetSet", "Subnets"}, {"tagSet", "Tags"}};
    h.renames_in_context = {{"NetworkInterface/tagSet", "TagSet"}};
    return h;
  }();
  return h;
}

// A service error always carries the service's own code.
bool unnamed(const ecs_mcp::Error& e) {
  return e.code == ecs_mcp::ErrorCode::kServiceError && e.service_code.empty();
}

void check(const ecs_mcp::Result<nlohmann::json>& r) {
  if (r.ok()) {
    (void)r->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else if (unnamed(r.error())) {
    __builtin_trap();  // every failure says what it is
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  HttpResponse response;
  static const int kStatuses[] = {200, 400, 403, 500, 503, 302, 204, 429};
  response.status = kStatuses[data[0] & 7];
  if (data[0] & 8) response.headers["x-amzn-requestid"] = "req-1";
  if (data[0] & 16) response.headers["x-amzn-errortype"] = "ThrottlingException:http://x";
  response.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);

  check(query::parse_response(response, "DescribeStacks", query_hints()));
  check(ec2_query::parse_response(response, "DescribeSubnets", ec2_hints()));
  check(json_1_1::parse_response(response));
  if (response.status >= 300) {
    for (const auto& e : {query::parse_error(response), ec2_query::parse_error(response),
                          json_1_1::parse_error(response)}) {
      if (unnamed(e)) __builtin_trap();
    }
  }
  std::string root;
  for (const XmlShapeHints* hints : {&query_hints(), &ec2_hints()}) {
    if (auto v = protocols::xml_to_json(response.body, *hints, &root)) {
      (void)v->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  return 0;
}
