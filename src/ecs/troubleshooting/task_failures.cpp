// fetch_task_failures: the cluster's stopped tasks in the window (all pages), each classified
// by task_failure_classifier, grouped into one finding per cause.
#include <map>

#include "common/json_fields.h"
#include "ecs/response_shaping.h"
#include "ecs/troubleshooting/action.h"
#include "ecs/troubleshooting/ecs_reads.h"
#include "ecs/troubleshooting/task_failure_classifier.h"

namespace ecs_mcp::ecs::troubleshooting {

namespace {

json task_summary(const json& task, const TaskFailureClass& c) {
  json containers = json::array();
  for (const auto& ct : task.value("containers", json::array())) {
    json e{{"name", string_field(ct, "name")}, {"lastStatus", string_field(ct, "lastStatus")}};
    if (ct.contains("exitCode")) e["exitCode"] = ct["exitCode"];
    if (ct.contains("reason")) e["reason"] = ct["reason"];
    if (ct.contains("image")) e["image"] = ct["image"];
    containers.push_back(std::move(e));
  }
  json out{{"task_id", arn_tail(string_field(task, "taskArn"))},
           {"task_definition", arn_tail(string_field(task, "taskDefinitionArn"))},
           {"group", string_field(task, "group")},
           {"category", c.category},
           {"is_failure", c.is_failure},
           {"stopCode", string_field(task, "stopCode")},
           {"stoppedReason", string_field(task, "stoppedReason")},
           {"containers", std::move(containers)}};
  for (const char* k : {"createdAt", "startedAt", "stoppedAt", "launchType"}) {
    if (task.contains(k)) out[k] = task[k];
  }
  return out;
}

}  // namespace

Result<ActionReport> run_task_failures(const ActionRequest& request) {
  ECS_MCP_RETURN_IF_ERROR(request.require({"ecs_cluster_name"}));
  const std::string cluster = request.text("ecs_cluster_name");
  const std::string service = request.text("ecs_service_name");
  request.progress(0, 2, "listing stopped tasks");
  // ECS keeps stopped tasks for about an hour; every page of them is read.
  auto tasks = list_and_describe_tasks(request.aws, cluster, service, request.text("family_prefix"),
                                       "STOPPED", 0);
  if (!tasks.ok()) return tasks.error();
  request.progress(1, 2, "classifying");

  struct Group {
    TaskFailureClass example;
    std::vector<std::string> evidence;
    size_t count = 0;
  };
  std::map<std::string, Group> groups;
  std::vector<std::string> order;
  json summaries = json::array();
  std::map<std::string, size_t> by_category;
  size_t examined = 0, failures = 0, outside = 0;
  for (const auto& task : *tasks) {
    double stopped = epoch_seconds(task.value("stoppedAt", json()));
    if (stopped == 0) stopped = epoch_seconds(task.value("createdAt", json()));
    if (stopped != 0 && !request.window.contains(stopped)) {
      ++outside;
      continue;
    }
    ++examined;
    TaskFailureClass c = classify_stopped_task(task);
    ++by_category[c.category];
    if (c.is_failure) ++failures;
    const std::string key = c.category + "|" + c.cause;
    auto [it, inserted] = groups.try_emplace(key);
    if (inserted) {
      order.push_back(key);
      it->second.example = c;
    }
    ++it->second.count;
    if (it->second.evidence.size() < 6) {
      std::string id = arn_tail(string_field(task, "taskArn"));
      for (const auto& e : c.evidence) {
        if (it->second.evidence.size() >= 6) break;
        it->second.evidence.push_back("task " + id + ": " + e);
      }
    }
    if (summaries.size() < request.limit) summaries.push_back(task_summary(task, c));
  }

  ActionReport report;
  for (const auto& key : order) {
    Group& g = groups[key];
    Finding f;
    f.severity = g.example.severity;
    f.category = g.example.category;
    f.cause = g.example.cause;
    if (g.count > 1) f.cause += " (" + std::to_string(g.count) + " tasks)";
    f.evidence = std::move(g.evidence);
    f.next_step = g.example.next_step;
    f.occurrences = g.count;
    report.findings.push_back(std::move(f));
  }
  if (examined == 0) {
    report.findings.push_back({Severity::kInfo,
                               "no_stopped_tasks",
                               "No tasks stopped in cluster " + cluster +
                                   (service.empty() ? "" : " for service " + service) +
                                   " in the time window.",
                               {std::to_string(outside) + " stopped task(s) outside the window"},
                               "Widen time_window (ECS keeps stopped tasks for about an hour), or "
                               "check fetch_service_events if tasks never start at all.",
                               1});
  }
  report.data = {{"cluster", cluster},           {"stopped_tasks_examined", examined},
                 {"failures", failures},         {"not_failures", examined - failures},
                 {"outside_window", outside},    {"by_category", by_category},
                 {"tasks", std::move(summaries)}};
  if (!service.empty()) report.data["service"] = service;
  format_timestamps(report.data);
  return report;
}

}  // namespace ecs_mcp::ecs::troubleshooting
