#include "ecs/troubleshooting/network_diagnosis.h"

#include <algorithm>
#include <set>

#include "common/json_fields.h"

namespace ecs_mcp::ecs::troubleshooting {

using nlohmann::json;

namespace {

int integer(const json& v, const char* key, int fallback) {
  auto it = v.find(key);
  if (it == v.end()) return fallback;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) {
    try {
      return std::stoi(it->get<std::string>());
    } catch (...) {
    }
  }
  return fallback;
}

const json* find_by(const json& list, const char* key, const std::string& value) {
  if (!list.is_array()) return nullptr;
  for (const auto& e : list) {
    if (string_field(e, key) == value) return &e;
  }
  return nullptr;
}

bool rule_covers_port(const json& perm, int port) {
  std::string proto = string_field(perm, "IpProtocol");
  if (proto == "-1") return true;
  if (proto != "tcp" && proto != "6") return false;
  int from = integer(perm, "FromPort", 0), to = integer(perm, "ToPort", 65535);
  return port >= from && port <= to;
}

std::string rule_text(const json& perm) {
  std::string proto = string_field(perm, "IpProtocol");
  if (proto == "-1") return "all traffic";
  int from = integer(perm, "FromPort", 0), to = integer(perm, "ToPort", 65535);
  return proto + " " + std::to_string(from) + (to != from ? "-" + std::to_string(to) : "");
}

// The ingress rule of `groups` admitting `port` from one of `source_groups` or a CIDR covering
// every one of `source_cidrs`; "" when none does.
std::string ingress_allowing(const json& security_groups, const std::vector<std::string>& groups,
                             int port, const std::vector<std::string>& source_groups,
                             const std::vector<std::string>& source_cidrs) {
  for (const auto& gid : groups) {
    const json* sg = find_by(security_groups, "GroupId", gid);
    if (!sg) continue;
    for (const auto& perm : sg->value("IpPermissions", json::array())) {
      if (!rule_covers_port(perm, port)) continue;
      for (const auto& pair : perm.value("UserIdGroupPairs", json::array())) {
        std::string src = string_field(pair, "GroupId");
        if (std::find(source_groups.begin(), source_groups.end(), src) != source_groups.end()) {
          return gid + " allows " + rule_text(perm) + " from " + src;
        }
      }
      for (const auto& range : perm.value("IpRanges", json::array())) {
        auto outer = parse_cidr(string_field(range, "CidrIp"));
        if (!outer) continue;
        bool all = !source_cidrs.empty();
        for (const auto& c : source_cidrs) {
          auto inner = parse_cidr(c);
          if (!inner || !cidr_contains(*outer, *inner)) all = false;
        }
        if (all)
          return gid + " allows " + rule_text(perm) + " from " + string_field(range, "CidrIp");
      }
    }
  }
  return "";
}

bool egress_allows(const json& security_groups, const std::vector<std::string>& groups, int port) {
  for (const auto& gid : groups) {
    const json* sg = find_by(security_groups, "GroupId", gid);
    if (!sg) return true;  // not described: do not claim a block
    for (const auto& perm : sg->value("IpPermissionsEgress", json::array())) {
      if (!rule_covers_port(perm, port)) continue;
      if (!perm.value("IpRanges", json::array()).empty() ||
          !perm.value("PrefixListIds", json::array()).empty() ||
          !perm.value("UserIdGroupPairs", json::array()).empty()) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::optional<Ipv4Cidr> parse_cidr(const std::string& text) {
  unsigned a, b, c, d;
  int prefix = 32;
  char tail = 0;
  int n = std::sscanf(text.c_str(), "%u.%u.%u.%u/%d%c", &a, &b, &c, &d, &prefix, &tail);
  if (n < 4 || n == 6 || a > 255 || b > 255 || c > 255 || d > 255 || prefix < 0 || prefix > 32) {
    return std::nullopt;
  }
  Ipv4Cidr out;
  out.address = (a << 24) | (b << 16) | (c << 8) | d;
  out.prefix = prefix;
  return out;
}

bool cidr_contains(const Ipv4Cidr& outer, const Ipv4Cidr& inner) {
  if (outer.prefix > inner.prefix) return false;
  uint32_t mask = outer.prefix == 0 ? 0 : ~uint32_t{0} << (32 - outer.prefix);
  return (outer.address & mask) == (inner.address & mask);
}

std::string default_route_target(const json& route_tables, const std::string& subnet_id) {
  const json* table = nullptr;
  const json* main = nullptr;
  for (const auto& rt : route_tables) {
    for (const auto& a : rt.value("Associations", json::array())) {
      if (string_field(a, "SubnetId") == subnet_id) table = &rt;
      if (a.value("Main", false)) main = &rt;
    }
  }
  if (!table) table = main;
  if (!table) return "";
  for (const auto& r : table->value("Routes", json::array())) {
    if (string_field(r, "DestinationCidrBlock") != "0.0.0.0/0") continue;
    std::string target;
    for (const char* key : {"NatGatewayId", "GatewayId", "TransitGatewayId", "NetworkInterfaceId",
                            "VpcPeeringConnectionId", "InstanceId"}) {
      if (target.empty()) target = string_field(r, key);
    }
    if (string_field(r, "State") == "blackhole") return "blackhole:" + target;
    return target;
  }
  return "";
}

std::vector<std::string> endpoint_services(const json& vpc_endpoints) {
  std::set<std::string> out;
  for (const auto& e : vpc_endpoints) {
    std::string state = string_field(e, "State");
    if (!state.empty() && state != "available" && state != "Available") continue;
    std::string name = string_field(e, "ServiceName");  // com.amazonaws.<region>.<service>
    size_t first = name.find('.');
    size_t second = first == std::string::npos ? first : name.find('.', first + 1);
    size_t third = second == std::string::npos ? second : name.find('.', second + 1);
    if (third != std::string::npos) out.insert(name.substr(third + 1));
  }
  return {out.begin(), out.end()};
}

EgressDecision decide_egress(const NetworkFacts& facts, const std::string& subnet_id) {
  EgressDecision d;
  const std::string target = default_route_target(facts.route_tables, subnet_id);
  auto endpoints = endpoint_services(facts.vpc_endpoints);
  auto has_ep = [&](const char* s) {
    return std::find(endpoints.begin(), endpoints.end(), s) != endpoints.end();
  };
  const bool ecr_endpoints = has_ep("ecr.api") && has_ep("ecr.dkr") && has_ep("s3");
  if (target.rfind("igw-", 0) == 0) {
    if (facts.assign_public_ip == "ENABLED") {
      d.internet = d.ecr = d.logs = true;
      d.via = "internet gateway " + target + " with a public IP";
    } else {
      d.problem =
          "subnet " + subnet_id + " routes 0.0.0.0/0 to internet gateway " + target +
          " but the task gets no public IP (assignPublicIp " +
          (facts.assign_public_ip.empty() ? std::string("not set") : facts.assign_public_ip) +
          "), so it cannot reach the internet";
    }
  } else if (target.rfind("nat-", 0) == 0) {
    const json* nat = find_by(facts.nat_gateways, "NatGatewayId", target);
    std::string state = nat ? string_field(*nat, "State") : "";
    if (nat && state != "available") {
      d.problem = "subnet " + subnet_id + " routes 0.0.0.0/0 to NAT gateway " + target +
                  " which is " + state;
    } else {
      d.internet = d.ecr = d.logs = true;
      d.via = "NAT gateway " + target;
    }
  } else if (target.rfind("blackhole:", 0) == 0) {
    d.problem = "subnet " + subnet_id + "'s default route is a blackhole (" + target.substr(10) +
                " no longer exists)";
  } else if (!target.empty()) {
    d.internet = d.ecr = d.logs = true;
    d.via = "default route to " + target + " (assumed to reach the internet)";
  } else {
    d.problem = "subnet " + subnet_id +
                " has no default route (0.0.0.0/0): no internet gateway "
                "or NAT gateway";
  }
  if (!d.ecr && ecr_endpoints) {
    d.ecr = true;
    d.via = d.via.empty() ? "VPC endpoints (ecr.api, ecr.dkr, s3)" : d.via;
  }
  if (!d.logs && has_ep("logs")) d.logs = true;
  return d;
}

NetworkDiagnosis diagnose_network(const NetworkFacts& facts) {
  NetworkDiagnosis out;
  json& decisions = out.decisions;
  auto endpoints = endpoint_services(facts.vpc_endpoints);
  decisions["vpc_endpoints"] = endpoints;
  decisions["assign_public_ip"] =
      facts.assign_public_ip.empty() ? "unknown" : facts.assign_public_ip;

  // 1. Egress for image pulls and logs, per task subnet.
  json egress = json::array();
  std::vector<std::string> no_internet, no_ecr, no_logs;
  for (const auto& subnet : facts.task_subnet_ids) {
    EgressDecision d = decide_egress(facts, subnet);
    egress.push_back({{"subnet", subnet},
                      {"default_route", default_route_target(facts.route_tables, subnet)},
                      {"internet", d.internet},
                      {"ecr", d.ecr},
                      {"cloudwatch_logs", d.logs},
                      {"via", d.via},
                      {"problem", d.problem}});
    if (!d.internet) no_internet.push_back(d.problem);
    if (!d.ecr) no_ecr.push_back(d.problem);
    if (!d.logs) no_logs.push_back(subnet);
  }
  decisions["task_egress"] = egress;
  if (!no_ecr.empty()) {
    out.findings.push_back(
        {Severity::kCritical, "no_route_to_registry",
         "Tasks cannot reach ECR or any registry: " + no_ecr.front() + ".", no_ecr,
         facts.assign_public_ip != "ENABLED" &&
                 default_route_target(facts.route_tables, facts.task_subnet_ids.front())
                         .rfind("igw-", 0) == 0
             ? "Set assignPublicIp=ENABLED in the service's awsvpcConfiguration, or move the "
               "tasks to private subnets with a NAT gateway route."
             : "Add a NAT gateway route (0.0.0.0/0) to the subnets' route table, or create VPC "
               "endpoints for ecr.api, ecr.dkr, s3 (gateway) and logs.",
         no_ecr.size()});
  } else if (!no_internet.empty()) {
    out.findings.push_back(
        {Severity::kWarning, "no_internet_route",
         "Tasks reach ECR through VPC endpoints but have no route to the internet: images from "
         "Docker Hub or other public registries cannot be pulled.",
         no_internet,
         "Use images from ECR (or an ECR pull-through cache), or add a NAT gateway route.",
         no_internet.size()});
  }
  if (!no_logs.empty() && no_ecr.empty()) {
    out.findings.push_back({Severity::kError, "no_route_to_logs",
                            "Tasks cannot reach CloudWatch Logs from subnets without internet "
                            "access: the awslogs driver fails and tasks stop.",
                            no_logs, "Create a VPC interface endpoint for logs.", no_logs.size()});
  }
  if (facts.assign_public_ip == "ENABLED") {
    for (const auto& subnet : facts.task_subnet_ids) {
      if (default_route_target(facts.route_tables, subnet).rfind("igw-", 0) != 0) {
        out.findings.push_back({Severity::kInfo,
                                "public_ip_unused",
                                "Tasks get a public IP in " + subnet +
                                    ", which has no route to an "
                                    "internet gateway: the address is unusable.",
                                {"assignPublicIp: ENABLED"},
                                "Turn assignPublicIp off in private subnets.",
                                1});
      }
    }
  }

  // 2. Free IP addresses.
  json free_ips = json::object();
  for (const auto& subnet : facts.task_subnet_ids) {
    const json* s = find_by(facts.subnets, "SubnetId", subnet);
    if (!s) continue;
    int free = integer(*s, "AvailableIpAddressCount", -1);
    free_ips[subnet] = free;
    if (free == 0) {
      out.findings.push_back({Severity::kCritical,
                              "subnet_exhausted",
                              "Subnet " + subnet +
                                  " has no free IP addresses: new tasks cannot "
                                  "get a network interface.",
                              {"AvailableIpAddressCount: 0"},
                              "Add subnets (or larger ones) to the service's awsvpcConfiguration.",
                              1});
    } else if (free > 0 && free < std::max(5, facts.desired_count)) {
      out.findings.push_back(
          {Severity::kWarning,
           "subnet_low_on_ips",
           "Subnet " + subnet + " has only " + std::to_string(free) + " free IP addresses.",
           {"AvailableIpAddressCount: " + std::to_string(free)},
           "Add subnets before scaling out or deploying (deployments need room "
           "for old and new tasks at once).",
           1});
    }
  }
  decisions["subnet_free_ips"] = free_ips;

  // 3. Task security groups must allow outbound HTTPS.
  if (!facts.task_security_group_ids.empty() &&
      !egress_allows(facts.security_groups, facts.task_security_group_ids, 443)) {
    out.findings.push_back({Severity::kCritical, "egress_blocked",
                            "The task security groups allow no outbound HTTPS (443): image pulls, "
                            "secrets and logs cannot leave the task.",
                            facts.task_security_group_ids,
                            "Add an outbound rule for tcp 443 (to 0.0.0.0/0 or the endpoints' "
                            "security group / prefix lists).",
                            1});
  }

  // 4. Load balancer -> task, and clients -> load balancer.
  json lb_paths = json::array();
  for (const auto& lb : facts.load_balancers) {
    const std::string lb_name = string_field(lb, "LoadBalancerName");
    const std::string lb_arn = string_field(lb, "LoadBalancerArn");
    std::vector<std::string> lb_groups;
    for (const auto& g : lb.value("SecurityGroups", json::array())) {
      if (g.is_string()) lb_groups.push_back(g.get<std::string>());
    }
    std::vector<std::string> lb_cidrs;
    std::vector<std::string> lb_subnets;
    for (const auto& az : lb.value("AvailabilityZones", json::array())) {
      std::string sid = string_field(az, "SubnetId");
      lb_subnets.push_back(sid);
      if (const json* s = find_by(facts.subnets, "SubnetId", sid))
        lb_cidrs.push_back(string_field(*s, "CidrBlock"));
    }
    json paths = json::array();
    for (int port : facts.target_ports) {
      std::string rule = ingress_allowing(facts.security_groups, facts.task_security_group_ids,
                                          port, lb_groups, lb_cidrs);
      bool lb_egress = lb_groups.empty() || egress_allows(facts.security_groups, lb_groups, port);
      paths.push_back(
          {{"container_port", port}, {"allowed", !rule.empty() && lb_egress}, {"rule", rule}});
      if (rule.empty() && !facts.task_security_group_ids.empty()) {
        std::vector<std::string> evidence{
            "load balancer security groups: " +
                (lb_groups.empty() ? std::string("(none: NLB, source is its subnets)")
                                   : json(lb_groups).dump()),
            "task security groups: " + json(facts.task_security_group_ids).dump()};
        for (const auto& gid : facts.task_security_group_ids) {
          if (const json* sg = find_by(facts.security_groups, "GroupId", gid)) {
            for (const auto& perm : sg->value("IpPermissions", json::array())) {
              evidence.push_back(gid + " ingress: " + perm.dump());
            }
          }
        }
        out.findings.push_back({Severity::kCritical, "security_group_blocks_lb",
                                "The task security groups do not allow the load balancer " +
                                    lb_name + " to reach container port " + std::to_string(port) +
                                    ": health checks time out and requests fail.",
                                std::move(evidence),
                                "Add an inbound rule to the task security group: tcp " +
                                    std::to_string(port) + " from " +
                                    (lb_groups.empty() ? std::string("the load balancer's subnets")
                                                       : "security group " + lb_groups.front()) +
                                    ".",
                                1});
      } else if (!lb_egress) {
        out.findings.push_back({Severity::kCritical, "security_group_blocks_lb",
                                "The load balancer's security groups allow no outbound traffic to "
                                "container port " +
                                    std::to_string(port) + ".",
                                lb_groups,
                                "Allow outbound tcp " + std::to_string(port) +
                                    " from the load balancer's security group.",
                                1});
      }
    }
    // Clients -> load balancer.
    const std::string scheme = string_field(lb, "Scheme");
    std::string state = string_field(lb.value("State", json::object()), "Code");
    if (!state.empty() && state != "active") {
      out.findings.push_back({Severity::kCritical,
                              "load_balancer_state",
                              "Load balancer " + lb_name + " is " + state + ".",
                              {"State: " + state},
                              "Wait for it to become active or recreate it.",
                              1});
    }
    json listener_ports = json::array();
    for (const auto& l : facts.listeners) {
      if (string_field(l, "LoadBalancerArn") != lb_arn) continue;
      int port = integer(l, "Port", 0);
      listener_ports.push_back(port);
      if (scheme == "internet-facing" && !lb_groups.empty()) {
        std::string rule =
            ingress_allowing(facts.security_groups, lb_groups, port, {}, {"0.0.0.0/0"});
        if (rule.empty()) {
          out.findings.push_back({Severity::kError, "lb_not_reachable",
                                  "Load balancer " + lb_name + " listens on " +
                                      std::to_string(port) +
                                      " but its security groups do not admit clients from the "
                                      "internet on that port.",
                                  lb_groups,
                                  "Add an inbound rule tcp " + std::to_string(port) +
                                      " from 0.0.0.0/0 (or your clients' range) to the load "
                                      "balancer's security group.",
                                  1});
        }
      }
    }
    if (scheme == "internet-facing") {
      for (const auto& sid : lb_subnets) {
        if (default_route_target(facts.route_tables, sid).rfind("igw-", 0) != 0) {
          out.findings.push_back(
              {Severity::kCritical,
               "lb_subnet_private",
               "Internet-facing load balancer " + lb_name + " sits in subnet " + sid +
                   ", which has no route to an internet gateway.",
               {"default route: " + default_route_target(facts.route_tables, sid)},
               "Put internet-facing load balancers in public subnets (default "
               "route to an internet gateway).",
               1});
        }
      }
    } else if (scheme == "internal") {
      out.findings.push_back(
          {Severity::kInfo,
           "lb_internal",
           "Load balancer " + lb_name +
               " is internal: it is reachable only "
               "from inside the VPC (or connected networks), not from the internet.",
           {"Scheme: internal"},
           "Use an internet-facing load balancer if clients are on the internet.",
           1});
    }
    if (facts.listeners.is_array() && !facts.listeners.empty() && listener_ports.empty()) {
      out.findings.push_back(
          {Severity::kCritical,
           "lb_no_listener",
           "Load balancer " + lb_name + " has no listener: it accepts no traffic.",
           {"DescribeListeners: none"},
           "Add a listener forwarding to the "
           "service's target group.",
           1});
    }
    lb_paths.push_back({{"load_balancer", lb_name},
                        {"scheme", scheme},
                        {"security_groups", lb_groups},
                        {"listener_ports", listener_ports},
                        {"paths", std::move(paths)}});
  }
  decisions["load_balancer_to_task"] = lb_paths;

  // 5. Without a load balancer: direct reachability.
  if (facts.load_balancers.empty() && !facts.task_subnet_ids.empty()) {
    bool public_reach =
        facts.assign_public_ip == "ENABLED" &&
        default_route_target(facts.route_tables, facts.task_subnet_ids.front()).rfind("igw-", 0) ==
            0;
    json direct = json::array();
    for (int port : facts.target_ports) {
      std::string rule = ingress_allowing(facts.security_groups, facts.task_security_group_ids,
                                          port, {}, {"0.0.0.0/0"});
      direct.push_back(
          {{"container_port", port}, {"open_to_internet", !rule.empty()}, {"rule", rule}});
      if (public_reach && rule.empty() && !facts.task_security_group_ids.empty()) {
        out.findings.push_back({Severity::kError, "security_group_blocks_clients",
                                "Tasks have public IPs but their security groups do not admit "
                                "port " +
                                    std::to_string(port) + " from the internet.",
                                facts.task_security_group_ids,
                                "Add an inbound rule tcp " + std::to_string(port) +
                                    " from your clients' range, or put a load balancer in front.",
                                1});
      }
    }
    decisions["direct_access"] = {{"public", public_reach}, {"ports", direct}};
    if (!public_reach) {
      out.findings.push_back(
          {Severity::kInfo,
           "no_public_entry",
           "No load balancer and no public IP: the application is reachable "
           "only from inside the VPC.",
           {"assignPublicIp: " + decisions["assign_public_ip"].get<std::string>()},
           "Put an internet-facing Application Load Balancer in front of the "
           "service to serve clients on the internet.",
           1});
    }
  }
  return out;
}

}  // namespace ecs_mcp::ecs::troubleshooting
