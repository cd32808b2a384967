// RecordingProgress: an ecs::Progress that keeps every report, for tests of the deployment
// workflows (deploy_workflow.h, delete_workflow.h). For tests linking ecs_mcp_test_support_ecs.
//
// Thread-safety: report() may be called from any thread.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "ecs/deployment/workflow.h"

namespace ecs_mcp::testing {

class RecordingProgress : public ecs::Progress {
 public:
  struct Report {
    double progress = 0, total = 0;
    std::string message;
  };
  void report(double progress, double total, const std::string& message) override {
    std::lock_guard lock(mu_);
    reports_.push_back({progress, total, message});
  }
  std::vector<Report> reports() const {
    std::lock_guard lock(mu_);
    return reports_;
  }
  // True when every report's progress is larger than the one before.
  bool increasing() const {
    std::lock_guard lock(mu_);
    for (size_t i = 1; i < reports_.size(); ++i) {
      if (reports_[i].progress <= reports_[i - 1].progress) return false;
    }
    return true;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Report> reports_;
};

}  // namespace ecs_mcp::testing
