// Network decisions for an ECS workload, from the VPC as EC2 and ELBv2 describe it.
//
// Not a checklist but answers: can the load balancer reach the container port (security
// group path), can the tasks reach registries and CloudWatch Logs (a route to an internet
// gateway with a public IP, a NAT gateway, or VPC endpoints), can clients reach the load
// balancer, and do the subnets have free addresses for new tasks.
//
// Inputs are boto3-shaped EC2/ELBv2 responses; the action that fetches them is
// network_configuration.cpp. The checks read them once into a typed VpcModel (vpc_model.h),
// one function per check; security-group rules count IPv4 and IPv6 ranges alike (cidr.h).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ecs/troubleshooting/cidr.h"
#include "ecs/troubleshooting/findings.h"

namespace ecs_mcp::ecs::troubleshooting {

struct NetworkFacts {
  std::vector<std::string> task_subnet_ids;
  std::vector<std::string> task_security_group_ids;
  std::string assign_public_ip;   // "ENABLED", "DISABLED", or "" when not known
  std::vector<int> target_ports;  // container ports load balancers send traffic to
  int desired_count = 0;
  nlohmann::json subnets = nlohmann::json::array();          // Subnets: task and LB subnets
  nlohmann::json route_tables = nlohmann::json::array();     // RouteTables of the VPC
  nlohmann::json security_groups = nlohmann::json::array();  // SecurityGroups: task and LB
  nlohmann::json vpc_endpoints = nlohmann::json::array();    // VpcEndpoints of the VPC
  nlohmann::json nat_gateways = nlohmann::json::array();     // NatGateways of the VPC
  nlohmann::json load_balancers = nlohmann::json::array();   // LoadBalancers in front of it
  nlohmann::json listeners = nlohmann::json::array();        // Listeners of those
};

struct NetworkDiagnosis {
  nlohmann::json decisions = nlohmann::json::object();
  std::vector<Finding> findings;
};

NetworkDiagnosis diagnose_network(const NetworkFacts& facts);

// Helpers the image-pull check shares.
std::optional<Cidr> parse_cidr(const std::string& text);
bool cidr_contains(const Cidr& outer, const Cidr& inner);

// The target of a subnet's default route (0.0.0.0/0): "igw-...", "nat-...", "tgw-...", ...;
// "" when there is none; "blackhole:<target>" when the route is a blackhole.
std::string default_route_target(const nlohmann::json& route_tables, const std::string& subnet_id);
// Services with an available interface/gateway endpoint: "ecr.api", "ecr.dkr", "s3", "logs"...
std::vector<std::string> endpoint_services(const nlohmann::json& vpc_endpoints);

// How a task in `subnet_id` reaches the internet for image pulls and logs.
struct EgressDecision {
  bool internet = false;  // any registry on the internet
  bool ecr = false;       // ECR (internet or endpoints)
  bool logs = false;      // CloudWatch Logs
  std::string via;        // "internet gateway with public IP", "NAT gateway nat-...", ...
  std::string problem;    // why not, when not
};
EgressDecision decide_egress(const NetworkFacts& facts, const std::string& subnet_id);

}  // namespace ecs_mcp::ecs::troubleshooting
