// Java: pom.xml (Maven) or build.gradle[.kts] (Gradle); Spring Boot or a runnable jar.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ecs/deployment/detection/runtime_detector.h"
#include "ecs/deployment/detection/text_scan.h"

namespace ecs_mcp::ecs::detection {

namespace {

using nlohmann::json;

// The port after an optional Spring placeholder: 8080, ${PORT:8080}.
std::string spring_port(Cursor& c) {
  c.optional("$");
  c.optional("{");
  c.optional("PORT:");
  return std::string(c.digits(2, 5));
}

Result<AppProfile> detect_java(const AppFiles& f, const Toolchains& toolchains, int override_port) {
  AppProfile p;
  p.runtime = "java";
  bool maven = f.has("pom.xml");
  std::string build_file =
      maven ? "pom.xml" : (f.has("build.gradle.kts") ? "build.gradle.kts" : "build.gradle");
  std::string build = f.read(build_file);
  p.package_manager = maven ? "maven" : "gradle";
  p.evidence.push_back("runtime Java, built with " + std::string(maven ? "Maven" : "Gradle") +
                       ": " + build_file);
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
  const Toolchain& jdk = toolchains.get("java");
  const ToolchainLine& java = jdk.pick(wanted);
  if (!wanted.empty() && !jdk.has_line(wanted)) {
    p.warnings.push_back("Java " + wanted + " requested; the Dockerfile uses Java " +
                         jdk.default_line + " (LTS)");
  }
  if (build.find("spring-boot") != std::string::npos ||
      build.find("org.springframework.boot") != std::string::npos) {
    p.framework = "spring-boot";
    p.evidence.push_back("framework Spring Boot: spring-boot in " + build_file);
    if (build.find("spring-boot-starter-actuator") != std::string::npos) {
      p.health_check_path = "/actuator/health";
      p.evidence.push_back("health check /actuator/health: spring-boot-starter-actuator in " +
                           build_file);
    }
  } else {
    p.framework = "none";
    p.warnings.push_back(
        "not a Spring Boot app: the jar must be runnable (java -jar) and contain its dependencies");
  }
  auto sources =
      f.files("src/main/java", 8, [](const std::string& r) { return r.ends_with(".java"); });
  for (const auto& s : sources) {
    if (f.read(s).find("@SpringBootApplication") != std::string::npos ||
        f.read(s).find("static void main(") != std::string::npos) {
      p.entry_point = s;
      p.evidence.push_back("entry point " + s + ": the main class");
      break;
    }
  }
  if (p.entry_point.empty()) p.entry_point = "the jar's Main-Class";
  std::string props = f.read("src/main/resources/application.properties");
  std::string yml =
      f.read("src/main/resources/application.yml") + f.read("src/main/resources/application.yaml");
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
      {"BUILD_IMAGE",
       maven ? "public.ecr.aws/docker/library/maven:" + toolchains.get("maven").version() +
                   "-eclipse-temurin-" + java.line
             : "public.ecr.aws/docker/library/gradle:" + toolchains.get("gradle").version() +
                   "-jdk" + java.line},
      {"BUILD_COMMAND",
       maven ? "mvn -B -q -DskipTests package" : "gradle --no-daemon -q build -x test"},
      {"ARTIFACT_DIR", maven ? "target" : "build/libs"},
      {"JAVA_VERSION", java.version},
      {"PACKAGE_MANAGER", maven ? "Maven" : "Gradle"},
      {"FRAMEWORK_LABEL", p.framework == "spring-boot" ? "Spring Boot" : "Java"}};
  p.extra_ignores = {"target", "build", ".gradle", "*.iml", "out"};
  return p;
}

class JavaDetector : public RuntimeDetector {
 public:
  bool claims(const AppFiles& f) const override {
    return f.has("pom.xml") || f.has("build.gradle") || f.has("build.gradle.kts");
  }
  Result<AppProfile> detect(const AppFiles& f, const Toolchains& toolchains,
                            int override_port) const override {
    return detect_java(f, toolchains, override_port);
  }
};

}  // namespace

std::unique_ptr<RuntimeDetector> make_java_detector() { return std::make_unique<JavaDetector>(); }

}  // namespace ecs_mcp::ecs::detection
