// Running local commands, and the Python reference scripts ("oracles") some tests compare
// against: botocore's models and signer. Tests that need them skip, saying why, on a machine
// without python3 or the modules.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <string>

namespace ecs_mcp::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when the command could not run or did not exit normally
  std::string output;  // stdout and stderr, merged
};

// Runs `command` with /bin/sh.
CommandResult run_command(const std::string& command);

// Why `python3 -c "import <modules>"` fails on this machine, or nullopt when it works. The
// answer is computed once per module list.
std::optional<std::string> python_unavailable(std::initializer_list<const char*> modules);

}  // namespace ecs_mcp::testing

// Skips the running test when python3 cannot import every listed module.
#define ECS_MCP_REQUIRE_PYTHON(...)                                                          \
  do {                                                                                       \
    if (auto ecs_mcp_python_missing = ::ecs_mcp::testing::python_unavailable({__VA_ARGS__})) \
      GTEST_SKIP() << *ecs_mcp_python_missing;                                               \
  } while (0)
