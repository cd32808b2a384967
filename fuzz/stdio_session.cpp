// The stdio transport as a client drives it: bytes split into lines (over-long ones skipped),
// each line parsed and dispatched to a session whose one tool coerces and validates its
// arguments against a schema, and the answers written back.
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory>

#include "mcp/server.h"
#include "mcp/stdio_transport.h"

using namespace ecs_mcp::mcp;

namespace {

Server& server() {
  static Server* s = [] {
    spdlog::set_level(spdlog::level::off);
    ToolRegistry registry;
    Tool echo;
    echo.name = "echo";
    echo.title = "Echo";
    echo.description = "Answers with its arguments";
    echo.input_schema = json::parse(R"({
      "type": "object",
      "properties": {
        "text": {"type": "string", "maxLength": 64, "pattern": "^[a-z]*$"},
        "count": {"type": "integer", "minimum": 0, "maximum": 10},
        "flag": {"type": "boolean"},
        "items": {"type": "array", "items": {"type": "number"}, "maxItems": 4},
        "mode": {"enum": ["a", "b"]},
        "nested": {"type": "object", "properties": {"x": {"type": ["string", "null"]}},
                   "additionalProperties": false}
      },
      "required": ["text"]
    })");
    echo.handler = [](const json& args, ToolContext&) { return ToolResult::text(args.dump()); };
    (void)registry.add(echo);
    ServerOptions options;
    options.max_workers = 2;
    return new Server(ServerInfo{"fuzz", "Fuzz", "1", ""}, std::move(registry), nullptr, options);
  }();
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static int out = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  int in = ::memfd_create("fuzz-stdin", MFD_CLOEXEC);
  if (in < 0) return 0;
  if (size > 0 && ::write(in, data, size) != static_cast<ssize_t>(size)) {
    ::close(in);
    return 0;
  }
  ::lseek(in, 0, SEEK_SET);
  StdioOptions options;
  options.max_line_bytes = 4096;
  options.max_pending_bytes = 1 << 20;
  options.drain_on_eof = std::chrono::seconds(5);
  StdioTransport transport(server(), in, out, options);
  (void)transport.run();
  ::close(in);
  return 0;
}
