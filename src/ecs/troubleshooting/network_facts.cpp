#include "ecs/troubleshooting/network_facts.h"

#include <algorithm>
#include <set>

#include "common/json_fields.h"
#include "ecs/troubleshooting/ecs_reads.h"

namespace ecs_mcp::ecs::troubleshooting {

namespace {

void add_unique(std::vector<std::string>& list, const std::string& v) {
  if (!v.empty() && std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
}

json vpc_filter(const std::string& vpc_id) {
  return json::array({{{"Name", "vpc-id"}, {"Values", {vpc_id}}}});
}

// The service's awsvpc settings and load balancer ports into `facts`.
void take_service(const json& service, NetworkFacts& facts, std::string& mode_note) {
  const json awsvpc = service.value("networkConfiguration", json::object())
                          .value("awsvpcConfiguration", json::object());
  if (awsvpc.empty()) {
    mode_note = "service " + string_field(service, "serviceName") +
                " has no awsvpcConfiguration: its tasks use the container instances' network "
                "(bridge/host mode), so the instances' subnets and security groups apply";
  }
  for (const auto& s : awsvpc.value("subnets", json::array())) add_unique(facts.task_subnet_ids, s);
  for (const auto& g : awsvpc.value("securityGroups", json::array())) {
    add_unique(facts.task_security_group_ids, g);
  }
  if (facts.assign_public_ip.empty())
    facts.assign_public_ip = awsvpc.value("assignPublicIp", "DISABLED");
  facts.desired_count = service.value("desiredCount", 0);
  for (const auto& lb : service.value("loadBalancers", json::array())) {
    int port = lb.value("containerPort", 0);
    if (port > 0 && std::find(facts.target_ports.begin(), facts.target_ports.end(), port) ==
                        facts.target_ports.end()) {
      facts.target_ports.push_back(port);
    }
  }
}

}  // namespace

Result<CollectedNetwork> collect_network(const ActionRequest& request) {
  ECS_MCP_RETURN_IF_ERROR(request.require_one_of({"ecs_service_name", "ecs_task_id", "vpc_id"}));
  const AwsReader& aws = request.aws;
  CollectedNetwork out;
  NetworkFacts& facts = out.facts;
  const std::string cluster = request.text("ecs_cluster_name");
  json service;
  std::vector<std::string> eni_ids;

  if (!request.text("ecs_task_id").empty()) {
    ECS_MCP_RETURN_IF_ERROR(request.require({"ecs_cluster_name"}));
    auto tasks = describe_tasks(aws, cluster, {request.text("ecs_task_id")});
    if (!tasks.ok()) return tasks.error();
    if (tasks->empty()) {
      return make_error(ErrorCode::kTaskNotFound, "task " + request.text("ecs_task_id") +
                                                      " was not found in cluster " + cluster);
    }
    const json& task = (*tasks)[0];
    out.subject = "task " + request.text("ecs_task_id");
    for (const auto& a : task.value("attachments", json::array())) {
      if (string_field(a, "type") != "ElasticNetworkInterface") continue;
      for (const auto& d : a.value("details", json::array())) {
        if (string_field(d, "name") == "subnetId")
          add_unique(facts.task_subnet_ids, string_field(d, "value"));
        if (string_field(d, "name") == "networkInterfaceId")
          eni_ids.push_back(string_field(d, "value"));
      }
    }
    const std::string group = string_field(task, "group");
    if (request.text("ecs_service_name").empty() && group.rfind("service:", 0) == 0) {
      auto svc = describe_service(aws, cluster, group.substr(8));
      if (svc.ok()) service = *svc;
    }
  }
  if (!request.text("ecs_service_name").empty()) {
    ECS_MCP_RETURN_IF_ERROR(request.require({"ecs_cluster_name"}));
    ECS_MCP_ASSIGN_OR_RETURN(auto svc,
                             describe_service(aws, cluster, request.text("ecs_service_name")));
    service = svc;
    if (out.subject.empty()) out.subject = "service " + request.text("ecs_service_name");
  }
  if (!eni_ids.empty()) {
    auto enis =
        aws.call(AwsService::kEc2, "DescribeNetworkInterfaces", {{"NetworkInterfaceIds", eni_ids}});
    if (enis.ok()) {
      for (const auto& eni : enis->value("NetworkInterfaces", json::array())) {
        for (const auto& g : eni.value("Groups", json::array())) {
          add_unique(facts.task_security_group_ids, string_field(g, "GroupId"));
        }
        const std::string public_ip =
            string_field(eni.value("Association", json::object()), "PublicIp");
        facts.assign_public_ip = public_ip.empty() ? "DISABLED" : "ENABLED";
        if (out.vpc_id.empty()) out.vpc_id = string_field(eni, "VpcId");
      }
    }
  }
  if (service.is_object()) take_service(service, facts, out.network_mode_note);

  // Load balancers in front of the service.
  std::vector<std::string> lb_subnets, lb_groups;
  if (service.is_object()) {
    ECS_MCP_ASSIGN_OR_RETURN(auto tgs, target_groups_of(aws, service));
    json lb_arns = json::array();
    for (const auto& tg : tgs) {
      if (out.vpc_id.empty()) out.vpc_id = string_field(tg.target_group, "VpcId");
      for (const auto& a : tg.target_group.value("LoadBalancerArns", json::array())) {
        if (std::find(lb_arns.begin(), lb_arns.end(), a) == lb_arns.end()) lb_arns.push_back(a);
      }
    }
    if (!lb_arns.empty()) {
      auto lbs =
          aws.call(AwsService::kElbv2, "DescribeLoadBalancers", {{"LoadBalancerArns", lb_arns}});
      if (!lbs.ok()) return lbs.error();
      facts.load_balancers = lbs->value("LoadBalancers", json::array());
      for (const auto& lb : facts.load_balancers) {
        for (const auto& g : lb.value("SecurityGroups", json::array())) add_unique(lb_groups, g);
        for (const auto& az : lb.value("AvailabilityZones", json::array())) {
          add_unique(lb_subnets, string_field(az, "SubnetId"));
        }
        auto listeners = aws.all_pages(AwsService::kElbv2, "DescribeListeners",
                                       {{"LoadBalancerArn", string_field(lb, "LoadBalancerArn")}});
        if (!listeners.ok()) return listeners.error();
        for (auto& l : (*listeners)["Listeners"]) facts.listeners.push_back(std::move(l));
      }
    }
  }

  // Subnets (the tasks' and the load balancers'), and from them the VPC.
  std::vector<std::string> subnet_ids = facts.task_subnet_ids;
  for (const auto& s : lb_subnets) add_unique(subnet_ids, s);
  if (!subnet_ids.empty()) {
    auto subnets = aws.call(AwsService::kEc2, "DescribeSubnets", {{"SubnetIds", subnet_ids}});
    if (!subnets.ok()) return subnets.error();
    facts.subnets = subnets->value("Subnets", json::array());
    for (const auto& s : facts.subnets) {
      if (out.vpc_id.empty()) out.vpc_id = string_field(s, "VpcId");
    }
  }
  if (!request.text("vpc_id").empty() && out.vpc_id.empty()) out.vpc_id = request.text("vpc_id");
  if (out.subject.empty()) {
    out.subject = "vpc " + out.vpc_id;
    out.survey = true;
    auto subnets =
        aws.all_pages(AwsService::kEc2, "DescribeSubnets", {{"Filters", vpc_filter(out.vpc_id)}});
    if (!subnets.ok()) return subnets.error();
    facts.subnets = subnets->value("Subnets", json::array());
  }
  if (out.vpc_id.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "could not work out the VPC of " + out.subject +
                          (out.network_mode_note.empty() ? "" : ": " + out.network_mode_note) +
                          "; pass parameters.vpc_id");
  }

  const json filter = vpc_filter(out.vpc_id);
  auto rts = aws.all_pages(AwsService::kEc2, "DescribeRouteTables", {{"Filters", filter}});
  if (!rts.ok()) return rts.error();
  facts.route_tables = rts->value("RouteTables", json::array());
  auto eps = aws.all_pages(AwsService::kEc2, "DescribeVpcEndpoints", {{"Filters", filter}});
  if (eps.ok()) facts.vpc_endpoints = eps->value("VpcEndpoints", json::array());
  // DescribeNatGateways names its filter list "Filter" in the model.
  auto nats = aws.all_pages(AwsService::kEc2, "DescribeNatGateways", {{"Filter", filter}});
  if (nats.ok()) facts.nat_gateways = nats->value("NatGateways", json::array());

  std::vector<std::string> groups = facts.task_security_group_ids;
  for (const auto& g : lb_groups) add_unique(groups, g);
  if (!groups.empty()) {
    auto sgs = aws.call(AwsService::kEc2, "DescribeSecurityGroups", {{"GroupIds", groups}});
    if (!sgs.ok()) return sgs.error();
    facts.security_groups = sgs->value("SecurityGroups", json::array());
  }
  return out;
}

}  // namespace ecs_mcp::ecs::troubleshooting
