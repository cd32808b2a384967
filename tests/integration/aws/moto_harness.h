// MotoServer: one moto_server process shared by the AWS integration tests.
//
// A GoogleTest global Environment starts `python3 -m moto.server` on a free loopback port,
// waits until /moto-api/ answers, and kills the process group when the tests end (the child
// also dies with the test binary via PR_SET_PDEATHSIG, so a crash leaves nothing behind). A
// missing python3 or moto is a test failure, never a skip: these tests are the evidence
// that the client speaks to something AWS-shaped.
//
// Thread-safety: set up once before tests run; the accessors are read-only afterwards.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace ecs_mcp::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

class MotoServer {
 public:
  // Null until the environment's SetUp succeeded.
  static MotoServer* instance();

  const std::string& endpoint() const { return endpoint_; }  // "http://127.0.0.1:PORT"
  int port() const { return port_; }

  // POST /moto-api/reset: forget every resource. Returns false if moto did not answer 200.
  bool reset() const;
  // POST to a /moto-api/ path with a body; returns the HTTP status (0 on transport failure).
  int post(const std::string& path, const std::string& body,
           std::string* response_body = nullptr) const;

  // Runs a Python snippet with boto3 pointed at this server (AWS_ENDPOINT_URL, credentials
  // "testing"/"testing", region us-east-1).
  CommandResult run_python(const std::string& code) const;

  bool start(std::string* error);
  void stop();

 private:
  int pid_ = -1;
  int port_ = 0;
  std::string endpoint_;
  std::string log_path_;
};

class MotoEnvironment : public ::testing::Environment {
 public:
  void SetUp() override;
  void TearDown() override;
};

// Runs a shell command, capturing stdout and stderr.
CommandResult run_command(const std::string& command);

// A free TCP port on 127.0.0.1 (bound to port 0, then released).
int free_loopback_port();

}  // namespace ecs_mcp::testing
