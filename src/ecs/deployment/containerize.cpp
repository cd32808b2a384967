#include "ecs/deployment/containerize.h"

#include <cctype>

#include "ecs/deployment/app_detection.h"
#include "ecs/deployment/dockerfile.h"

namespace ecs_mcp::ecs {

using mcp::json;

namespace {

json input_schema() {
  return json{
      {"type", "object"},
      {"properties",
       {{"app_path",
         {{"type", "string"}, {"minLength", 1}, {"description", "Absolute path of the app"}}},
        {"port",
         {{"type", "integer"},
          {"minimum", 1},
          {"maximum", 65535},
          {"description", "Detected when omitted"}}},
        {"write_files",
         {{"type", "boolean"},
          {"default", false},
          {"description", "Write the files into app_path"}}},
        {"overwrite",
         {{"type", "boolean"}, {"default", false}, {"description", "Replace existing files"}}}}},
      {"required", {"app_path"}},
      {"additionalProperties", false}};
}

json file_schema() {
  return json{
      {"type", "object"},
      {"properties",
       {{"path", {{"type", "string"}}},
        {"content", {{"type", "string"}}},
        {"status", {{"type", "string"}, {"description", "returned, written or kept-existing"}}}}}};
}

json output_schema() {
  json strs{{"type", "array"}, {"items", {{"type", "string"}}}};
  return json{
      {"type", "object"},
      {"properties",
       {{"app_path", {{"type", "string"}}},
        {"runtime", {{"type", "string"}}},
        {"framework", {{"type", "string"}}},
        {"package_manager", {{"type", "string"}}},
        {"entry_point", {{"type", "string"}}},
        {"port", {{"type", "integer"}}},
        {"port_source", {{"type", "string"}}},
        {"health_check_path", {{"type", "string"}}},
        {"evidence", strs},
        {"warnings", strs},
        {"dockerfile", file_schema()},
        {"dockerignore", file_schema()},
        {"next_steps", strs}}},
      {"required",
       {"app_path", "runtime", "framework", "port", "dockerfile", "dockerignore", "next_steps"}}};
}

std::string default_image_name(const std::filesystem::path& dir) {
  std::string name;
  for (char c : dir.filename().string()) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u))
      name += static_cast<char>(std::tolower(u));
    else if (!name.empty() && name.back() != '-')
      name += '-';
  }
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name.empty() ? "app" : name;
}

}  // namespace

mcp::Tool make_containerize_tool(ContainerizeOptions options) {
  mcp::Tool tool;
  tool.name = "containerize_app";
  tool.title = "Containerize an application";
  tool.description =
      "Start here to containerize or deploy an app. Detects runtime, framework, package manager, "
      "entry point and port (Node.js, Python, Go, Java, Ruby, .NET, static sites) and returns a "
      "multi-stage, non-root Dockerfile on pinned images with a HEALTHCHECK, and a .dockerignore, "
      "with the evidence. Then use create_ecs_infrastructure.\n"
      "app_path must be absolute; credential and system directories (~/.aws, ~/.ssh, /etc) are "
      "refused. write_files=true writes the files into app_path (existing ones kept unless "
      "overwrite=true). It calls no AWS API and needs no ALLOW_WRITE.";
  tool.input_schema = input_schema();
  tool.output_schema = output_schema();
  tool.annotations = {
      .read_only = false, .destructive = false, .idempotent = true, .open_world = false};
  tool.access_classes = {mcp::AccessClass::kRead};
  tool.handler = [options](const json& args, mcp::ToolContext&) -> mcp::ToolResult {
    auto dir = resolve_app_directory(args.at("app_path").get<std::string>(), options.paths);
    if (!dir.ok()) return mcp::ToolResult::error(dir.error().message);
    auto profile = detect_application(*dir, args.value("port", 0));
    if (!profile.ok()) return mcp::ToolResult::error(profile.error().message);
    auto files = generate_container_files(*profile);
    if (!files.ok()) return mcp::ToolResult::error(files.error().describe());

    bool write = args.value("write_files", false);
    bool overwrite = args.value("overwrite", false);
    json out{
        {"app_path", dir->string()},           {"runtime", profile->runtime},
        {"framework", profile->framework},     {"package_manager", profile->package_manager},
        {"entry_point", profile->entry_point}, {"port", profile->port},
        {"port_source", profile->port_source}, {"health_check_path", profile->health_check_path},
        {"evidence", profile->evidence},       {"warnings", profile->warnings}};
    auto emit = [&](const char* key, const char* name,
                    const std::string& content) -> std::optional<std::string> {
      json f{{"path", (*dir / name).string()}, {"content", content}, {"status", "returned"}};
      if (write) {
        auto st = write_file_in_app(*dir, name, content, overwrite);
        if (st.ok()) {
          f["status"] = "written";
        } else if (st.error().code == ErrorCode::kAlreadyExists) {
          f["status"] = "kept-existing";
          out["warnings"].push_back(
              std::string(name) +
              " already exists and was kept; pass overwrite=true to replace it");
        } else {
          return st.error().message;
        }
      }
      out[key] = std::move(f);
      return std::nullopt;
    };
    if (auto e = emit("dockerfile", "Dockerfile", files->dockerfile))
      return mcp::ToolResult::error(*e);
    if (auto e = emit("dockerignore", ".dockerignore", files->dockerignore))
      return mcp::ToolResult::error(*e);

    std::string image = default_image_name(*dir);
    json steps = json::array();
    if (!write)
      steps.push_back("Save the Dockerfile and .dockerignore into " + dir->string() +
                      " (or call containerize_app again with write_files=true).");
    steps.push_back("Build and try it locally: docker build -t " + image + " " + dir->string() +
                    " && docker run --rm -p " + std::to_string(profile->port) + ":" +
                    std::to_string(profile->port) + " " + image);
    steps.push_back("Deploy it: create_ecs_infrastructure with app_name=\"" + image +
                    "\", app_path=\"" + dir->string() +
                    "\", container_port=" + std::to_string(profile->port) +
                    ", health_check_path=\"" + profile->health_check_path + "\".");
    out["next_steps"] = std::move(steps);
    return mcp::ToolResult::structured_result(std::move(out));
  };
  return tool;
}

}  // namespace ecs_mcp::ecs
