#include "support/python.h"

#include <sys/wait.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <mutex>

namespace ecs_mcp::testing {

CommandResult run_command(const std::string& command) {
  CommandResult r;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    r.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::optional<std::string> python_unavailable(std::initializer_list<const char*> modules) {
  std::string imports;
  for (const char* m : modules) imports += std::string(imports.empty() ? "" : ", ") + m;
  static std::mutex mu;
  static std::map<std::string, std::optional<std::string>> answers;
  std::lock_guard lock(mu);
  auto [it, inserted] = answers.try_emplace(imports);
  if (inserted) {
    const auto probe = imports.empty() ? run_command("python3 -c pass")
                                       : run_command("python3 -c 'import " + imports + "'");
    if (probe.exit_code != 0) {
      std::string why = probe.output;
      while (!why.empty() && std::isspace(static_cast<unsigned char>(why.back()))) why.pop_back();
      it->second = "needs python3" + (imports.empty() ? "" : " with " + imports) + ": " +
                   (why.empty() ? "python3 did not run" : why);
    }
  }
  return it->second;
}

}  // namespace ecs_mcp::testing
