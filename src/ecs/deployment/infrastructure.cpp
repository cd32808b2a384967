#include "ecs/deployment/infrastructure.h"

#include <ctime>

#include "ecs/deployment/app_detection.h"
#include "ecs/deployment/container_image.h"
#include "ecs/deployment/embedded_templates.h"
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

struct Plan {
  std::string app_name;
  fs::path app_dir;
  json parameters;        // the ECS stack's parameters, ImageUri possibly still to be decided
  std::string image_uri;  // given by the user, else empty
  std::vector<std::string> warnings;
};

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
Result<Plan> make_plan(const json& args, const PathPolicy& paths) {
  Plan plan;
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

std::string image_tag_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return std::string("v") + buf;
}

// The newest tagged image of `repository` as "<repository_uri>:<tag>", for a step 3 that is
// told no image_uri: the one step 2 pushed last.
Result<std::string> newest_image(AwsContext& aws, const std::string& repository,
                                 const std::string& repository_uri, const aws::CallOptions& call) {
  auto ecr = aws.client(AwsService::kEcr);
  if (!ecr.ok()) return make_error(ErrorCode::kAwsError, describe_aws_failure("ECR", ecr.error()));
  std::string best_tag;
  double best_time = -1;
  json params{
      {"repositoryName", repository}, {"filter", {{"tagStatus", "TAGGED"}}}, {"maxResults", 1000}};
  for (int page = 0; page < 20; ++page) {
    auto images = (*ecr)->call("DescribeImages", params, call);
    if (!images.ok())
      return make_error(ErrorCode::kAwsError,
                        describe_aws_failure("DescribeImages", images.error()));
    for (const auto& d : images->value("imageDetails", json::array())) {
      const json tags = d.value("imageTags", json::array());
      const json pushed = d.value("imagePushedAt", json());
      const double at = pushed.is_number() ? pushed.get<double>() : 0;
      if (!tags.empty() && tags[0].is_string() && at >= best_time) {
        best_time = at;
        best_tag = tags[0].get<std::string>();
      }
    }
    auto next = images->find("nextToken");
    if (next == images->end() || !next->is_string()) break;
    params["nextToken"] = *next;
  }
  if (best_tag.empty()) {
    return make_error(ErrorCode::kNoImage,
                      "repository " + repository +
                          " holds no tagged image: run deployment_step=2 first, "
                          "or pass image_uri");
  }
  return repository_uri + ":" + best_tag;
}

// Reports monotonically increasing progress with a message.
class Progress {
 public:
  explicit Progress(mcp::ToolContext& ctx) : ctx_(ctx) {}
  void at(double value, const std::string& message) {
    if (value <= last_) value = last_ + 0.1;
    last_ = value;
    ctx_.progress(value, 100.0, message);
    ctx_.log(mcp::LogLevel::kInfo, "create_ecs_infrastructure",
             json{{"progress", value}, {"message", message}});
  }
  // A small step inside [from, to) for repeated status lines.
  void tick(double from, double to, const std::string& message) {
    double next = std::max(last_ + 0.5, from);
    at(std::min(next, to - 0.1), message);
  }

 private:
  mcp::ToolContext& ctx_;
  double last_ = 0;
};

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
    const bool deploy = args.value("force_deploy", false);
    const int step = args.value("deployment_step", 0);  // 0: every step in one call
    const StackNames names = stack_names_for(plan->app_name);

    // The templates, always written into the app so the user can read, keep and re-run them.
    auto ecr_text = find_template("cloudformation/ecr.json");
    auto ecs_text = find_template("cloudformation/ecs.json");
    if (!ecr_text || !ecs_text)
      return mcp::ToolResult::error("the CloudFormation templates are not built in");
    const std::string dir = std::string(kTemplatesDirectory) + "/";
    const std::string ecr_file = dir + names.ecr + ".json", ecs_file = dir + names.ecs + ".json";
    const std::string params_file = dir + names.ecs + "-parameters.json";
    json file_params = plan->parameters;
    if (plan->image_uri.empty()) file_params["ImageUri"] = "<repository-uri>:<tag>";
    // A file the user has edited is kept unless they ask for it to be replaced.
    std::vector<std::string> kept;
    for (const auto& [rel, text] : std::vector<std::pair<std::string, std::string>>{
             {ecr_file, std::string(*ecr_text)},
             {ecs_file, std::string(*ecs_text)},
             {params_file, cfn_parameters(file_params).dump(2) + "\n"}}) {
      auto st = write_file_in_app(plan->app_dir, rel, text, args.value("overwrite", false));
      if (!st.ok() && st.error().code == ErrorCode::kAlreadyExists) {
        if (read_text_file(plan->app_dir / rel) != text) kept.push_back(rel);
        continue;
      }
      if (!st.ok())
        return mcp::ToolResult::error("cannot write the templates: " + st.error().message);
    }
    json out{{"app_name", plan->app_name},
             {"deployed", false},
             {"templates",
              {{"ecr", {{"path", (plan->app_dir / ecr_file).string()}, {"content", *ecr_text}}},
               {"ecs", {{"path", (plan->app_dir / ecs_file).string()}, {"content", *ecs_text}}},
               {"parameters",
                {{"path", (plan->app_dir / params_file).string()},
                 {"content", cfn_parameters(file_params).dump(2)}}}}},
             {"parameters", file_params},
             {"warnings", plan->warnings}};
    for (auto& [key, file] : out["templates"].items()) {
      bool was_kept = std::any_of(kept.begin(), kept.end(), [&](const std::string& rel) {
        return file["path"] == (plan->app_dir / rel).string();
      });
      file["status"] = was_kept ? "kept-existing" : "written";
    }
    for (const auto& rel : kept) {
      out["warnings"].push_back(
          (plan->app_dir / rel).string() +
          " already exists and differs; it was kept (overwrite=true replaces it)" +
          (deploy ? ". The deployment uses the built-in template, not the kept file." : ""));
    }

    if (!deploy) {
      if (step != 0) {
        out["warnings"].push_back(
            "deployment_step applies only with force_deploy=true; only the templates were written");
      }
      std::string ecr_path = (plan->app_dir / ecr_file).string(),
                  ecs_path = (plan->app_dir / ecs_file).string();
      std::string tags = " --tags ecs-mcp:managed-by=ecs-mcp ecs-mcp:app=" + plan->app_name;
      out["next_steps"] = json::array(
          {"Review the templates in " + (plan->app_dir / kTemplatesDirectory).string() + ".",
           "To deploy, call create_ecs_infrastructure again with the same arguments and "
           "force_deploy=true "
           "(the server needs ALLOW_WRITE=true). It builds and pushes the image with the local "
           "container tool "
           "unless you pass image_uri.",
           "Or deploy them yourself with the AWS CLI: aws cloudformation deploy --stack-name " +
               names.ecr + " --template-file " + shell_quote(ecr_path) +
               " --parameter-overrides AppName=" + plan->app_name + tags +
               " ecs-mcp:component=ecr; push your image to the repository; then aws cloudformation "
               "deploy "
               "--stack-name " +
               names.ecs + " --template-file " + shell_quote(ecs_path) +
               " --capabilities CAPABILITY_IAM"
               " --parameter-overrides" +
               cli_overrides(file_params) + tags + " ecs-mcp:component=ecs"});
      return mcp::ToolResult::structured_result(std::move(out));
    }

    // A deployment answers with the template paths; their text was for review without one.
    for (auto& [k, v] : out["templates"].items()) v.erase("content");

    // Everything that can be checked locally is checked before the first AWS call.
    const bool build_image = plan->image_uri.empty() && (step == 0 || step == 2);
    std::optional<ContainerTool> container_tool;
    if (build_image) {
      std::error_code ec;
      if (!fs::exists(plan->app_dir / "Dockerfile", ec)) {
        return mcp::ToolResult::error(
            "there is no Dockerfile in " + plan->app_dir.string() +
            ": run containerize_app with write_files=true first, or pass image_uri");
      }
      auto found = find_container_tool(options.container_tools);
      if (!found.ok()) return mcp::ToolResult::error(found.error().message);
      container_tool = *found;
    }
    auto cfn = aws->client(AwsService::kCloudFormation);
    if (!cfn.ok())
      return mcp::ToolResult::error(describe_aws_failure("CloudFormation", cfn.error()));

    Progress progress(ctx);
    json stacks = json::array();
    auto wait_opts = [&](double from, double to, const std::string& stack) {
      StackWaitOptions w;
      w.poll_interval = options.poll_interval;
      w.timeout = options.stack_timeout;
      w.cancelled = ctx.cancel_predicate();
      w.stop = ctx.stop_token();
      w.on_status = [&progress, from, to, stack](const std::string& status) {
        progress.tick(from, to, stack + ": " + status);
      };
      return w;
    };
    auto fail = [&](const std::string& message, bool add_retry_advice = true) {
      out["stacks"] = stacks;
      std::string done;
      for (const auto& s : stacks)
        done += " " + s.value("stack_name", "") + " (" + s.value("action", "") + ")";
      return mcp::ToolResult::error(
          message + (done.empty() ? "" : "\nAlready deployed:" + done) +
          (add_retry_advice
               ? "\nFix the cause and call create_ecs_infrastructure again: it updates what exists."
               : ""));
    };
    // A stack that a failed creation left unupdatable: its message says to delete it first.
    auto fail_stack = [&](const Error& e) {
      return fail(e.message, e.code != ErrorCode::kStackNotUpdatable);
    };
    auto record = [&](const StackDeployment& d) {
      stacks.push_back({{"stack_name", d.stack_name},
                        {"action", d.action},
                        {"status", d.stack.value("StackStatus", "")},
                        {"outputs", stack_outputs(d.stack)}});
    };
    aws::CallOptions call;
    call.cancelled = ctx.cancel_predicate();
    call.stop = ctx.stop_token();
    // The same arguments with force_deploy and the given step, as the next call should send them.
    auto step_call = [&](int next, const std::string& image) {
      return "call create_ecs_infrastructure again with the same arguments, force_deploy=true and "
             "deployment_step=" +
             std::to_string(next) + (image.empty() ? "" : " (image_uri=\"" + image + "\")");
    };
    if (step != 0) out["deployment_step"] = step;

    // Step 1: the ECR stack. A later step run on its own finds the stack step 1 left.
    json ecr_outputs = json::object();
    if (step == 0 || step == 1) {
      progress.at(1, "Deploying stack " + names.ecr + " (ECR repository)");
      auto ecr = deploy_stack(**cfn, names.ecr, plan->app_name, "ecr", std::string(*ecr_text),
                              json{{"AppName", plan->app_name}}, wait_opts(2, 15, names.ecr));
      if (!ecr.ok()) return fail_stack(ecr.error());
      record(*ecr);
      ecr_outputs = stack_outputs(ecr->stack);
    } else if (plan->image_uri.empty()) {
      auto existing = describe_stack(**cfn, names.ecr, call);
      if (!existing.ok()) return fail(describe_aws_failure("DescribeStacks", existing.error()));
      if (!*existing || !stack_is_ours(**existing, plan->app_name) ||
          !stack_status_succeeded((*existing)->value("StackStatus", ""))) {
        return fail("stack " + names.ecr + " is not deployed" +
                        (*existing ? " (status " + (*existing)->value("StackStatus", "") + ")"
                                   : std::string()) +
                        ": run deployment_step=1 first",
                    false);
      }
      ecr_outputs = stack_outputs(**existing);
    }
    const std::string repository_uri = ecr_outputs.value("RepositoryUri", "");
    if (!repository_uri.empty()) out["repository_uri"] = repository_uri;
    if (step == 1) {
      out["stacks"] = stacks;
      out["next_steps"] = json::array({"The ECR repository is ready. Next, " +
                                       step_call(plan->image_uri.empty() ? 2 : 3, "") +
                                       (plan->image_uri.empty() ? " to build and push the image."
                                                                : " to deploy the service.")});
      return mcp::ToolResult::structured_result(std::move(out));
    }

    // Step 2: the image, built from the app's Dockerfile and pushed, unless image_uri names one.
    std::string image = plan->image_uri;
    if (build_image) {
      if (repository_uri.empty())
        return fail("stack " + names.ecr + " has no RepositoryUri output");
      image = repository_uri + ":" + image_tag_now();
      auto ecr_client = aws->client(AwsService::kEcr);
      if (!ecr_client.ok()) return fail(describe_aws_failure("ECR", ecr_client.error()));
      auto token = (*ecr_client)->call("GetAuthorizationToken", json::object(), call);
      if (!token.ok()) return fail(describe_aws_failure("GetAuthorizationToken", token.error()));
      const json& data = (*token)["authorizationData"];
      if (!data.is_array() || data.empty()) return fail("ECR returned no authorization data");
      RegistryAuth auth;
      auth.basic_token = data[0].value("authorizationToken", "");
      auth.registry = repository_uri.substr(0, repository_uri.find('/'));
      progress.at(16, "Building " + image + " with " + container_tool->name);
      ImageBuildOptions build;
      build.cancelled = ctx.cancel_predicate();
      int lines = 0;
      build.on_line = [&](const std::string& line) {
        if (++lines % 10 == 0)
          progress.tick(16, 50, container_tool->name + ": " + line.substr(0, 200));
      };
      auto st = build_and_push_image(*container_tool, plan->app_dir.string(), image, auth, build);
      if (!st.ok()) return fail(st.error().message);
      progress.at(50, "Pushed " + image);
    }
    if (step == 2) {
      out["image_uri"] = image;
      if (!plan->image_uri.empty())
        out["warnings"].push_back("image_uri is given: there was nothing to build");
      out["next_steps"] = json::array({"The image is in the repository. Next, " +
                                       step_call(3, image) + " to deploy the service."});
      return mcp::ToolResult::structured_result(std::move(out));
    }
    // Step 3 on its own, without image_uri: the image step 2 pushed last.
    if (image.empty()) {
      auto newest = newest_image(*aws, plan->parameters.value("EcrRepositoryName", plan->app_name),
                                 repository_uri, call);
      if (!newest.ok()) return fail(newest.error().message, false);
      image = *newest;
      out["warnings"].push_back("image_uri not given: deploying " + image +
                                ", the newest image in the repository");
    }

    json params = plan->parameters;
    params["ImageUri"] = image;
    progress.at(51, "Deploying stack " + names.ecs + " (cluster, service, load balancer)");
    auto ecs = deploy_stack(**cfn, names.ecs, plan->app_name, "ecs", std::string(*ecs_text), params,
                            wait_opts(52, 99, names.ecs));
    if (!ecs.ok()) return fail_stack(ecs.error());
    record(*ecs);
    progress.at(100, "Deployed " + plan->app_name);

    json outputs = stack_outputs(ecs->stack);
    out["deployed"] = true;
    out["stacks"] = stacks;
    out["image_uri"] = image;
    out["parameters"]["ImageUri"] = image;
    out["load_balancer_url"] = outputs.value("LoadBalancerUrl", "");
    out["cluster_name"] = outputs.value("ClusterName", "");
    out["service_name"] = outputs.value("ServiceName", "");
    out["next_steps"] = json::array(
        {"The stacks are complete; the service now starts its tasks. Follow the rollout with "
         "get_deployment_status "
         "(app_name=\"" +
             plan->app_name + "\") until it reports COMPLETE, then open " +
             outputs.value("LoadBalancerUrl", "the load balancer URL") + ".",
         "To redeploy after a change, call create_ecs_infrastructure again with force_deploy=true.",
         "To remove everything, call delete_ecs_infrastructure with the two template paths."});
    return mcp::ToolResult::structured_result(std::move(out));
  };
  return tool;
}

}  // namespace ecs_mcp::ecs
