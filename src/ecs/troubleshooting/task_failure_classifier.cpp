#include "ecs/troubleshooting/task_failure_classifier.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/json_fields.h"
#include "ecs/troubleshooting/text_match.h"

namespace ecs_mcp::ecs::troubleshooting {

using nlohmann::json;

namespace {

std::optional<int> exit_code(const json& container) {
  auto it = container.find("exitCode");
  if (it == container.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int>();
}

TaskFailureClass make(const char* category, Severity severity, std::string cause,
                      std::string next_step, bool is_failure = true) {
  TaskFailureClass c;
  c.category = category;
  c.severity = severity;
  c.cause = std::move(cause);
  c.next_step = std::move(next_step);
  c.is_failure = is_failure;
  return c;
}

TaskFailureClass image_pull(const std::string& text) {
  const std::string t = ascii_lower(text);
  if (has(t, {"toomanyrequests", "rate limit"})) {
    return make(
        "image_pull", Severity::kCritical,
        "The image pull hit the registry's rate limit (Docker Hub limits anonymous pulls).",
        "Copy the image to ECR (or use ECR Public / a pull-through cache rule), or give the "
        "task repositoryCredentials for an authenticated Docker Hub account.");
  }
  if (has(t, {"no matching manifest", "platform", "exec format error"})) {
    return make("image_pull", Severity::kCritical,
                "The image has no variant for the task's CPU architecture/OS.",
                "Build the image for the task's runtimePlatform (e.g. linux/amd64 or linux/arm64) "
                "or set runtimePlatform to match the image.");
  }
  if (has(t, {"i/o timeout", "dial tcp", "context deadline exceeded", "connection timed out",
              "request canceled while waiting for connection", "timeout"})) {
    return make("image_pull", Severity::kCritical,
                "The task could not reach the registry: its subnet has no route to the internet "
                "or to ECR VPC endpoints.",
                "Run fetch_network_configuration: give the task a public IP in a subnet routed to "
                "an internet gateway, a NAT gateway route, or VPC endpoints for ecr.api, ecr.dkr "
                "and an S3 gateway endpoint.");
  }
  if (has(t, {"no space left on device"})) {
    return make(
        "image_pull", Severity::kCritical, "The image did not fit on the task's storage.",
        "Increase ephemeralStorage (Fargate) or the instance's volume, or shrink the image.");
  }
  if (has(t, {"accessdenied", "access denied", "not authorized", "unauthorized",
              "no basic auth credentials", "pull access denied", "403 forbidden", "denied"})) {
    if (has(t, {"does not exist", "not found", "repository"}) && has(t, {"pull access denied"})) {
      return make("image_pull", Severity::kCritical,
                  "The image repository does not exist or the task may not pull from it.",
                  "Check the image name in the task definition (account, region, repository); for "
                  "a private registry add repositoryCredentials; run detect_image_pull_failures.");
    }
    return make("image_pull", Severity::kCritical,
                "The task was denied access to the image: the task execution role lacks ECR pull "
                "permissions, or the registry's credentials are missing or wrong.",
                "Attach AmazonECSTaskExecutionRolePolicy (ecr:GetAuthorizationToken, "
                "ecr:BatchGetImage, ecr:GetDownloadUrlForLayer) to the execution role, check the "
                "repository policy for cross-account pulls, or fix repositoryCredentials; run "
                "detect_image_pull_failures.");
  }
  if (has(t, {"not found", "manifest unknown", "does not exist", "name unknown"})) {
    return make("image_pull", Severity::kCritical,
                "The image or its tag does not exist in the registry.",
                "Push the image with that tag (or correct the tag/digest in the task definition) "
                "and check the repository is in the account and region the image URI names; run "
                "detect_image_pull_failures.");
  }
  return make("image_pull", Severity::kCritical, "The container image could not be pulled.",
              "Run detect_image_pull_failures to check the image, the execution role and the "
              "network path to the registry.");
}

TaskFailureClass resource_initialization(const std::string& text) {
  const std::string t = ascii_lower(text);
  if (has(t, {"secret", "ssm", "parameter"})) {
    if (has(t, {"accessdenied", "access denied", "not authorized", "kms"})) {
      return make(
          "missing_secret", Severity::kCritical,
          "The task execution role may not read a secret the task definition references "
          "(secrets / repositoryCredentials).",
          "Allow the execution role secretsmanager:GetSecretValue / ssm:GetParameters "
          "(and kms:Decrypt for a customer key) on exactly the ARNs in the task definition.");
    }
    if (has(t, {"timeout", "i/o timeout", "dial tcp", "context deadline"})) {
      return make("missing_secret", Severity::kCritical,
                  "The task could not reach Secrets Manager / SSM to fetch its secrets: no route "
                  "to the internet or to the VPC endpoints.",
                  "Run fetch_network_configuration; add a NAT route, a public IP, or VPC endpoints "
                  "for secretsmanager / ssm.");
    }
    return make("missing_secret", Severity::kCritical,
                "A secret or parameter the task definition references does not exist (wrong ARN, "
                "name, version or region).",
                "Create the secret/parameter or fix its ARN in the task definition's secrets, "
                "then start new tasks.");
  }
  if (has(t, {"log group", "logs", "logger", "createlogstream"})) {
    return make("resource_initialization", Severity::kCritical,
                "The awslogs log driver could not be set up: the log group is missing or the "
                "execution role may not write to it.",
                "Create the log group (or set awslogs-create-group=true with logs:CreateLogGroup) "
                "and allow the execution role logs:CreateLogStream and logs:PutLogEvents.");
  }
  if (has(t, {"registry auth", "ecr", "authorization token"})) {
    return make("resource_initialization", Severity::kCritical,
                "The task could not get registry credentials (ECR authorization token).",
                "Check the execution role's ecr:GetAuthorizationToken permission and the network "
                "path to ECR (fetch_network_configuration).");
  }
  if (has(t, {"efs", "volume", "mount"})) {
    return make("resource_initialization", Severity::kCritical,
                "A volume (EFS mount) the task needs could not be attached.",
                "Allow NFS (2049) from the task's security group to the EFS mount targets and "
                "check the access point and IAM authorization.");
  }
  return make("resource_initialization", Severity::kCritical,
              "The task's resources (secrets, logs, registry auth or volumes) could not be "
              "initialized.",
              "Read the full reason below; check the execution role and the network path.");
}

}  // namespace

TaskFailureClass classify_stopped_task(const json& task) {
  const std::string stop_code = string_field(task, "stopCode");
  const std::string reason = string_field(task, "stoppedReason");
  std::string all_text = reason;
  std::vector<std::string> evidence;
  if (!stop_code.empty()) evidence.push_back("stopCode: " + stop_code);
  if (!reason.empty()) evidence.push_back("stoppedReason: " + reason);

  const json containers = task.value("containers", json::array());
  for (const auto& c : containers) {
    std::string line;
    if (auto code = exit_code(c)) line += "exitCode " + std::to_string(*code);
    std::string r = string_field(c, "reason");
    if (!r.empty()) {
      all_text += "\n" + r;
      line += (line.empty() ? "" : ", ") + std::string("reason: ") + r;
    }
    if (!line.empty()) evidence.push_back("container " + string_field(c, "name") + ": " + line);
  }
  const std::string t = ascii_lower(all_text);

  auto done = [&](TaskFailureClass c) {
    c.evidence = evidence;
    return c;
  };

  if (has(t, {"cannotpullcontainererror", "pull image manifest", "failed to pull",
              "error pulling image", "imagepull"})) {
    return done(image_pull(all_text));
  }
  if (has(t, {"resourceinitializationerror", "unable to retrieve secret", "unable to pull secrets",
              "fetching secret data"})) {
    return done(resource_initialization(all_text));
  }
  if (has(t, {"cannotstartcontainererror", "cannotcreatecontainererror"})) {
    return done(make("container_start", Severity::kCritical,
                     "The container runtime could not create or start the container (bad command, "
                     "entryPoint, user, mount or resource setting).",
                     "Check the container definition's command/entryPoint, user, mount points and "
                     "ulimits against the reason below."));
  }
  if (stop_code == "SpotInterruption" || has(t, {"spot interruption", "spot instance"})) {
    return done(make("spot_interruption", Severity::kWarning,
                     "Spot capacity was reclaimed; the task was interrupted, not broken.",
                     "Nothing in the application to fix. Mix FARGATE/on-demand capacity into the "
                     "capacity provider strategy if interruptions hurt availability.",
                     /*is_failure=*/false));
  }
  if (has(t, {"outofmemoryerror", "out of memory", "oomkilled"})) {
    return done(make("out_of_memory", Severity::kCritical,
                     "A container ran out of memory and was killed (OutOfMemoryError, exit 137).",
                     "Raise the task/container memory (or memoryReservation headroom), or reduce "
                     "the application's memory use (heap size, caches, leaks)."));
  }
  if (has(t, {"failed elb health checks", "failed elb health check"})) {
    return done(make("elb_health_check_failed", Severity::kError,
                     "The load balancer marked the task unhealthy and ECS replaced it.",
                     "Run fetch_service_events for target health reason codes; check the health "
                     "check path/port/matcher, the grace period and that the security group lets "
                     "the load balancer reach the container port."));
  }
  if (has(t, {"failed container health checks", "container health check"})) {
    return done(
        make("health_check_failed", Severity::kError,
             "The container's own HEALTHCHECK command kept failing, so ECS stopped the task.",
             "Run the health check command by hand in the image; make sure the tool it "
             "uses (curl, wget) exists in the image, and raise startPeriod if the "
             "application starts slowly."));
  }
  if (has(t, {"scaling activity initiated by"}) ||
      (stop_code == "ServiceSchedulerInitiated" && has(t, {"scale", "deployment"}) &&
       !has(t, {"health check", "unhealthy"}))) {
    return done(make("scaling_activity", Severity::kInfo,
                     "The service scheduler stopped the task for a scale-in or to replace it "
                     "during a deployment: normal operation, not a failure.",
                     "Nothing to fix.", /*is_failure=*/false));
  }
  if (stop_code == "UserInitiated" && !has(t, {"essential container", "error"})) {
    return done(make("user_stopped", Severity::kInfo,
                     "Someone (or an automation) stopped the task with StopTask.",
                     "Nothing to fix unless the stop was unexpected; CloudTrail's StopTask events "
                     "say who.",
                     /*is_failure=*/false));
  }
  if (has(t, {"host ec2", "instance", "terminationnotice", "was terminated"}) &&
      has(t, {"terminat", "stopped", "draining"})) {
    return done(make("host_terminated", Severity::kWarning,
                     "The EC2 instance running the task was stopped, terminated or drained.",
                     "Check the Auto Scaling group's activity; enable managed termination "
                     "protection / draining so tasks move before instances go.",
                     /*is_failure=*/false));
  }

  // Exit codes of the containers that stopped, worst first.
  for (const auto& c : containers) {
    auto code = exit_code(c);
    if (!code) continue;
    const std::string name = string_field(c, "name");
    if (*code == 137) {
      return done(
          make("out_of_memory", Severity::kCritical,
               "Container " + name +
                   " was killed with SIGKILL (exit 137), which on ECS "
                   "almost always means it exceeded its memory limit.",
               "Raise the container/task memory or reduce the application's memory use; "
               "if it ignored SIGTERM during a stop, handle SIGTERM or lower stopTimeout."));
    }
    if (*code == 139) {
      return done(
          make("segmentation_fault", Severity::kCritical,
               "Container " + name + " crashed with a segmentation fault (exit 139, SIGSEGV).",
               "Check the application's logs (fetch_task_logs) and native libraries; a "
               "binary built for another libc/architecture also crashes this way."));
    }
  }
  for (const auto& c : containers) {
    auto code = exit_code(c);
    if (!code || *code == 0 || *code == 137 || *code == 139 || *code == 143) continue;
    return done(make("application_error", Severity::kCritical,
                     "Container " + string_field(c, "name") + " exited with code " +
                         std::to_string(*code) + ": the application failed at run time.",
                     "Read its logs (fetch_task_logs) for the error; check configuration it reads "
                     "at start-up (environment, secrets, dependencies it connects to)."));
  }
  if (has(t, {"essential container in task exited"})) {
    bool exited_zero = false;
    for (const auto& c : containers) {
      if (auto code = exit_code(c); code && *code == 0) exited_zero = true;
    }
    if (exited_zero) {
      return done(make("essential_container_exited", Severity::kError,
                       "An essential container's main process finished (exit 0), so the task "
                       "stopped; a service task must keep running.",
                       "Run the server in the foreground (no daemonizing, no one-shot command); "
                       "mark sidecars that are meant to finish essential=false."));
    }
    return done(make("essential_container_exited", Severity::kCritical,
                     "An essential container exited, which stops the whole task.",
                     "Read the container's logs (fetch_task_logs) for why it exited; check its "
                     "command, configuration and memory."));
  }
  for (const auto& c : containers) {
    if (auto code = exit_code(c); code && *code == 143) {
      return done(make("terminated", Severity::kInfo,
                       "Container " + string_field(c, "name") +
                           " exited on SIGTERM (143): it was asked to stop.",
                       "Nothing to fix if the task was being replaced or scaled in.",
                       /*is_failure=*/false));
    }
  }
  if (has(t, {"network interface", "eni", "subnet", "ip address"})) {
    return done(make("network_provisioning", Severity::kCritical,
                     "The task's network interface could not be provisioned (subnet out of IP "
                     "addresses, ENI limits or a bad subnet/security group).",
                     "Run fetch_network_configuration for subnet free IPs; use larger or more "
                     "subnets."));
  }
  if (stop_code == "TaskFailedToStart") {
    return done(make("failed_to_start", Severity::kCritical, "The task failed to start.",
                     "Read the stoppedReason below; run detect_image_pull_failures and "
                     "fetch_network_configuration."));
  }
  if (stop_code == "EssentialContainerExited") {
    return done(make("essential_container_exited", Severity::kCritical,
                     "An essential container exited, which stops the whole task.",
                     "Read the container's logs (fetch_task_logs) for why it exited."));
  }
  if (stop_code == "UserInitiated" || has(t, {"task stopped by user", "stopped by user"})) {
    return done(make("user_stopped", Severity::kInfo, "The task was stopped with StopTask.",
                     "Nothing to fix unless the stop was unexpected.", /*is_failure=*/false));
  }
  return done(make("unknown", Severity::kWarning,
                   reason.empty() ? "The task stopped without a reason ECS recorded."
                                  : "The task stopped: " + reason,
                   "Read the task's logs (fetch_task_logs) around its stop time."));
}

}  // namespace ecs_mcp::ecs::troubleshooting
