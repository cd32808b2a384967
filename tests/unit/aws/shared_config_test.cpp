#include "aws/shared_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "credentials_test_support.h"

namespace ecs_mcp::aws {
namespace {

using testing::FakeOs;
using testing::TempHome;

TEST(SharedConfigParse, ConfigProfilesNeedThePrefixAndDefaultIsSpecial) {
  auto config = SharedConfig::parse(
      "[default]\n"
      "region = us-east-1\n"
      "[profile dev]\n"
      "region=eu-west-1\n"
      "[prod]\n"  // not a profile in the config file: the CLI ignores it
      "region = ap-south-1\n"
      "[sso-session corp]\n"
      "sso_region = us-east-1\n"
      "[services local]\n"
      "ecs =\n"
      "  endpoint_url = http://localhost:4566\n",
      "");
  ASSERT_TRUE(config.ok()) << config.error().describe();
  EXPECT_EQ(config->profile_names(), (std::vector<std::string>{"default", "dev"}));
  EXPECT_EQ(config->profile("default")->get("region"), "us-east-1");
  EXPECT_EQ(config->profile("dev")->get("region"), "eu-west-1");
  EXPECT_FALSE(config->profile("prod").has_value());
  EXPECT_FALSE(config->profile("corp").has_value());
  EXPECT_FALSE(config->profile("sso-session corp").has_value());
}

TEST(SharedConfigParse, CredentialsFileSectionsAreBareNamesAndWinOverConfig) {
  auto config = SharedConfig::parse(
      "[profile dev]\n"
      "region = eu-west-1\n"
      "aws_access_key_id = FROM_CONFIG\n",
      "[dev]\n"
      "aws_access_key_id = FROM_CREDENTIALS\n"
      "aws_secret_access_key = secret\n"
      "[profile odd]\n"  // in the credentials file this is literally "profile odd"
      "aws_access_key_id = X\n");
  ASSERT_TRUE(config.ok()) << config.error().describe();
  auto dev = config->profile("dev");
  ASSERT_TRUE(dev.has_value());
  EXPECT_TRUE(dev->in_config_file);
  EXPECT_TRUE(dev->in_credentials_file);
  EXPECT_EQ(dev->get("aws_access_key_id"), "FROM_CREDENTIALS");
  EXPECT_EQ(dev->get("aws_secret_access_key"), "secret");
  EXPECT_EQ(dev->get("region"), "eu-west-1");
  EXPECT_TRUE(config->profile("profile odd").has_value());
  EXPECT_FALSE(config->profile("odd").has_value());
}

TEST(SharedConfigParse, CommentsWhitespaceCaseAndNestedSections) {
  auto config = SharedConfig::parse(
      "\xEF\xBB\xBF# leading comment\n"
      "; another comment\n"
      "\n"
      "  [ profile   spaced ]   # trailing comment on a header\r\n"
      "\tRegion   =   us-west-2   \r\n"
      "s3 =\n"
      "    max_concurrent_requests = 20\n"
      "    addressing_style = path\n"
      "output: json\n"
      "   # an indented comment\n"
      "cli_pager=\n"
      "[profile \"quoted name\"]\n"
      "region = eu-north-1\n",
      "");
  ASSERT_TRUE(config.ok()) << config.error().describe();
  auto spaced = config->profile("spaced");
  ASSERT_TRUE(spaced.has_value());
  EXPECT_EQ(spaced->get("region"), "us-west-2");  // keys are case-insensitive
  EXPECT_EQ(spaced->get("output"), "json");       // `:` works as a delimiter
  EXPECT_EQ(spaced->values.at("s3"), "max_concurrent_requests = 20\naddressing_style = path");
  EXPECT_FALSE(spaced->values.contains("max_concurrent_requests"));  // stays nested
  EXPECT_FALSE(spaced->get("cli_pager").has_value());                // empty counts as absent
  EXPECT_TRUE(spaced->values.contains("cli_pager"));
  EXPECT_EQ(config->profile("quoted name")->get("region"), "eu-north-1");
}

TEST(SharedConfigParse, ProfileDefaultOutranksPlainDefaultAndRepeatedSectionsMerge) {
  auto config = SharedConfig::parse(
      "[default]\nregion = us-east-1\n"
      "[profile default]\nregion = us-east-2\n"
      "[profile a]\nregion = r1\noutput = json\n"
      "[profile a]\nregion = r2\n",
      "");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->profile("default")->get("region"), "us-east-2");
  EXPECT_EQ(config->profile("a")->get("region"), "r2");
  EXPECT_EQ(config->profile("a")->get("output"), "json");
}

TEST(SharedConfigParse, MalformedLinesAreErrorsNamingFileAndLine) {
  auto no_section = SharedConfig::parse("region = us-east-1\n", "", "/x/config", "/x/creds");
  ASSERT_FALSE(no_section.ok());
  EXPECT_EQ(no_section.error().code, ErrorCode::kConfigParseError);
  EXPECT_NE(no_section.error().message.find("/x/config:1"), std::string::npos);

  auto no_delimiter = SharedConfig::parse("", "[default]\n\njust words\n", "/x/config", "/x/creds");
  ASSERT_FALSE(no_delimiter.ok());
  EXPECT_NE(no_delimiter.error().message.find("/x/creds:3"), std::string::npos);

  auto unclosed = SharedConfig::parse("[profile a\n", "");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.error().code, ErrorCode::kConfigParseError);
}

TEST(SharedConfigLoad, MissingFilesAreEmpty) {
  TempHome home;
  FakeOs env(home.path());
  auto config = SharedConfig::load(env);
  ASSERT_TRUE(config.ok()) << config.error().describe();
  EXPECT_TRUE(config->profile_names().empty());
  EXPECT_EQ(config->config_path(), home.config_path());
  EXPECT_EQ(config->credentials_path(), home.credentials_path());
}

TEST(SharedConfigLoad, ReadsDefaultLocationsUnderHome) {
  TempHome home;
  home.write_config("[profile dev]\nregion = eu-west-1\n");
  home.write_credentials("[dev]\naws_access_key_id = AKIA\n");
  FakeOs env(home.path());
  auto config = SharedConfig::load(env);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->profile("dev")->get("region"), "eu-west-1");
  EXPECT_EQ(config->profile("dev")->get("aws_access_key_id"), "AKIA");
}

TEST(SharedConfigLoad, PathsFromEnvironmentWithTildeExpansion) {
  TempHome home;
  home.write("elsewhere/cfg", "[profile x]\nregion = r\n");
  home.write("elsewhere/creds", "[y]\naws_access_key_id = K\n");
  home.write_config("[profile ignored]\n");
  FakeOs env(home.path());
  env.set("AWS_CONFIG_FILE", "~/elsewhere/cfg")
      .set("AWS_SHARED_CREDENTIALS_FILE", home.path() + "/elsewhere/creds");
  auto config = SharedConfig::load(env);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->config_path(), home.path() + "/elsewhere/cfg");
  EXPECT_EQ(config->profile_names(), (std::vector<std::string>{"x", "y"}));
}

TEST(SharedConfigLoad, ParseErrorIsReported) {
  TempHome home;
  home.write_credentials("[default]\nthis line is broken\n");
  FakeOs env(home.path());
  auto config = SharedConfig::load(env);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code, ErrorCode::kConfigParseError);
  EXPECT_NE(config.error().message.find(home.credentials_path() + ":2"), std::string::npos);
}

TEST(SharedConfigLoad, FilesAreReadThroughTheOs) {
  FakeOs os("/home/u");
  os.add_file("/home/u/.aws/config", "[profile dev]\nregion = eu-west-3\n");
  auto config = SharedConfig::load(os);
  ASSERT_TRUE(config.ok()) << config.error().describe();
  EXPECT_EQ(config->profile("dev")->get("region"), "eu-west-3");
  EXPECT_EQ(os.reads(),
            (std::vector<std::string>{"/home/u/.aws/config", "/home/u/.aws/credentials"}));
  os.fail_reads("/home/u/.aws/credentials",
                make_error(ErrorCode::kReadFailed, "cannot open: EACCES"));
  auto unreadable = SharedConfig::load(os);
  ASSERT_FALSE(unreadable.ok());
  EXPECT_EQ(unreadable.error().code, ErrorCode::kConfigReadError);
  EXPECT_NE(unreadable.error().message.find("EACCES"), std::string::npos);
}

// A FIFO in place of a config file would block the first credential lookup for ever; a
// directory or a huge file is a mistake. Each is an error naming the file, at once.
TEST(SharedConfigLoad, OnlyBoundedRegularFilesAreRead) {
  TempHome home;
  ASSERT_EQ(::mkfifo(home.config_path().c_str(), 0600), 0);
  auto fifo = SharedConfig::load(FakeOs(home.path()));
  ASSERT_FALSE(fifo.ok());
  EXPECT_EQ(fifo.error().code, ErrorCode::kConfigReadError);
  EXPECT_NE(fifo.error().message.find(home.config_path()), std::string::npos);

  TempHome dir_home;
  std::filesystem::create_directories(dir_home.credentials_path());
  auto dir = SharedConfig::load(FakeOs(dir_home.path()));
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code, ErrorCode::kConfigReadError);

  TempHome big_home;
  big_home.write_config("[default]\nregion = us-east-1\n# " + std::string(5 << 20, 'x') + "\n");
  auto big = SharedConfig::load(FakeOs(big_home.path()));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kConfigReadError);
}

TEST(SelectedProfile, ProfileThenDefaultProfileThenDefault) {
  FakeOs env;
  EXPECT_EQ(selected_profile_name(env), "default");
  EXPECT_FALSE(profile_selected_explicitly(env));
  env.set("AWS_DEFAULT_PROFILE", "old");
  EXPECT_EQ(selected_profile_name(env), "old");
  EXPECT_TRUE(profile_selected_explicitly(env));
  env.set("AWS_PROFILE", "new");
  EXPECT_EQ(selected_profile_name(env), "new");
  env.set("AWS_PROFILE", "");  // empty counts as unset
  EXPECT_EQ(selected_profile_name(env), "old");
}

TEST(ExpandHome, OnlyLeadingTilde) {
  FakeOs env("/home/u");
  EXPECT_EQ(expand_home("~", env), "/home/u");
  EXPECT_EQ(expand_home("~/a/b", env), "/home/u/a/b");
  EXPECT_EQ(expand_home("/a/~/b", env), "/a/~/b");
  EXPECT_EQ(expand_home("~other/x", env), "~other/x");
}

}  // namespace
}  // namespace ecs_mcp::aws
