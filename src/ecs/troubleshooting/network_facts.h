// Gathering what diagnose_network needs for a service, a task or a VPC: the task's subnets,
// security groups and public IP setting; the VPC's route tables, NAT gateways and endpoints;
// the load balancers in front of the service with their listeners and security groups.
// Shared by fetch_network_configuration and detect_image_pull_failures.
//
// Thread-safety: stateless functions over an AwsReader.
#pragma once

#include <string>

#include "common/result.h"
#include "ecs/troubleshooting/action.h"
#include "ecs/troubleshooting/network_diagnosis.h"

namespace ecs_mcp::ecs::troubleshooting {

struct CollectedNetwork {
  NetworkFacts facts;
  std::string vpc_id;
  std::string subject;            // "service web", "task abc", "vpc vpc-123"
  std::string network_mode_note;  // set when the tasks are not awsvpc (no ENI of their own)
  bool survey = false;            // a VPC without a task: every subnet, no task-specific decisions
};

// From ecs_service_name / ecs_task_id (with ecs_cluster_name) or vpc_id.
Result<CollectedNetwork> collect_network(const ActionRequest& request);

}  // namespace ecs_mcp::ecs::troubleshooting
