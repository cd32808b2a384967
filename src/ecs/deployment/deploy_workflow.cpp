#include "ecs/deployment/deploy_workflow.h"

#include <algorithm>
#include <ctime>
#include <optional>

#include "ecs/deployment/container_image.h"
#include "ecs/deployment/embedded_templates.h"
#include "ecs/deployment/path_safety.h"

namespace ecs_mcp::ecs {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

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

// Progress on a 0..100 scale that only grows, with small steps for repeated status lines.
class Percent {
 public:
  explicit Percent(Progress& progress) : progress_(progress) {}
  void at(double value, const std::string& message) {
    if (value <= last_) value = last_ + 0.1;
    last_ = value;
    progress_.report(value, 100.0, message);
  }
  // A small step inside [from, to) for repeated status lines.
  void tick(double from, double to, const std::string& message) {
    double next = std::max(last_ + 0.5, from);
    at(std::min(next, to - 0.1), message);
  }

 private:
  Progress& progress_;
  double last_ = 0;
};

// One run of deploy(): the stacks it has deployed so far and how a failure is told.
class Run {
 public:
  Run(const DeployPlan& plan, const DeployDeps& deps, Progress& progress)
      : plan_(plan), deps_(deps), percent_(progress), call_(deps.cancellation.call_options()) {}

  Result<DeployOutcome> go();

 private:
  StackWaitOptions wait(double from, double to, const std::string& stack) {
    StackWaitOptions w = deps_.cancellation.stack_wait(deps_.poll_interval, deps_.stack_timeout);
    w.on_status = [this, from, to, stack](const std::string& status) {
      percent_.tick(from, to, stack + ": " + status);
    };
    return w;
  }
  // The failure, naming what is already deployed and, with `retry`, how to go on.
  Error fail(const std::string& message, bool retry = true) const {
    std::string done;
    for (const auto& s : outcome_.stacks) done += " " + s.stack_name + " (" + s.action + ")";
    return make_error(
        ErrorCode::kDeploymentFailed,
        message + (done.empty() ? "" : "\nAlready deployed:" + done) +
            (retry ? "\nFix the cause and call create_ecs_infrastructure again: it updates what "
                     "exists."
                   : ""));
  }
  // A stack that a failed creation left unupdatable: its message says to delete it first.
  Error fail_stack(const Error& e) const {
    return fail(e.message, e.code != ErrorCode::kStackNotUpdatable);
  }
  void record(const StackDeployment& d) {
    outcome_.stacks.push_back(
        {d.stack_name, d.action, d.stack.value("StackStatus", ""), stack_outputs(d.stack)});
  }

  const DeployPlan& plan_;
  const DeployDeps& deps_;
  Percent percent_;
  aws::CallOptions call_;
  DeployOutcome outcome_;
};

Result<DeployOutcome> Run::go() {
  const int step = plan_.step;
  const StackNames names = stack_names_for(plan_.app_name);
  auto ecr_text = find_template("cloudformation/ecr.json");
  auto ecs_text = find_template("cloudformation/ecs.json");
  if (!ecr_text || !ecs_text)
    return make_error(ErrorCode::kInternalError, "the CloudFormation templates are not built in");

  // Everything that can be checked locally is checked before the first AWS call.
  const bool build_image = plan_.image_uri.empty() && (step == 0 || step == 2);
  std::optional<ContainerTool> container_tool;
  if (build_image) {
    std::error_code ec;
    if (!fs::exists(plan_.app_dir / "Dockerfile", ec)) {
      return make_error(
          ErrorCode::kNoDockerfile,
          "there is no Dockerfile in " + plan_.app_dir.string() +
              ": run containerize_app with write_files=true first, or pass image_uri");
    }
    auto found = find_container_tool(deps_.container_tools);
    if (!found.ok()) return found.error();
    container_tool = *found;
  }
  auto cfn = deps_.aws->client(AwsService::kCloudFormation);
  if (!cfn.ok())
    return make_error(ErrorCode::kAwsError, describe_aws_failure("CloudFormation", cfn.error()));

  // Step 1: the ECR stack. A later step run on its own finds the stack step 1 left.
  json ecr_outputs = json::object();
  if (step == 0 || step == 1) {
    percent_.at(1, "Deploying stack " + names.ecr + " (ECR repository)");
    auto ecr = deploy_stack(**cfn, names.ecr, plan_.app_name, "ecr", std::string(*ecr_text),
                            json{{"AppName", plan_.app_name}}, wait(2, 15, names.ecr));
    if (!ecr.ok()) return fail_stack(ecr.error());
    record(*ecr);
    ecr_outputs = stack_outputs(ecr->stack);
  } else if (plan_.image_uri.empty()) {
    auto existing = describe_stack(**cfn, names.ecr, call_);
    if (!existing.ok()) return fail(describe_aws_failure("DescribeStacks", existing.error()));
    if (!*existing || !stack_is_ours(**existing, plan_.app_name) ||
        !stack_status_succeeded((*existing)->value("StackStatus", ""))) {
      return fail("stack " + names.ecr + " is not deployed" +
                      (*existing ? " (status " + (*existing)->value("StackStatus", "") + ")"
                                 : std::string()) +
                      ": run deployment_step=1 first",
                  false);
    }
    ecr_outputs = stack_outputs(**existing);
  }
  outcome_.repository_uri = ecr_outputs.value("RepositoryUri", "");
  if (step == 1) return outcome_;

  // Step 2: the image, built from the app's Dockerfile and pushed, unless image_uri names one.
  std::string image = plan_.image_uri;
  if (build_image) {
    const std::string& repository_uri = outcome_.repository_uri;
    if (repository_uri.empty()) return fail("stack " + names.ecr + " has no RepositoryUri output");
    image = repository_uri + ":" + image_tag_now();
    auto ecr_client = deps_.aws->client(AwsService::kEcr);
    if (!ecr_client.ok()) return fail(describe_aws_failure("ECR", ecr_client.error()));
    auto token = (*ecr_client)->call("GetAuthorizationToken", json::object(), call_);
    if (!token.ok()) return fail(describe_aws_failure("GetAuthorizationToken", token.error()));
    const json& data = (*token)["authorizationData"];
    if (!data.is_array() || data.empty()) return fail("ECR returned no authorization data");
    RegistryAuth auth;
    auth.basic_token = data[0].value("authorizationToken", "");
    auth.registry = repository_uri.substr(0, repository_uri.find('/'));
    percent_.at(16, "Building " + image + " with " + container_tool->name);
    ImageBuildOptions build;
    build.cancelled = deps_.cancellation.cancelled;
    int lines = 0;
    build.on_line = [&](const std::string& line) {
      if (++lines % 10 == 0)
        percent_.tick(16, 50, container_tool->name + ": " + line.substr(0, 200));
    };
    auto st = build_and_push_image(*container_tool, plan_.app_dir.string(), image, auth, build);
    if (!st.ok()) return fail(st.error().message);
    percent_.at(50, "Pushed " + image);
  }
  if (step == 2) {
    outcome_.image_uri = image;
    if (!plan_.image_uri.empty())
      outcome_.warnings.push_back("image_uri is given: there was nothing to build");
    return outcome_;
  }
  // Step 3 on its own, without image_uri: the image step 2 pushed last.
  if (image.empty()) {
    auto newest =
        newest_image(*deps_.aws, plan_.parameters.value("EcrRepositoryName", plan_.app_name),
                     outcome_.repository_uri, call_);
    if (!newest.ok()) return fail(newest.error().message, false);
    image = *newest;
    outcome_.warnings.push_back("image_uri not given: deploying " + image +
                                ", the newest image in the repository");
  }

  json params = plan_.parameters;
  params["ImageUri"] = image;
  percent_.at(51, "Deploying stack " + names.ecs + " (cluster, service, load balancer)");
  auto ecs = deploy_stack(**cfn, names.ecs, plan_.app_name, "ecs", std::string(*ecs_text), params,
                          wait(52, 99, names.ecs));
  if (!ecs.ok()) return fail_stack(ecs.error());
  record(*ecs);
  percent_.at(100, "Deployed " + plan_.app_name);
  outcome_.image_uri = image;
  outcome_.service_deployed = true;
  outcome_.service_outputs = stack_outputs(ecs->stack);
  return outcome_;
}

}  // namespace

Result<WrittenTemplates> write_templates(const DeployPlan& plan, bool overwrite) {
  auto ecr_text = find_template("cloudformation/ecr.json");
  auto ecs_text = find_template("cloudformation/ecs.json");
  if (!ecr_text || !ecs_text)
    return make_error(ErrorCode::kInternalError, "the CloudFormation templates are not built in");
  const StackNames names = stack_names_for(plan.app_name);
  const std::string dir = std::string(kTemplatesDirectory) + "/";
  WrittenTemplates out;
  out.parameters = plan.parameters;
  if (plan.image_uri.empty()) out.parameters["ImageUri"] = "<repository-uri>:<tag>";
  const std::string parameters_text = cfn_parameters(out.parameters).dump(2);
  struct Planned {
    const char* key;
    std::string relative, text, shown;
  };
  const std::vector<Planned> planned{
      {"ecr", dir + names.ecr + ".json", std::string(*ecr_text), std::string(*ecr_text)},
      {"ecs", dir + names.ecs + ".json", std::string(*ecs_text), std::string(*ecs_text)},
      {"parameters", dir + names.ecs + "-parameters.json", parameters_text + "\n",
       parameters_text}};
  // A file the user has edited is kept unless they ask for it to be replaced.
  for (const auto& p : planned) {
    TemplateFile file{p.key, plan.app_dir / p.relative, p.shown, false};
    auto st = write_file_in_app(plan.app_dir, p.relative, p.text, overwrite);
    if (!st.ok() && st.error().code == ErrorCode::kAlreadyExists) {
      if (read_text_file(plan.app_dir / p.relative) != p.text) {
        file.kept = true;
        out.kept.push_back(p.relative);
      }
    } else if (!st.ok()) {
      return make_error(st.error().code, "cannot write the templates: " + st.error().message);
    }
    out.files.push_back(std::move(file));
  }
  return out;
}

Result<DeployOutcome> deploy(const DeployPlan& plan, const DeployDeps& deps, Progress& progress) {
  return Run(plan, deps, progress).go();
}

}  // namespace ecs_mcp::ecs
