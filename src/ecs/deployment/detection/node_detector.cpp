// Node.js: package.json; Express, Next.js, NestJS or plain Node, and front-end builds served
// as a static site.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/json_fields.h"
#include "ecs/deployment/detection/runtime_detector.h"
#include "ecs/deployment/detection/text_scan.h"

namespace ecs_mcp::ecs::detection {

namespace {

using nlohmann::json;

// The script a start command runs when it is exactly `node <file>.js` (or .cjs, .mjs), else "".
std::string node_script_of(std::string_view command) {
  Cursor c(command, 0);
  if (!c.literal("node") || c.spaces().empty()) return "";
  std::string script(
      c.take_while([](char ch) { return is_word(ch) || ch == '.' || ch == '/' || ch == '-'; }));
  c.spaces();
  if (!c.done()) return "";
  for (std::string_view ext : {".js", ".cjs", ".mjs"}) {
    if (script.size() > ext.size() && script.ends_with(std::string(ext))) return script;
  }
  return "";
}

struct NodePackageManager {
  std::string name, install, prune, run_build, manifests;
  bool corepack = false;
};

NodePackageManager node_package_manager(const AppFiles& f, AppProfile& p) {
  NodePackageManager pm;
  if (f.has("pnpm-lock.yaml")) {
    pm = {"pnpm",           "pnpm install --frozen-lockfile", "pnpm prune --prod",
          "pnpm run build", "package.json pnpm-lock.yaml",    true};
    p.evidence.push_back("package manager pnpm: pnpm-lock.yaml");
  } else if (f.has("yarn.lock")) {
    bool berry = f.has(".yarnrc.yml");
    pm = {"yarn",
          berry ? "yarn install --immutable" : "yarn install --frozen-lockfile",
          berry ? ""
                : "yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline",
          "yarn run build",
          berry ? "package.json yarn.lock .yarnrc.yml" : "package.json yarn.lock",
          true};
    p.evidence.push_back(std::string("package manager yarn") +
                         (berry ? " (Berry, .yarnrc.yml)" : "") + ": yarn.lock");
  } else if (f.has("package-lock.json")) {
    pm = {
        "npm", "npm ci", "npm prune --omit=dev", "npm run build", "package.json package-lock.json",
        false};
    p.evidence.push_back("package manager npm: package-lock.json");
  } else {
    pm = {"npm", "npm install", "npm prune --omit=dev", "npm run build", "package.json", false};
    p.evidence.push_back("package manager npm: package.json without a lock file");
    p.warnings.push_back("no lock file: builds are not reproducible; commit package-lock.json");
  }
  return pm;
}

std::string node_version(const json& pkg, const Toolchains& toolchains, AppProfile& p) {
  std::string wanted;
  if (std::string engine = string_field(pkg.value("engines", json()), "node"); !engine.empty()) {
    wanted = first_number(engine);
    p.evidence.push_back("Node.js " + wanted + ": engines.node in package.json");
  }
  return toolchains.get("node").pick(wanted).version;
}

Result<AppProfile> detect_node(const AppFiles& f, const Toolchains& toolchains, int override_port) {
  AppProfile p;
  p.runtime = "node";
  p.evidence.push_back("runtime Node.js: package.json");
  json pkg = json::parse(f.read("package.json"), nullptr, false);
  if (pkg.is_discarded() || !pkg.is_object()) {
    return make_error(ErrorCode::kUnknownApplication,
                      "package.json is not valid JSON; fix it and try again");
  }
  json deps = json::object();
  for (const char* k : {"dependencies", "devDependencies"}) {
    if (pkg.contains(k) && pkg[k].is_object()) deps.update(pkg[k]);
  }
  json scripts =
      pkg.contains("scripts") && pkg["scripts"].is_object() ? pkg["scripts"] : json::object();
  auto has_dep = [&](const char* n) { return deps.contains(n); };
  auto pm = node_package_manager(f, p);
  p.package_manager = pm.name;
  std::string version = node_version(pkg, toolchains, p);
  bool has_build = scripts.contains("build");

  bool server = has_dep("express") || has_dep("next") || has_dep("@nestjs/core") ||
                has_dep("fastify") || has_dep("koa") || has_dep("@hapi/hapi");
  bool spa = has_dep("vite") || has_dep("react-scripts") || has_dep("@angular/core") ||
             has_dep("@vue/cli-service") || has_dep("astro");
  if (!server && spa && has_build) {
    p.runtime = "static";
    p.framework = "none";
    std::string dir = has_dep("react-scripts") ? "build" : "dist";
    p.evidence.push_back("a static site built by `" + pm.run_build + "` into " + dir +
                         "/ (front-end tooling and no server framework in package.json)");
    p.entry_point = dir + "/index.html";
    p.dockerfile_template = "dockerfile/static.Dockerfile";
    p.template_values = {{"NODE_VERSION", version},
                         {"MANIFESTS", pm.manifests},
                         {"INSTALL_COMMAND", pm.install},
                         {"BUILD_COMMAND", pm.run_build},
                         {"SITE_DIR", dir},
                         {"PACKAGE_MANAGER", pm.name},
                         {"COREPACK", pm.corepack ? "yes" : ""}};
    serve_with_nginx(p, toolchains, override_port);
    p.extra_ignores = {"node_modules", "npm-debug.log*", "yarn-error.log",
                       "dist",         "build",          "coverage"};
    return p;
  }

  std::vector<std::string> start;
  int default_port = 3000;
  std::string port_file;
  if (has_dep("next")) {
    p.framework = "nextjs";
    p.evidence.push_back("framework Next.js: \"next\" in package.json dependencies");
    p.entry_point = "next start";
    start = {"node_modules/.bin/next", "start", "-H", "0.0.0.0", "-p", "{{PORT}}"};
    if (!has_build)
      p.warnings.push_back("Next.js app without a build script: add \"build\": \"next build\"");
  } else if (has_dep("@nestjs/core")) {
    p.framework = "nestjs";
    p.evidence.push_back("framework NestJS: \"@nestjs/core\" in package.json dependencies");
    p.entry_point = "dist/main.js";
    start = {"node", "dist/main.js"};
    port_file = f.has("src/main.ts") ? "src/main.ts" : "";
    if (!has_build)
      p.warnings.push_back("NestJS app without a build script: add \"build\": \"nest build\"");
  } else {
    if (has_dep("express")) {
      p.framework = "express";
      p.evidence.push_back("framework Express: \"express\" in package.json dependencies");
    } else {
      p.framework = "none";
      p.evidence.push_back(
          "no known Node.js framework in package.json; running it as a plain Node.js app");
    }
    std::string entry;
    std::string start_script = string_field(scripts, "start");
    if (std::string script = node_script_of(start_script); !script.empty()) {
      entry = script;
      p.evidence.push_back("entry point " + entry + ": scripts.start in package.json");
    } else if (std::string main_file = string_field(pkg, "main");
               !main_file.empty() && f.has(main_file)) {
      entry = main_file;
      p.evidence.push_back("entry point " + entry + ": \"main\" in package.json");
    } else {
      for (const char* c : {"server.js", "app.js", "index.js", "src/server.js", "src/app.js",
                            "src/index.js", "server.mjs", "index.mjs"}) {
        if (f.has(c)) {
          entry = c;
          p.evidence.push_back(std::string("entry point ") + c + ": the conventional file name");
          break;
        }
      }
    }
    if (!entry.empty()) {
      p.entry_point = entry;
      start = {"node", entry};
      port_file = entry;
    } else if (!start_script.empty()) {
      p.entry_point = "npm start";
      start = {"npm", "start"};
      p.evidence.push_back("entry point `npm start`: scripts.start in package.json");
    } else {
      return make_error(
          ErrorCode::kUnknownApplication,
          "package.json has no start script, no \"main\" and none of server.js, app.js, "
          "index.js: add a \"start\" script so the container knows what to run");
    }
  }
  if (!port_file.empty()) {
    if (auto port = port_in_source(f.read(port_file))) {
      set_port(p, *port, "found in " + port_file, override_port);
    } else {
      set_port(p, default_port, "the framework's default (nothing found in " + port_file + ")",
               override_port);
    }
  } else {
    set_port(p, default_port, "the framework's default", override_port);
  }
  for (auto& a : start) {
    if (a == "{{PORT}}") a = std::to_string(p.port);
  }
  p.dockerfile_template = "dockerfile/node.Dockerfile";
  p.template_values = {{"NODE_VERSION", version},
                       {"MANIFESTS", pm.manifests},
                       {"INSTALL_COMMAND", pm.install},
                       {"BUILD_COMMAND", has_build ? pm.run_build : ""},
                       {"PRUNE_COMMAND", pm.prune.empty() ? "true" : pm.prune},
                       {"START_COMMAND", exec_form(start)},
                       {"PACKAGE_MANAGER", pm.name},
                       {"COREPACK", pm.corepack ? "yes" : ""},
                       {"FRAMEWORK_LABEL", p.framework == "nextjs"    ? "Next.js"
                                           : p.framework == "nestjs"  ? "NestJS"
                                           : p.framework == "express" ? "Express"
                                                                      : "Node.js"}};
  p.extra_ignores = {"node_modules", "npm-debug.log*", "yarn-error.log",
                     ".next",        "dist",           "coverage"};
  return p;
}

class NodeDetector : public RuntimeDetector {
 public:
  bool claims(const AppFiles& f) const override { return f.has("package.json"); }
  Result<AppProfile> detect(const AppFiles& f, const Toolchains& toolchains,
                            int override_port) const override {
    return detect_node(f, toolchains, override_port);
  }
};

}  // namespace

std::unique_ptr<RuntimeDetector> make_node_detector() { return std::make_unique<NodeDetector>(); }

}  // namespace ecs_mcp::ecs::detection
