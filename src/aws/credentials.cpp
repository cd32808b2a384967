#include "aws/credentials.h"

#include <vector>

#include "aws/credential_providers.h"

namespace ecs_mcp::aws {

CachingCredentialsProvider::CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner,
                                                       std::chrono::seconds refresh_before_expiry,
                                                       std::shared_ptr<const Os> os)
    : inner_(std::move(inner)),
      refresh_before_expiry_(refresh_before_expiry),
      os_(os ? std::move(os) : real_os()) {}

Result<Credentials> CachingCredentialsProvider::get() {
  std::unique_lock lock(mu_);
  const auto now = os_->now();
  if (cached_ && (!cached_->expiration || now < *cached_->expiration - refresh_before_expiry_)) {
    return *cached_;
  }
  // Still valid, only inside the refresh window: sign with them while another caller refreshes.
  bool still_valid = cached_ && cached_->expiration && now < *cached_->expiration;
  if (refreshing_) {
    if (still_valid) return *cached_;
    uint64_t awaited = refresh_generation_;
    refreshed_.wait(lock, [&] { return refresh_generation_ != awaited; });
    if (last_error_) return *last_error_;
    return *cached_;
  }
  refreshing_ = true;
  lock.unlock();
  Result<Credentials> fresh = inner_->get();
  lock.lock();
  refreshing_ = false;
  ++refresh_generation_;
  if (fresh) {
    cached_ = *fresh;
    last_error_.reset();
  } else {
    last_error_ = fresh.error();
  }
  refreshed_.notify_all();
  if (!fresh && still_valid) return *cached_;  // try again on a later call
  return fresh;
}

namespace {

// Walks the sources in order until one answers; then keeps asking that one (for refreshes),
// as the CLI does, rather than walking the list again.
class DefaultCredentialsChain : public CredentialsProvider {
 public:
  explicit DefaultCredentialsChain(std::shared_ptr<CredentialContext> context)
      : context_(std::move(context)),
        profile_(std::make_shared<ProfileCredentialsProvider>(context_)) {
    // An explicit profile option outranks environment keys (botocore drops the env provider
    // when a profile is passed explicitly); AWS_PROFILE does not.
    if (context_->options().profile.empty()) {
      sources_.push_back(std::make_shared<EnvironmentCredentialsProvider>(context_));
    }
    sources_.push_back(profile_);
    sources_.push_back(std::make_shared<WebIdentityCredentialsProvider>(context_));
    sources_.push_back(std::make_shared<ContainerCredentialsProvider>(context_));
    sources_.push_back(std::make_shared<InstanceMetadataCredentialsProvider>(context_));
  }

  Result<Credentials> get() override {
    std::lock_guard lock(mu_);
    if (winner_) return winner_->get();
    if (context_->profile_explicit()) {
      if (Status exists = profile_->check_profile_exists(); !exists) return exists.error();
    }
    std::vector<std::string> tried;
    for (const auto& source : sources_) {
      Result<Credentials> got = source->get();
      if (got) {
        winner_ = source;
        return got;
      }
      if (got.error().code != kCredentialsNotConfigured) return got;
      tried.push_back(got.error().message);
    }
    return no_credentials(tried);
  }

 private:
  Error no_credentials(const std::vector<std::string>& tried) const {
    const Os& os = context_->os();
    std::string credentials_path = credentials_file_path(os);
    std::string config_path = config_file_path(os);
    if (auto config = context_->shared_config()) {
      credentials_path = (*config)->credentials_path();
      config_path = (*config)->config_path();
    }
    std::string message = "No AWS credentials found. Sources tried, in order:\n";
    for (size_t i = 0; i < tried.size(); ++i) {
      message += "  " + std::to_string(i + 1) + ". " + tried[i] + "\n";
    }
    message +=
        "To fix: export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for "
        "temporary keys); or put keys for profile '" +
        context_->profile_name() + "' in " + credentials_path + " or " + config_path +
        " (`aws configure` writes them) or set AWS_PROFILE to a profile that has them; or run "
        "with an ECS task role, an EKS service account role, or an EC2 instance role.";
    return make_error(ErrorCode::kNoCredentials, std::move(message));
  }

  std::shared_ptr<CredentialContext> context_;
  std::shared_ptr<ProfileCredentialsProvider> profile_;
  std::vector<std::shared_ptr<CredentialsProvider>> sources_;
  std::mutex mu_;
  std::shared_ptr<CredentialsProvider> winner_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> make_default_credentials_chain(
    std::shared_ptr<const Os> os, std::shared_ptr<HttpClient> http, ChainOptions options) {
  if (!os) os = real_os();
  const auto refresh = options.refresh_before_expiry;
  auto context = std::make_shared<CredentialContext>(os, std::move(http), std::move(options));
  return std::make_shared<CachingCredentialsProvider>(
      std::make_shared<DefaultCredentialsChain>(std::move(context)), refresh, std::move(os));
}

}  // namespace ecs_mcp::aws
