#include "ecs/troubleshooting/vpc_model.h"

#include <algorithm>
#include <set>

#include "common/json_fields.h"

namespace ecs_mcp::ecs::troubleshooting {

using nlohmann::json;

namespace {

int integer(const json& v, const char* key, int fallback) {
  if (!v.is_object()) return fallback;
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

// The elements of v[key] when it is an array, else none.
const json& list(const json& v, const char* key) {
  static const json empty = json::array();
  if (!v.is_object()) return empty;
  auto it = v.find(key);
  return it != v.end() && it->is_array() ? *it : empty;
}

SecurityGroupRule read_rule(const json& perm) {
  SecurityGroupRule r;
  r.protocol = string_field(perm, "IpProtocol");
  r.from_port = integer(perm, "FromPort", 0);
  r.to_port = integer(perm, "ToPort", 65535);
  // Every listed element counts, even one missing its id or CIDR: for egress, any destination
  // at all means the rule lets traffic out.
  for (const auto& pair : list(perm, "UserIdGroupPairs")) {
    r.source_groups.push_back(string_field(pair, "GroupId"));
  }
  for (const auto& range : list(perm, "IpRanges"))
    r.ipv4_ranges.push_back(string_field(range, "CidrIp"));
  for (const auto& range : list(perm, "Ipv6Ranges")) {
    r.ipv6_ranges.push_back(string_field(range, "CidrIpv6"));
  }
  for (const auto& pl : list(perm, "PrefixListIds")) {
    r.prefix_lists.push_back(string_field(pl, "PrefixListId"));
  }
  r.described = perm;
  return r;
}

}  // namespace

bool SecurityGroupRule::covers_tcp_port(int port) const {
  if (protocol == "-1") return true;
  if (protocol != "tcp" && protocol != "6") return false;
  return port >= from_port && port <= to_port;
}

std::string SecurityGroupRule::ports_text() const {
  if (protocol == "-1") return "all traffic";
  return protocol + " " + std::to_string(from_port) +
         (to_port != from_port ? "-" + std::to_string(to_port) : "");
}

std::vector<RouteTable> read_route_tables(const json& route_tables) {
  std::vector<RouteTable> out;
  if (!route_tables.is_array()) return out;
  for (const auto& rt : route_tables) {
    RouteTable t;
    t.id = string_field(rt, "RouteTableId");
    for (const auto& a : list(rt, "Associations")) {
      if (std::string subnet = string_field(a, "SubnetId"); !subnet.empty())
        t.subnet_ids.push_back(subnet);
      if (a.is_object() && a.value("Main", false) == true) t.main = true;
    }
    for (const auto& r : list(rt, "Routes")) {
      Route route;
      route.ipv4_destination = string_field(r, "DestinationCidrBlock");
      route.ipv6_destination = string_field(r, "DestinationIpv6CidrBlock");
      for (const char* key :
           {"NatGatewayId", "GatewayId", "TransitGatewayId", "NetworkInterfaceId",
            "VpcPeeringConnectionId", "InstanceId", "EgressOnlyInternetGatewayId"}) {
        if (route.target.empty()) route.target = string_field(r, key);
      }
      route.blackhole = string_field(r, "State") == "blackhole";
      t.routes.push_back(std::move(route));
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<std::string> read_endpoint_services(const json& vpc_endpoints) {
  std::set<std::string> out;
  if (!vpc_endpoints.is_array()) return {};
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

VpcModel read_vpc_model(const NetworkFacts& facts) {
  VpcModel m;
  auto each = [](const json& list, auto&& take) {
    if (!list.is_array()) return;
    for (const auto& e : list) take(e);
  };
  each(facts.subnets, [&](const json& s) {
    Subnet subnet;
    subnet.id = string_field(s, "SubnetId");
    subnet.ipv4_cidr = string_field(s, "CidrBlock");
    for (const auto& a : list(s, "Ipv6CidrBlockAssociationSet")) {
      if (std::string cidr = string_field(a, "Ipv6CidrBlock"); !cidr.empty()) {
        subnet.ipv6_cidrs.push_back(cidr);
      }
    }
    subnet.available_ips = integer(s, "AvailableIpAddressCount", -1);
    m.subnets.push_back(std::move(subnet));
  });
  m.route_tables = read_route_tables(facts.route_tables);
  each(facts.security_groups, [&](const json& g) {
    SecurityGroup sg;
    sg.id = string_field(g, "GroupId");
    for (const auto& perm : list(g, "IpPermissions")) sg.ingress.push_back(read_rule(perm));
    for (const auto& perm : list(g, "IpPermissionsEgress")) sg.egress.push_back(read_rule(perm));
    m.security_groups.push_back(std::move(sg));
  });
  each(facts.nat_gateways, [&](const json& n) {
    m.nat_gateways.push_back({string_field(n, "NatGatewayId"), string_field(n, "State")});
  });
  m.endpoint_services = read_endpoint_services(facts.vpc_endpoints);
  each(facts.load_balancers, [&](const json& l) {
    LoadBalancer lb;
    lb.name = string_field(l, "LoadBalancerName");
    lb.arn = string_field(l, "LoadBalancerArn");
    lb.scheme = string_field(l, "Scheme");
    if (l.is_object() && l.contains("State")) lb.state = string_field(l["State"], "Code");
    lb.ip_address_type = string_field(l, "IpAddressType");
    for (const auto& g : list(l, "SecurityGroups")) {
      if (g.is_string()) lb.security_groups.push_back(g.get<std::string>());
    }
    for (const auto& az : list(l, "AvailabilityZones"))
      lb.subnet_ids.push_back(string_field(az, "SubnetId"));
    m.load_balancers.push_back(std::move(lb));
  });
  each(facts.listeners, [&](const json& l) {
    m.listeners.push_back({string_field(l, "LoadBalancerArn"), integer(l, "Port", 0)});
  });
  return m;
}

const Subnet* VpcModel::subnet(const std::string& id) const {
  for (const auto& s : subnets) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const SecurityGroup* VpcModel::security_group(const std::string& id) const {
  for (const auto& g : security_groups) {
    if (g.id == id) return &g;
  }
  return nullptr;
}

const NatGateway* VpcModel::nat_gateway(const std::string& id) const {
  for (const auto& n : nat_gateways) {
    if (n.id == id) return &n;
  }
  return nullptr;
}

bool VpcModel::has_endpoint(const std::string& service) const {
  return std::find(endpoint_services.begin(), endpoint_services.end(), service) !=
         endpoint_services.end();
}

std::string VpcModel::default_route_target(const std::string& subnet_id) const {
  const RouteTable* table = nullptr;
  const RouteTable* main = nullptr;
  for (const auto& rt : route_tables) {
    if (std::find(rt.subnet_ids.begin(), rt.subnet_ids.end(), subnet_id) != rt.subnet_ids.end()) {
      table = &rt;
    }
    if (rt.main) main = &rt;
  }
  if (!table) table = main;
  if (!table) return "";
  for (const auto& r : table->routes) {
    if (r.ipv4_destination != "0.0.0.0/0") continue;
    return r.blackhole ? "blackhole:" + r.target : r.target;
  }
  return "";
}

}  // namespace ecs_mcp::ecs::troubleshooting
