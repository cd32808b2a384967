// What every troubleshooting action receives and returns.
//
// An action reads AWS through an AwsReader (which pages, batches where the API needs it,
// passes the call's cancellation on and words failures with describe_aws_failure), checks its
// own required parameters, and returns an ActionReport: ranked findings plus the data that
// supports them. A failure that stops the action entirely (a missing parameter, a cluster
// that does not exist) is an Error; a check that could not be made is itself a finding.
//
// Thread-safety: one ActionRequest per call; nothing shared but the AwsContext.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "ecs/access.h"
#include "ecs/aws_context.h"
#include "ecs/troubleshooting/findings.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs::troubleshooting {

using nlohmann::json;

class AwsReader {
 public:
  AwsReader(std::shared_ptr<AwsContext> aws, std::function<bool()> cancelled)
      : aws_(std::move(aws)), cancelled_(std::move(cancelled)) {}

  // One call; errors are worded "<Service> <Operation> failed: ..." with a hint.
  // `region` empty means the server's region.
  Result<json> call(AwsService service, const std::string& operation, const json& params,
                    const std::string& region = {}) const;
  // Every page of a paginated operation (the service's botocore paginator), or one call when
  // the operation does not page.
  Result<json> all_pages(AwsService service, const std::string& operation, json params,
                         size_t max_items = 0, const std::string& region = {}) const;
  const std::string& region() const { return aws_->region(); }
  bool cancelled() const { return cancelled_ && cancelled_(); }

 private:
  std::shared_ptr<AwsContext> aws_;
  std::function<bool()> cancelled_;
};

// The window an action looks at, in epoch seconds.
struct TimeWindow {
  double start = 0;
  double end = 0;
  bool contains(double t) const { return t >= start && t <= end; }
};

struct ActionRequest {
  std::string action;
  json parameters = json::object();
  const AwsReader& aws;
  mcp::ToolContext& context;
  AccessPolicy policy;
  TimeWindow window;
  size_t limit = 50;

  // The string parameter `name`, or "" when absent.
  std::string text(const char* name) const;
  // An InvalidArgument naming the first of `names` that is absent, or OK.
  Status require(std::initializer_list<const char*> names) const;
  // An InvalidArgument unless at least one of `names` is present.
  Status require_one_of(std::initializer_list<const char*> names) const;
  void progress(double done, double total, const std::string& message) const {
    context.progress(done, total, message);
  }
};

struct ActionReport {
  std::vector<Finding> findings;
  json data = json::object();
};

using ActionHandler = std::function<Result<ActionReport>(const ActionRequest&)>;

// The seven actions; each lives in its own file.
Result<ActionReport> run_guidance(const ActionRequest& request);
Result<ActionReport> run_cloudformation_status(const ActionRequest& request);
Result<ActionReport> run_service_events(const ActionRequest& request);
Result<ActionReport> run_task_failures(const ActionRequest& request);
Result<ActionReport> run_task_logs(const ActionRequest& request);
Result<ActionReport> run_image_pull_check(const ActionRequest& request);
Result<ActionReport> run_network_configuration(const ActionRequest& request);

}  // namespace ecs_mcp::ecs::troubleshooting
