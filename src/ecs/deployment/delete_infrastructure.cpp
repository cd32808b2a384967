#include "ecs/deployment/delete_infrastructure.h"

#include "ecs/deployment/delete_workflow.h"
#include "ecs/deployment/names.h"

namespace ecs_mcp::ecs {

using mcp::json;

namespace {

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

json stack_json(const StackToDelete& s) {
  return {
      {"stack_name", s.name}, {"stack_id", s.id}, {"status", s.status}, {"resources", s.resources}};
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
  if (options.require_human_confirmation) {
    tool.description =
        "Deletes the two stacks create_ecs_infrastructure made for an app "
        "(<app_name>-ecs-infrastructure, then <app_name>-ecr-infrastructure with its images) and "
        "nothing else: only stacks with this server's tags whose deployed template equals the "
        "given file. The person using the client is asked to confirm in the same call "
        "(elicitation); confirmation tokens are not accepted and clients without elicitation are "
        "refused (ECS_MCP_REQUIRE_HUMAN_CONFIRMATION=true). Needs ALLOW_WRITE=true.";
  }
  tool.input_schema = input_schema();
  tool.output_schema = output_schema();
  tool.annotations = {
      .read_only = false, .destructive = true, .idempotent = true, .open_world = true};
  tool.long_running = true;  // waits for each stack to be deleted
  tool.access_classes = {mcp::AccessClass::kDestructive};
  tool.handler = [aws, options](const json& args, mcp::ToolContext& ctx) -> mcp::ToolResult {
    DeletePlan plan;
    plan.app_name = args.at("app_name").get<std::string>();
    if (auto e = check_app_name(plan.app_name)) return mcp::ToolResult::error(*e);
    auto ecr_template =
        parse_template_file(args.at("ecr_template_path").get<std::string>(), options.paths);
    if (!ecr_template.ok())
      return mcp::ToolResult::error("ecr_template_path: " + ecr_template.error().message);
    auto ecs_template =
        parse_template_file(args.at("ecs_template_path").get<std::string>(), options.paths);
    if (!ecs_template.ok())
      return mcp::ToolResult::error("ecs_template_path: " + ecs_template.error().message);
    plan.ecr_template = std::move(*ecr_template);
    plan.ecs_template = std::move(*ecs_template);
    plan.confirmation_token = args.value("confirmation_token", "");

    DeleteDeps deps{aws,
                    options.tokens,
                    options.poll_interval,
                    options.stack_timeout,
                    cancellation_of(ctx),
                    ask_person_through(ctx, options.elicitation_timeout),
                    options.require_human_confirmation};
    ToolProgress progress(ctx);
    auto outcome = delete_app_stacks(plan, deps, progress);
    if (!outcome.ok()) return mcp::ToolResult::error(outcome.error().message);
    json stacks = json::array();
    for (const auto& s : outcome->stacks) stacks.push_back(stack_json(s));
    json out{{"app_name", plan.app_name},
             {"phase", std::string(to_string(outcome->phase))},
             {"stacks", stacks},
             {"message", outcome->message}};
    if (outcome->phase == DeleteOutcome::Phase::kPreview) {
      out["confirmation_token"] = outcome->confirmation_token;
      out["expires_in_seconds"] = outcome->expires_in_seconds;
    }
    return mcp::ToolResult::structured_result(out);
  };
  return tool;
}

}  // namespace ecs_mcp::ecs
