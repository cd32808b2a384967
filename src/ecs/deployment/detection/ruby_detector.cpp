// Ruby: Gemfile; Rails or a Rack app (config.ru).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ecs/deployment/detection/runtime_detector.h"
#include "ecs/deployment/detection/text_scan.h"

namespace ecs_mcp::ecs::detection {

namespace {

using nlohmann::json;

Result<AppProfile> detect_ruby(const AppFiles& f, const Toolchains& toolchains, int override_port) {
  AppProfile p;
  p.runtime = "ruby";
  p.package_manager = "bundler";
  std::string gemfile = f.read("Gemfile");
  p.evidence.push_back("runtime Ruby: Gemfile");
  if (!f.has("Gemfile.lock")) {
    p.warnings.push_back(
        "no Gemfile.lock: run `bundle lock` so the image installs the versions you tested");
  }
  std::string wanted = first_major_minor(f.read(".ruby-version"));
  if (wanted.empty()) {
    wanted = first_match(gemfile, "ruby", [](Cursor& c, size_t) {
      return !c.spaces().empty() && c.one_of(kQuotes) ? c.major_minor() : std::string();
    });
  }
  if (!wanted.empty())
    p.evidence.push_back("Ruby " + wanted + ": the project's declared Ruby version");
  std::string version = toolchains.get("ruby").pick(wanted).version;
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
    p.health_check_path =
        f.read("config/routes.rb").find("rails/health") != std::string::npos ? "/up" : "/";
    p.template_values["ASSETS_COMMAND"] =
        (f.has("app/assets") || f.has("app/javascript"))
            ? "SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile"
            : "";
    p.warnings.push_back(
        "Rails in production needs SECRET_KEY_BASE (or RAILS_MASTER_KEY) in the task's environment "
        "or secrets");
  } else if (f.has("config.ru")) {
    p.framework = "rack";
    p.evidence.push_back("framework Rack: config.ru");
    p.entry_point = "config.ru";
    set_port(p, 9292, "rackup's default", override_port);
    start = {"bundle", "exec", "rackup", "--host", "0.0.0.0", "--port", std::to_string(p.port)};
  } else {
    return make_error(ErrorCode::kUnknownApplication,
                      "a Ruby project without Rails or config.ru; cannot tell what serves HTTP");
  }
  p.dockerfile_template = "dockerfile/ruby.Dockerfile";
  p.template_values["RUBY_VERSION"] = version;
  p.template_values["MANIFESTS"] = f.has("Gemfile.lock") ? "Gemfile Gemfile.lock" : "Gemfile";
  p.template_values["START_COMMAND"] = exec_form(start);
  p.template_values["FRAMEWORK_LABEL"] = rails ? "Rails" : "Rack";
  p.extra_ignores = {"log",          "tmp",     "vendor/bundle", ".bundle",
                     "node_modules", "storage", "coverage"};
  return p;
}

class RubyDetector : public RuntimeDetector {
 public:
  bool claims(const AppFiles& f) const override { return f.has("Gemfile"); }
  Result<AppProfile> detect(const AppFiles& f, const Toolchains& toolchains,
                            int override_port) const override {
    return detect_ruby(f, toolchains, override_port);
  }
};

}  // namespace

std::unique_ptr<RuntimeDetector> make_ruby_detector() { return std::make_unique<RubyDetector>(); }

}  // namespace ecs_mcp::ecs::detection
