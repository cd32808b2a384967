// Network decisions from boto3-shaped EC2/ELBv2 facts: routes to an internet gateway or NAT,
// public IPs, VPC endpoints, free addresses, the security-group path from the load balancer
// to the container port (by group and by CIDR), and how clients reach the load balancer.
#include "ecs/troubleshooting/network_diagnosis.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ecs_mcp::ecs::troubleshooting {
namespace {

using nlohmann::json;

json route_table(const std::string& id, const std::string& subnet, json default_route,
                 bool main = false) {
  json assoc = json::array();
  if (!subnet.empty())
    assoc.push_back({{"SubnetId", subnet}, {"RouteTableId", id}, {"Main", false}});
  if (main) assoc.push_back({{"RouteTableId", id}, {"Main", true}});
  json routes = json::array(
      {{{"DestinationCidrBlock", "10.0.0.0/16"}, {"GatewayId", "local"}, {"State", "active"}}});
  if (!default_route.is_null()) routes.push_back(default_route);
  return {{"RouteTableId", id}, {"Associations", assoc}, {"Routes", routes}};
}

json sg(const std::string& id, json ingress,
        json egress = json::array({{{"IpProtocol", "-1"},
                                    {"IpRanges", {{{"CidrIp", "0.0.0.0/0"}}}}}})) {
  return {{"GroupId", id}, {"IpPermissions", ingress}, {"IpPermissionsEgress", egress}};
}

json tcp_from_group(int port, const std::string& group) {
  return {{"IpProtocol", "tcp"},
          {"FromPort", port},
          {"ToPort", port},
          {"UserIdGroupPairs", {{{"GroupId", group}}}},
          {"IpRanges", json::array()}};
}

json tcp_from_cidr(int from, int to, const std::string& cidr) {
  return {{"IpProtocol", "tcp"},
          {"FromPort", from},
          {"ToPort", to},
          {"UserIdGroupPairs", json::array()},
          {"IpRanges", {{{"CidrIp", cidr}}}}};
}

NetworkFacts private_service() {
  NetworkFacts f;
  f.task_subnet_ids = {"subnet-priv"};
  f.task_security_group_ids = {"sg-task"};
  f.assign_public_ip = "DISABLED";
  f.target_ports = {8080};
  f.desired_count = 2;
  f.subnets = json::array({{{"SubnetId", "subnet-priv"},
                            {"CidrBlock", "10.0.10.0/24"},
                            {"AvailableIpAddressCount", 200}},
                           {{"SubnetId", "subnet-pub"},
                            {"CidrBlock", "10.0.0.0/24"},
                            {"AvailableIpAddressCount", 200}}});
  f.route_tables = json::array(
      {route_table(
           "rtb-priv", "subnet-priv",
           {{"DestinationCidrBlock", "0.0.0.0/0"}, {"NatGatewayId", "nat-1"}, {"State", "active"}}),
       route_table(
           "rtb-pub", "subnet-pub",
           {{"DestinationCidrBlock", "0.0.0.0/0"}, {"GatewayId", "igw-1"}, {"State", "active"}},
           true)});
  f.nat_gateways = json::array({{{"NatGatewayId", "nat-1"}, {"State", "available"}}});
  f.security_groups = json::array({sg("sg-task", {tcp_from_group(8080, "sg-alb")}),
                                   sg("sg-alb", {tcp_from_cidr(443, 443, "0.0.0.0/0")})});
  f.load_balancers = json::array({{{"LoadBalancerName", "alb"},
                                   {"LoadBalancerArn", "arn:alb"},
                                   {"Scheme", "internet-facing"},
                                   {"State", {{"Code", "active"}}},
                                   {"SecurityGroups", {"sg-alb"}},
                                   {"AvailabilityZones", {{{"SubnetId", "subnet-pub"}}}}}});
  f.listeners = json::array({{{"LoadBalancerArn", "arn:alb"}, {"Port", 443}}});
  return f;
}

bool has(const NetworkDiagnosis& d, const std::string& category) {
  return std::any_of(d.findings.begin(), d.findings.end(),
                     [&](const Finding& f) { return f.category == category; });
}

TEST(NetworkDiagnosis, PrivateSubnetsBehindNatWithTheRightGroupsAreFine) {
  auto d = diagnose_network(private_service());
  EXPECT_TRUE(d.findings.empty()) << to_json(d.findings).dump();
  EXPECT_EQ(d.decisions["task_egress"][0]["via"], "NAT gateway nat-1");
  EXPECT_EQ(d.decisions["load_balancer_to_task"][0]["paths"][0]["allowed"], true);
  EXPECT_NE(d.decisions["load_balancer_to_task"][0]["paths"][0]["rule"].get<std::string>().find(
                "from sg-alb"),
            std::string::npos);
}

TEST(NetworkDiagnosis, NoRouteOutUnlessVpcEndpointsCoverEcr) {
  auto f = private_service();
  f.route_tables[0] = route_table("rtb-priv", "subnet-priv", nullptr);
  auto none = diagnose_network(f);
  ASSERT_TRUE(has(none, "no_route_to_registry"));
  EXPECT_NE(none.findings[0].next_step.find("NAT gateway"), std::string::npos);

  for (const char* s : {"ecr.api", "ecr.dkr", "s3", "logs"}) {
    f.vpc_endpoints.push_back(
        {{"ServiceName", std::string("com.amazonaws.us-east-1.") + s}, {"State", "available"}});
  }
  auto endpoints = diagnose_network(f);
  EXPECT_FALSE(has(endpoints, "no_route_to_registry"));
  EXPECT_TRUE(has(endpoints, "no_internet_route")) << "Docker Hub stays out of reach";
  EXPECT_FALSE(has(endpoints, "no_route_to_logs"));
  EXPECT_EQ(endpoint_services(f.vpc_endpoints),
            (std::vector<std::string>{"ecr.api", "ecr.dkr", "logs", "s3"}));

  f.vpc_endpoints.erase(f.vpc_endpoints.end() - 1);  // no logs endpoint
  EXPECT_TRUE(has(diagnose_network(f), "no_route_to_logs"));
}

TEST(NetworkDiagnosis, PublicSubnetNeedsAPublicIp) {
  auto f = private_service();
  f.task_subnet_ids = {"subnet-pub"};
  auto no_ip = diagnose_network(f);
  ASSERT_TRUE(has(no_ip, "no_route_to_registry"));
  EXPECT_NE(no_ip.findings[0].cause.find("no public IP"), std::string::npos);
  f.assign_public_ip = "ENABLED";
  auto with_ip = diagnose_network(f);
  EXPECT_FALSE(has(with_ip, "no_route_to_registry"));
  EXPECT_EQ(with_ip.decisions["task_egress"][0]["via"], "internet gateway igw-1 with a public IP");
}

TEST(NetworkDiagnosis, PublicIpInAPrivateSubnetIsUnusableAndNatMustBeAvailable) {
  auto f = private_service();
  f.assign_public_ip = "ENABLED";
  EXPECT_TRUE(has(diagnose_network(f), "public_ip_unused"));
  f.nat_gateways[0]["State"] = "failed";
  auto d = diagnose_network(f);
  ASSERT_TRUE(has(d, "no_route_to_registry"));
  EXPECT_NE(d.findings[0].cause.find("failed"), std::string::npos);
  f.route_tables[0]["Routes"][1]["State"] = "blackhole";
  EXPECT_EQ(default_route_target(f.route_tables, "subnet-priv"), "blackhole:nat-1");
}

TEST(NetworkDiagnosis, FreeAddresses) {
  auto f = private_service();
  f.subnets[0]["AvailableIpAddressCount"] = 0;
  EXPECT_TRUE(has(diagnose_network(f), "subnet_exhausted"));
  f.subnets[0]["AvailableIpAddressCount"] = 3;
  EXPECT_TRUE(has(diagnose_network(f), "subnet_low_on_ips"));
}

TEST(NetworkDiagnosis, SecurityGroupPathFromTheLoadBalancer) {
  auto f = private_service();
  f.security_groups[0]["IpPermissions"] = json::array({tcp_from_group(80, "sg-alb")});
  auto wrong_port = diagnose_network(f);
  ASSERT_TRUE(has(wrong_port, "security_group_blocks_lb"));
  EXPECT_EQ(wrong_port.findings[0].severity, Severity::kCritical);
  // A CIDR rule covering the load balancer's subnets also opens the path; one that does not,
  // doesn't.
  f.security_groups[0]["IpPermissions"] = json::array({tcp_from_cidr(8000, 9000, "10.0.0.0/16")});
  EXPECT_FALSE(has(diagnose_network(f), "security_group_blocks_lb"));
  f.security_groups[0]["IpPermissions"] = json::array({tcp_from_cidr(8080, 8080, "10.0.10.0/24")});
  EXPECT_TRUE(has(diagnose_network(f), "security_group_blocks_lb"));
  // All traffic from the group.
  f.security_groups[0]["IpPermissions"] =
      json::array({{{"IpProtocol", "-1"}, {"UserIdGroupPairs", {{{"GroupId", "sg-alb"}}}}}});
  EXPECT_FALSE(has(diagnose_network(f), "security_group_blocks_lb"));
  // The load balancer's own egress.
  f.security_groups[1]["IpPermissionsEgress"] = json::array();
  EXPECT_TRUE(has(diagnose_network(f), "security_group_blocks_lb"));
}

TEST(NetworkDiagnosis, TaskEgressMustAllowHttps) {
  auto f = private_service();
  f.security_groups[0]["IpPermissionsEgress"] =
      json::array({tcp_from_cidr(5432, 5432, "10.0.0.0/16")});
  EXPECT_TRUE(has(diagnose_network(f), "egress_blocked"));
}

TEST(NetworkDiagnosis, ClientsToTheLoadBalancer) {
  auto f = private_service();
  f.listeners = json::array({{{"LoadBalancerArn", "arn:alb"}, {"Port", 80}}});
  EXPECT_TRUE(has(diagnose_network(f), "lb_not_reachable")) << "sg-alb admits 443 only";
  auto g = private_service();
  g.load_balancers[0]["AvailabilityZones"] = json::array({{{"SubnetId", "subnet-priv"}}});
  EXPECT_TRUE(has(diagnose_network(g), "lb_subnet_private"));
  auto h = private_service();
  h.load_balancers[0]["Scheme"] = "internal";
  EXPECT_TRUE(has(diagnose_network(h), "lb_internal"));
}

TEST(NetworkDiagnosis, WithoutALoadBalancer) {
  auto f = private_service();
  f.load_balancers = json::array();
  f.listeners = json::array();
  EXPECT_TRUE(has(diagnose_network(f), "no_public_entry"));
  f.task_subnet_ids = {"subnet-pub"};
  f.assign_public_ip = "ENABLED";
  auto d = diagnose_network(f);
  EXPECT_TRUE(has(d, "security_group_blocks_clients"));
  EXPECT_EQ(d.decisions["direct_access"]["public"], true);
}

TEST(NetworkDiagnosis, Cidrs) {
  EXPECT_TRUE(cidr_contains(*parse_cidr("0.0.0.0/0"), *parse_cidr("10.1.2.0/24")));
  EXPECT_TRUE(cidr_contains(*parse_cidr("10.0.0.0/16"), *parse_cidr("10.0.5.0/24")));
  EXPECT_FALSE(cidr_contains(*parse_cidr("10.0.5.0/24"), *parse_cidr("10.0.0.0/16")));
  EXPECT_FALSE(parse_cidr("10.0.0/16").has_value());
  EXPECT_FALSE(parse_cidr("300.0.0.0/8").has_value());
}

json tcp_from_ipv6(int port, const std::string& cidr) {
  return {{"IpProtocol", "tcp"},
          {"FromPort", port},
          {"ToPort", port},
          {"UserIdGroupPairs", json::array()},
          {"IpRanges", json::array()},
          {"Ipv6Ranges", {{{"CidrIpv6", cidr}}}}};
}

TEST(NetworkDiagnosis, AnIpv6RuleAdmitsIpv6ClientsOfADualStackLoadBalancer) {
  auto f = private_service();
  f.load_balancers[0]["IpAddressType"] = "dualstack";
  auto v4_only = diagnose_network(f);
  EXPECT_FALSE(has(v4_only, "lb_not_reachable")) << "IPv4 clients get in";
  ASSERT_TRUE(has(v4_only, "lb_not_reachable_ipv6")) << to_json(v4_only.findings).dump();
  for (const auto& finding : v4_only.findings) {
    if (finding.category == "lb_not_reachable_ipv6") {
      EXPECT_EQ(finding.severity, Severity::kWarning);
    }
  }

  f.security_groups[1]["IpPermissions"].push_back(tcp_from_ipv6(443, "::/0"));
  auto both = diagnose_network(f);
  EXPECT_TRUE(both.findings.empty()) << to_json(both.findings).dump();

  // A range narrower than the whole internet does not admit every client.
  f.security_groups[1]["IpPermissions"][1] = tcp_from_ipv6(443, "2600:1f18::/32");
  EXPECT_TRUE(has(diagnose_network(f), "lb_not_reachable_ipv6"));
}

TEST(NetworkDiagnosis, AnIpv6OnlyLoadBalancerNeedsAnIpv6Rule) {
  auto f = private_service();
  f.load_balancers[0]["IpAddressType"] = "dualstack-without-public-ipv4";
  f.security_groups[1]["IpPermissions"] = json::array({tcp_from_cidr(443, 443, "0.0.0.0/0")});
  auto d = diagnose_network(f);
  ASSERT_TRUE(has(d, "lb_not_reachable")) << "an IPv4 rule admits no IPv6 client";
  EXPECT_FALSE(has(d, "lb_not_reachable_ipv6"));
  f.security_groups[1]["IpPermissions"] = json::array({tcp_from_ipv6(443, "::/0")});
  EXPECT_TRUE(diagnose_network(f).findings.empty());
}

TEST(NetworkDiagnosis, AnIpv6RuleNeverAdmitsIpv4Sources) {
  auto f = private_service();
  // The task group admits the whole IPv6 internet but not the load balancer's IPv4 subnets.
  f.security_groups[0]["IpPermissions"] = json::array({tcp_from_ipv6(8080, "::/0")});
  auto d = diagnose_network(f);
  EXPECT_TRUE(has(d, "security_group_blocks_lb"));
  EXPECT_EQ(d.decisions["load_balancer_to_task"][0]["paths"][0]["allowed"], false);

  // Without a load balancer, an IPv6-only rule does not open the port to IPv4 clients.
  f.load_balancers = json::array();
  f.listeners = json::array();
  f.task_subnet_ids = {"subnet-pub"};
  f.assign_public_ip = "ENABLED";
  auto direct = diagnose_network(f);
  EXPECT_TRUE(has(direct, "security_group_blocks_clients"));
  EXPECT_EQ(direct.decisions["direct_access"]["ports"][0]["open_to_internet"], false);
}

TEST(NetworkDiagnosis, AnIpv6OnlyEgressRuleDoesNotLetIpv4TrafficOut) {
  auto f = private_service();
  f.security_groups[0]["IpPermissionsEgress"] = json::array({tcp_from_ipv6(443, "::/0")});
  EXPECT_TRUE(has(diagnose_network(f), "egress_blocked"));
  // A prefix list (the S3 gateway endpoint's, say) is a destination.
  f.security_groups[0]["IpPermissionsEgress"] =
      json::array({{{"IpProtocol", "tcp"},
                    {"FromPort", 443},
                    {"ToPort", 443},
                    {"PrefixListIds", {{{"PrefixListId", "pl-63a5400a"}}}}}});
  EXPECT_FALSE(has(diagnose_network(f), "egress_blocked"));
}

TEST(NetworkDiagnosis, Ipv6Cidrs) {
  EXPECT_TRUE(cidr_contains(*parse_cidr("::/0"), *parse_cidr("2600:1f18:abc::/56")));
  EXPECT_FALSE(cidr_contains(*parse_cidr("0.0.0.0/0"), *parse_cidr("2600:1f18:abc::/56")));
  EXPECT_FALSE(parse_cidr("2600:1f18::/129").has_value());
}

}  // namespace
}  // namespace ecs_mcp::ecs::troubleshooting
