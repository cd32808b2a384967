// Python: pyproject.toml, requirements.txt or Pipfile; Django, FastAPI, Flask or a plain
// script, installed with pip, Poetry or uv.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ecs/deployment/detection/runtime_detector.h"
#include "ecs/deployment/detection/text_scan.h"

namespace ecs_mcp::ecs::detection {

namespace {

using nlohmann::json;

Result<AppProfile> detect_python(const AppFiles& f, const Toolchains& toolchains,
                                 int override_port) {
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
    install = "pip install uv==" + toolchains.get("uv").version() +
              " && uv sync --frozen --no-dev --no-install-project";
    p.evidence.push_back("package manager uv: uv.lock");
  } else if (f.has("poetry.lock") || pyproject.find("[tool.poetry]") != std::string::npos) {
    p.package_manager = "poetry";
    manifests = f.has("poetry.lock") ? "pyproject.toml poetry.lock" : "pyproject.toml";
    install = "pip install poetry==" + toolchains.get("poetry").version() +
              " && poetry config virtualenvs.create false && "
              "poetry install --only main --no-root --no-interaction";
    p.evidence.push_back(
        std::string("package manager Poetry: ") +
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
    p.evidence.push_back(
        "package manager pip: pyproject.toml without a lock file (installed with `pip install .`)");
  }
  p.evidence.insert(p.evidence.begin(),
                    "runtime Python: " + std::string(f.has("pyproject.toml") ? "pyproject.toml"
                                                                             : "requirements.txt"));

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
  if (!wanted.empty())
    p.evidence.push_back("Python " + wanted + ": the project's declared Python version");
  std::string version = toolchains.get("python").pick(wanted).version;
  const std::string gunicorn = "gunicorn==" + toolchains.get("gunicorn").version();
  const std::string uvicorn = "uvicorn==" + toolchains.get("uvicorn").version();

  auto py_files = f.files("", 2, [](const std::string& r) { return r.ends_with(".py"); });
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
      if (file.ends_with("/wsgi.py") && std::count(file.begin(), file.end(), '/') == 1) wsgi = file;
    }
    if (wsgi.empty()) {
      return make_error(ErrorCode::kUnknownApplication,
                        "a Django project without <project>/wsgi.py; cannot tell what to serve");
    }
    std::string module = wsgi.substr(0, wsgi.find('/')) + ".wsgi:application";
    p.entry_point = module;
    p.evidence.push_back("entry point " + module + ": " + wsgi);
    if (!has_pkg("gunicorn")) server_package = gunicorn;
    start = {"gunicorn", "--bind", "0.0.0.0:{{PORT}}", "--workers", "2", "--access-logfile",
             "-",        module};
    p.template_values["COLLECTSTATIC"] = f.has("manage.py") ? "yes" : "";
  } else if (has_pkg("fastapi")) {
    p.framework = "fastapi";
    p.evidence.push_back("framework FastAPI: fastapi in the dependencies");
    auto [file, object] = find_app_object("FastAPI");
    if (object.empty())
      return make_error(ErrorCode::kUnknownApplication,
                        "a FastAPI project without `app = FastAPI(...)` in any module");
    p.entry_point = object;
    port_file = file;
    p.evidence.push_back("entry point " + object + ": FastAPI() in " + file);
    if (!has_pkg("uvicorn")) server_package = uvicorn;
    start = {"uvicorn", object, "--host", "0.0.0.0", "--port", "{{PORT}}", "--proxy-headers"};
  } else if (has_pkg("flask")) {
    p.framework = "flask";
    default_port = 5000;
    p.evidence.push_back("framework Flask: flask in the dependencies");
    auto [file, object] = find_app_object("Flask");
    if (object.empty())
      return make_error(ErrorCode::kUnknownApplication,
                        "a Flask project without `app = Flask(...)` in any module");
    p.entry_point = object;
    port_file = file;
    p.evidence.push_back("entry point " + object + ": Flask() in " + file);
    if (!has_pkg("gunicorn")) server_package = gunicorn;
    start = {"gunicorn", "--bind", "0.0.0.0:{{PORT}}", "--workers", "2", "--access-logfile",
             "-",        object};
  } else {
    p.framework = "none";
    for (const char* c : {"main.py", "app.py", "server.py"}) {
      if (f.has(c)) {
        p.entry_point = c;
        start = {"python", c};
        port_file = c;
        p.evidence.push_back(std::string("no known web framework; entry point ") + c +
                             ": the conventional file name");
        break;
      }
    }
    if (start.empty()) {
      return make_error(ErrorCode::kUnknownApplication,
                        "a Python project with no Django, FastAPI or Flask dependency and "
                        "none of main.py, app.py, server.py");
    }
  }
  if (server_package.size()) {
    p.evidence.push_back("adds " + server_package +
                         " to serve the app (it is not among the dependencies)");
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
  p.extra_ignores = {"__pycache__",   "*.pyc",       ".venv",    "venv",
                     ".pytest_cache", ".mypy_cache", "*.sqlite3"};
  return p;
}

class PythonDetector : public RuntimeDetector {
 public:
  bool claims(const AppFiles& f) const override {
    return f.has("pyproject.toml") || f.has("requirements.txt") || f.has("Pipfile");
  }
  Result<AppProfile> detect(const AppFiles& f, const Toolchains& toolchains,
                            int override_port) const override {
    return detect_python(f, toolchains, override_port);
  }
};

}  // namespace

std::unique_ptr<RuntimeDetector> make_python_detector() {
  return std::make_unique<PythonDetector>();
}

}  // namespace ecs_mcp::ecs::detection
