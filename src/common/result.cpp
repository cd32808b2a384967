#include "common/result.h"

#include <ostream>

namespace ecs_mcp {

std::ostream& operator<<(std::ostream& out, ErrorCode code) { return out << error_code_name(code); }

}  // namespace ecs_mcp
