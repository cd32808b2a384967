#include "common/token_file.h"

#include <sys/stat.h>

#include <cctype>

namespace ecs_mcp {
namespace {

// A bearer token is a line of text; anything larger is not a token file.
constexpr size_t kMaxTokenFileBytes = 64 << 10;

}  // namespace

Result<std::string> read_token_file(const Os& os, const std::string& path,
                                    std::vector<std::string>& warnings) {
  auto text = os.read_file(path, kMaxTokenFileBytes);
  if (!text) {
    return make_error(ErrorCode::kUsageError, "--auth-token-file " + path + " cannot be read");
  }
  std::string token = text->substr(0, text->find('\n'));
  auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!token.empty() && is_space(token.back())) token.pop_back();
  size_t start = 0;
  while (start < token.size() && is_space(token[start])) ++start;
  token.erase(0, start);
  if (token.empty())
    return make_error(ErrorCode::kUsageError, "--auth-token-file " + path + " is empty");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    warnings.push_back("the token file " + path + " is readable by other users; chmod 600 it");
  }
  return token;
}

}  // namespace ecs_mcp
