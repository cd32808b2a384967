// detect_image_pull_failures: every image of the task definitions behind a service, task,
// stack or family, checked for existence, pull permissions, credentials and network path.
#include "ecs/troubleshooting/image_pull_check.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "common/json_fields.h"
#include "common/percent_encoding.h"
#include "ecs/troubleshooting/ecs_reads.h"
#include "ecs/troubleshooting/network_facts.h"

namespace ecs_mcp::ecs::troubleshooting {

namespace {

// IAM action patterns: '*' any run, '?' one character, case-insensitive.
bool glob_match(const std::string& pattern, const std::string& text) {
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() &&
        (pattern[p] == '?' || std::tolower(pattern[p]) == std::tolower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string role_name(const std::string& arn) {
  auto slash = arn.rfind('/');
  return slash == std::string::npos ? arn : arn.substr(slash + 1);
}

constexpr const char* kPullActions[] = {"ecr:GetAuthorizationToken", "ecr:BatchGetImage",
                                        "ecr:GetDownloadUrlForLayer"};

}  // namespace

bool policy_allows(const std::string& document, const std::string& action) {
  json doc = json::parse(uri_decode(document), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return false;
  json statements = doc.value("Statement", json::array());
  if (statements.is_object()) statements = json::array({statements});
  bool allowed = false;
  for (const auto& s : statements) {
    json actions = s.value("Action", json::array());
    if (actions.is_string()) actions = json::array({actions});
    bool matches = false;
    for (const auto& a : actions) {
      if (a.is_string() && glob_match(a.get<std::string>(), action)) matches = true;
    }
    if (!matches) continue;
    if (s.value("Effect", "") == "Deny") return false;
    if (s.value("Effect", "") == "Allow") allowed = true;
  }
  return allowed;
}

std::optional<Finding> check_ecr_image(const AwsReader& aws, const ImageReference& ref,
                                       std::string& status) {
  json image_id =
      ref.digest.empty() ? json{{"imageTag", ref.tag}} : json{{"imageDigest", ref.digest}};
  auto r = aws.call(AwsService::kEcr, "DescribeImages",
                    {{"repositoryName", ref.repository},
                     {"registryId", ref.ecr_account},
                     {"imageIds", json::array({image_id})}},
                    ref.ecr_region);
  if (r.ok()) {
    status = "exists";
    return std::nullopt;
  }
  const std::string code = r.error().service_code;
  const std::string what = ref.digest.empty() ? "tag " + ref.tag : "digest " + ref.digest;
  if (code == "RepositoryNotFoundException") {
    status = "missing_repository";
    return Finding{Severity::kCritical,
                   "image_not_found",
                   "ECR repository " + ref.repository + " does not exist in account " +
                       ref.ecr_account + " (" + ref.ecr_region + "), so " + ref.original +
                       " cannot be pulled.",
                   {r.error().describe()},
                   "Create the repository and push the image, or fix the image URI (account, "
                   "region, repository name) in the task definition.",
                   1};
  }
  if (code == "ImageNotFoundException") {
    status = "missing_image";
    return Finding{Severity::kCritical,
                   "image_not_found",
                   "Repository " + ref.repository + " has no image with " + what + ", so " +
                       ref.original + " cannot be pulled.",
                   {r.error().describe()},
                   "Push the image with that tag, or point the task definition at a tag that "
                   "exists (ecs_resource_management ecr:ListImages lists them).",
                   1};
  }
  status = "unverified";
  return Finding{Severity::kInfo,
                 "image_unverified",
                 "Could not check image " + ref.original + ".",
                 {r.error().describe()},
                 "Check that the server's credentials may call ecr:DescribeImages on the "
                 "repository (cross-account repositories need a repository policy).",
                 1};
}

std::vector<Finding> check_execution_role(const AwsReader& aws, const std::string& role_arn,
                                          json& evidence_out) {
  std::vector<Finding> out;
  const std::string name = role_name(role_arn);
  evidence_out = {{"role", role_arn}};
  auto role = aws.call(AwsService::kIam, "GetRole", {{"RoleName", name}});
  if (!role.ok()) {
    if (role.error().is_service_error("NoSuchEntity")) {
      out.push_back({Severity::kCritical,
                     "execution_role_missing",
                     "The task execution role " + role_arn +
                         " does not exist: ECS cannot pull "
                         "private images, fetch secrets or write logs for the task.",
                     {role.error().describe()},
                     "Create the role (trusted by ecs-tasks.amazonaws.com, with "
                     "AmazonECSTaskExecutionRolePolicy) or fix executionRoleArn.",
                     1});
    } else {
      out.push_back({Severity::kInfo,
                     "execution_role_unverified",
                     "Could not read the task execution role " + role_arn + ".",
                     {role.error().describe()},
                     "Check it in the IAM console.",
                     1});
    }
    return out;
  }
  const std::string trust =
      uri_decode(string_field(role->value("Role", json::object()), "AssumeRolePolicyDocument"));
  if (!trust.empty() && trust.find("ecs-tasks.amazonaws.com") == std::string::npos) {
    out.push_back({Severity::kCritical,
                   "execution_role_trust",
                   "The task execution role " + name +
                       " does not trust ecs-tasks.amazonaws.com, "
                       "so ECS cannot assume it.",
                   {"AssumeRolePolicyDocument: " + trust},
                   "Add ecs-tasks.amazonaws.com as a trusted principal (sts:AssumeRole).",
                   1});
  }

  std::set<std::string> allowed;
  json sources = json::array();
  auto attached = aws.all_pages(AwsService::kIam, "ListAttachedRolePolicies", {{"RoleName", name}});
  if (attached.ok()) {
    for (const auto& p : attached->value("AttachedPolicies", json::array())) {
      const std::string arn = string_field(p, "PolicyArn");
      sources.push_back(arn);
      if (arn.size() >= 34 && arn.find("AmazonECSTaskExecutionRolePolicy") != std::string::npos) {
        for (const char* a : kPullActions) allowed.insert(a);
        continue;
      }
      auto policy = aws.call(AwsService::kIam, "GetPolicy", {{"PolicyArn", arn}});
      if (!policy.ok()) continue;
      auto version = aws.call(AwsService::kIam, "GetPolicyVersion",
                              {{"PolicyArn", arn},
                               {"VersionId", string_field(policy->value("Policy", json::object()),
                                                          "DefaultVersionId")}});
      if (!version.ok()) continue;
      const std::string doc =
          string_field(version->value("PolicyVersion", json::object()), "Document");
      for (const char* a : kPullActions) {
        if (policy_allows(doc, a)) allowed.insert(a);
      }
    }
  }
  auto inline_names = aws.all_pages(AwsService::kIam, "ListRolePolicies", {{"RoleName", name}});
  if (inline_names.ok()) {
    for (const auto& pn : inline_names->value("PolicyNames", json::array())) {
      sources.push_back("inline:" + pn.get<std::string>());
      auto doc =
          aws.call(AwsService::kIam, "GetRolePolicy", {{"RoleName", name}, {"PolicyName", pn}});
      if (!doc.ok()) continue;
      for (const char* a : kPullActions) {
        if (policy_allows(string_field(*doc, "PolicyDocument"), a)) allowed.insert(a);
      }
    }
  }
  evidence_out["policies"] = sources;
  evidence_out["allowed_pull_actions"] =
      json(std::vector<std::string>(allowed.begin(), allowed.end()));
  if (!attached.ok() && !inline_names.ok()) {
    out.push_back({Severity::kInfo,
                   "execution_role_unverified",
                   "Could not list the policies of the task execution role " + name + ".",
                   {attached.error().describe()},
                   "Check it in the IAM console.",
                   1});
    return out;
  }
  std::vector<std::string> missing;
  for (const char* a : kPullActions) {
    if (!allowed.count(a)) missing.push_back(a);
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    out.push_back({Severity::kCritical,
                   "execution_role_cannot_pull",
                   "The task execution role " + name + " is not allowed " + list +
                       ", so ECS cannot pull the image from ECR.",
                   {"policies: " + sources.dump()},
                   "Attach the managed policy AmazonECSTaskExecutionRolePolicy to " + name + ".",
                   1});
  }
  return out;
}

Result<ActionReport> run_image_pull_check(const ActionRequest& request) {
  request.progress(0, 3, "reading task definitions");
  ECS_MCP_ASSIGN_OR_RETURN(auto tds, task_definitions_for(request));

  // The network path, when the request names running workload.
  std::optional<CollectedNetwork> network;
  std::string network_note;
  if (!request.text("ecs_service_name").empty() || !request.text("ecs_task_id").empty()) {
    auto n = collect_network(request);
    if (n.ok()) {
      network = std::move(*n);
    } else {
      network_note = n.error().message;
    }
  }
  std::optional<EgressDecision> egress;
  if (network && !network->facts.task_subnet_ids.empty()) {
    egress = decide_egress(network->facts, network->facts.task_subnet_ids.front());
  }

  request.progress(1, 3, "checking images");
  ActionReport report;
  json images = json::array();
  json roles = json::object();
  std::set<std::string> checked_roles;
  std::map<std::string, std::string> image_status;  // original -> status
  bool internet_flagged = false, ecr_flagged = false;
  for (const auto& source : tds) {
    const json& td = source.task_definition;
    const std::string td_arn = string_field(td, "taskDefinitionArn");
    const std::string exec_role = string_field(td, "executionRoleArn");
    bool needs_role = false;
    for (const auto& c : td.value("containerDefinitions", json::array())) {
      if (request.aws.cancelled())
        return make_error(ErrorCode::kCancelled, "the call was cancelled");
      const std::string image = string_field(c, "image");
      ImageReference ref = parse_image_reference(image);
      json entry{{"container", string_field(c, "name")},
                 {"image", image},
                 {"task_definition", arn_tail(td_arn)},
                 {"source", source.why},
                 {"registry", ref.registry},
                 {"repository", ref.repository}};
      if (!ref.tag.empty()) entry["tag"] = ref.tag;
      if (!ref.digest.empty()) entry["digest"] = ref.digest;
      std::string kind = ref.is_ecr          ? "ecr"
                         : ref.is_ecr_public ? "ecr_public"
                         : ref.is_docker_hub ? "docker_hub"
                                             : "other_registry";
      entry["kind"] = kind;

      if (ref.is_ecr) {
        needs_role = true;
        std::string status;
        auto it = image_status.find(image);
        if (it == image_status.end()) {
          auto f = check_ecr_image(request.aws, ref, status);
          image_status[image] = status;
          if (f) {
            f->evidence.push_back("container " + string_field(c, "name") + " in " +
                                  arn_tail(td_arn));
            report.findings.push_back(std::move(*f));
          }
        } else {
          status = it->second;
        }
        entry["status"] = status;
      } else {
        entry["status"] = "not_checked";
        const bool has_credentials = c.contains("repositoryCredentials");
        if (has_credentials) {
          needs_role = true;
          entry["repository_credentials"] = true;
        } else if (!ref.is_docker_hub && !ref.is_ecr_public) {
          report.findings.push_back(
              {Severity::kWarning,
               "private_registry_credentials",
               "Image " + image + " comes from " + ref.registry +
                   " without repositoryCredentials: if the registry needs "
                   "a login, the pull fails with 'unauthorized'.",
               {"container " + string_field(c, "name") + " in " + arn_tail(td_arn)},
               "Store the registry's username/password in Secrets Manager "
               "and reference it in repositoryCredentials.credentialsParameter.",
               1});
        } else if (ref.is_docker_hub) {
          report.findings.push_back({Severity::kInfo,
                                     "docker_hub_rate_limit",
                                     "Image " + image +
                                         " is pulled anonymously from Docker Hub, "
                                         "which rate-limits anonymous pulls.",
                                     {"container " + string_field(c, "name")},
                                     "Mirror it to ECR (a pull-through cache rule does this "
                                     "automatically) or add repositoryCredentials.",
                                     1});
        }
      }
      // Network path to the registry.
      if (egress) {
        bool reachable = ref.is_ecr ? egress->ecr : egress->internet;
        entry["network_path"] = reachable ? egress->via : "none: " + egress->problem;
        if (!reachable && ((ref.is_ecr && !ecr_flagged) || (!ref.is_ecr && !internet_flagged))) {
          (ref.is_ecr ? ecr_flagged : internet_flagged) = true;
          report.findings.push_back(
              {Severity::kCritical,
               "no_route_to_registry",
               "The tasks cannot reach " + (ref.is_ecr ? std::string("ECR") : ref.registry) +
                   " to pull " + image + ": " + egress->problem + ".",
               {"assignPublicIp: " + network->facts.assign_public_ip,
                "VPC endpoints: " + json(endpoint_services(network->facts.vpc_endpoints)).dump()},
               ref.is_ecr ? "Give the tasks a public IP in a public subnet, a NAT gateway route, "
                            "or VPC endpoints for ecr.api, ecr.dkr and s3."
                          : "Give the tasks a public IP in a public subnet or a NAT gateway route "
                            "(VPC endpoints only reach AWS services), or copy the image to ECR.",
               1});
        }
      }
      images.push_back(std::move(entry));
    }
    // The execution role pulls ECR images and reads registry credentials.
    if (needs_role) {
      if (exec_role.empty()) {
        report.findings.push_back({Severity::kCritical,
                                   "execution_role_missing",
                                   "Task definition " + arn_tail(td_arn) +
                                       " has no "
                                       "executionRoleArn, which ECS needs to pull from ECR or use "
                                       "repositoryCredentials.",
                                   {"executionRoleArn: (none)"},
                                   "Set executionRoleArn to a role with "
                                   "AmazonECSTaskExecutionRolePolicy (ecsTaskExecutionRole).",
                                   1});
      } else if (checked_roles.insert(exec_role).second) {
        json role_evidence;
        auto f = check_execution_role(request.aws, exec_role, role_evidence);
        roles[exec_role] = role_evidence;
        report.findings.insert(report.findings.end(), f.begin(), f.end());
      }
    }
  }
  request.progress(2, 3, "deciding");
  if (!network && network_note.empty()) {
    network_note =
        "network path not checked: pass ecs_cluster_name with ecs_service_name or "
        "ecs_task_id to check routes to the registries";
  }
  bool problem = std::any_of(report.findings.begin(), report.findings.end(),
                             [](const Finding& f) { return f.severity <= Severity::kError; });
  if (!problem) {
    report.findings.push_back(
        {Severity::kInfo,
         "images_ok",
         "All " + std::to_string(images.size()) +
             " image(s) checked can be "
             "pulled: they exist and the execution role and network allow it.",
         {},
         "If tasks still fail, run fetch_task_failures.",
         1});
  }
  report.data = {{"images", std::move(images)}, {"execution_roles", std::move(roles)}};
  if (!network_note.empty()) report.data["network_note"] = network_note;
  if (network) {
    report.data["network"] = {{"subject", network->subject},
                              {"assign_public_ip", network->facts.assign_public_ip},
                              {"subnets", network->facts.task_subnet_ids},
                              {"vpc_endpoints", endpoint_services(network->facts.vpc_endpoints)}};
  }
  return report;
}

}  // namespace ecs_mcp::ecs::troubleshooting
