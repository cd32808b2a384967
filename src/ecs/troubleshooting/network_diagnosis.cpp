#include "ecs/troubleshooting/network_diagnosis.h"

#include <algorithm>

#include "ecs/troubleshooting/vpc_model.h"

namespace ecs_mcp::ecs::troubleshooting {

using nlohmann::json;

namespace {

bool starts_with_igw(const std::string& target) { return target.rfind("igw-", 0) == 0; }

// The ingress rule of `groups` admitting tcp `port` from one of `source_groups`, or from one
// range (IPv4 or IPv6) covering every one of `source_cidrs`; "" when none does.
std::string ingress_allowing(const VpcModel& vpc, const std::vector<std::string>& groups, int port,
                             const std::vector<std::string>& source_groups,
                             const std::vector<std::string>& source_cidrs) {
  std::vector<std::optional<Cidr>> sources;
  for (const auto& c : source_cidrs) sources.push_back(Cidr::parse(c));
  auto covers_all = [&](const std::string& range) {
    auto outer = Cidr::parse(range);
    if (!outer || sources.empty()) return false;
    return std::all_of(sources.begin(), sources.end(),
                       [&](const auto& inner) { return inner && outer->contains(*inner); });
  };
  for (const auto& gid : groups) {
    const SecurityGroup* sg = vpc.security_group(gid);
    if (!sg) continue;
    for (const auto& rule : sg->ingress) {
      if (!rule.covers_tcp_port(port)) continue;
      for (const auto& src : rule.source_groups) {
        if (std::find(source_groups.begin(), source_groups.end(), src) != source_groups.end()) {
          return gid + " allows " + rule.ports_text() + " from " + src;
        }
      }
      for (const auto* ranges : {&rule.ipv4_ranges, &rule.ipv6_ranges}) {
        for (const auto& range : *ranges) {
          if (covers_all(range)) return gid + " allows " + rule.ports_text() + " from " + range;
        }
      }
    }
  }
  return "";
}

// Whether `groups` let tcp `port` out to IPv4 destinations: a rule with an IPv4 range, a prefix
// list or a group. A group that was not described is assumed open (no block is claimed).
bool egress_allows(const VpcModel& vpc, const std::vector<std::string>& groups, int port) {
  for (const auto& gid : groups) {
    const SecurityGroup* sg = vpc.security_group(gid);
    if (!sg) return true;
    for (const auto& rule : sg->egress) {
      if (!rule.covers_tcp_port(port)) continue;
      if (!rule.ipv4_ranges.empty() || !rule.prefix_lists.empty() || !rule.source_groups.empty()) {
        return true;
      }
    }
  }
  return false;
}

EgressDecision decide_egress(const VpcModel& vpc, const std::string& assign_public_ip,
                             const std::string& subnet_id) {
  EgressDecision d;
  const std::string target = vpc.default_route_target(subnet_id);
  const bool ecr_endpoints =
      vpc.has_endpoint("ecr.api") && vpc.has_endpoint("ecr.dkr") && vpc.has_endpoint("s3");
  if (starts_with_igw(target)) {
    if (assign_public_ip == "ENABLED") {
      d.internet = d.ecr = d.logs = true;
      d.via = "internet gateway " + target + " with a public IP";
    } else {
      d.problem = "subnet " + subnet_id + " routes 0.0.0.0/0 to internet gateway " + target +
                  " but the task gets no public IP (assignPublicIp " +
                  (assign_public_ip.empty() ? std::string("not set") : assign_public_ip) +
                  "), so it cannot reach the internet";
    }
  } else if (target.rfind("nat-", 0) == 0) {
    const NatGateway* nat = vpc.nat_gateway(target);
    if (nat && nat->state != "available") {
      d.problem = "subnet " + subnet_id + " routes 0.0.0.0/0 to NAT gateway " + target +
                  " which is " + nat->state;
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
  if (!d.logs && vpc.has_endpoint("logs")) d.logs = true;
  return d;
}

// What every check reads and where it writes.
struct Diagnosis {
  const NetworkFacts& facts;
  const VpcModel& vpc;
  NetworkDiagnosis& out;

  void add(Finding finding) { out.findings.push_back(std::move(finding)); }
};

// 1. Egress for image pulls and logs, per task subnet.
void check_task_egress(Diagnosis& d) {
  const NetworkFacts& facts = d.facts;
  json egress = json::array();
  std::vector<std::string> no_internet, no_ecr, no_logs;
  for (const auto& subnet : facts.task_subnet_ids) {
    EgressDecision e = decide_egress(d.vpc, facts.assign_public_ip, subnet);
    egress.push_back({{"subnet", subnet},
                      {"default_route", d.vpc.default_route_target(subnet)},
                      {"internet", e.internet},
                      {"ecr", e.ecr},
                      {"cloudwatch_logs", e.logs},
                      {"via", e.via},
                      {"problem", e.problem}});
    if (!e.internet) no_internet.push_back(e.problem);
    if (!e.ecr) no_ecr.push_back(e.problem);
    if (!e.logs) no_logs.push_back(subnet);
  }
  d.out.decisions["task_egress"] = egress;
  if (!no_ecr.empty()) {
    d.add({Severity::kCritical, "no_route_to_registry",
           "Tasks cannot reach ECR or any registry: " + no_ecr.front() + ".", no_ecr,
           facts.assign_public_ip != "ENABLED" &&
                   starts_with_igw(d.vpc.default_route_target(facts.task_subnet_ids.front()))
               ? "Set assignPublicIp=ENABLED in the service's awsvpcConfiguration, or move the "
                 "tasks to private subnets with a NAT gateway route."
               : "Add a NAT gateway route (0.0.0.0/0) to the subnets' route table, or create VPC "
                 "endpoints for ecr.api, ecr.dkr, s3 (gateway) and logs.",
           no_ecr.size()});
  } else if (!no_internet.empty()) {
    d.add({Severity::kWarning, "no_internet_route",
           "Tasks reach ECR through VPC endpoints but have no route to the internet: images from "
           "Docker Hub or other public registries cannot be pulled.",
           no_internet,
           "Use images from ECR (or an ECR pull-through cache), or add a NAT gateway route.",
           no_internet.size()});
  }
  if (!no_logs.empty() && no_ecr.empty()) {
    d.add({Severity::kError, "no_route_to_logs",
           "Tasks cannot reach CloudWatch Logs from subnets without internet "
           "access: the awslogs driver fails and tasks stop.",
           no_logs, "Create a VPC interface endpoint for logs.", no_logs.size()});
  }
  if (facts.assign_public_ip == "ENABLED") {
    for (const auto& subnet : facts.task_subnet_ids) {
      if (!starts_with_igw(d.vpc.default_route_target(subnet))) {
        d.add({Severity::kInfo,
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
}

// 2. Free IP addresses.
void check_free_ips(Diagnosis& d) {
  json free_ips = json::object();
  for (const auto& id : d.facts.task_subnet_ids) {
    const Subnet* s = d.vpc.subnet(id);
    if (!s) continue;
    int free = s->available_ips;
    free_ips[id] = free;
    if (free == 0) {
      d.add({Severity::kCritical,
             "subnet_exhausted",
             "Subnet " + id +
                 " has no free IP addresses: new tasks cannot "
                 "get a network interface.",
             {"AvailableIpAddressCount: 0"},
             "Add subnets (or larger ones) to the service's awsvpcConfiguration.",
             1});
    } else if (free > 0 && free < std::max(5, d.facts.desired_count)) {
      d.add({Severity::kWarning,
             "subnet_low_on_ips",
             "Subnet " + id + " has only " + std::to_string(free) + " free IP addresses.",
             {"AvailableIpAddressCount: " + std::to_string(free)},
             "Add subnets before scaling out or deploying (deployments need room "
             "for old and new tasks at once).",
             1});
    }
  }
  d.out.decisions["subnet_free_ips"] = free_ips;
}

// 3. Task security groups must allow outbound HTTPS.
void check_task_outbound_https(Diagnosis& d) {
  const auto& groups = d.facts.task_security_group_ids;
  if (groups.empty() || egress_allows(d.vpc, groups, 443)) return;
  d.add({Severity::kCritical, "egress_blocked",
         "The task security groups allow no outbound HTTPS (443): image pulls, "
         "secrets and logs cannot leave the task.",
         groups,
         "Add an outbound rule for tcp 443 (to 0.0.0.0/0 or the endpoints' "
         "security group / prefix lists).",
         1});
}

// 4a. Load balancer -> task: the task groups admit the load balancer (by group, or by its
// subnets' ranges when it has no groups), and the load balancer's groups let the traffic out.
json check_load_balancer_to_task(Diagnosis& d, const LoadBalancer& lb) {
  const NetworkFacts& facts = d.facts;
  std::vector<std::string> lb_cidrs;
  for (const auto& sid : lb.subnet_ids) {
    if (const Subnet* s = d.vpc.subnet(sid)) lb_cidrs.push_back(s->ipv4_cidr);
  }
  const auto& lb_groups = lb.security_groups;
  json paths = json::array();
  for (int port : facts.target_ports) {
    std::string rule =
        ingress_allowing(d.vpc, facts.task_security_group_ids, port, lb_groups, lb_cidrs);
    bool lb_egress = lb_groups.empty() || egress_allows(d.vpc, lb_groups, port);
    paths.push_back(
        {{"container_port", port}, {"allowed", !rule.empty() && lb_egress}, {"rule", rule}});
    if (rule.empty() && !facts.task_security_group_ids.empty()) {
      std::vector<std::string> evidence{
          "load balancer security groups: " +
              (lb_groups.empty() ? std::string("(none: NLB, source is its subnets)")
                                 : json(lb_groups).dump()),
          "task security groups: " + json(facts.task_security_group_ids).dump()};
      for (const auto& gid : facts.task_security_group_ids) {
        if (const SecurityGroup* sg = d.vpc.security_group(gid)) {
          for (const auto& r : sg->ingress)
            evidence.push_back(gid + " ingress: " + r.described.dump());
        }
      }
      d.add({Severity::kCritical, "security_group_blocks_lb",
             "The task security groups do not allow the load balancer " + lb.name +
                 " to reach container port " + std::to_string(port) +
                 ": health checks time out and requests fail.",
             std::move(evidence),
             "Add an inbound rule to the task security group: tcp " + std::to_string(port) +
                 " from " +
                 (lb_groups.empty() ? std::string("the load balancer's subnets")
                                    : "security group " + lb_groups.front()) +
                 ".",
             1});
    } else if (!lb_egress) {
      d.add({Severity::kCritical, "security_group_blocks_lb",
             "The load balancer's security groups allow no outbound traffic to "
             "container port " +
                 std::to_string(port) + ".",
             lb_groups,
             "Allow outbound tcp " + std::to_string(port) +
                 " from the load balancer's security group.",
             1});
    }
  }
  return paths;
}

// 4b. The load balancer itself is active.
void check_load_balancer_state(Diagnosis& d, const LoadBalancer& lb) {
  if (lb.state.empty() || lb.state == "active") return;
  d.add({Severity::kCritical,
         "load_balancer_state",
         "Load balancer " + lb.name + " is " + lb.state + ".",
         {"State: " + lb.state},
         "Wait for it to become active or recreate it.",
         1});
}

// 4c. Clients -> load balancer: each listener port admits internet clients of every address
// family the load balancer serves. Returns the listener ports.
json check_clients_to_load_balancer(Diagnosis& d, const LoadBalancer& lb) {
  json listener_ports = json::array();
  for (const auto& l : d.vpc.listeners) {
    if (l.load_balancer_arn != lb.arn) continue;
    const int port = l.port;
    listener_ports.push_back(port);
    if (lb.scheme != "internet-facing" || lb.security_groups.empty()) continue;
    if (lb.serves_ipv4_clients() &&
        ingress_allowing(d.vpc, lb.security_groups, port, {}, {"0.0.0.0/0"}).empty()) {
      d.add({Severity::kError, "lb_not_reachable",
             "Load balancer " + lb.name + " listens on " + std::to_string(port) +
                 " but its security groups do not admit clients from the "
                 "internet on that port.",
             lb.security_groups,
             "Add an inbound rule tcp " + std::to_string(port) +
                 " from 0.0.0.0/0 (or your clients' range) to the load "
                 "balancer's security group.",
             1});
    }
    if (lb.serves_ipv6_clients() &&
        ingress_allowing(d.vpc, lb.security_groups, port, {}, {"::/0"}).empty()) {
      // With IPv4 too, IPv6 clients fall back to it (slowly); without, they cannot connect.
      const bool only_ipv6 = !lb.serves_ipv4_clients();
      d.add({only_ipv6 ? Severity::kError : Severity::kWarning,
             only_ipv6 ? "lb_not_reachable" : "lb_not_reachable_ipv6",
             "Load balancer " + lb.name + " (" + lb.ip_address_type + ") listens on " +
                 std::to_string(port) +
                 " but its security groups do not admit IPv6 clients from the internet on that "
                 "port.",
             lb.security_groups,
             "Add an inbound rule tcp " + std::to_string(port) +
                 " from ::/0 (or your clients' IPv6 range) to the load balancer's security "
                 "group.",
             1});
    }
  }
  return listener_ports;
}

// 4d. Where the load balancer sits: internet-facing ones need public subnets; internal ones
// are reachable only from inside.
void check_load_balancer_placement(Diagnosis& d, const LoadBalancer& lb) {
  if (lb.scheme == "internet-facing") {
    for (const auto& sid : lb.subnet_ids) {
      const std::string route = d.vpc.default_route_target(sid);
      if (starts_with_igw(route)) continue;
      d.add({Severity::kCritical,
             "lb_subnet_private",
             "Internet-facing load balancer " + lb.name + " sits in subnet " + sid +
                 ", which has no route to an internet gateway.",
             {"default route: " + route},
             "Put internet-facing load balancers in public subnets (default "
             "route to an internet gateway).",
             1});
    }
  } else if (lb.scheme == "internal") {
    d.add({Severity::kInfo,
           "lb_internal",
           "Load balancer " + lb.name +
               " is internal: it is reachable only "
               "from inside the VPC (or connected networks), not from the internet.",
           {"Scheme: internal"},
           "Use an internet-facing load balancer if clients are on the internet.",
           1});
  }
}

// 4e. Listeners were described, but none belongs to this load balancer.
void check_load_balancer_has_listener(Diagnosis& d, const LoadBalancer& lb,
                                      const json& listener_ports) {
  if (d.vpc.listeners.empty() || !listener_ports.empty()) return;
  d.add({Severity::kCritical,
         "lb_no_listener",
         "Load balancer " + lb.name + " has no listener: it accepts no traffic.",
         {"DescribeListeners: none"},
         "Add a listener forwarding to the "
         "service's target group.",
         1});
}

// 4. Load balancer -> task, and clients -> load balancer.
void check_load_balancers(Diagnosis& d) {
  json lb_paths = json::array();
  for (const auto& lb : d.vpc.load_balancers) {
    json paths = check_load_balancer_to_task(d, lb);
    check_load_balancer_state(d, lb);
    json listener_ports = check_clients_to_load_balancer(d, lb);
    check_load_balancer_placement(d, lb);
    check_load_balancer_has_listener(d, lb, listener_ports);
    lb_paths.push_back({{"load_balancer", lb.name},
                        {"scheme", lb.scheme},
                        {"security_groups", lb.security_groups},
                        {"listener_ports", listener_ports},
                        {"paths", std::move(paths)}});
  }
  d.out.decisions["load_balancer_to_task"] = lb_paths;
}

// 5. Without a load balancer: direct reachability.
void check_direct_access(Diagnosis& d) {
  const NetworkFacts& facts = d.facts;
  if (!d.vpc.load_balancers.empty() || facts.task_subnet_ids.empty()) return;
  bool public_reach = facts.assign_public_ip == "ENABLED" &&
                      starts_with_igw(d.vpc.default_route_target(facts.task_subnet_ids.front()));
  json direct = json::array();
  for (int port : facts.target_ports) {
    std::string rule =
        ingress_allowing(d.vpc, facts.task_security_group_ids, port, {}, {"0.0.0.0/0"});
    direct.push_back(
        {{"container_port", port}, {"open_to_internet", !rule.empty()}, {"rule", rule}});
    if (public_reach && rule.empty() && !facts.task_security_group_ids.empty()) {
      d.add({Severity::kError, "security_group_blocks_clients",
             "Tasks have public IPs but their security groups do not admit "
             "port " +
                 std::to_string(port) + " from the internet.",
             facts.task_security_group_ids,
             "Add an inbound rule tcp " + std::to_string(port) +
                 " from your clients' range, or put a load balancer in front.",
             1});
    }
  }
  d.out.decisions["direct_access"] = {{"public", public_reach}, {"ports", direct}};
  if (!public_reach) {
    d.add({Severity::kInfo,
           "no_public_entry",
           "No load balancer and no public IP: the application is reachable "
           "only from inside the VPC.",
           {"assignPublicIp: " + d.out.decisions["assign_public_ip"].get<std::string>()},
           "Put an internet-facing Application Load Balancer in front of the "
           "service to serve clients on the internet.",
           1});
  }
}

}  // namespace

std::optional<Cidr> parse_cidr(const std::string& text) { return Cidr::parse(text); }

bool cidr_contains(const Cidr& outer, const Cidr& inner) { return outer.contains(inner); }

std::string default_route_target(const json& route_tables, const std::string& subnet_id) {
  VpcModel vpc;
  vpc.route_tables = read_route_tables(route_tables);
  return vpc.default_route_target(subnet_id);
}

std::vector<std::string> endpoint_services(const json& vpc_endpoints) {
  return read_endpoint_services(vpc_endpoints);
}

EgressDecision decide_egress(const NetworkFacts& facts, const std::string& subnet_id) {
  return decide_egress(read_vpc_model(facts), facts.assign_public_ip, subnet_id);
}

NetworkDiagnosis diagnose_network(const NetworkFacts& facts) {
  const VpcModel vpc = read_vpc_model(facts);
  NetworkDiagnosis out;
  out.decisions["vpc_endpoints"] = vpc.endpoint_services;
  out.decisions["assign_public_ip"] =
      facts.assign_public_ip.empty() ? "unknown" : facts.assign_public_ip;
  Diagnosis d{facts, vpc, out};
  check_task_egress(d);
  check_free_ips(d);
  check_task_outbound_https(d);
  check_load_balancers(d);
  check_direct_access(d);
  return out;
}

}  // namespace ecs_mcp::ecs::troubleshooting
