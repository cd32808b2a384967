// Every stop classification, from the fields DescribeTasks returns (stopCode, stoppedReason,
// container reason and exitCode) as ECS writes them.
#include "ecs/troubleshooting/task_failure_classifier.h"

#include <gtest/gtest.h>

namespace ecs_mcp::ecs::troubleshooting {
namespace {

using nlohmann::json;

json task(const std::string& stop_code, const std::string& reason,
          json containers = json::array()) {
  json t{{"taskArn", "arn:aws:ecs:us-east-1:123456789012:task/c/abc"}, {"containers", containers}};
  if (!stop_code.empty()) t["stopCode"] = stop_code;
  if (!reason.empty()) t["stoppedReason"] = reason;
  return t;
}

json container(const std::string& name, std::optional<int> exit_code,
               const std::string& reason = "") {
  json c{{"name", name}, {"lastStatus", "STOPPED"}};
  if (exit_code) c["exitCode"] = *exit_code;
  if (!reason.empty()) c["reason"] = reason;
  return c;
}

TEST(TaskFailureClassifier, ImagePullTagNotFound) {
  auto c = classify_stopped_task(task(
      "TaskFailedToStart",
      "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve "
      "ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v9: "
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v9: not found"));
  EXPECT_EQ(c.category, "image_pull");
  EXPECT_EQ(c.severity, Severity::kCritical);
  EXPECT_TRUE(c.is_failure);
  EXPECT_NE(c.cause.find("does not exist"), std::string::npos) << c.cause;
  EXPECT_NE(c.evidence[0].find("TaskFailedToStart"), std::string::npos);
}

TEST(TaskFailureClassifier, ImagePullAccessDenied) {
  auto c = classify_stopped_task(task(
      "TaskFailedToStart",
      "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve "
      "ref ...: unexpected status from HEAD request: 403 Forbidden"));
  EXPECT_EQ(c.category, "image_pull");
  EXPECT_NE(c.cause.find("denied"), std::string::npos) << c.cause;
  EXPECT_NE(c.next_step.find("AmazonECSTaskExecutionRolePolicy"), std::string::npos);
}

TEST(TaskFailureClassifier, ImagePullDockerHubRepositoryMissing) {
  auto c = classify_stopped_task(task(
      "TaskFailedToStart",
      "CannotPullContainerError: Error response from daemon: pull access denied for nosuchimage, "
      "repository does not exist or may require 'docker login'"));
  EXPECT_EQ(c.category, "image_pull");
  EXPECT_NE(c.cause.find("does not exist"), std::string::npos) << c.cause;
}

TEST(TaskFailureClassifier, ImagePullNetworkTimeout) {
  auto c = classify_stopped_task(
      task("TaskFailedToStart",
           "CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: "
           "httpReadSeeker: "
           "failed open: failed to do request: Get https://prod-us-east-1-starport-layer-bucket.s3."
           "us-east-1.amazonaws.com/...: dial tcp 52.216.0.1:443: i/o timeout"));
  EXPECT_EQ(c.category, "image_pull");
  EXPECT_NE(c.cause.find("could not reach the registry"), std::string::npos) << c.cause;
  EXPECT_NE(c.next_step.find("fetch_network_configuration"), std::string::npos);
}

TEST(TaskFailureClassifier, ImagePullRateLimitAndPlatform) {
  auto rate = classify_stopped_task(task(
      "TaskFailedToStart",
      "CannotPullContainerError: inspect image has been retried 1 time(s): httpReaderSeeker: "
      "failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/"
      "latest: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull "
      "rate limit."));
  EXPECT_EQ(rate.category, "image_pull");
  EXPECT_NE(rate.cause.find("rate limit"), std::string::npos);
  auto platform = classify_stopped_task(task(
      "TaskFailedToStart",
      "CannotPullContainerError: pull image manifest has been retried 1 time(s): image Manifest "
      "does not contain descriptor matching platform 'linux/arm64/v8'"));
  EXPECT_NE(platform.cause.find("architecture"), std::string::npos) << platform.cause;
}

TEST(TaskFailureClassifier, MissingSecretIsAResourceInitializationError) {
  auto c = classify_stopped_task(task(
      "TaskFailedToStart",
      "ResourceInitializationError: unable to pull secrets or registry auth: execution resource "
      "retrieval failed: unable to retrieve secret from asm: service call has been retried 1 "
      "time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db "
      "from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified "
      "secret."));
  EXPECT_EQ(c.category, "missing_secret");
  EXPECT_EQ(c.severity, Severity::kCritical);
  EXPECT_NE(c.cause.find("does not exist"), std::string::npos) << c.cause;
}

TEST(TaskFailureClassifier, SecretAccessDeniedAndLogGroupMissing) {
  auto denied = classify_stopped_task(task(
      "TaskFailedToStart",
      "ResourceInitializationError: unable to pull secrets or registry auth: execution resource "
      "retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 "
      "time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/x is not "
      "authorized to perform: ssm:GetParameters"));
  EXPECT_EQ(denied.category, "missing_secret");
  EXPECT_NE(denied.next_step.find("GetSecretValue"), std::string::npos);
  auto logs = classify_stopped_task(task(
      "TaskFailedToStart",
      "ResourceInitializationError: failed to validate logger args: create stream has been "
      "retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The "
      "specified log group does not exist."));
  EXPECT_EQ(logs.category, "resource_initialization");
  EXPECT_NE(logs.cause.find("log group"), std::string::npos) << logs.cause;
}

TEST(TaskFailureClassifier, OutOfMemoryFromContainerReasonAndFromExit137) {
  auto by_reason = classify_stopped_task(
      task("EssentialContainerExited", "Essential container in task exited",
           {container("app", 137, "OutOfMemoryError: Container killed due to memory usage")}));
  EXPECT_EQ(by_reason.category, "out_of_memory");
  auto by_code = classify_stopped_task(task(
      "EssentialContainerExited", "Essential container in task exited", {container("app", 137)}));
  EXPECT_EQ(by_code.category, "out_of_memory");
  EXPECT_NE(by_code.cause.find("137"), std::string::npos);
  EXPECT_NE(by_code.evidence.back().find("exitCode 137"), std::string::npos);
}

TEST(TaskFailureClassifier, SegmentationFault139) {
  auto c = classify_stopped_task(task(
      "EssentialContainerExited", "Essential container in task exited", {container("app", 139)}));
  EXPECT_EQ(c.category, "segmentation_fault");
  EXPECT_EQ(c.severity, Severity::kCritical);
}

TEST(TaskFailureClassifier, EssentialContainerExitedWithErrorOrZeroOrUnknown) {
  auto error =
      classify_stopped_task(task("EssentialContainerExited", "Essential container in task exited",
                                 {container("app", 1), container("sidecar", 0)}));
  EXPECT_EQ(error.category, "application_error");
  EXPECT_NE(error.cause.find("code 1"), std::string::npos);
  auto zero = classify_stopped_task(task(
      "EssentialContainerExited", "Essential container in task exited", {container("app", 0)}));
  EXPECT_EQ(zero.category, "essential_container_exited");
  EXPECT_NE(zero.cause.find("exit 0"), std::string::npos);
  // moto: a reason without stop code or exit codes.
  auto bare = classify_stopped_task(task("", "Essential container in task exited"));
  EXPECT_EQ(bare.category, "essential_container_exited");
  EXPECT_TRUE(bare.is_failure);
}

TEST(TaskFailureClassifier, HealthChecks) {
  auto elb = classify_stopped_task(
      task("ServiceSchedulerInitiated",
           "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:"
           "123456789012:targetgroup/web/abc)",
           {container("app", 137)}));
  EXPECT_EQ(elb.category, "elb_health_check_failed");
  EXPECT_TRUE(elb.is_failure);
  auto container_hc = classify_stopped_task(
      task("ServiceSchedulerInitiated", "Task failed container health checks"));
  EXPECT_EQ(container_hc.category, "health_check_failed");
}

TEST(TaskFailureClassifier, SpotInterruptionIsNotAnApplicationFailure) {
  auto c = classify_stopped_task(
      task("SpotInterruption", "Your Spot Task was interrupted.", {container("app", 143)}));
  EXPECT_EQ(c.category, "spot_interruption");
  EXPECT_FALSE(c.is_failure);
  EXPECT_EQ(c.severity, Severity::kWarning);
}

TEST(TaskFailureClassifier, ScaleInAndDeploymentReplacementAreNotFailures) {
  auto c = classify_stopped_task(task("ServiceSchedulerInitiated",
                                      "Scaling activity initiated by (deployment ecs-svc/123456)",
                                      {container("app", 143)}));
  EXPECT_EQ(c.category, "scaling_activity");
  EXPECT_FALSE(c.is_failure);
  EXPECT_EQ(c.severity, Severity::kInfo);
}

TEST(TaskFailureClassifier, UserStopsAndHostTerminationAndUnknown) {
  auto user =
      classify_stopped_task(task("UserInitiated", "Task stopped by user", {container("app", 137)}));
  EXPECT_EQ(user.category, "user_stopped");
  EXPECT_FALSE(user.is_failure);
  auto host =
      classify_stopped_task(task("TerminationNotice", "Host EC2 (instance i-0abc) terminated."));
  EXPECT_EQ(host.category, "host_terminated");
  auto unknown = classify_stopped_task(task("", "Something odd happened"));
  EXPECT_EQ(unknown.category, "unknown");
  EXPECT_NE(unknown.cause.find("Something odd happened"), std::string::npos);
}

TEST(TaskFailureClassifier, ContainerStartAndNetworkProvisioning) {
  auto start = classify_stopped_task(
      task("TaskFailedToStart",
           "CannotStartContainerError: Error response from daemon: failed to create shim task: "
           "exec: \"/app/run\": stat /app/run: no such file or directory"));
  EXPECT_EQ(start.category, "container_start");
  auto eni = classify_stopped_task(
      task("TaskFailedToStart", "Timeout waiting for network interface provisioning to complete."));
  EXPECT_EQ(eni.category, "network_provisioning");
}

}  // namespace
}  // namespace ecs_mcp::ecs::troubleshooting
