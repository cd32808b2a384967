#include "ecs/deployment/names.h"

#include <cctype>
#include <map>
#include <regex>

namespace ecs_mcp::ecs {

namespace {
// libstdc++'s std::regex recurses once per character matched by a repetition, so a long
// enough input exhausts the stack. Every value checked here has a far shorter legal maximum.
constexpr size_t kMaxCheckedLength = 2048;

bool matches(const std::string& s, const char* pattern) {
  return s.size() <= kMaxCheckedLength && std::regex_match(s, std::regex(pattern));
}
}  // namespace

std::optional<std::string> check_app_name(const std::string& name) {
  if (name.empty()) return "app_name is empty";
  if (name.size() > 40) return "app_name \"" + name + "\" is longer than 40 characters";
  if (!matches(name, "[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
    std::string hint;
    for (char c : name) {
      unsigned char u = static_cast<unsigned char>(c);
      if (std::isalnum(u))
        hint += static_cast<char>(std::tolower(u));
      else if (!hint.empty() && hint.back() != '-')
        hint += '-';
    }
    while (!hint.empty() && (hint.back() == '-')) hint.pop_back();
    while (!hint.empty() && !std::isalpha(static_cast<unsigned char>(hint.front())))
      hint.erase(0, 1);
    return "app_name \"" + name +
           "\" is not valid: use lowercase letters, digits and single hyphens, "
           "starting with a letter (it names the ECR repository, stacks, cluster and service)" +
           (hint.empty() || hint.size() > 40 ? std::string() : "; for example \"" + hint + "\"");
  }
  return std::nullopt;
}

std::optional<std::string> check_vpc_id(const std::string& id) {
  if (!matches(id, "vpc-([0-9a-f]{8}|[0-9a-f]{17})"))
    return "vpc_id \"" + id + "\" is not a VPC id (vpc-xxxxxxxx)";
  return std::nullopt;
}

std::optional<std::string> check_subnet_ids(const std::vector<std::string>& ids) {
  if (ids.size() < 2)
    return "subnet_ids needs at least two subnets in different Availability Zones (the load "
           "balancer requires it)";
  for (const auto& id : ids) {
    if (!matches(id, "subnet-([0-9a-f]{8}|[0-9a-f]{17})"))
      return "subnet id \"" + id + "\" is not a subnet id (subnet-xxxxxxxx)";
  }
  return std::nullopt;
}

std::optional<std::string> check_route_table_ids(const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    if (!matches(id, "rtb-([0-9a-f]{8}|[0-9a-f]{17})"))
      return "route table id \"" + id + "\" is not a route table id (rtb-xxxxxxxx)";
  }
  return std::nullopt;
}

std::optional<std::string> check_certificate_arn(const std::string& arn) {
  if (!matches(arn, "arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+")) {
    return "certificate_arn \"" + arn +
           "\" is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)";
  }
  return std::nullopt;
}

std::optional<std::string> check_image_uri(const std::string& uri) {
  // [registry/]repository[:tag][@digest], as Docker references are written.
  if (uri.size() > 512 ||
      !matches(uri,
               "([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._/"
               "-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?")) {
    return "image_uri \"" + uri +
           "\" is not an image reference (registry/repository:tag or @sha256:digest)";
  }
  return std::nullopt;
}

std::optional<std::string> check_health_check_path(const std::string& path) {
  if (path.empty() || path[0] != '/' || path.size() > 1024 ||
      !matches(path, "/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*")) {
    return "health_check_path \"" + path + "\" must start with / and contain only URL characters";
  }
  return std::nullopt;
}

std::optional<std::string> check_fargate_size(int cpu, int memory) {
  struct Range {
    int from, to, step;
  };
  static const std::map<int, Range> kSizes = {
      {256, {512, 2048, 512}},       {512, {1024, 4096, 1024}},   {1024, {2048, 8192, 1024}},
      {2048, {4096, 16384, 1024}},   {4096, {8192, 30720, 1024}}, {8192, {16384, 61440, 4096}},
      {16384, {32768, 122880, 8192}}};
  auto it = kSizes.find(cpu);
  if (it == kSizes.end())
    return "cpu " + std::to_string(cpu) +
           " is not a Fargate size: use 256, 512, 1024, 2048, 4096, 8192 or 16384";
  const Range& r = it->second;
  if (cpu == 256 && (memory == 512 || memory == 1024 || memory == 2048)) return std::nullopt;
  if (cpu == 256)
    return "memory " + std::to_string(memory) +
           " MiB does not fit cpu 256: Fargate allows 512, 1024 or 2048";
  if (memory < r.from || memory > r.to || (memory - r.from) % r.step != 0) {
    return "memory " + std::to_string(memory) + " MiB does not fit cpu " + std::to_string(cpu) +
           ": Fargate allows " + std::to_string(r.from) + " to " + std::to_string(r.to) +
           " MiB in steps of " + std::to_string(r.step);
  }
  return std::nullopt;
}

std::optional<std::string> check_stack_name(const std::string& name) {
  if (!matches(name, "[A-Za-z][A-Za-z0-9-]{0,127}")) {
    return "stack name \"" + name +
           "\" is not valid: letters, digits and hyphens, starting with a letter, at most 128";
  }
  return std::nullopt;
}

std::optional<std::string> check_cluster_or_service_name(const std::string& name) {
  if (!matches(name, "[A-Za-z0-9_-]{1,255}") && !matches(name, "arn:aws(-[a-z]+)*:ecs:[^\\s]+")) {
    return "\"" + name +
           "\" is not a cluster or service name (letters, digits, hyphens, underscores) or ARN";
  }
  return std::nullopt;
}

std::string ecr_repository_of(const std::string& image_uri) {
  std::smatch m;
  static const std::regex re(
      R"(^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/([^:@]+))");
  if (image_uri.size() <= kMaxCheckedLength && std::regex_search(image_uri, m, re)) {
    return m[3].str();
  }
  return "";
}

}  // namespace ecs_mcp::ecs
