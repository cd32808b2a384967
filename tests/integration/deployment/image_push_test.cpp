// The image build and push of create_ecs_infrastructure, for real: build_and_push_image
// (src/ecs/deployment/container_image.*) builds a sample app with buildah, offline, and pushes
// it to a real local registry (the docker-registry package: Docker's distribution, the v2 API
// ECR speaks), which is then asked over its HTTP API what it holds.
//
// There are no base images offline, so the sample app's Dockerfile is FROM scratch + COPY.
// buildah runs as it would in a container without a daemon: vfs storage in a temporary
// directory and chroot isolation, set through buildah's own configuration
// (CONTAINERS_STORAGE_CONF, BUILDAH_ISOLATION), and the plain-HTTP registry is marked insecure
// in a registries.conf (what --tls-verify=false does for one command). Needs root (CI runs it
// so); missing tools fail the test with a pointer to scripts/setup.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "aws/curl_http_client.h"
#include "ecs/deployment/container_image.h"
#include "ecs/deployment/process.h"
#include "support/fixtures.h"

namespace ecs_mcp::ecs {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kRegistryBinary = "/usr/bin/docker-registry";

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// `docker-registry serve <config>` on 127.0.0.1:<port>, storing in `dir`; stopped on
// destruction (only the process it started).
class LocalRegistry {
 public:
  explicit LocalRegistry(const fs::path& dir) : dir_(dir), port_(free_port()) {
    const std::string config = (dir_ / "config.yml").string();
    const std::string log = (dir_ / "registry.log").string();
    std::string yaml = "version: 0.1\nlog:\n  level: info\n";
    yaml += "storage:\n  filesystem:\n    rootdirectory: " + (dir_ / "data").string() + "\n";
    yaml += "http:\n  addr: " + host() + "\n";
    write_file(config, yaml);
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::execl(kRegistryBinary, kRegistryBinary, "serve", config.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~LocalRegistry() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  LocalRegistry(const LocalRegistry&) = delete;
  LocalRegistry& operator=(const LocalRegistry&) = delete;

  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return read_file(dir_ / "registry.log"); }

  // GET http://<host><path> through the project's own HTTP client.
  Result<aws::HttpResponse> get(const std::string& path, const std::string& accept = "") {
    aws::HttpRequest request;
    request.method = "GET";
    request.url = "http://" + host() + path;
    if (!accept.empty()) request.headers.push_back({"Accept", accept});
    return http_.send(request);
  }

  // True once GET /v2/ answers 200 (the API version check every client starts with).
  bool wait_until_ready(std::chrono::seconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      int status = 0;
      if (pid_ <= 0 || ::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;  // it exited
      }
      auto r = get("/v2/");
      if (r.ok() && r->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

 private:
  fs::path dir_;
  int port_;
  pid_t pid_ = -1;
  aws::CurlHttpClient http_;
};

class ImagePushTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(find_in_path("buildah").has_value())
        << "buildah is not installed: run scripts/setup (it installs the buildah package)";
    ASSERT_TRUE(fs::exists(kRegistryBinary))
        << kRegistryBinary
        << " is missing: run scripts/setup (it installs the docker-registry package)";
    ASSERT_EQ(::geteuid(), 0u) << "buildah with vfs storage and chroot isolation needs root here";

    registry_ = std::make_unique<LocalRegistry>(dir_.path() / "registry");
    ASSERT_TRUE(registry_->wait_until_ready(std::chrono::seconds(20)))
        << "docker-registry did not answer on " << registry_->host() << ":\n"
        << registry_->log();

    // buildah's configuration for this test only: its own storage, chroot isolation, and the
    // local registry reachable over plain HTTP.
    write_file(dir_.path() / "storage.conf",
               "[storage]\ndriver = \"vfs\"\ngraphroot = \"" + (dir_.path() / "storage").string() +
                   "\"\nrunroot = \"" + (dir_.path() / "run").string() + "\"\n");
    write_file(dir_.path() / "registries.conf",
               "[[registry]]\nlocation = \"" + registry_->host() + "\"\ninsecure = true\n");
    options_.tool_environment = {
        {"CONTAINERS_STORAGE_CONF", (dir_.path() / "storage.conf").string()},
        {"CONTAINERS_REGISTRIES_CONF", (dir_.path() / "registries.conf").string()},
        {"BUILDAH_ISOLATION", "chroot"},
    };
    options_.build_timeout = std::chrono::minutes(5);
    options_.on_line = [this](const std::string& line) { output_ += line + "\n"; };
  }

  // The static-site sample app with a Dockerfile that needs no base image.
  fs::path sample_app() {
    fs::path app = dir_.path() / "app";
    fs::copy(testing::sample_app("static-site"), app, fs::copy_options::recursive);
    write_file(app / "Dockerfile", "FROM scratch\nCOPY index.html /srv/www/index.html\n");
    return app;
  }

  RegistryAuth auth() const {
    // The registry runs without authentication; the credentials still travel the code path
    // ECR's do (a temporary auth file handed to buildah).
    return RegistryAuth{registry_->host(), "dGVzdDp0ZXN0"};  // base64("test:test")
  }

  testing::TempDir dir_{"ecs-mcp-image-it-"};
  std::unique_ptr<LocalRegistry> registry_;
  ImageBuildOptions options_;
  std::string output_;
};

TEST_F(ImagePushTest, BuildahBuildsTheAppAndPushesItToTheRegistry) {
  auto tool = find_container_tool({"buildah"});
  ASSERT_TRUE(tool.ok()) << tool.error().message;
  EXPECT_EQ(tool->name, "buildah");
  const std::string image = registry_->host() + "/sample-app:v1";

  auto pushed = build_and_push_image(*tool, sample_app().string(), image, auth(), options_);
  ASSERT_TRUE(pushed.ok()) << pushed.error().message << "\nbuildah said:\n" << output_;

  // What the registry holds, asked over its HTTP API.
  auto tags = registry_->get("/v2/sample-app/tags/list");
  ASSERT_TRUE(tags.ok()) << tags.error().message;
  ASSERT_EQ(tags->status, 200) << tags->body << "\n" << registry_->log();
  json listed = json::parse(tags->body);
  EXPECT_EQ(listed["name"], "sample-app");
  EXPECT_EQ(listed["tags"], json({"v1"}));

  // The manifest: one layer (the COPY), and a config for the platform the task runs on.
  auto manifest = registry_->get("/v2/sample-app/manifests/v1",
                                 "application/vnd.oci.image.manifest.v1+json, "
                                 "application/vnd.docker.distribution.manifest.v2+json");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  ASSERT_EQ(manifest->status, 200) << manifest->body;
  json m = json::parse(manifest->body);
  ASSERT_EQ(m["layers"].size(), 1u) << manifest->body;
  auto config = registry_->get("/v2/sample-app/blobs/" + m["config"]["digest"].get<std::string>());
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_EQ(config->status, 200);
  json c = json::parse(config->body);
  EXPECT_EQ(c["os"], "linux");
  EXPECT_EQ(c["architecture"], "amd64") << "built for linux/amd64, what Fargate runs";
  EXPECT_FALSE(fs::exists(dir_.path() / "app" / "config.json")) << "no credentials left in the app";
}

TEST_F(ImagePushTest, ABuildErrorIsReportedWithTheToolsOutputAndNothingIsPushed) {
  auto tool = find_container_tool({"buildah"});
  ASSERT_TRUE(tool.ok()) << tool.error().message;
  fs::path app = sample_app();
  write_file(app / "Dockerfile", "FROM scratch\nCOPY missing-file.txt /\n");

  auto pushed =
      build_and_push_image(*tool, app.string(), registry_->host() + "/broken:v1", auth(), options_);

  ASSERT_FALSE(pushed.ok());
  EXPECT_EQ(pushed.error().code, ErrorCode::kBuildFailed);
  EXPECT_NE(pushed.error().message.find("missing-file.txt"), std::string::npos)
      << pushed.error().message;
  auto tags = registry_->get("/v2/broken/tags/list");
  ASSERT_TRUE(tags.ok()) << tags.error().message;
  EXPECT_EQ(tags->status, 404) << tags->body;
}

}  // namespace
}  // namespace ecs_mcp::ecs
