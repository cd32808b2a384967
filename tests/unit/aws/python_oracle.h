// Runs the Python reference scripts that sit next to the unit tests (botocore oracles).
#pragma once

#include <filesystem>
#include <string>

#include "support/fixtures.h"
#include "support/python.h"

namespace ecs_mcp::testing {

inline std::filesystem::path unit_test_dir() { return tests_dir() / "unit" / "aws"; }

// Runs `python3 <script> [args]` from this directory, returning stdout (stderr is merged so
// a failing oracle explains itself in the test output).
inline std::string run_oracle(const std::string& script, const std::string& args = "") {
  return run_command("python3 '" + (unit_test_dir() / script).string() + "' " + args).output;
}

}  // namespace ecs_mcp::testing
