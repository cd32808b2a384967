#include "ecs/deployment/app_detection.h"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <string_view>
#include <system_error>

#include "common/strings.h"
#include "ecs/deployment/path_safety.h"

namespace ecs_mcp::ecs {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A JSON array of strings written as a Dockerfile exec form: ["node", "server.js"].
std::string exec_form(const std::vector<std::string>& argv) {
  return json(argv).dump();
}

class AppFiles {
 public:
  explicit AppFiles(fs::path root) : root_(std::move(root)) {}

  bool has(const std::string& rel) const {
    std::error_code ec;
    auto st = fs::symlink_status(root_ / rel, ec);
    return !ec && fs::exists(st) && !fs::is_symlink(st);
  }
  std::string read(const std::string& rel) const {
    if (!has(rel)) return "";
    return read_text_file(root_ / rel, 256 * 1024).value_or("");
  }
  // Regular files (no symlinks) up to `depth` levels below `dir`, skipping dependency and
  // build folders; paths relative to the root, sorted for stable answers.
  std::vector<std::string> files(const std::string& dir, int depth,
                                 const std::function<bool(const std::string&)>& want) const {
    std::vector<std::string> out;
    walk(dir.empty() ? root_ : root_ / dir, depth, want, out);
    std::sort(out.begin(), out.end());
    return out;
  }
  const fs::path& root() const { return root_; }

 private:
  void walk(const fs::path& dir, int depth, const std::function<bool(const std::string&)>& want,
            std::vector<std::string>& out) const {
    static const std::vector<std::string> kSkip = {"node_modules", ".git", "venv", ".venv", "target",
                                                    "build", "dist", "bin", "obj", "vendor", "__pycache__",
                                                    ".next", "tmp", "log"};
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      auto st = it->symlink_status(ec);
      if (ec || fs::is_symlink(st)) continue;
      std::string name = it->path().filename().string();
      if (fs::is_directory(st)) {
        if (depth > 0 && std::find(kSkip.begin(), kSkip.end(), name) == kSkip.end() && name[0] != '.') {
          walk(it->path(), depth - 1, want, out);
        }
      } else if (fs::is_regular_file(st)) {
        std::string rel = it->path().lexically_relative(root_).generic_string();
        if (want(rel)) out.push_back(rel);
      }
    }
  }
  fs::path root_;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// ------------------------------------------------------------------- scanning file contents
//
// File contents are matched by hand, never with std::regex: libstdc++'s regex recurses once per
// repeated character, so a long run of spaces or letters in a (256 KB) file overflows the stack.
// Each matcher below walks the text without recursion, in time linear in its length; a skip
// over "anything but" is capped at kSkipLimit characters so that it stays so.

constexpr size_t kSkipLimit = 256;
constexpr std::string_view kQuotes = "\"'";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// A position in a text and the steps the matchers are made of; a step that matches consumes
// what it matched.
class Cursor {
 public:
  Cursor(std::string_view text, size_t at) : text_(text), at_(at) {}
  size_t at() const { return at_; }
  bool done() const { return at_ >= text_.size(); }

  bool literal(std::string_view word) {
    if (text_.substr(std::min(at_, text_.size()), word.size()) != word) return false;
    at_ += word.size();
    return true;
  }
  void optional(std::string_view word) { literal(word); }
  bool one_of(std::string_view chars) {
    if (done() || chars.find(text_[at_]) == std::string_view::npos) return false;
    ++at_;
    return true;
  }
  // The longest run of characters for which `want` holds (possibly empty).
  std::string_view take_while(bool (*want)(char)) {
    size_t from = std::min(at_, text_.size());
    while (!done() && want(text_[at_])) ++at_;
    return text_.substr(from, at_ - from);
  }
  // \s*, \w*: what was skipped.
  std::string_view spaces() { return take_while(is_space); }
  std::string_view word() { return take_while(is_word); }
  // \d{min,max}: the digits taken, none when fewer than `min`.
  std::string_view digits(size_t min = 1, size_t max = std::string_view::npos) {
    size_t from = at_;
    while (!done() && is_digit(text_[at_]) && at_ - from < max) ++at_;
    if (at_ - from < min) {
      at_ = from;
      return {};
    }
    return text_.substr(from, at_ - from);
  }
  // <digits>.<digits>, as in 3.12 or 8.0.
  std::string major_minor() {
    size_t from = at_;
    if (!digits().empty() && literal(".") && !digits().empty())
      return std::string(text_.substr(from, at_ - from));
    at_ = from;
    return "";
  }
  // [^...]*: skips characters for which `stop` is false, at most kSkipLimit of them.
  void skip_until(bool (*stop)(char)) {
    for (size_t n = 0; !done() && !stop(text_[at_]) && n < kSkipLimit; ++n) ++at_;
  }

 private:
  std::string_view text_;
  size_t at_;
};

using Matcher = std::function<std::string(Cursor&, size_t)>;

// Tries `match` with a cursor just after each occurrence of `needle` in `text` (and the
// occurrence's offset); the first non-empty answer, else "".
std::string first_match(std::string_view text, std::string_view needle, const Matcher& match) {
  for (size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    Cursor c(text, at + needle.size());
    std::string m = match(c, at);
    if (!m.empty()) return m;
  }
  return "";
}

// The first run of digits, e.g. 18 in ">=18.0".
std::string first_number(std::string_view text) {
  auto at = std::find_if(text.begin(), text.end(), is_digit);
  return std::string(at, std::find_if_not(at, text.end(), is_digit));
}

// The first <digits>.<digits>, e.g. 3.3 in "ruby-3.3.0".
std::string first_major_minor(std::string_view text) {
  for (size_t at = 0; at < text.size();) {
    if (!is_digit(text[at])) {
      ++at;
      continue;
    }
    Cursor c(text, at);
    if (auto v = c.major_minor(); !v.empty()) return v;
    c.digits();
    at = c.at();  // a later start inside the same run of digits cannot match either
  }
  return "";
}

// The first "3.<digits>", e.g. 3.12 in "3.12.4".
std::string first_python3(std::string_view text) {
  return first_match(text, "3.", [](Cursor& c, size_t) {
    auto minor = c.digits();
    return minor.empty() ? std::string() : "3." + std::string(minor);
  });
}

// The port after an optional Spring placeholder: 8080, ${PORT:8080}.
std::string spring_port(Cursor& c) {
  c.optional("$");
  c.optional("{");
  c.optional("PORT:");
  return std::string(c.digits(2, 5));
}

// The first port number a source file suggests, e.g. listen(3000), PORT || 8080, port=5000;
// the patterns are tried in order, each over the whole text.
std::optional<int> port_in_source(const std::string& text) {
  const std::string folded = ascii_lower(text);
  auto port = [](Cursor& c) { return std::string(c.digits(2, 5)); };
  const std::vector<std::function<std::string()>> patterns = {
      // process.env.PORT || 3000, process.env.PORT ?? '3000'
      [&] {
        return first_match(text, "process.env.PORT", [&](Cursor& c, size_t) {
          c.spaces();
          if (!c.literal("||") && !c.literal("??")) return std::string();
          c.spaces();
          c.one_of(kQuotes);
          return port(c);
        });
      },
      // app.listen(3000
      [&] {
        return first_match(text, ".listen(", [&](Cursor& c, size_t) {
          c.spaces();
          return port(c);
        });
      },
      // getenv("PORT", "8080"): the default after the last comma before the closing parenthesis.
      [&] {
        return first_match(text, "getenv(", [&](Cursor& c, size_t) {
          c.spaces();
          if (!c.one_of(kQuotes) || !c.literal("PORT") || !c.one_of(kQuotes)) return std::string();
          size_t from = c.at();
          c.skip_until([](char ch) { return ch == ')'; });
          for (size_t comma = c.at(); comma-- > from;) {
            if (text[comma] != ',') continue;
            Cursor d(text, comma + 1);
            d.spaces();
            d.one_of(kQuotes);
            if (auto p = port(d); !p.empty()) return p;
          }
          return std::string();
        });
      },
      // port = 5000, PORT=8080 (a whole word, any case)
      [&] {
        return first_match(folded, "port", [&](Cursor& c, size_t at) {
          if (at > 0 && is_word(folded[at - 1])) return std::string();
          c.spaces();
          if (!c.literal("=")) return std::string();
          c.spaces();
          return port(c);
        });
      },
      // ":8080", '0.0.0.0:8080'
      [&] {
        return first_match(text, ":", [&](Cursor& c, size_t at) {
          bool quoted = (at >= 1 && kQuotes.find(text[at - 1]) != std::string_view::npos) ||
                        (at >= 8 && text.compare(at - 7, 7, "0.0.0.0") == 0 &&
                         kQuotes.find(text[at - 8]) != std::string_view::npos);
          if (!quoted) return std::string();
          std::string p = port(c);
          return c.one_of(kQuotes) ? p : std::string();
        });
      },
  };
  for (const auto& find : patterns) {
    std::string m = find();
    if (!m.empty()) {
      int p = std::stoi(m);
      if (p > 0 && p < 65536) return p;
    }
  }
  return std::nullopt;
}

// Picks a pinned version for a requested major (or major.minor) version.
std::string pinned(const std::map<std::string, std::string>& versions, const std::string& wanted,
                   const std::string& fallback) {
  for (const auto& [prefix, version] : versions) {
    if (!wanted.empty() && wanted == prefix) return version;
  }
  return fallback;
}

void set_port(AppProfile& p, int detected, const std::string& source, int override_port) {
  if (override_port > 0) {
    p.port = override_port;
    p.port_source = "the port argument";
  } else {
    p.port = detected;
    p.port_source = source;
  }
  p.evidence.push_back("port " + std::to_string(p.port) + ": " + p.port_source);
}

// ---------------------------------------------------------------------------------------- Node

// The script a start command runs when it is exactly `node <file>.js` (or .cjs, .mjs), else "".
std::string node_script_of(std::string_view command) {
  Cursor c(command, 0);
  if (!c.literal("node") || c.spaces().empty()) return "";
  std::string script(
      c.take_while([](char ch) { return is_word(ch) || ch == '.' || ch == '/' || ch == '-'; }));
  c.spaces();
  if (!c.done()) return "";
  for (std::string_view ext : {".js", ".cjs", ".mjs"}) {
    if (script.size() > ext.size() && ends_with(script, std::string(ext))) return script;
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
    pm = {"pnpm", "pnpm install --frozen-lockfile", "pnpm prune --prod", "pnpm run build",
          "package.json pnpm-lock.yaml", true};
    p.evidence.push_back("package manager pnpm: pnpm-lock.yaml");
  } else if (f.has("yarn.lock")) {
    bool berry = f.has(".yarnrc.yml");
    pm = {"yarn", berry ? "yarn install --immutable" : "yarn install --frozen-lockfile",
          berry ? "" : "yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline",
          "yarn run build", berry ? "package.json yarn.lock .yarnrc.yml" : "package.json yarn.lock", true};
    p.evidence.push_back(std::string("package manager yarn") + (berry ? " (Berry, .yarnrc.yml)" : "") +
                         ": yarn.lock");
  } else if (f.has("package-lock.json")) {
    pm = {"npm", "npm ci", "npm prune --omit=dev", "npm run build", "package.json package-lock.json", false};
    p.evidence.push_back("package manager npm: package-lock.json");
  } else {
    pm = {"npm", "npm install", "npm prune --omit=dev", "npm run build", "package.json", false};
    p.evidence.push_back("package manager npm: package.json without a lock file");
    p.warnings.push_back("no lock file: builds are not reproducible; commit package-lock.json");
  }
  return pm;
}

std::string node_version(const json& pkg, AppProfile& p) {
  std::string wanted;
  if (pkg.contains("engines") && pkg["engines"].is_object() && pkg["engines"].value("node", "") != "") {
    wanted = first_number(pkg["engines"].value("node", ""));
    p.evidence.push_back("Node.js " + wanted + ": engines.node in package.json");
  }
  return pinned({{"18", "18.20.5"}, {"20", "20.18.1"}, {"22", "22.12.0"}, {"23", "23.4.0"}}, wanted, "22.12.0");
}

Result<AppProfile> detect_node(const AppFiles& f, int override_port) {
  AppProfile p;
  p.runtime = "node";
  p.evidence.push_back("runtime Node.js: package.json");
  json pkg = json::parse(f.read("package.json"), nullptr, false);
  if (pkg.is_discarded() || !pkg.is_object()) {
    return make_error("UnknownApplication", "package.json is not valid JSON; fix it and try again");
  }
  json deps = json::object();
  for (const char* k : {"dependencies", "devDependencies"}) {
    if (pkg.contains(k) && pkg[k].is_object()) deps.update(pkg[k]);
  }
  json scripts = pkg.contains("scripts") && pkg["scripts"].is_object() ? pkg["scripts"] : json::object();
  auto has_dep = [&](const char* n) { return deps.contains(n); };
  auto pm = node_package_manager(f, p);
  p.package_manager = pm.name;
  std::string version = node_version(pkg, p);
  bool has_build = scripts.contains("build");

  bool server = has_dep("express") || has_dep("next") || has_dep("@nestjs/core") || has_dep("fastify") ||
                has_dep("koa") || has_dep("@hapi/hapi");
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
    p.template_values = {{"NODE_VERSION", version}, {"MANIFESTS", pm.manifests},
                         {"INSTALL_COMMAND", pm.install}, {"BUILD_COMMAND", pm.run_build},
                         {"SITE_DIR", dir}, {"PACKAGE_MANAGER", pm.name},
                         {"COREPACK", pm.corepack ? "yes" : ""}};
    p.port = 8080;
    p.port_source = "nginx-unprivileged serves on 8080";
    if (override_port > 0 && override_port != 8080) {
      p.warnings.push_back("the site is served by nginx on 8080; the port argument was not applied");
    }
    p.evidence.push_back("port 8080: " + p.port_source);
    p.extra_ignores = {"node_modules", "npm-debug.log*", "yarn-error.log", "dist", "build", "coverage"};
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
    if (!has_build) p.warnings.push_back("Next.js app without a build script: add \"build\": \"next build\"");
  } else if (has_dep("@nestjs/core")) {
    p.framework = "nestjs";
    p.evidence.push_back("framework NestJS: \"@nestjs/core\" in package.json dependencies");
    p.entry_point = "dist/main.js";
    start = {"node", "dist/main.js"};
    port_file = f.has("src/main.ts") ? "src/main.ts" : "";
    if (!has_build) p.warnings.push_back("NestJS app without a build script: add \"build\": \"nest build\"");
  } else {
    if (has_dep("express")) {
      p.framework = "express";
      p.evidence.push_back("framework Express: \"express\" in package.json dependencies");
    } else {
      p.framework = "none";
      p.evidence.push_back("no known Node.js framework in package.json; running it as a plain Node.js app");
    }
    std::string entry;
    std::string start_script = scripts.value("start", "");
    if (std::string script = node_script_of(start_script); !script.empty()) {
      entry = script;
      p.evidence.push_back("entry point " + entry + ": scripts.start in package.json");
    } else if (pkg.value("main", "") != "" && f.has(pkg.value("main", ""))) {
      entry = pkg.value("main", "");
      p.evidence.push_back("entry point " + entry + ": \"main\" in package.json");
    } else {
      for (const char* c : {"server.js", "app.js", "index.js", "src/server.js", "src/app.js", "src/index.js",
                            "server.mjs", "index.mjs"}) {
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
      return make_error("UnknownApplication",
                        "package.json has no start script, no \"main\" and none of server.js, app.js, "
                        "index.js: add a \"start\" script so the container knows what to run");
    }
  }
  if (!port_file.empty()) {
    if (auto port = port_in_source(f.read(port_file))) {
      set_port(p, *port, "found in " + port_file, override_port);
    } else {
      set_port(p, default_port, "the framework's default (nothing found in " + port_file + ")", override_port);
    }
  } else {
    set_port(p, default_port, "the framework's default", override_port);
  }
  for (auto& a : start) {
    if (a == "{{PORT}}") a = std::to_string(p.port);
  }
  p.dockerfile_template = "dockerfile/node.Dockerfile";
  p.template_values = {
      {"NODE_VERSION", version},
      {"MANIFESTS", pm.manifests},
      {"INSTALL_COMMAND", pm.install},
      {"BUILD_COMMAND", has_build ? pm.run_build : ""},
      {"PRUNE_COMMAND", pm.prune.empty() ? "true" : pm.prune},
      {"START_COMMAND", exec_form(start)},
      {"PACKAGE_MANAGER", pm.name},
      {"COREPACK", pm.corepack ? "yes" : ""},
      {"FRAMEWORK_LABEL", p.framework == "nextjs"   ? "Next.js"
                          : p.framework == "nestjs" ? "NestJS"
                          : p.framework == "express" ? "Express"
                                                     : "Node.js"}};
  p.extra_ignores = {"node_modules", "npm-debug.log*", "yarn-error.log", ".next", "dist", "coverage"};
  return p;
}

// -------------------------------------------------------------------------------------- Python

Result<AppProfile> detect_python(const AppFiles& f, int override_port) {
  AppProfile p;
  p.runtime = "python";
  std::string pyproject = f.read("pyproject.toml");
  std::string requirements = f.read("requirements.txt");
  std::string manifests_text =
      ascii_lower(pyproject + "\n" + requirements + "\n" + f.read("Pipfile"));
  std::string install, manifests;
  if (f.has("uv.lock")) {
    p.package_manager = "uv";
    manifests = "pyproject.toml uv.lock";
    install = "pip install uv==0.5.11 && uv sync --frozen --no-dev --no-install-project";
    p.evidence.push_back("package manager uv: uv.lock");
  } else if (f.has("poetry.lock") || pyproject.find("[tool.poetry]") != std::string::npos) {
    p.package_manager = "poetry";
    manifests = f.has("poetry.lock") ? "pyproject.toml poetry.lock" : "pyproject.toml";
    install = "pip install poetry==1.8.5 && poetry config virtualenvs.create false && "
              "poetry install --only main --no-root --no-interaction";
    p.evidence.push_back(std::string("package manager Poetry: ") +
                         (f.has("poetry.lock") ? "poetry.lock" : "[tool.poetry] in pyproject.toml"));
  } else if (f.has("requirements.txt")) {
    p.package_manager = "pip";
    manifests = "requirements.txt";
    install = "pip install -r requirements.txt";
    p.evidence.push_back("package manager pip: requirements.txt");
  } else {
    p.package_manager = "pip";
    manifests = ".";
    install = "pip install .";
    p.evidence.push_back("package manager pip: pyproject.toml without a lock file (installed with `pip install .`)");
  }
  p.evidence.insert(p.evidence.begin(), "runtime Python: " + std::string(f.has("pyproject.toml") ? "pyproject.toml" : "requirements.txt"));

  // python = "^3.11" (Poetry), requires-python = ">=3.11": the first 3.x after the quote.
  auto python3_after = [](bool optional_equals) -> Matcher {
    return [optional_equals](Cursor& c, size_t) {
      c.spaces();
      if (!c.literal("=") && !optional_equals) return std::string();
      c.spaces();
      if (!c.one_of(kQuotes)) return std::string();
      c.skip_until(is_digit);
      if (!c.literal("3.")) return std::string();
      auto minor = c.digits();
      return minor.empty() ? std::string() : "3." + std::string(minor);
    };
  };
  std::string wanted = first_python3(f.read(".python-version"));
  if (wanted.empty()) wanted = first_match(pyproject, "python", python3_after(true));
  if (wanted.empty()) wanted = first_match(pyproject, "requires-python", python3_after(false));
  if (!wanted.empty()) p.evidence.push_back("Python " + wanted + ": the project's declared Python version");
  std::string version = pinned({{"3.9", "3.9.21"}, {"3.10", "3.10.16"}, {"3.11", "3.11.11"},
                                {"3.12", "3.12.8"}, {"3.13", "3.13.1"}},
                               wanted, "3.12.8");

  auto py_files = f.files("", 2, [](const std::string& r) { return ends_with(r, ".py"); });
  // The variable assigned `<var> = <Ctor>(` or `<var>: <Type> = <Ctor>(` at the start of a line.
  auto app_variable = [](std::string_view text, const std::string& ctor) -> std::string {
    for (size_t line = 0;;) {
      Cursor c(text, line);
      std::string_view var = c.word();
      if (!var.empty()) {
        c.spaces();
        if (c.literal(":")) {
          c.spaces();
          c.word();
          c.spaces();
        }
        if (c.literal("=")) {
          c.spaces();
          if (c.literal(ctor + "(")) return std::string(var);
        }
      }
      line = text.find('\n', line);
      if (line == std::string_view::npos) return "";
      ++line;
    }
  };
  // Finds `<var> = <Ctor>(` in the sources: the module path and variable of the app object.
  auto find_app_object = [&](const std::string& ctor) -> std::pair<std::string, std::string> {
    for (const auto& file : py_files) {
      if (std::string var = app_variable(f.read(file), ctor); !var.empty()) {
        std::string module = file.substr(0, file.size() - 3);
        std::replace(module.begin(), module.end(), '/', '.');
        return {file, module + ":" + var};
      }
    }
    return {"", ""};
  };
  // `name` as a whole requirement: "flask", flask==3.1, flask>=3 but not flask-cors.
  auto has_pkg = [&](const std::string& name) {
    const std::string_view before = " \t\n\r\f\v\"'[,", after = " \t\n\r\f\v\"'=<>~![,;";
    return !first_match(manifests_text, name, [&](Cursor& c, size_t at) {
              bool starts =
                  at == 0 || before.find(manifests_text[at - 1]) != std::string_view::npos;
              bool ends = c.done() || c.one_of(after);
              return starts && ends ? std::string("yes") : std::string();
            }).empty();
  };

  std::vector<std::string> start;
  std::string server_package;
  int default_port = 8000;
  std::string port_file;
  if (has_pkg("django")) {
    p.framework = "django";
    p.evidence.push_back("framework Django: django in the dependencies");
    std::string wsgi;
    for (const auto& file : py_files) {
      if (ends_with(file, "/wsgi.py") && std::count(file.begin(), file.end(), '/') == 1) wsgi = file;
    }
    if (wsgi.empty()) {
      return make_error("UnknownApplication", "a Django project without <project>/wsgi.py; cannot tell what to serve");
    }
    std::string module = wsgi.substr(0, wsgi.find('/')) + ".wsgi:application";
    p.entry_point = module;
    p.evidence.push_back("entry point " + module + ": " + wsgi);
    if (!has_pkg("gunicorn")) server_package = "gunicorn==23.0.0";
    start = {"gunicorn", "--bind", "0.0.0.0:{{PORT}}", "--workers", "2", "--access-logfile", "-", module};
    p.template_values["COLLECTSTATIC"] = f.has("manage.py") ? "yes" : "";
  } else if (has_pkg("fastapi")) {
    p.framework = "fastapi";
    p.evidence.push_back("framework FastAPI: fastapi in the dependencies");
    auto [file, object] = find_app_object("FastAPI");
    if (object.empty()) return make_error("UnknownApplication", "a FastAPI project without `app = FastAPI(...)` in any module");
    p.entry_point = object;
    port_file = file;
    p.evidence.push_back("entry point " + object + ": FastAPI() in " + file);
    if (!has_pkg("uvicorn")) server_package = "uvicorn==0.32.1";
    start = {"uvicorn", object, "--host", "0.0.0.0", "--port", "{{PORT}}", "--proxy-headers"};
  } else if (has_pkg("flask")) {
    p.framework = "flask";
    default_port = 5000;
    p.evidence.push_back("framework Flask: flask in the dependencies");
    auto [file, object] = find_app_object("Flask");
    if (object.empty()) return make_error("UnknownApplication", "a Flask project without `app = Flask(...)` in any module");
    p.entry_point = object;
    port_file = file;
    p.evidence.push_back("entry point " + object + ": Flask() in " + file);
    if (!has_pkg("gunicorn")) server_package = "gunicorn==23.0.0";
    start = {"gunicorn", "--bind", "0.0.0.0:{{PORT}}", "--workers", "2", "--access-logfile", "-", object};
  } else {
    p.framework = "none";
    for (const char* c : {"main.py", "app.py", "server.py"}) {
      if (f.has(c)) {
        p.entry_point = c;
        start = {"python", c};
        port_file = c;
        p.evidence.push_back(std::string("no known web framework; entry point ") + c + ": the conventional file name");
        break;
      }
    }
    if (start.empty()) {
      return make_error("UnknownApplication", "a Python project with no Django, FastAPI or Flask dependency and "
                                              "none of main.py, app.py, server.py");
    }
  }
  if (server_package.size()) {
    p.evidence.push_back("adds " + server_package + " to serve the app (it is not among the dependencies)");
  }
  if (!port_file.empty()) {
    if (auto port = port_in_source(f.read(port_file))) {
      set_port(p, *port, "found in " + port_file, override_port);
    } else {
      set_port(p, default_port, "the framework's conventional port", override_port);
    }
  } else {
    set_port(p, default_port, "the framework's conventional port", override_port);
  }
  for (auto& a : start) {
    auto at = a.find("{{PORT}}");
    if (at != std::string::npos) a.replace(at, 8, std::to_string(p.port));
  }
  p.dockerfile_template = "dockerfile/python.Dockerfile";
  p.template_values["PYTHON_VERSION"] = version;
  p.template_values["MANIFESTS"] = manifests;
  p.template_values["INSTALL_COMMAND"] = install;
  p.template_values["SERVER_PACKAGE"] = server_package;
  p.template_values["START_COMMAND"] = exec_form(start);
  p.template_values["PACKAGE_MANAGER"] = p.package_manager;
  p.template_values["FRAMEWORK_LABEL"] = p.framework == "django"    ? "Django"
                                         : p.framework == "fastapi" ? "FastAPI"
                                         : p.framework == "flask"   ? "Flask"
                                                                    : "Python";
  p.extra_ignores = {"__pycache__", "*.pyc", ".venv", "venv", ".pytest_cache", ".mypy_cache", "*.sqlite3"};
  return p;
}

// ------------------------------------------------------------------------------------------ Go

Result<AppProfile> detect_go(const AppFiles& f, int override_port) {
  AppProfile p;
  p.runtime = "go";
  p.package_manager = "go-modules";
  std::string gomod = f.read("go.mod");
  p.evidence.push_back("runtime Go: go.mod");
  std::string wanted = first_match(gomod, "\ngo", [](Cursor& c, size_t) {
    if (c.spaces().empty() || !c.literal("1.")) return std::string();
    auto minor = c.digits();
    return minor.empty() ? std::string() : "1." + std::string(minor);
  });
  if (!wanted.empty()) p.evidence.push_back("Go " + wanted + ": the go directive in go.mod");
  std::string version = pinned({{"1.21", "1.22.10"}, {"1.22", "1.22.10"}, {"1.23", "1.23.4"}}, wanted, "1.23.4");
  std::string target, main_file;
  if (f.has("main.go")) {
    target = ".";
    main_file = "main.go";
  } else {
    auto mains = f.files("cmd", 1, [](const std::string& r) { return ends_with(r, "/main.go"); });
    if (!mains.empty()) {
      main_file = mains.front();
      target = "./" + main_file.substr(0, main_file.rfind('/'));
    }
  }
  if (target.empty()) return make_error("UnknownApplication", "a Go module without main.go or cmd/<name>/main.go");
  p.entry_point = target;
  p.evidence.push_back("entry point " + target + ": " + main_file);
  p.framework = "net/http";
  for (const auto& [mod, name] : std::vector<std::pair<std::string, std::string>>{
           {"github.com/gin-gonic/gin", "gin"}, {"github.com/labstack/echo", "echo"},
           {"github.com/gofiber/fiber", "fiber"}, {"github.com/go-chi/chi", "chi"}}) {
    if (gomod.find(mod) != std::string::npos) {
      p.framework = name;
      p.evidence.push_back("framework " + name + ": " + mod + " in go.mod");
      break;
    }
  }
  if (auto port = port_in_source(f.read(main_file))) {
    set_port(p, *port, "found in " + main_file, override_port);
  } else {
    set_port(p, 8080, "the conventional port (nothing found in " + main_file + ")", override_port);
  }
  p.dockerfile_template = "dockerfile/go.Dockerfile";
  p.template_values = {{"GO_VERSION", version},
                       {"MANIFESTS", f.has("go.sum") ? "go.mod go.sum" : "go.mod"},
                       {"BUILD_TARGET", target}};
  p.extra_ignores = {"bin", "*.test", "coverage.out"};
  return p;
}

// ---------------------------------------------------------------------------------------- Java

Result<AppProfile> detect_java(const AppFiles& f, int override_port) {
  AppProfile p;
  p.runtime = "java";
  bool maven = f.has("pom.xml");
  std::string build_file = maven ? "pom.xml" : (f.has("build.gradle.kts") ? "build.gradle.kts" : "build.gradle");
  std::string build = f.read(build_file);
  p.package_manager = maven ? "maven" : "gradle";
  p.evidence.push_back("runtime Java, built with " + std::string(maven ? "Maven" : "Gradle") + ": " + build_file);
  // The Java version: the number between `open` and `close` (nothing required after when empty).
  auto number_between = [&](std::string_view open, std::string_view close) {
    return first_match(build, open, [close](Cursor& c, size_t) {
      std::string n(c.digits());
      return close.empty() || c.literal(close) ? n : std::string();
    });
  };
  std::string wanted = number_between("<java.version>", "</java.version>");
  if (wanted.empty()) wanted = number_between("<maven.compiler.release>", "<");
  if (wanted.empty()) wanted = number_between("JavaLanguageVersion.of(", ")");
  if (wanted.empty()) wanted = number_between("JavaVersion.VERSION_", "");
  if (!wanted.empty()) p.evidence.push_back("Java " + wanted + ": " + build_file);
  std::string java = (wanted == "17") ? "17" : "21";
  if (!wanted.empty() && wanted != "17" && wanted != "21") {
    p.warnings.push_back("Java " + wanted + " requested; the Dockerfile uses Java 21 (LTS)");
  }
  if (build.find("spring-boot") != std::string::npos || build.find("org.springframework.boot") != std::string::npos) {
    p.framework = "spring-boot";
    p.evidence.push_back("framework Spring Boot: spring-boot in " + build_file);
    if (build.find("spring-boot-starter-actuator") != std::string::npos) {
      p.health_check_path = "/actuator/health";
      p.evidence.push_back("health check /actuator/health: spring-boot-starter-actuator in " + build_file);
    }
  } else {
    p.framework = "none";
    p.warnings.push_back("not a Spring Boot app: the jar must be runnable (java -jar) and contain its dependencies");
  }
  auto sources = f.files("src/main/java", 8, [](const std::string& r) { return ends_with(r, ".java"); });
  for (const auto& s : sources) {
    if (f.read(s).find("@SpringBootApplication") != std::string::npos || f.read(s).find("static void main(") != std::string::npos) {
      p.entry_point = s;
      p.evidence.push_back("entry point " + s + ": the main class");
      break;
    }
  }
  if (p.entry_point.empty()) p.entry_point = "the jar's Main-Class";
  std::string props = f.read("src/main/resources/application.properties");
  std::string yml = f.read("src/main/resources/application.yml") + f.read("src/main/resources/application.yaml");
  // server.port=8081 or server.port=${PORT:8081} in application.properties.
  std::string port_text = first_match(props, "server.port", [](Cursor& c, size_t) {
    c.spaces();
    if (!c.literal("=")) return std::string();
    c.spaces();
    return spring_port(c);
  });
  // server:\n  port: 8081 in application.yml: `port:` indented on a later line.
  if (port_text.empty()) {
    port_text = first_match(yml, "server:", [](Cursor& c, size_t) {
      std::string_view gap = c.spaces();
      size_t newline = gap.find('\n');
      if (newline == std::string_view::npos || newline + 1 == gap.size() || !c.literal("port:"))
        return std::string();
      c.spaces();
      return spring_port(c);
    });
  }
  if (!port_text.empty()) {
    set_port(p, std::stoi(port_text), "server.port in src/main/resources", override_port);
  } else {
    set_port(p, 8080, "Spring Boot's default", override_port);
  }
  p.dockerfile_template = "dockerfile/java.Dockerfile";
  p.template_values = {
      {"BUILD_IMAGE", maven ? "public.ecr.aws/docker/library/maven:3.9.9-eclipse-temurin-" + java
                            : "public.ecr.aws/docker/library/gradle:8.11.1-jdk" + java},
      {"BUILD_COMMAND", maven ? "mvn -B -q -DskipTests package" : "gradle --no-daemon -q build -x test"},
      {"ARTIFACT_DIR", maven ? "target" : "build/libs"},
      {"JAVA_VERSION", java == "17" ? "17.0.13_11" : "21.0.5_11"},
      {"PACKAGE_MANAGER", maven ? "Maven" : "Gradle"},
      {"FRAMEWORK_LABEL", p.framework == "spring-boot" ? "Spring Boot" : "Java"}};
  p.extra_ignores = {"target", "build", ".gradle", "*.iml", "out"};
  return p;
}

// ---------------------------------------------------------------------------------------- Ruby

Result<AppProfile> detect_ruby(const AppFiles& f, int override_port) {
  AppProfile p;
  p.runtime = "ruby";
  p.package_manager = "bundler";
  std::string gemfile = f.read("Gemfile");
  p.evidence.push_back("runtime Ruby: Gemfile");
  if (!f.has("Gemfile.lock")) {
    p.warnings.push_back("no Gemfile.lock: run `bundle lock` so the image installs the versions you tested");
  }
  std::string wanted = first_major_minor(f.read(".ruby-version"));
  if (wanted.empty()) {
    wanted = first_match(gemfile, "ruby", [](Cursor& c, size_t) {
      return !c.spaces().empty() && c.one_of(kQuotes) ? c.major_minor() : std::string();
    });
  }
  if (!wanted.empty()) p.evidence.push_back("Ruby " + wanted + ": the project's declared Ruby version");
  std::string version = pinned({{"3.1", "3.1.6"}, {"3.2", "3.2.6"}, {"3.3", "3.3.6"}}, wanted, "3.3.6");
  std::vector<std::string> start;
  // gem "rails" (or 'rails') in the Gemfile.
  auto rails_gem = [](Cursor& c, size_t) {
    bool gem = !c.spaces().empty() && c.one_of(kQuotes) && c.literal("rails") && c.one_of(kQuotes);
    return gem ? std::string("rails") : std::string();
  };
  bool rails = !first_match(gemfile, "gem", rails_gem).empty() || f.has("config/application.rb");
  if (rails) {
    p.framework = "rails";
    p.evidence.push_back("framework Rails: the rails gem / config/application.rb");
    p.entry_point = "bin/rails server";
    set_port(p, 3000, "Rails' default", override_port);
    start = {"bundle", "exec", "rails", "server", "-b", "0.0.0.0", "-p", std::to_string(p.port)};
    p.health_check_path = f.read("config/routes.rb").find("rails/health") != std::string::npos ? "/up" : "/";
    p.template_values["ASSETS_COMMAND"] =
        (f.has("app/assets") || f.has("app/javascript")) ? "SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile" : "";
    p.warnings.push_back("Rails in production needs SECRET_KEY_BASE (or RAILS_MASTER_KEY) in the task's environment or secrets");
  } else if (f.has("config.ru")) {
    p.framework = "rack";
    p.evidence.push_back("framework Rack: config.ru");
    p.entry_point = "config.ru";
    set_port(p, 9292, "rackup's default", override_port);
    start = {"bundle", "exec", "rackup", "--host", "0.0.0.0", "--port", std::to_string(p.port)};
  } else {
    return make_error("UnknownApplication", "a Ruby project without Rails or config.ru; cannot tell what serves HTTP");
  }
  p.dockerfile_template = "dockerfile/ruby.Dockerfile";
  p.template_values["RUBY_VERSION"] = version;
  p.template_values["MANIFESTS"] = f.has("Gemfile.lock") ? "Gemfile Gemfile.lock" : "Gemfile";
  p.template_values["START_COMMAND"] = exec_form(start);
  p.template_values["FRAMEWORK_LABEL"] = rails ? "Rails" : "Rack";
  p.extra_ignores = {"log", "tmp", "vendor/bundle", ".bundle", "node_modules", "storage", "coverage"};
  return p;
}

// -------------------------------------------------------------------------------------- .NET

Result<AppProfile> detect_dotnet(const AppFiles& f, const std::string& project, int override_port) {
  AppProfile p;
  p.runtime = "dotnet";
  p.package_manager = "dotnet";
  std::string text = f.read(project);
  p.evidence.push_back("runtime .NET: " + project);
  std::string tfm = first_match(text, "<TargetFramework>net", [](Cursor& c, size_t) {
    std::string v = c.major_minor();
    return c.literal("</TargetFramework>") ? v : std::string();
  });
  if (!tfm.empty()) p.evidence.push_back(".NET " + tfm + ": TargetFramework in " + project);
  bool net9 = tfm == "9.0";
  if (!tfm.empty() && tfm != "8.0" && tfm != "9.0") p.warnings.push_back(".NET " + tfm + " requested; the Dockerfile uses .NET 8 (LTS)");
  std::string assembly = first_match(text, "<AssemblyName>", [&](Cursor& c, size_t) {
    size_t close = text.find('<', c.at());
    if (close == std::string::npos || close == c.at()) return std::string();
    std::string name = text.substr(c.at(), close - c.at());
    return Cursor(text, close).literal("</AssemblyName>") ? name : std::string();
  });
  if (assembly.empty()) assembly = fs::path(project).stem().string();
  p.entry_point = assembly + ".dll";
  if (text.find("Microsoft.NET.Sdk.Web") != std::string::npos) {
    p.framework = "aspnet-core";
    p.evidence.push_back("framework ASP.NET Core: Sdk=\"Microsoft.NET.Sdk.Web\"");
  } else {
    p.framework = "none";
    p.warnings.push_back("not an ASP.NET Core project: nothing may listen for the load balancer's health checks");
  }
  set_port(p, 8080, "the ASP.NET Core container default (ASPNETCORE_HTTP_PORTS)", override_port);
  p.dockerfile_template = "dockerfile/dotnet.Dockerfile";
  p.template_values = {{"DOTNET_SDK_VERSION", net9 ? "9.0.101" : "8.0.404"},
                       {"DOTNET_RUNTIME_VERSION", net9 ? "9.0.0" : "8.0.11"},
                       {"PROJECT_FILE", project},
                       {"ASSEMBLY_NAME", assembly},
                       {"FRAMEWORK_LABEL", p.framework == "aspnet-core" ? "ASP.NET Core" : ".NET"}};
  p.extra_ignores = {"bin", "obj", "*.user", "TestResults"};
  return p;
}

Result<AppProfile> detect_static(const std::string& site_dir, int override_port) {
  AppProfile p;
  p.runtime = "static";
  p.framework = "none";
  p.package_manager = "none";
  p.entry_point = (site_dir == "." ? "" : site_dir + "/") + "index.html";
  p.evidence.push_back("a static site: " + p.entry_point + " and no server-side project files");
  p.port = 8080;
  p.port_source = "nginx-unprivileged serves on 8080";
  p.evidence.push_back("port 8080: " + p.port_source);
  if (override_port > 0 && override_port != 8080) {
    p.warnings.push_back("the site is served by nginx on 8080; the port argument was not applied");
  }
  p.dockerfile_template = "dockerfile/static.Dockerfile";
  p.template_values = {{"SITE_DIR", site_dir}, {"PACKAGE_MANAGER", "none"}};
  return p;
}

}  // namespace

Result<AppProfile> detect_application(const fs::path& app_dir, int port_override) {
  AppFiles f(app_dir);
  Result<AppProfile> r = make_error("UnknownApplication", "");
  if (f.has("package.json")) {
    r = detect_node(f, port_override);
  } else if (f.has("pyproject.toml") || f.has("requirements.txt") || f.has("Pipfile")) {
    r = detect_python(f, port_override);
  } else if (f.has("go.mod")) {
    r = detect_go(f, port_override);
  } else if (f.has("pom.xml") || f.has("build.gradle") || f.has("build.gradle.kts")) {
    r = detect_java(f, port_override);
  } else if (f.has("Gemfile")) {
    r = detect_ruby(f, port_override);
  } else if (auto projects = f.files("", 2, [](const std::string& s) { return ends_with(s, ".csproj") || ends_with(s, ".fsproj"); });
             !projects.empty()) {
    // Prefer a web project; then the shallowest.
    std::string chosen = projects.front();
    for (const auto& pr : projects) {
      if (f.read(pr).find("Microsoft.NET.Sdk.Web") != std::string::npos) { chosen = pr; break; }
    }
    r = detect_dotnet(f, chosen, port_override);
    if (r.ok() && projects.size() > 1) r->warnings.push_back("several projects found; using " + chosen);
  } else if (f.has("index.html")) {
    r = detect_static(".", port_override);
  } else if (f.has("public/index.html")) {
    r = detect_static("public", port_override);
  } else {
    return make_error("UnknownApplication",
                      "could not recognise the application in " + app_dir.string() +
                          ": looked for package.json (Node.js), pyproject.toml/requirements.txt (Python), go.mod (Go), "
                          "pom.xml/build.gradle (Java), Gemfile (Ruby), *.csproj (.NET) and index.html (static site)");
  }
  if (r.ok()) {
    r->template_values["PORT"] = std::to_string(r->port);
    r->template_values["HEALTH_CHECK_PATH"] = r->health_check_path;
    if (!r->template_values.count("PACKAGE_MANAGER")) r->template_values["PACKAGE_MANAGER"] = r->package_manager;
  }
  return r;
}

}  // namespace ecs_mcp::ecs
