// Runs the Python reference scripts that sit next to the unit tests (botocore oracles).
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

namespace ecs_mcp::testing {

inline std::filesystem::path unit_test_dir() {
  return std::filesystem::path(__FILE__).parent_path();
}

// Runs `python3 <script> [args]` from this directory, returning stdout (stderr is merged so
// a failing oracle explains itself in the test output).
inline std::string run_oracle(const std::string& script, const std::string& args = "") {
  std::string command = "python3 '" + (unit_test_dir() / script).string() + "' " + args + " 2>&1";
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe.get())) > 0) out.append(buffer, n);
  return out;
}

}  // namespace ecs_mcp::testing
