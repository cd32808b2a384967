// Detection on the sample apps under tests/fixtures/apps (one per supported runtime and
// framework) and the Dockerfiles generated for them.
#include <gtest/gtest.h>

#include <regex>

#include "ecs/deployment/app_detection.h"
#include "ecs/deployment/dockerfile.h"
#include "support/fixtures.h"

namespace ecs_mcp::ecs {
namespace {

using testing::sample_app;

struct Expected {
  std::string app, runtime, framework, package_manager;
  int port;
  std::string entry_point_contains;
};

class DetectionTest : public ::testing::TestWithParam<Expected> {};

TEST_P(DetectionTest, DetectsRuntimeFrameworkPackageManagerEntryPointAndPort) {
  const Expected& e = GetParam();
  auto p = detect_application(sample_app(e.app));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->runtime, e.runtime);
  EXPECT_EQ(p->framework, e.framework);
  EXPECT_EQ(p->package_manager, e.package_manager);
  EXPECT_EQ(p->port, e.port) << p->port_source;
  EXPECT_NE(p->entry_point.find(e.entry_point_contains), std::string::npos) << p->entry_point;
  EXPECT_FALSE(p->evidence.empty());
}

TEST_P(DetectionTest, GeneratesAMultiStageNonRootPinnedDockerfileWithAHealthCheck) {
  const Expected& e = GetParam();
  auto p = detect_application(sample_app(e.app));
  ASSERT_TRUE(p.ok()) << p.error().message;
  auto files = generate_container_files(*p);
  ASSERT_TRUE(files.ok()) << files.error().message;
  const std::string& d = files->dockerfile;
  EXPECT_EQ(d.find("{{"), std::string::npos) << d;
  EXPECT_NE(d.find("\nHEALTHCHECK "), std::string::npos) << d;
  EXPECT_NE(d.find("\nUSER "), std::string::npos) << d;
  EXPECT_EQ(d.find("USER root"), std::string::npos);
  EXPECT_NE(d.find("EXPOSE " + std::to_string(p->port)), std::string::npos) << d;
  // Every base image has an exact version tag: no "latest", no bare major versions.
  std::regex from(R"(\nFROM ([^\s]+))");
  int stages = 0;
  for (std::sregex_iterator it(d.begin(), d.end(), from), end; it != end; ++it) {
    ++stages;
    std::string image = (*it)[1].str();
    EXPECT_EQ(image.find(":latest"), std::string::npos) << image;
    EXPECT_TRUE(std::regex_search(image, std::regex(R"(:[^/]*\d+\.\d+)")))
        << "not pinned: " << image;
  }
  if (e.app != "static-site") {
    EXPECT_GE(stages, 2) << d;
  }
  EXPECT_NE(files->dockerignore.find(".git"), std::string::npos);
  EXPECT_NE(files->dockerignore.find(".env"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    SampleApps, DetectionTest,
    ::testing::Values(
        Expected{"node-express", "node", "express", "npm", 4000, "server.js"},
        Expected{"node-nextjs", "node", "nextjs", "pnpm", 3000, "next"},
        Expected{"node-nestjs", "node", "nestjs", "yarn", 3000, "dist/main.js"},
        Expected{"python-flask", "python", "flask", "pip", 5000, "app:app"},
        Expected{"python-django", "python", "django", "pip", 8000, "mysite.wsgi:application"},
        Expected{"python-fastapi", "python", "fastapi", "uv", 8000, "app.main:api"},
        Expected{"python-poetry", "python", "flask", "poetry", 5000, "wsgi:server"},
        Expected{"go-service", "go", "gin", "go-modules", 9000, "."},
        Expected{"java-spring-maven", "java", "spring-boot", "maven", 8081, "DemoApplication.java"},
        Expected{"java-gradle", "java", "spring-boot", "gradle", 8080, ""},
        Expected{"ruby-rails", "ruby", "rails", "bundler", 3000, "rails"},
        Expected{"dotnet-web", "dotnet", "aspnet-core", "dotnet", 8080, "WebApi.dll"},
        Expected{"static-site", "static", "none", "none", 8080, "index.html"},
        Expected{"static-vite", "static", "none", "npm", 8080, "dist/index.html"}),
    [](const auto& info) {
      std::string n = info.param.app;
      for (auto& c : n) {
        if (c == '-') c = '_';
      }
      return n;
    });

TEST(Detection, ThePortArgumentWins) {
  auto p = detect_application(sample_app("python-flask"), 7000);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->port, 7000);
  EXPECT_EQ(p->port_source, "the port argument");
  auto files = generate_container_files(*p);
  ASSERT_TRUE(files.ok());
  EXPECT_NE(files->dockerfile.find("0.0.0.0:7000"), std::string::npos) << files->dockerfile;
}

TEST(Detection, DetailsThatMatterForTheImage) {
  auto java = detect_application(sample_app("java-spring-maven"));
  ASSERT_TRUE(java.ok());
  EXPECT_EQ(java->health_check_path, "/actuator/health");
  auto jf = generate_container_files(*java);
  EXPECT_NE(jf->dockerfile.find("eclipse-temurin-17"), std::string::npos) << "Java 17 from pom.xml";

  auto fastapi = generate_container_files(*detect_application(sample_app("python-fastapi")));
  EXPECT_NE(fastapi->dockerfile.find("uv sync --frozen"), std::string::npos);
  EXPECT_NE(fastapi->dockerfile.find("\"uvicorn\",\"app.main:api\""), std::string::npos)
      << fastapi->dockerfile;

  auto flask = generate_container_files(*detect_application(sample_app("python-flask")));
  EXPECT_NE(flask->dockerfile.find("pip install gunicorn=="), std::string::npos)
      << "gunicorn added when missing";
  auto django = generate_container_files(*detect_application(sample_app("python-django")));
  EXPECT_EQ(django->dockerfile.find("pip install gunicorn=="), std::string::npos)
      << "already a dependency";

  auto next = generate_container_files(*detect_application(sample_app("node-nextjs")));
  EXPECT_NE(next->dockerfile.find("corepack enable"), std::string::npos);
  EXPECT_NE(next->dockerfile.find("pnpm install --frozen-lockfile"), std::string::npos);
  EXPECT_NE(next->dockerfile.find("RUN pnpm run build"), std::string::npos);

  auto rails = detect_application(sample_app("ruby-rails"));
  EXPECT_EQ(rails->health_check_path, "/up");

  auto site = generate_container_files(*detect_application(sample_app("static-site")));
  EXPECT_EQ(site->dockerfile.find("AS build"), std::string::npos) << "nothing to build";
  EXPECT_NE(site->dockerfile.find("nginx-unprivileged"), std::string::npos);
}

TEST(Detection, AnUnknownAppSaysWhatWasLookedFor) {
  testing::TempDir dir;
  dir.write("README.md", "nothing to see");
  auto p = detect_application(dir.path());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kUnknownApplication);
  EXPECT_NE(p.error().message.find("package.json"), std::string::npos);
}

// Found by fuzzing: a package.json whose "main", "scripts.start" or "engines.node" is not a
// string made nlohmann's value() throw out of detection. Such fields are now ignored.
TEST(Detection, PackageJsonFieldsOfTheWrongTypeAreIgnored) {
  testing::TempDir dir;
  dir.write("package.json",
            R"({"main": {"start": "x"}, "scripts": {"start": 3}, "engines": {"node": [20]},
                "dependencies": {"express": "^4.21.0"}})");
  dir.write("server.js", "require('express')().listen(3000);\n");
  auto p = detect_application(dir.path());
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->framework, "express");
  EXPECT_EQ(p->entry_point, "server.js");
}

TEST(Detection, RenderTemplateRejectsUnknownPlaceholdersAndHonoursConditionalLines) {
  auto ok = render_template("a {{X}}\n{{?Y}}only-with-y\n{{!Y}}only-without-y\n",
                            {{"X", "1"}, {"Y", ""}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "a 1\nonly-without-y\n");
  EXPECT_FALSE(render_template("{{MISSING}}", {}).ok());
}

// File contents are scanned by hand, never with std::regex: libstdc++'s regex recurses once per
// repeated character and overflows the stack on a long run (a crash reachable from any app).
TEST(Detection, ALongWhitespaceRunInASourceFileDoesNotCrash) {
  testing::TempDir dir;
  dir.write("package.json", R"({"name": "x", "dependencies": {"express": "^4.21.0"}})");
  dir.write("index.js", "const app = require('express')();\napp.listen(" +
                            std::string(50 * 1024, ' ') + "4321);\n");
  auto p = detect_application(dir.path());
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->framework, "express");
  EXPECT_EQ(p->entry_point, "index.js");
  EXPECT_EQ(p->port, 4321) << p->port_source;
}

TEST(Detection, AFullSizeSourceFileWithAHugeLineDoesNotCrash) {
  testing::TempDir dir;
  dir.write("requirements.txt", "flask==3.1.0\n");
  std::string app =
      std::string(200 * 1024, 'a') + "\nfrom flask import Flask\napp = Flask(__name__)\n" +
      "app.run(host=\"0.0.0.0\", port=5050)\n# " + std::string(100 * 1024, ' ') + "\n";
  dir.write("app.py", app);  // larger than the 256 KB read: the tail is cut off
  auto p = detect_application(dir.path());
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->framework, "flask");
  EXPECT_EQ(p->entry_point, "app:app");
  EXPECT_EQ(p->port, 5050) << p->port_source;

  // Every scanned manifest at full size: long runs of what each pattern repeats.
  testing::TempDir big;
  big.write("pom.xml", "<project><java.version>" + std::string(250 * 1024, '1'));
  big.write("src/main/resources/application.properties",
            "server.port=" + std::string(250 * 1024, ' '));
  big.write("src/main/resources/application.yml", "server:" + std::string(250 * 1024, '\n'));
  auto java = detect_application(big.path());
  ASSERT_TRUE(java.ok()) << java.error().message;
  EXPECT_EQ(java->port, 8080);
}

TEST(Detection, TheHandWrittenMatchersKeepTheirMeaning) {
  testing::TempDir spring;
  spring.write("pom.xml",
               "<project><properties><java.version>17</java.version></properties>"
               "<artifactId>spring-boot-starter-web</artifactId></project>");
  spring.write("src/main/resources/application.yml",
               "spring:\n  application:\n    name: x\nserver:\n  port: ${PORT:8085}\n");
  auto java = detect_application(spring.path());
  ASSERT_TRUE(java.ok()) << java.error().message;
  EXPECT_EQ(java->port, 8085) << java->port_source;
  EXPECT_EQ(java->template_values["JAVA_VERSION"].substr(0, 2), "17");

  testing::TempDir gradle;
  gradle.write("build.gradle",
               "plugins { id 'org.springframework.boot' version '3.4.0' }\n"
               "java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\n");
  gradle.write("src/main/resources/application.properties", "server.port = ${PORT:9091}\n");
  auto g = detect_application(gradle.path());
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->port, 9091) << g->port_source;
  EXPECT_EQ(g->template_values["JAVA_VERSION"].substr(0, 2), "17");

  testing::TempDir go;
  go.write("go.mod",
           "module example.com/x\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.1.0\n");
  go.write("main.go", "package main\nfunc main() { http.ListenAndServe(\":7070\", nil) }\n");
  auto gp = detect_application(go.path());
  ASSERT_TRUE(gp.ok()) << gp.error().message;
  EXPECT_EQ(gp->framework, "chi");
  EXPECT_EQ(gp->port, 7070);
  EXPECT_EQ(gp->template_values["GO_VERSION"], "1.26.4") << "go 1.22 is past its end of life";

  testing::TempDir py;
  py.write("pyproject.toml",
           "[project]\nname = \"x\"\nrequires-python = \">=3.11\"\ndependencies = "
           "[\"fastapi>=0.115\", \"uvicorn\"]\n");
  py.write("svc/api.py", "from fastapi import FastAPI\n\nxfastapi = 1\napi: FastAPI = FastAPI()\n");
  auto pp = detect_application(py.path());
  ASSERT_TRUE(pp.ok()) << pp.error().message;
  EXPECT_EQ(pp->framework, "fastapi");
  EXPECT_EQ(pp->entry_point, "svc.api:api");
  EXPECT_EQ(pp->template_values["PYTHON_VERSION"], "3.11.11");
  EXPECT_EQ(pp->template_values["SERVER_PACKAGE"], "") << "uvicorn is a dependency";

  testing::TempDir flaskish;  // "flask-cors" alone is not Flask
  flaskish.write("requirements.txt", "flask-cors\n");
  flaskish.write("main.py", "import os\nport = int(os.environ.get('PORT', 8000))\n");
  auto fl = detect_application(flaskish.path());
  ASSERT_TRUE(fl.ok()) << fl.error().message;
  EXPECT_EQ(fl->framework, "none");

  testing::TempDir node;
  node.write("package.json",
             R"({"scripts": {"start": "node  src/main.mjs "}, "engines": {"node": ">=20.1"}})");
  node.write("src/main.mjs", "const port = process.env.PORT || '3300';\n");
  auto n = detect_application(node.path());
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(n->entry_point, "src/main.mjs");
  EXPECT_EQ(n->port, 3300);
  EXPECT_EQ(n->template_values["NODE_VERSION"], "22.21.1") << "Node.js 20 is past its end of life";

  testing::TempDir ruby;
  ruby.write("Gemfile", "source 'https://rubygems.org'\nruby \"3.2.2\"\ngem  'rails', '~> 7.2'\n");
  auto r = detect_application(ruby.path());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->framework, "rails");
  EXPECT_EQ(r->template_values["RUBY_VERSION"], "3.3.6") << "Ruby 3.2 is past its end of life";

  testing::TempDir dotnet;
  dotnet.write("src/Api/Api.csproj",
               "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup>"
               "<TargetFramework>net9.0</TargetFramework><AssemblyName>Shop.Api</AssemblyName>"
               "</PropertyGroup></Project>");
  auto d = detect_application(dotnet.path());
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->entry_point, "Shop.Api.dll");
  EXPECT_EQ(d->template_values["DOTNET_RUNTIME_VERSION"], "10.0.0")
      << ".NET 9 is past its end of life";
  std::string warnings;
  for (const auto& w : d->warnings) warnings += w + "\n";
  EXPECT_NE(warnings.find(".NET 9.0 requested"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("retarget the project to net10.0"), std::string::npos) << warnings;
}

}  // namespace
}  // namespace ecs_mcp::ecs
