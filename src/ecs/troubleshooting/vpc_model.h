// The VPC as the network checks see it: security groups and their rules (IPv4 and IPv6
// ranges, prefix lists, source groups), subnets, route tables, NAT gateways, VPC endpoints,
// load balancers and listeners, each read once from the boto3-shaped EC2/ELBv2 responses in
// NetworkFacts. Missing or mistyped fields read as empty, never as an error: the checks work
// with what was described.
//
// Network ACLs are not read: no check uses them.
//
// Thread-safety: plain values; read_vpc_model() is a pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ecs/troubleshooting/network_diagnosis.h"

namespace ecs_mcp::ecs::troubleshooting {

struct SecurityGroupRule {
  std::string protocol;  // IpProtocol: "tcp", "6", "udp", "-1" (all traffic), ...
  int from_port = 0;
  int to_port = 65535;
  std::vector<std::string> source_groups;  // UserIdGroupPairs[].GroupId
  std::vector<std::string> ipv4_ranges;    // IpRanges[].CidrIp
  std::vector<std::string> ipv6_ranges;    // Ipv6Ranges[].CidrIpv6
  std::vector<std::string> prefix_lists;   // PrefixListIds[].PrefixListId
  nlohmann::json described;                // the rule as EC2 described it, quoted in evidence

  bool covers_tcp_port(int port) const;
  // "all traffic", "tcp 443", "tcp 8000-8100".
  std::string ports_text() const;
};

struct SecurityGroup {
  std::string id;
  std::vector<SecurityGroupRule> ingress;
  std::vector<SecurityGroupRule> egress;
};

struct Route {
  std::string ipv4_destination;  // DestinationCidrBlock
  std::string ipv6_destination;  // DestinationIpv6CidrBlock
  std::string target;            // igw-, nat-, tgw-, eni-, pcx-, i-..., "local"
  bool blackhole = false;
};

struct RouteTable {
  std::string id;
  std::vector<std::string> subnet_ids;  // explicit associations
  bool main = false;
  std::vector<Route> routes;
};

struct Subnet {
  std::string id;
  std::string ipv4_cidr;
  std::vector<std::string> ipv6_cidrs;
  int available_ips = -1;  // -1 when not described
};

struct NatGateway {
  std::string id;
  std::string state;
};

struct LoadBalancer {
  std::string name;
  std::string arn;
  std::string scheme;           // internet-facing, internal
  std::string state;            // State.Code; "" when not described
  std::string ip_address_type;  // ipv4, dualstack, dualstack-without-public-ipv4; "" = ipv4
  std::vector<std::string> security_groups;
  std::vector<std::string> subnet_ids;

  bool serves_ipv4_clients() const { return ip_address_type != "dualstack-without-public-ipv4"; }
  bool serves_ipv6_clients() const { return ip_address_type.rfind("dualstack", 0) == 0; }
};

struct Listener {
  std::string load_balancer_arn;
  int port = 0;
};

struct VpcModel {
  std::vector<Subnet> subnets;
  std::vector<RouteTable> route_tables;
  std::vector<SecurityGroup> security_groups;
  std::vector<NatGateway> nat_gateways;
  std::vector<std::string> endpoint_services;  // available ones: "ecr.api", "s3", "logs", ...
  std::vector<LoadBalancer> load_balancers;
  std::vector<Listener> listeners;

  const Subnet* subnet(const std::string& id) const;
  const SecurityGroup* security_group(const std::string& id) const;
  const NatGateway* nat_gateway(const std::string& id) const;
  bool has_endpoint(const std::string& service) const;
  // See default_route_target() in network_diagnosis.h.
  std::string default_route_target(const std::string& subnet_id) const;
};

VpcModel read_vpc_model(const NetworkFacts& facts);
std::vector<RouteTable> read_route_tables(const nlohmann::json& route_tables);
std::vector<std::string> read_endpoint_services(const nlohmann::json& vpc_endpoints);

}  // namespace ecs_mcp::ecs::troubleshooting
