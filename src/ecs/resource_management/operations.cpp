#include "ecs/resource_management/operations.h"

#include <algorithm>
#include <cctype>

#include "common/strings.h"

namespace ecs_mcp::ecs {

using mcp::AccessClass;

std::string_view OperationSpec::api_name() const {
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

const std::vector<OperationSpec>& resource_operations() {
  // {name, service, access, default page size}. StopTask and RunTask are writes (they change
  // what runs); deletions, deregistrations and stopping a service deployment are destructive.
  static const std::vector<OperationSpec> table{
      {"DescribeCapacityProviders", ApiService::kEcs, AccessClass::kRead, 20},
      {"DescribeClusters", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeContainerInstances", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeDaemon", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeDaemonDeployments", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeDaemonRevisions", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeDaemonTaskDefinition", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeExpressGatewayService", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeServiceDeployments", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeServiceRevisions", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeServices", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeTaskDefinition", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeTaskSets", ApiService::kEcs, AccessClass::kRead, 0},
      {"DescribeTasks", ApiService::kEcs, AccessClass::kRead, 0},
      {"GetTaskProtection", ApiService::kEcs, AccessClass::kRead, 0},
      {"ListAccountSettings", ApiService::kEcs, AccessClass::kRead, 50},
      {"ListAttributes", ApiService::kEcs, AccessClass::kRead, 50},
      {"ListClusters", ApiService::kEcs, AccessClass::kRead, 50},
      {"ListContainerInstances", ApiService::kEcs, AccessClass::kRead, 50},
      {"ListDaemonDeployments", ApiService::kEcs, AccessClass::kRead, 50},
      {"ListDaemonTaskDefinitions", ApiService::kEcs, AccessClass::kRead, 50},
      {"ListDaemons", ApiService::kEcs, AccessClass::kRead, 50},
      {"ListServiceDeployments", ApiService::kEcs, AccessClass::kRead, 20},
      {"ListServices", ApiService::kEcs, AccessClass::kRead, 50},
      {"ListServicesByNamespace", ApiService::kEcs, AccessClass::kRead, 50},
      {"ListTagsForResource", ApiService::kEcs, AccessClass::kRead, 0},
      {"ListTaskDefinitionFamilies", ApiService::kEcs, AccessClass::kRead, 50},
      {"ListTaskDefinitions", ApiService::kEcs, AccessClass::kRead, 50},
      {"ListTasks", ApiService::kEcs, AccessClass::kRead, 50},
      {"ContinueServiceDeployment", ApiService::kEcs, AccessClass::kWrite, 0},
      {"CreateCapacityProvider", ApiService::kEcs, AccessClass::kWrite, 0},
      {"CreateCluster", ApiService::kEcs, AccessClass::kWrite, 0},
      {"CreateDaemon", ApiService::kEcs, AccessClass::kWrite, 0},
      {"CreateExpressGatewayService", ApiService::kEcs, AccessClass::kWrite, 0},
      {"CreateService", ApiService::kEcs, AccessClass::kWrite, 0},
      {"CreateTaskSet", ApiService::kEcs, AccessClass::kWrite, 0},
      {"PutAccountSetting", ApiService::kEcs, AccessClass::kWrite, 0},
      {"PutAccountSettingDefault", ApiService::kEcs, AccessClass::kWrite, 0},
      {"PutAttributes", ApiService::kEcs, AccessClass::kWrite, 0},
      {"PutClusterCapacityProviders", ApiService::kEcs, AccessClass::kWrite, 0},
      {"RegisterDaemonTaskDefinition", ApiService::kEcs, AccessClass::kWrite, 0},
      {"RegisterTaskDefinition", ApiService::kEcs, AccessClass::kWrite, 0},
      {"RunTask", ApiService::kEcs, AccessClass::kWrite, 0},
      {"StartTask", ApiService::kEcs, AccessClass::kWrite, 0},
      {"StopTask", ApiService::kEcs, AccessClass::kWrite, 0},
      {"TagResource", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UntagResource", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UpdateCapacityProvider", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UpdateCluster", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UpdateClusterSettings", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UpdateContainerAgent", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UpdateContainerInstancesState", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UpdateDaemon", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UpdateExpressGatewayService", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UpdateService", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UpdateServicePrimaryTaskSet", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UpdateTaskProtection", ApiService::kEcs, AccessClass::kWrite, 0},
      {"UpdateTaskSet", ApiService::kEcs, AccessClass::kWrite, 0},
      {"DeleteAccountSetting", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"DeleteAttributes", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"DeleteCapacityProvider", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"DeleteCluster", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"DeleteDaemon", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"DeleteDaemonTaskDefinition", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"DeleteExpressGatewayService", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"DeleteService", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"DeleteTaskDefinitions", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"DeleteTaskSet", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"DeregisterContainerInstance", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"DeregisterTaskDefinition", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"StopServiceDeployment", ApiService::kEcs, AccessClass::kDestructive, 0},
      {"ExecuteCommand", ApiService::kEcs, AccessClass::kExec, 0},
      {"ecr:BatchCheckLayerAvailability", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:BatchGetImage", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:BatchGetRepositoryScanningConfiguration", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:DescribeImageReplicationStatus", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:DescribeImageScanFindings", ApiService::kEcr, AccessClass::kRead, 50},
      {"ecr:DescribeImageSigningStatus", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:DescribeImages", ApiService::kEcr, AccessClass::kRead, 50},
      {"ecr:DescribePullThroughCacheRules", ApiService::kEcr, AccessClass::kRead, 50},
      {"ecr:DescribeRegistry", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:DescribeRepositories", ApiService::kEcr, AccessClass::kRead, 50},
      {"ecr:DescribeRepositoryCreationTemplates", ApiService::kEcr, AccessClass::kRead, 50},
      {"ecr:GetAccountSetting", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:GetLifecyclePolicy", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:GetLifecyclePolicyPreview", ApiService::kEcr, AccessClass::kRead, 50},
      {"ecr:GetRegistryPolicy", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:GetRegistryScanningConfiguration", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:GetRepositoryPolicy", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:GetSigningConfiguration", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:ListImageReferrers", ApiService::kEcr, AccessClass::kRead, 50},
      {"ecr:ListImages", ApiService::kEcr, AccessClass::kRead, 100},
      {"ecr:ListPullTimeUpdateExclusions", ApiService::kEcr, AccessClass::kRead, 50},
      {"ecr:ListTagsForResource", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:ValidatePullThroughCacheRule", ApiService::kEcr, AccessClass::kRead, 0},
      {"ecr:CreatePullThroughCacheRule", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:CreateRepository", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:CreateRepositoryCreationTemplate", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:PutAccountSetting", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:PutImageScanningConfiguration", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:PutImageTagMutability", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:PutLifecyclePolicy", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:PutRegistryPolicy", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:PutRegistryScanningConfiguration", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:PutReplicationConfiguration", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:PutSigningConfiguration", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:RegisterPullTimeUpdateExclusion", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:SetRepositoryPolicy", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:StartImageScan", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:StartLifecyclePolicyPreview", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:TagResource", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:UntagResource", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:UpdateImageStorageClass", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:UpdatePullThroughCacheRule", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:UpdateRepositoryCreationTemplate", ApiService::kEcr, AccessClass::kWrite, 0},
      {"ecr:BatchDeleteImage", ApiService::kEcr, AccessClass::kDestructive, 0},
      {"ecr:DeleteLifecyclePolicy", ApiService::kEcr, AccessClass::kDestructive, 0},
      {"ecr:DeletePullThroughCacheRule", ApiService::kEcr, AccessClass::kDestructive, 0},
      {"ecr:DeleteRegistryPolicy", ApiService::kEcr, AccessClass::kDestructive, 0},
      {"ecr:DeleteRepository", ApiService::kEcr, AccessClass::kDestructive, 0},
      {"ecr:DeleteRepositoryCreationTemplate", ApiService::kEcr, AccessClass::kDestructive, 0},
      {"ecr:DeleteRepositoryPolicy", ApiService::kEcr, AccessClass::kDestructive, 0},
      {"ecr:DeleteSigningConfiguration", ApiService::kEcr, AccessClass::kDestructive, 0},
      {"ecr:DeregisterPullTimeUpdateExclusion", ApiService::kEcr, AccessClass::kDestructive, 0},
  };
  return table;
}

const std::vector<ExcludedOperation>& excluded_resource_operations() {
  static const std::vector<ExcludedOperation> excluded{
      {"DiscoverPollEndpoint", "used only by the ECS container agent"},
      {"RegisterContainerInstance",
       "used only by the ECS container agent; launch an instance with the agent instead"},
      {"SubmitAttachmentStateChanges", "used only by the ECS container agent"},
      {"SubmitContainerStateChange", "used only by the ECS container agent"},
      {"SubmitTaskStateChange", "used only by the ECS container agent"},
      {"ecr:InitiateLayerUpload",
       "part of the registry push protocol; push images with docker, finch or podman"},
      {"ecr:UploadLayerPart",
       "part of the registry push protocol; push images with docker, finch or podman"},
      {"ecr:CompleteLayerUpload",
       "part of the registry push protocol; push images with docker, finch or podman"},
      {"ecr:PutImage",
       "part of the registry push protocol; push images with docker, finch or podman"},
      {"ecr:GetAuthorizationToken",
       "returns registry credentials that can push images; run `aws ecr get-login-password` "
       "yourself when you need them"},
      {"ecr:GetDownloadUrlForLayer",
       "part of the registry pull protocol and returns pre-signed download URLs"},
  };
  return excluded;
}

namespace {

// The spelling-insensitive key of an operation name: "ecs:" dropped, "ecr:" kept, letters
// lowercased, '_' and '-' dropped, so list_clusters, listClusters and ecs:ListClusters meet.
std::string operation_key(std::string_view name) {
  std::string kept;
  for (char c : name) {
    if (c != '_' && c != '-' && c != ' ') kept += c;
  }
  std::string lowered = ascii_lower(kept);
  if (lowered.rfind("ecs:", 0) == 0) lowered.erase(0, 4);
  return lowered;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const OperationSpec* find_resource_operation(std::string_view name) {
  for (const auto& op : resource_operations()) {
    if (op.name == name) return &op;
  }
  const std::string key = operation_key(name);
  for (const auto& op : resource_operations()) {
    if (operation_key(op.name) == key) return &op;
  }
  return nullptr;
}

std::vector<std::string_view> closest_resource_operations(std::string_view name, size_t count) {
  const std::string key = operation_key(name);
  std::vector<std::pair<size_t, std::string_view>> scored;
  for (const auto& op : resource_operations()) {
    const std::string candidate = operation_key(op.name);
    size_t d = edit_distance(key, candidate);
    // A name that contains what was typed ("services" in "listservices") is a good guess too.
    if (key.size() >= 4 && candidate.find(key) != std::string::npos)
      d = std::min(d, candidate.size() - key.size());
    scored.emplace_back(d, op.name);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string_view> out;
  for (const auto& [d, n] : scored) {
    if (out.size() == count || d > std::max<size_t>(3, key.size() / 2)) break;
    out.push_back(n);
  }
  return out;
}

const ExcludedOperation* find_excluded_operation(std::string_view name) {
  const std::string key = operation_key(name);
  for (const auto& op : excluded_resource_operations()) {
    if (op.name == name || operation_key(op.name) == key) return &op;
  }
  return nullptr;
}

}  // namespace ecs_mcp::ecs
