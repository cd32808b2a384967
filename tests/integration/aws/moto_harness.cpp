#include "moto_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "aws/curl_http_client.h"

namespace ecs_mcp::testing {
namespace {

MotoServer* g_server = nullptr;
volatile sig_atomic_t g_child_pgid = 0;

// A crashing test binary still takes moto down with it.
void kill_child_on_signal(int signal_number) {
  if (g_child_pgid > 0) kill(-g_child_pgid, SIGKILL);
  std::signal(signal_number, SIG_DFL);
  raise(signal_number);
}

// Talks to moto's control API through our own transport: cpp-httplib's Debian build needs
// a library the test target does not link.
aws::HttpClient& control_client() {
  static aws::CurlHttpClient client(aws::CurlHttpClientOptions{});
  return client;
}

int http_status(const std::string& method, const std::string& url, const std::string& body,
                std::string* response_body, std::chrono::milliseconds timeout) {
  aws::HttpRequest request;
  request.method = method;
  request.url = url;
  request.body = body;
  // Not form-encoded: Flask would consume a form body and moto would then read it as empty.
  request.headers = {{"Content-Type", "application/json"}};
  request.timeout = timeout;
  request.connect_timeout = std::chrono::milliseconds(500);
  auto response = control_client().send(request);
  if (!response.ok()) return 0;
  if (response_body != nullptr) *response_body = response->body;
  return response->status;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

int free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    socklen_t size = sizeof(address);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
      port = ntohs(address.sin_port);
    }
  }
  close(fd);
  return port;
}

CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

MotoServer* MotoServer::instance() { return g_server; }

bool MotoServer::start(std::string* error) {
  port_ = free_loopback_port();
  if (port_ == 0) {
    *error = "could not find a free loopback port";
    return false;
  }
  endpoint_ = "http://127.0.0.1:" + std::to_string(port_);
  log_path_ = "/tmp/ecs-mcp-moto-" + std::to_string(getpid()) + ".log";
  const std::string port_text = std::to_string(port_);

  pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    *error = "fork failed";
    return false;
  }
  if (pid_ == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
    int log = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log >= 0) {
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
    }
    execlp("python3", "python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", port_text.c_str(),
           static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid_, pid_);
  g_child_pgid = pid_;
  for (int signal_number : {SIGSEGV, SIGABRT, SIGTERM, SIGINT, SIGBUS, SIGFPE}) {
    std::signal(signal_number, kill_child_on_signal);
  }

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      g_child_pgid = 0;
      *error = "moto_server exited during start-up (is moto installed for python3?):\n" +
               read_file(log_path_);
      return false;
    }
    if (http_status("GET", endpoint_ + "/moto-api/", "", nullptr,
                    std::chrono::milliseconds(2000)) == 200) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  *error = "moto_server did not answer within 60 s:\n" + read_file(log_path_);
  stop();
  return false;
}

void MotoServer::stop() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (pid_ > 0) {
    kill(-pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  g_child_pgid = 0;
}

int MotoServer::post(const std::string& path, const std::string& body,
                     std::string* response_body) const {
  return http_status("POST", endpoint_ + path, body, response_body, std::chrono::seconds(30));
}

bool MotoServer::reset() const { return post("/moto-api/reset", "") == 200; }

CommandResult MotoServer::run_python(const std::string& code) const {
  char path[] = "/tmp/ecs-mcp-snippet-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return {-1, "mkstemp failed"};
  std::string script = "import boto3, json\n" + code;
  ssize_t written = write(fd, script.data(), script.size());
  close(fd);
  if (written != static_cast<ssize_t>(script.size())) return {-1, "could not write snippet"};
  CommandResult result =
      run_command("env -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ENDPOINT_URL=" + endpoint_ +
                  " AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing"
                  " AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null"
                  " AWS_SHARED_CREDENTIALS_FILE=/dev/null python3 " +
                  std::string(path));
  unlink(path);
  return result;
}

void MotoEnvironment::SetUp() {
  static MotoServer server;
  std::string error;
  if (!server.start(&error)) {
    FAIL() << "cannot start moto_server: " << error;
  }
  g_server = &server;
}

void MotoEnvironment::TearDown() {
  if (g_server != nullptr) g_server->stop();
  g_server = nullptr;
}

}  // namespace ecs_mcp::testing
