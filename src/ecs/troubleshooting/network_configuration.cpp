// fetch_network_configuration: network decisions for a service, a task or a whole VPC
// (security-group path from the load balancer, routes for image pulls and logs, public IPs,
// VPC endpoints, free addresses), with the VPC facts they rest on.
#include <algorithm>

#include "common/json_fields.h"
#include "ecs/troubleshooting/action.h"
#include "ecs/troubleshooting/network_diagnosis.h"
#include "ecs/troubleshooting/network_facts.h"

namespace ecs_mcp::ecs::troubleshooting {

namespace {

json subnet_table(const NetworkFacts& facts) {
  json out = json::array();
  for (const auto& s : facts.subnets) {
    const std::string id = string_field(s, "SubnetId");
    const std::string route = default_route_target(facts.route_tables, id);
    std::string kind = route.rfind("igw-", 0) == 0   ? "public"
                       : route.rfind("nat-", 0) == 0 ? "private (NAT)"
                       : route.empty()               ? "isolated"
                                                     : "other (" + route + ")";
    out.push_back({{"subnet_id", id},
                   {"cidr", string_field(s, "CidrBlock")},
                   {"availability_zone", string_field(s, "AvailabilityZone")},
                   {"free_ips", s.value("AvailableIpAddressCount", -1)},
                   {"map_public_ip_on_launch", s.value("MapPublicIpOnLaunch", false)},
                   {"default_route", route},
                   {"kind", kind}});
  }
  return out;
}

std::vector<Finding> survey_findings(const NetworkFacts& facts) {
  std::vector<Finding> out;
  bool any_internet = false;
  for (const auto& s : facts.subnets) {
    const std::string id = string_field(s, "SubnetId");
    const std::string route = default_route_target(facts.route_tables, id);
    if (route.rfind("igw-", 0) == 0 || route.rfind("nat-", 0) == 0) any_internet = true;
    if (route.rfind("blackhole:", 0) == 0) {
      out.push_back({Severity::kCritical,
                     "blackhole_route",
                     "Subnet " + id + "'s default route points at " + route.substr(10) +
                         ", which no longer exists.",
                     {"route 0.0.0.0/0 -> " + route.substr(10) + " (blackhole)"},
                     "Point the route at a working NAT or internet gateway.",
                     1});
    }
    if (s.value("AvailableIpAddressCount", -1) == 0) {
      out.push_back({Severity::kCritical,
                     "subnet_exhausted",
                     "Subnet " + id + " has no free IP addresses.",
                     {"AvailableIpAddressCount: 0"},
                     "Use other subnets for tasks.",
                     1});
    }
  }
  auto endpoints = endpoint_services(facts.vpc_endpoints);
  if (!any_internet && !facts.subnets.empty()) {
    bool ecr = std::find(endpoints.begin(), endpoints.end(), "ecr.dkr") != endpoints.end();
    out.push_back(
        {ecr ? Severity::kWarning : Severity::kCritical,
         "vpc_no_internet",
         "No subnet of the VPC routes to an internet gateway or NAT gateway" +
             std::string(ecr ? "; only VPC endpoints reach AWS services."
                             : " and there are no ECR endpoints: tasks cannot pull images."),
         {"VPC endpoints: " + json(endpoints).dump()},
         "Add an internet gateway and public subnets (with a NAT gateway for private "
         "ones), or VPC endpoints for ecr.api, ecr.dkr, s3 and logs.",
         1});
  }
  if (out.empty()) {
    out.push_back({Severity::kInfo,
                   "vpc_ok",
                   "The VPC's subnets have routes out and free addresses.",
                   {},
                   "Pass ecs_service_name or ecs_task_id for decisions about a workload.",
                   1});
  }
  return out;
}

}  // namespace

Result<ActionReport> run_network_configuration(const ActionRequest& request) {
  request.progress(0, 2, "reading the network");
  auto collected = collect_network(request);
  if (!collected.ok()) return collected.error();
  const NetworkFacts& facts = collected->facts;
  request.progress(1, 2, "deciding");

  ActionReport report;
  json decisions;
  if (collected->survey) {
    report.findings = survey_findings(facts);
  } else {
    NetworkDiagnosis d = diagnose_network(facts);
    report.findings = std::move(d.findings);
    decisions = std::move(d.decisions);
    if (report.findings.empty()) {
      report.findings.push_back({Severity::kInfo,
                                 "network_ok",
                                 "The network path looks right for " + collected->subject +
                                     ": routes out, security groups and addresses check out.",
                                 {},
                                 "Look at target health (fetch_service_events) and the "
                                 "application's logs next.",
                                 1});
    }
  }
  if (!collected->network_mode_note.empty()) {
    report.findings.push_back({Severity::kInfo,
                               "not_awsvpc",
                               collected->network_mode_note,
                               {},
                               "Check the container instances' security groups and subnets.",
                               1});
  }
  json security_groups = json::array();
  for (const auto& sg : facts.security_groups) {
    security_groups.push_back(
        {{"GroupId", string_field(sg, "GroupId")},
         {"GroupName", string_field(sg, "GroupName")},
         {"IpPermissions", sg.value("IpPermissions", json::array())},
         {"IpPermissionsEgress", sg.value("IpPermissionsEgress", json::array())}});
  }
  json lbs = json::array();
  for (const auto& lb : facts.load_balancers) {
    lbs.push_back({{"LoadBalancerName", string_field(lb, "LoadBalancerName")},
                   {"DNSName", string_field(lb, "DNSName")},
                   {"Scheme", string_field(lb, "Scheme")},
                   {"Type", string_field(lb, "Type")},
                   {"SecurityGroups", lb.value("SecurityGroups", json::array())}});
  }
  json nats = json::array();
  for (const auto& n : facts.nat_gateways) {
    nats.push_back({{"NatGatewayId", string_field(n, "NatGatewayId")},
                    {"State", string_field(n, "State")},
                    {"SubnetId", string_field(n, "SubnetId")}});
  }
  report.data = {{"subject", collected->subject},
                 {"vpc_id", collected->vpc_id},
                 {"task_network",
                  {{"subnets", facts.task_subnet_ids},
                   {"security_groups", facts.task_security_group_ids},
                   {"assign_public_ip", facts.assign_public_ip},
                   {"target_ports", facts.target_ports}}},
                 {"subnets", subnet_table(facts)},
                 {"security_groups", std::move(security_groups)},
                 {"load_balancers", std::move(lbs)},
                 {"nat_gateways", std::move(nats)},
                 {"vpc_endpoints", endpoint_services(facts.vpc_endpoints)}};
  if (!decisions.is_null()) report.data["decisions"] = std::move(decisions);
  return report;
}

}  // namespace ecs_mcp::ecs::troubleshooting
