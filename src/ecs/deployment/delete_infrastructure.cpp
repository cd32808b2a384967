#include "ecs/deployment/delete_infrastructure.h"

#include "ecs/deployment/infrastructure.h"
#include "ecs/deployment/names.h"
#include "ecs/deployment/stacks.h"

namespace ecs_mcp::ecs {

using mcp::json;

namespace {

constexpr const char* kPurpose = "delete_ecs_infrastructure";

json input_schema() {
  return json{
      {"type", "object"},
      {"properties",
       {{"app_name",
         {{"type", "string"},
          {"minLength", 1},
          {"description", "The app_name given to create_ecs_infrastructure"}}},
        {"ecr_template_path",
         {{"type", "string"},
          {"minLength", 1},
          {"description", "Absolute path of the <app_name>-ecr-infrastructure.json template"}}},
        {"ecs_template_path",
         {{"type", "string"},
          {"minLength", 1},
          {"description", "Absolute path of the <app_name>-ecs-infrastructure.json template"}}},
        {"confirmation_token",
         {{"type", "string"},
          {"description", "From the preview; pass it only after the user confirmed"}}}}},
      {"required", {"app_name", "ecr_template_path", "ecs_template_path"}},
      {"additionalProperties", false}};
}

json output_schema() {
  json stack{{"type", "object"},
             {"properties",
              {{"stack_name", {{"type", "string"}}},
               {"stack_id", {{"type", "string"}}},
               {"status", {{"type", "string"}}},
               {"resources", {{"type", "array"}}}}}};
  return json{
      {"type", "object"},
      {"properties",
       {{"app_name", {{"type", "string"}}},
        {"phase",
         {{"type", "string"}, {"enum", {"preview", "deleted", "declined", "nothing-to-delete"}}}},
        {"stacks", {{"type", "array"}, {"items", stack}}},
        {"confirmation_token", {{"type", "string"}}},
        {"expires_in_seconds", {{"type", "integer"}}},
        {"message", {{"type", "string"}}}}},
      {"required", {"app_name", "phase", "stacks", "message"}}};
}

struct Candidate {
  std::string name, id, status;
  json resources = json::array();
};

Result<json> parse_template_file(const std::string& path, const PathPolicy& paths) {
  auto file = resolve_input_file(path, paths);
  if (!file.ok()) return file.error();
  auto text = read_text_file(*file, 1 << 20);
  if (!text) return make_error(ErrorCode::kNotFound, "cannot read " + file->string());
  json parsed = json::parse(*text, nullptr, false);
  if (parsed.is_discarded())
    return make_error(ErrorCode::kInvalidTemplate,
                      file->string() + " is not a JSON CloudFormation template");
  return parsed;
}

// "shop-ecs-infrastructure (12 resources), shop-ecr-infrastructure (1 resources)"
std::string stack_list(const std::vector<Candidate>& candidates) {
  std::string list;
  for (const auto& c : candidates) {
    list += (list.empty() ? "" : ", ") + c.name + " (" + std::to_string(c.resources.size()) +
            " resources)";
  }
  return list;
}

enum class UserAnswer { kConfirmed, kDeclined, kCancelled };

// Asks the user through elicitation/create whether to delete exactly `candidates`. An Error
// when the client failed to answer (timeout, JSON-RPC error, a malformed result).
Result<UserAnswer> ask_user(mcp::ToolContext& ctx, const std::string& app,
                            const std::string& region, const std::vector<Candidate>& candidates,
                            std::chrono::milliseconds timeout) {
  std::string message =
      "Delete the ECS infrastructure of app \"" + app + "\" in " + region +
      "? This permanently deletes these CloudFormation stacks and all their resources: " +
      stack_list(candidates) + ". The ECR repository's images are deleted with it.";
  json schema{
      {"type", "object"},
      {"properties",
       {{"confirm",
         {{"type", "boolean"},
          {"title", "Delete these stacks"},
          {"description", "Delete " + stack_list(candidates) + " and everything in them"}}}}},
      {"required", {"confirm"}}};
  auto answer = ctx.request_client("elicitation/create",
                                   {{"message", message}, {"requestedSchema", schema}}, timeout);
  if (!answer.ok()) return answer.error();
  if (!answer->is_object() || !(*answer)["action"].is_string()) {
    return make_error(ErrorCode::kInvalidResponse, "the client's answer has no action");
  }
  const std::string action = (*answer)["action"].get<std::string>();
  if (action == "decline") return UserAnswer::kDeclined;
  if (action == "cancel") return UserAnswer::kCancelled;
  if (action != "accept")
    return make_error(ErrorCode::kInvalidResponse,
                      "the client answered with action \"" + action + "\"");
  const json content = answer->value("content", json::object());
  // Accepting the form without ticking confirm is not a confirmation.
  const bool confirmed = content.is_object() && content.value("confirm", json()).is_boolean() &&
                         content["confirm"].get<bool>();
  return confirmed ? UserAnswer::kConfirmed : UserAnswer::kDeclined;
}

}  // namespace

mcp::Tool make_delete_infrastructure_tool(std::shared_ptr<AwsContext> aws,
                                          DeleteInfrastructureOptions options) {
  if (!options.tokens) options.tokens = std::make_shared<ConfirmationTokens>();
  mcp::Tool tool;
  tool.name = "delete_ecs_infrastructure";
  tool.title = "Delete an app's ECS infrastructure";
  tool.description =
      "Deletes the two stacks create_ecs_infrastructure made for an app "
      "(<app_name>-ecs-infrastructure, "
      "then <app_name>-ecr-infrastructure with its images) and nothing else: only stacks with this "
      "server's tags whose deployed template equals the given file. The first call returns a "
      "preview "
      "and a confirmation token valid ten minutes; show the preview, and only after the user "
      "confirms "
      "call again with confirmation_token. Clients with elicitation are asked in the same call. "
      "Needs "
      "ALLOW_WRITE=true.";
  tool.input_schema = input_schema();
  tool.output_schema = output_schema();
  tool.annotations = {
      .read_only = false, .destructive = true, .idempotent = true, .open_world = true};
  tool.long_running = true;  // waits for each stack to be deleted
  tool.access_classes = {mcp::AccessClass::kDestructive};
  tool.handler = [aws, options](const json& args, mcp::ToolContext& ctx) -> mcp::ToolResult {
    const std::string app = args.at("app_name").get<std::string>();
    if (auto e = check_app_name(app)) return mcp::ToolResult::error(*e);
    auto ecr_template =
        parse_template_file(args.at("ecr_template_path").get<std::string>(), options.paths);
    if (!ecr_template.ok())
      return mcp::ToolResult::error("ecr_template_path: " + ecr_template.error().message);
    auto ecs_template =
        parse_template_file(args.at("ecs_template_path").get<std::string>(), options.paths);
    if (!ecs_template.ok())
      return mcp::ToolResult::error("ecs_template_path: " + ecs_template.error().message);

    auto cfn = aws->client(AwsService::kCloudFormation);
    if (!cfn.ok())
      return mcp::ToolResult::error(describe_aws_failure("CloudFormation", cfn.error()));
    aws::CallOptions call;
    call.cancelled = ctx.cancel_predicate();
    call.stop = ctx.stop_token();
    const StackNames names = stack_names_for(app);

    // Vet both stacks before anything is deleted; any refusal stops the whole call.
    std::vector<Candidate> candidates;
    std::vector<std::string> absent;
    for (const auto& [name, expected] : std::vector<std::pair<std::string, const json*>>{
             {names.ecs, &*ecs_template}, {names.ecr, &*ecr_template}}) {
      auto stack = describe_stack(**cfn, name, call);
      if (!stack.ok())
        return mcp::ToolResult::error(
            describe_aws_failure("DescribeStacks " + name, stack.error()));
      if (!stack->has_value() || (**stack).value("StackStatus", "") == "DELETE_COMPLETE") {
        absent.push_back(name);
        continue;
      }
      const json& s = **stack;
      if (!stack_is_ours(s, app)) {
        return mcp::ToolResult::error(
            "refusing to delete stack " + name + ": it was not created by ecs-mcp for app \"" +
            app + "\" (it lacks the tags " + kManagedByTagKey + "=" + kManagedByTagValue + " and " +
            kAppTagKey + "=" + app + "). Nothing was deleted.");
      }
      auto deployed =
          (*cfn)->call("GetTemplate", {{"StackName", name}, {"TemplateStage", "Original"}}, call);
      if (!deployed.ok())
        return mcp::ToolResult::error(
            describe_aws_failure("GetTemplate " + name, deployed.error()));
      json body = (*deployed)["TemplateBody"];
      if (body.is_string()) body = json::parse(body.get<std::string>(), nullptr, false);
      if (body != *expected) {
        return mcp::ToolResult::error(
            "refusing to delete stack " + name +
            ": its deployed template differs from the "
            "template file given for it. Pass the template files create_ecs_infrastructure "
            "wrote for this app (" +
            std::string(kTemplatesDirectory) + "/" + name + ".json). Nothing was deleted.");
      }
      Candidate c{name, s.value("StackId", name), s.value("StackStatus", ""), json::array()};
      if (stack_status_in_progress(c.status) && c.status != "DELETE_IN_PROGRESS") {
        return mcp::ToolResult::error(
            "stack " + name + " is " + c.status +
            "; wait for it to finish, then ask again. Nothing was deleted.");
      }
      auto resources = (*cfn)->call("ListStackResources", {{"StackName", name}}, call);
      if (resources.ok()) {
        for (const auto& r : resources->value("StackResourceSummaries", json::array())) {
          // Blank entries stand for resources a condition left out (moto lists them so).
          const std::string type = r.value("ResourceType", "");
          if (type.empty()) continue;
          std::string id = r.value("PhysicalResourceId", "");
          if (id.empty()) id = r.value("LogicalResourceId", "");
          c.resources.push_back(type + " " + id);
        }
      }
      candidates.push_back(std::move(c));
    }

    json stacks = json::array();
    std::vector<std::string> bound{"app=" + app};
    for (const auto& c : candidates) {
      stacks.push_back({{"stack_name", c.name},
                        {"stack_id", c.id},
                        {"status", c.status},
                        {"resources", c.resources}});
      bound.push_back(c.id);
    }
    json out{{"app_name", app}, {"stacks", stacks}};
    if (candidates.empty()) {
      out["phase"] = "nothing-to-delete";
      out["message"] = "Neither " + names.ecs + " nor " + names.ecr + " exists in " +
                       aws->region() + "; nothing to delete.";
      return mcp::ToolResult::structured_result(out);
    }

    const std::string token = args.value("confirmation_token", "");
    bool confirmed_by_user = false;  // through elicitation, in this call
    std::string elicitation_failure;
    if (token.empty() && ctx.client_capabilities().contains("elicitation")) {
      auto answer = ask_user(ctx, app, aws->region(), candidates, options.elicitation_timeout);
      if (!answer.ok() && ctx.cancelled())
        return mcp::ToolResult::error("the call was cancelled. Nothing was deleted.");
      if (!answer.ok()) {
        elicitation_failure =
            "Asking the user to confirm (elicitation) failed: " + answer.error().message + ". ";
      } else if (*answer == UserAnswer::kConfirmed) {
        confirmed_by_user = true;
      } else {
        out["phase"] = "declined";
        out["message"] =
            std::string(*answer == UserAnswer::kDeclined ? "The user declined the deletion"
                                                         : "The user dismissed the confirmation") +
            "; nothing was deleted. Would have removed: " + stack_list(candidates) + ".";
        return mcp::ToolResult::structured_result(out);
      }
    }
    if (token.empty() && !confirmed_by_user) {
      out["phase"] = "preview";
      out["confirmation_token"] = options.tokens->issue(kPurpose, bound);
      out["expires_in_seconds"] = options.tokens->lifetime().count();
      std::string list;
      for (const auto& c : candidates)
        list += " " + c.name + " (" + std::to_string(c.resources.size()) + " resources)";
      out["message"] =
          elicitation_failure + "PREVIEW, nothing deleted yet. Deleting would remove:" + list +
          (absent.empty() ? ""
                          : "; already absent: " + absent.front() +
                                (absent.size() > 1 ? ", " + absent[1] : "")) +
          ". The ECR repository's images are deleted with it. Show this to the user; if they "
          "confirm, call "
          "delete_ecs_infrastructure again with the same arguments and confirmation_token within " +
          std::to_string(options.tokens->lifetime().count() / 60) + " minutes." +
          (options.tokens->persistent_key()
               ? ""
               : " (The token is valid only while this server process runs.)");
      return mcp::ToolResult::structured_result(out);
    }
    if (auto st = confirmed_by_user ? Status{} : options.tokens->verify(token, kPurpose, bound);
        !st.ok()) {
      return mcp::ToolResult::error(st.error().message + ". Nothing was deleted.");
    }

    double progress = 0;
    json results = json::array();
    for (size_t i = 0; i < candidates.size(); ++i) {
      const auto& c = candidates[i];
      if (c.status != "DELETE_IN_PROGRESS") {
        // The stack ID, not the name: it cannot have been replaced by another stack since the
        // preview.
        auto r = start_stack_deletion(**cfn, c.id, call);
        if (!r.ok())
          return mcp::ToolResult::error(describe_aws_failure("DeleteStack " + c.name, r.error()));
      }
      progress += 1;
      ctx.progress(progress, static_cast<double>(candidates.size() * 10 + 1), "Deleting " + c.name);
      StackWaitOptions w;
      w.poll_interval = options.poll_interval;
      w.timeout = options.stack_timeout;
      w.cancelled = ctx.cancel_predicate();
      w.stop = ctx.stop_token();
      w.on_status = [&](const std::string& status) {
        progress += 1;
        ctx.progress(progress, static_cast<double>(candidates.size() * 10 + 1),
                     c.name + ": " + status);
      };
      auto done = wait_for_stack(**cfn, c.id, w);
      if (!done.ok()) return mcp::ToolResult::error(done.error().message);
      std::string final_status =
          done->has_value() ? (**done).value("StackStatus", "") : "DELETE_COMPLETE";
      if (final_status != "DELETE_COMPLETE") {
        std::string reasons;
        for (const auto& r : stack_failure_reasons(**cfn, c.id, call)) reasons += "\n  - " + r;
        return mcp::ToolResult::error(
            "stack " + c.name + " ended " + final_status + reasons +
            (i + 1 < candidates.size() ? "\n" + candidates[i + 1].name + " was not deleted." : ""));
      }
      results.push_back({{"stack_name", c.name},
                         {"stack_id", c.id},
                         {"status", final_status},
                         {"resources", c.resources}});
      progress = static_cast<double>((i + 1) * 10);
    }
    out["phase"] = "deleted";
    out["stacks"] = results;
    out["message"] = "Deleted " + std::to_string(results.size()) + " stack(s) of " + app +
                     " and their resources.";
    return mcp::ToolResult::structured_result(out);
  };
  return tool;
}

}  // namespace ecs_mcp::ecs
