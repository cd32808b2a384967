// The pinned toolchains: for each runtime, base image and build tool the generated Dockerfiles
// use, the exact version pinned for each release line and the date that line reaches its end
// of life. The data is templates/toolchains.json, compiled into the binary; nothing else in
// the code names a version.
//
// Thread-safety: load_toolchains() parses once (thread-safe static initialisation) and hands
// out an immutable table that any number of threads may read.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ecs_mcp::ecs::detection {

struct ToolchainLine {
  std::string line;                // what a project asks for: "20", "3.12", "8.0"
  std::string version;             // the exact version pinned: "20.18.1"
  std::string sdk;                 // a separate build-time version, when there is one (.NET's SDK)
  std::optional<std::string> eol;  // "YYYY-MM-DD"; none when the maintainers publish no date
};

struct Toolchain {
  std::string name;
  std::string default_line;
  std::map<std::string, std::string> aliases;  // an unlisted line -> the listed one it uses
  std::map<std::string, ToolchainLine> lines;

  // The line for what a project asks for (an alias or a listed line), else the default.
  const ToolchainLine& pick(const std::string& wanted) const;
  bool has_line(const std::string& wanted) const;
  // The default line's pinned version.
  const std::string& version() const { return pick("").version; }
};

class Toolchains {
 public:
  // Every toolchain must name a default that is one of its lines, and every alias a line.
  static Result<Toolchains> parse(std::string_view json_text);

  // The toolchain called `name`; it must be one parse() accepted (see kRequired).
  const Toolchain& get(std::string_view name) const;
  const Toolchain* find(std::string_view name) const;
  const std::vector<Toolchain>& all() const { return toolchains_; }

  // The toolchains the detectors use; parse() refuses data missing any of them.
  static const std::vector<std::string_view>& required();

 private:
  std::vector<Toolchain> toolchains_;
};

// The table from the embedded templates/toolchains.json.
const Result<Toolchains>& load_toolchains();

}  // namespace ecs_mcp::ecs::detection
