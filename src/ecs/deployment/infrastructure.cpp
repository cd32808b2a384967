#include "ecs/deployment/infrastructure.h"

#include "ecs/deployment/app_detection.h"
#include "ecs/deployment/names.h"

namespace ecs_mcp::ecs {

using mcp::AccessClass;
using mcp::json;
namespace fs = std::filesystem;

namespace {

json input_schema() {
  auto ids = [](const char* d) {
    return json{{"type", "array"}, {"items", {{"type", "string"}}}, {"description", d}};
  };
  return json{
      {"type", "object"},
      {"properties",
       {{"app_name",
         {{"type", "string"},
          {"minLength", 1},
          {"maxLength", 40},
          {"description",
           "Lowercase letters, digits, hyphens; names the stacks, cluster, service"}}},
        {"app_path",
         {{"type", "string"},
          {"minLength", 1},
          {"description", "Absolute path of the app (with its Dockerfile)"}}},
        {"force_deploy",
         {{"type", "boolean"},
          {"default", false},
          {"description", "Deploy (needs ALLOW_WRITE=true); false: templates only"}}},
        {"overwrite", {{"type", "boolean"}, {"description", "Replace edited template files"}}},
        {"deployment_step",
         {{"type", "integer"},
          {"enum", {1, 2, 3}},
          {"description",
           "With force_deploy, one per call: 1 ECR stack, 2 build and "
           "push the image, 3 ECS stack. Omitted: all"}}},
        {"image_uri",
         {{"type", "string"},
          {"description", "Run this image instead of building the Dockerfile"}}},
        {"vpc_id",
         {{"type", "string"},
          {"description", "Existing VPC (with subnet_ids); omitted: a new one"}}},
        {"subnet_ids", ids("Subnets of vpc_id in two or more Availability Zones")},
        {"route_table_ids", ids("Their route tables, for an S3 gateway endpoint")},
        {"cpu",
         {{"type", "integer"},
          {"enum", {256, 512, 1024, 2048, 4096, 8192, 16384}},
          {"description", "Default 256"}}},
        {"memory",
         {{"type", "integer"},
          {"minimum", 512},
          {"maximum", 122880},
          {"description", "MiB, fitting cpu; default 512"}}},
        {"desired_count",
         {{"type", "integer"}, {"minimum", 0}, {"maximum", 1000}, {"description", "Default 1"}}},
        {"container_port",
         {{"type", "integer"},
          {"minimum", 1},
          {"maximum", 65535},
          {"description", "Detected when omitted"}}},
        {"health_check_path",
         {{"type", "string"}, {"description", "Detected when omitted, else /"}}},
        {"certificate_arn",
         {{"type", "string"}, {"description", "ACM certificate: HTTPS on 443, HTTP redirected"}}},
        {"enable_auto_scaling",
         {{"type", "boolean"}, {"default", false}, {"description", "Scale on average CPU"}}},
        {"min_capacity",
         {{"type", "integer"}, {"minimum", 0}, {"maximum", 1000}, {"description", "Default 1"}}},
        {"max_capacity",
         {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}, {"description", "Default 4"}}},
        {"cpu_target",
         {{"type", "integer"},
          {"minimum", 10},
          {"maximum", 95},
          {"description", "Percent; default 70"}}}}},
      {"required", {"app_name", "app_path"}},
      {"additionalProperties", false}};
}

json output_schema() {
  json strs{{"type", "array"}, {"items", {{"type", "string"}}}};
  json file{{"type", "object"},
            {"properties", {{"path", {{"type", "string"}}}}}};  // and content, for review
  return json{
      {"type", "object"},
      {"properties",
       {{"app_name", {{"type", "string"}}},
        {"deployed", {{"type", "boolean"}}},
        {"templates",
         {{"type", "object"},
          {"properties", {{"ecr", file}, {"ecs", file}, {"parameters", file}}}}},
        {"parameters", {{"type", "object"}, {"properties", {{"AppName", {{"type", "string"}}}}}}},
        {"stacks",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"stack_name", {{"type", "string"}}},
              {"action", {{"type", "string"}}},
              {"status", {{"type", "string"}}},
              {"outputs",
               {{"type", "object"},
                {"properties", {{"LoadBalancerUrl", {{"type", "string"}}}}}}}}}}}}},
        {"image_uri", {{"type", "string"}}},
        {"repository_uri", {{"type", "string"}}},
        {"deployment_step", {{"type", "integer"}}},
        {"load_balancer_url", {{"type", "string"}}},
        {"cluster_name", {{"type", "string"}}},
        {"service_name", {{"type", "string"}}},
        {"warnings", strs},
        {"next_steps", strs}}},
      {"required", {"app_name", "deployed", "templates", "next_steps"}}};
}

std::string description() {
  return "Creates what runs an app on ECS Fargate behind an Application Load Balancer, as two "
         "CloudFormation stacks: <app_name>-ecr-infrastructure (ECR repository) and "
         "<app_name>-ecs-infrastructure (cluster, service with circuit breaker, ALB, optional "
         "HTTPS "
         "and auto-scaling; new VPC or yours).\n"
         "Without force_deploy nothing is created in AWS: the templates are written to "
         "<app_path>/cloudformation-templates/ and returned with the next step. force_deploy=true "
         "(needs ALLOW_WRITE=true) deploys the stacks, builds and pushes the Dockerfile with "
         "docker, finch, podman or buildah unless image_uri is given, and waits with progress. "
         "Run containerize_app first; then get_deployment_status.";
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::vector<std::string> strings_of(const json& args, const char* key) {
  std::vector<std::string> out;
  if (args.contains(key)) {
    for (const auto& s : args[key]) out.push_back(s.get<std::string>());
  }
  return out;
}

// The health check path also reaches the suggested shell command, so beyond being a URL path
// (check_health_check_path) it is held to characters no shell gives a meaning to.
std::optional<std::string> check_health_check_path_is_plain(const std::string& path) {
  for (char c : path) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 std::string_view("/._~%:@+,=-").find(c) != std::string_view::npos;
    if (!plain) {
      return "health_check_path \"" + path +
             "\" may contain only letters, digits and / . _ ~ % : @ + , = - "
             "(percent-encode anything else)";
    }
  }
  return std::nullopt;
}

// Validates every argument against AWS's rules and settles the stack parameters; no AWS call.
Result<DeployPlan> make_plan(const json& args, const PathPolicy& paths) {
  DeployPlan plan;
  plan.app_name = args.at("app_name").get<std::string>();
  if (auto e = check_app_name(plan.app_name)) return make_error(ErrorCode::kInvalidName, *e);
  auto dir = resolve_app_directory(args.at("app_path").get<std::string>(), paths);
  if (!dir.ok()) return dir.error();
  plan.app_dir = *dir;

  int cpu = args.value("cpu", 256), memory = args.value("memory", 512);
  if (auto e = check_fargate_size(cpu, memory)) return make_error(ErrorCode::kInvalidArgument, *e);

  std::string vpc = args.value("vpc_id", "");
  auto subnets = strings_of(args, "subnet_ids");
  auto route_tables = strings_of(args, "route_table_ids");
  if (!vpc.empty()) {
    if (auto e = check_vpc_id(vpc)) return make_error(ErrorCode::kInvalidArgument, *e);
    if (auto e = check_subnet_ids(subnets)) return make_error(ErrorCode::kInvalidArgument, *e);
    if (auto e = check_route_table_ids(route_tables))
      return make_error(ErrorCode::kInvalidArgument, *e);
  } else if (!subnets.empty() || !route_tables.empty()) {
    return make_error(
        ErrorCode::kInvalidArgument,
        "subnet_ids and route_table_ids need vpc_id (the VPC they belong to); omit all "
        "three to create a new VPC");
  }
  std::string certificate = args.value("certificate_arn", "");
  if (!certificate.empty()) {
    if (auto e = check_certificate_arn(certificate))
      return make_error(ErrorCode::kInvalidArgument, *e);
  }
  plan.step = args.value("deployment_step", 0);  // 0: every step in one call
  plan.image_uri = args.value("image_uri", "");
  if (!plan.image_uri.empty()) {
    if (auto e = check_image_uri(plan.image_uri))
      return make_error(ErrorCode::kInvalidArgument, *e);
  }

  // Port and health check: what the caller says, else what the app says, else defaults.
  int port = args.value("container_port", 0);
  std::string health = args.value("health_check_path", "");
  if (port == 0 || health.empty()) {
    auto profile = detect_application(plan.app_dir, port);
    if (profile.ok()) {
      if (port == 0) {
        port = profile->port;
        plan.warnings.push_back("container_port " + std::to_string(port) +
                                " detected from the app (" + profile->port_source + ")");
      }
      if (health.empty()) health = profile->health_check_path;
    } else {
      if (port == 0) {
        port = 8080;
        plan.warnings.push_back("container_port not given and not detected; using 8080");
      }
    }
  }
  if (health.empty()) health = "/";
  if (auto e = check_health_check_path(health)) return make_error(ErrorCode::kInvalidArgument, *e);
  if (auto e = check_health_check_path_is_plain(health))
    return make_error(ErrorCode::kInvalidArgument, *e);

  bool scaling = args.value("enable_auto_scaling", false);
  int min_cap = args.value("min_capacity", 1), max_cap = args.value("max_capacity", 4);
  int desired = args.value("desired_count", 1);
  if (scaling) {
    if (min_cap > max_cap)
      return make_error(ErrorCode::kInvalidArgument, "min_capacity is larger than max_capacity");
    if (desired < min_cap || desired > max_cap) {
      return make_error(ErrorCode::kInvalidArgument,
                        "desired_count " + std::to_string(desired) + " is outside min_capacity.." +
                            "max_capacity (" + std::to_string(min_cap) + ".." +
                            std::to_string(max_cap) + ")");
    }
  } else if (args.contains("min_capacity") || args.contains("max_capacity") ||
             args.contains("cpu_target")) {
    plan.warnings.push_back(
        "min_capacity/max_capacity/cpu_target apply only with enable_auto_scaling=true; ignored");
  }

  std::string ecr_repo = plan.image_uri.empty() ? plan.app_name : ecr_repository_of(plan.image_uri);
  plan.parameters = json{{"AppName", plan.app_name},
                         {"ImageUri", plan.image_uri},
                         {"EcrRepositoryName", ecr_repo},
                         {"ContainerPort", std::to_string(port)},
                         {"HealthCheckPath", health},
                         {"Cpu", std::to_string(cpu)},
                         {"Memory", std::to_string(memory)},
                         {"DesiredCount", std::to_string(desired)},
                         {"VpcId", vpc},
                         {"SubnetIds", join(subnets, ",")},
                         {"RouteTableIds", join(route_tables, ",")},
                         {"AssignPublicIp", "ENABLED"},
                         {"CertificateArn", certificate},
                         {"EnableAutoScaling", scaling ? "true" : "false"},
                         {"MinCapacity", std::to_string(min_cap)},
                         {"MaxCapacity", std::to_string(max_cap)},
                         {"CpuTargetValue", std::to_string(args.value("cpu_target", 70))}};
  return plan;
}

// `text` as one literal word for a POSIX shell: in single quotes, inside which nothing is
// special, with each embedded single quote written as '\'' (close, escaped quote, reopen).
std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// The stack parameters as `aws cloudformation deploy --parameter-overrides` words, each quoted
// so that the suggested command can be pasted into a shell whatever the values hold.
std::string cli_overrides(const json& params) {
  std::string s;
  for (const auto& [k, v] : params.items()) s += " " + shell_quote(k + "=" + v.get<std::string>());
  return s;
}

// The templates-only answer: the files for review and how to deploy them.
json templates_result(const DeployPlan& plan, const WrittenTemplates& written, bool deploying) {
  json out{{"app_name", plan.app_name},
           {"deployed", false},
           {"templates", json::object()},
           {"parameters", written.parameters},
           {"warnings", plan.warnings}};
  for (const auto& file : written.files) {
    out["templates"][file.key] = {{"path", file.path.string()},
                                  {"content", file.content},
                                  {"status", file.kept ? "kept-existing" : "written"}};
  }
  for (const auto& rel : written.kept) {
    out["warnings"].push_back(
        (plan.app_dir / rel).string() +
        " already exists and differs; it was kept (overwrite=true replaces it)" +
        (deploying ? ". The deployment uses the built-in template, not the kept file." : ""));
  }
  return out;
}

std::vector<std::string> templates_next_steps(const DeployPlan& plan,
                                              const WrittenTemplates& written) {
  const StackNames names = stack_names_for(plan.app_name);
  std::string ecr_path = written.files.at(0).path.string(),
              ecs_path = written.files.at(1).path.string();
  std::string tags = " --tags ecs-mcp:managed-by=ecs-mcp ecs-mcp:app=" + plan.app_name;
  return {"Review the templates in " + (plan.app_dir / kTemplatesDirectory).string() + ".",
          "To deploy, call create_ecs_infrastructure again with the same arguments and "
          "force_deploy=true "
          "(the server needs ALLOW_WRITE=true). It builds and pushes the image with the local "
          "container tool "
          "unless you pass image_uri.",
          "Or deploy them yourself with the AWS CLI: aws cloudformation deploy --stack-name " +
              names.ecr + " --template-file " + shell_quote(ecr_path) +
              " --parameter-overrides AppName=" + plan.app_name + tags +
              " ecs-mcp:component=ecr; push your image to the repository; then aws cloudformation "
              "deploy "
              "--stack-name " +
              names.ecs + " --template-file " + shell_quote(ecs_path) +
              " --capabilities CAPABILITY_IAM"
              " --parameter-overrides" +
              cli_overrides(written.parameters) + tags + " ecs-mcp:component=ecs"};
}

// The same arguments with force_deploy and the given step, as the next call should send them.
std::string step_call(int next, const std::string& image) {
  return "call create_ecs_infrastructure again with the same arguments, force_deploy=true and "
         "deployment_step=" +
         std::to_string(next) + (image.empty() ? "" : " (image_uri=\"" + image + "\")");
}

// A deployment's answer: the templates' paths, what the run deployed and what to do next.
json deployment_result(const DeployPlan& plan, const WrittenTemplates& written,
                       const DeployOutcome& outcome) {
  json out = templates_result(plan, written, true);
  // A deployment answers with the template paths; their text was for review without one.
  for (auto& [k, v] : out["templates"].items()) v.erase("content");
  for (const auto& w : outcome.warnings) out["warnings"].push_back(w);
  if (plan.step != 0) out["deployment_step"] = plan.step;
  if (!outcome.repository_uri.empty()) out["repository_uri"] = outcome.repository_uri;
  json stacks = json::array();
  for (const auto& s : outcome.stacks) {
    stacks.push_back({{"stack_name", s.stack_name},
                      {"action", s.action},
                      {"status", s.status},
                      {"outputs", s.outputs}});
  }
  if (plan.step == 1) {
    out["stacks"] = stacks;
    out["next_steps"] = json::array(
        {"The ECR repository is ready. Next, " + step_call(plan.image_uri.empty() ? 2 : 3, "") +
         (plan.image_uri.empty() ? " to build and push the image." : " to deploy the service.")});
    return out;
  }
  if (plan.step == 2) {
    out["image_uri"] = outcome.image_uri;
    out["next_steps"] = json::array({"The image is in the repository. Next, " +
                                     step_call(3, outcome.image_uri) + " to deploy the service."});
    return out;
  }
  const json& outputs = outcome.service_outputs;
  out["deployed"] = true;
  out["stacks"] = stacks;
  out["image_uri"] = outcome.image_uri;
  out["parameters"]["ImageUri"] = outcome.image_uri;
  out["load_balancer_url"] = outputs.value("LoadBalancerUrl", "");
  out["cluster_name"] = outputs.value("ClusterName", "");
  out["service_name"] = outputs.value("ServiceName", "");
  out["next_steps"] = json::array(
      {"The stacks are complete; the service now starts its tasks. Follow the rollout with "
       "get_deployment_status "
       "(app_name=\"" +
           plan.app_name + "\") until it reports COMPLETE, then open " +
           outputs.value("LoadBalancerUrl", "the load balancer URL") + ".",
       "To redeploy after a change, call create_ecs_infrastructure again with force_deploy=true.",
       "To remove everything, call delete_ecs_infrastructure with the two template paths."});
  return out;
}

}  // namespace

mcp::Tool make_create_infrastructure_tool(std::shared_ptr<AwsContext> aws,
                                          const AccessPolicy& /*policy: the gate states the mode*/,
                                          InfrastructureOptions options) {
  mcp::Tool tool;
  tool.name = "create_ecs_infrastructure";
  tool.title = "Create ECS infrastructure for an app";
  tool.description = description();
  tool.input_schema = input_schema();
  tool.output_schema = output_schema();
  // Never read-only: even without force_deploy it writes the templates into the app directory.
  tool.annotations = {
      .read_only = false, .destructive = false, .idempotent = true, .open_world = true};
  tool.long_running = true;  // with force_deploy it waits for stacks and an image build
  tool.access_classes = {AccessClass::kRead, AccessClass::kWrite};
  tool.access_for = [](const json& args) -> Result<AccessClass> {
    return args.value("force_deploy", false) ? AccessClass::kWrite : AccessClass::kRead;
  };
  tool.handler = [aws, options](const json& args, mcp::ToolContext& ctx) -> mcp::ToolResult {
    auto plan = make_plan(args, options.paths);
    if (!plan.ok()) return mcp::ToolResult::error(plan.error().message);
    // The templates, always written into the app so the user can read, keep and re-run them.
    auto written = write_templates(*plan, args.value("overwrite", false));
    if (!written.ok()) return mcp::ToolResult::error(written.error().message);

    if (!args.value("force_deploy", false)) {
      json out = templates_result(*plan, *written, false);
      if (plan->step != 0) {
        out["warnings"].push_back(
            "deployment_step applies only with force_deploy=true; only the templates were written");
      }
      out["next_steps"] = templates_next_steps(*plan, *written);
      return mcp::ToolResult::structured_result(std::move(out));
    }

    DeployDeps deps{aws, options.container_tools, options.poll_interval, options.stack_timeout,
                    cancellation_of(ctx)};
    ToolProgress progress(ctx, "create_ecs_infrastructure");
    auto outcome = deploy(*plan, deps, progress);
    if (!outcome.ok()) return mcp::ToolResult::error(outcome.error().message);
    return mcp::ToolResult::structured_result(deployment_result(*plan, *written, *outcome));
  };
  return tool;
}

}  // namespace ecs_mcp::ecs
