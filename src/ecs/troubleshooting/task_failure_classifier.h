// Why an ECS task stopped, from what DescribeTasks says about it: the task's stopCode and
// stoppedReason, and each container's reason and exitCode.
//
// The classes are the ones users meet: image pulls that fail (and why: missing image, denied,
// no network route, rate limit, wrong platform), resource initialization errors (a missing
// or unreadable secret, a bad log configuration), out of memory (exit 137), segmentation
// faults (exit 139), an essential container that exited, failed ELB or container health
// checks, Spot interruptions, and the stops that are not failures at all (scale-in and
// deployment replacement, a user's StopTask).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ecs/troubleshooting/findings.h"

namespace ecs_mcp::ecs::troubleshooting {

struct TaskFailureClass {
  std::string category;  // "image_pull", "out_of_memory", "scaling_activity", ...
  Severity severity = Severity::kInfo;
  bool is_failure = true;  // false for scale-in, deployments replacing tasks, user stops
  std::string cause;
  std::string next_step;
  std::vector<std::string> evidence;  // the stop code, reason and container lines used
};

// `task` is one element of DescribeTasks' `tasks` (raw or with formatted timestamps).
TaskFailureClass classify_stopped_task(const nlohmann::json& task);

}  // namespace ecs_mcp::ecs::troubleshooting
