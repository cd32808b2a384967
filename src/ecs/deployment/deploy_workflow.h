// The deployment workflow behind create_ecs_infrastructure, as plain functions of a plan:
//   write_templates  the CloudFormation templates and parameters, written into the app;
//   deploy           step 1 the ECR stack, step 2 the image built and pushed with the local
//                    container tool (unless the plan names one), step 3 the ECS stack, waiting
//                    with progress; or one of those steps alone.
// Every name in a plan has been checked against AWS's rules before it gets here (the tool
// builds the plan from its arguments); the stacks carry the ownership tags of stacks.h.
//
// Thread-safety: the functions share only the AwsContext; runs on different apps may overlap.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "ecs/aws_context.h"
#include "ecs/deployment/workflow.h"

namespace ecs_mcp::ecs {

// Where the templates go inside the app, relative to it.
inline constexpr const char* kTemplatesDirectory = "cloudformation-templates";

struct DeployPlan {
  std::string app_name;
  std::filesystem::path app_dir;
  // The ECS stack's parameters (strings); ImageUri is empty until the image is decided.
  nlohmann::json parameters = nlohmann::json::object();
  std::string image_uri;  // given by the user, else empty: build the app's Dockerfile
  int step = 0;           // 0: every step; 1 ECR stack, 2 image, 3 ECS stack
  std::vector<std::string> warnings;
};

struct TemplateFile {
  std::string key;  // "ecr", "ecs", "parameters"
  std::filesystem::path path;
  std::string content;
  bool kept = false;  // an edited file was there and stayed (overwrite not asked for)
};

struct WrittenTemplates {
  std::vector<TemplateFile> files;  // ecr, ecs, parameters
  // The parameters as written: ImageUri is a placeholder when the plan names no image.
  nlohmann::json parameters;
  std::vector<std::string> kept;  // paths relative to the app
};

// Writes the two templates and the parameter file under <app>/cloudformation-templates/. A file
// that exists and differs is kept unless `overwrite`.
Result<WrittenTemplates> write_templates(const DeployPlan& plan, bool overwrite);

struct DeployDeps {
  std::shared_ptr<AwsContext> aws;
  std::vector<std::string> container_tools;  // empty: docker, finch, podman, buildah
  std::chrono::milliseconds poll_interval{std::chrono::seconds(5)};
  std::chrono::milliseconds stack_timeout{std::chrono::minutes(45)};
  Cancellation cancellation;
};

struct DeployedStack {
  std::string stack_name;
  std::string action;  // created, updated, unchanged
  std::string status;
  nlohmann::json outputs = nlohmann::json::object();
};

struct DeployOutcome {
  std::vector<DeployedStack> stacks;  // what this run deployed, in order
  std::string repository_uri;         // the ECR stack's RepositoryUri, when known
  std::string image_uri;              // the image built or chosen (steps 2 and 3)
  bool service_deployed = false;      // the ECS stack is complete (step 3 or all)
  nlohmann::json service_outputs = nlohmann::json::object();  // the ECS stack's outputs
  std::vector<std::string> warnings;
};

// Runs the plan's step (or all of them). The error message is ready for the user: it names
// what was already deployed and, unless a stack has to be deleted first, says to retry.
Result<DeployOutcome> deploy(const DeployPlan& plan, const DeployDeps& deps, Progress& progress);

}  // namespace ecs_mcp::ecs
