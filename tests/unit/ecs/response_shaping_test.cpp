#include "ecs/response_shaping.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <sstream>

#include "support/python.h"

namespace ecs_mcp::ecs {
namespace {

using json = nlohmann::json;

TEST(Timestamps, EpochSecondsBecomeIso8601) {
  EXPECT_EQ(iso8601_from_epoch(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(iso8601_from_epoch(1700000000.5), "2023-11-14T22:13:20.500Z");
  json v = json::parse(R"({"tasks":[{"createdAt":1700000000,"stoppedAt":1700000060.25,
      "containers":[{"name":"app"}],"startedBy":"ecs-svc/1"}],
      "imageDetails":[{"imagePushedAt":1700000000,"lastRecordedPullTime":1700000001}],
      "count":5, "createdAt":"already a string"})");
  format_timestamps(v);
  EXPECT_EQ(v["tasks"][0]["createdAt"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(v["tasks"][0]["stoppedAt"], "2023-11-14T22:14:20.250Z");
  EXPECT_EQ(v["imageDetails"][0]["imagePushedAt"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(v["imageDetails"][0]["lastRecordedPullTime"], "2023-11-14T22:13:21Z");
  EXPECT_EQ(v["count"], 5);  // not a timestamp member
  EXPECT_EQ(v["createdAt"], "already a string");
}

// The list of timestamp members must cover every timestamp in botocore's ECS and ECR output
// shapes; re-derive it from the installed models.
TEST(Timestamps, CoverEveryTimestampMemberOfTheEcsAndEcrModels) {
  ECS_MCP_REQUIRE_PYTHON("botocore");
  const char* script =
      "python3 -c \""
      "import botocore.session as s\n"
      "sess=s.get_session(); names=set()\n"
      "def walk(sh, seen):\n"
      "  if sh.name in seen: return\n"
      "  seen.add(sh.name)\n"
      "  if sh.type_name=='structure':\n"
      "    for k,v in sh.members.items():\n"
      "      if v.type_name=='timestamp': names.add(k)\n"
      "      walk(v, seen)\n"
      "  elif sh.type_name=='list': walk(sh.member, seen)\n"
      "  elif sh.type_name=='map': walk(sh.value, seen)\n"
      "for svc in ['ecs','ecr']:\n"
      "  m=sess.get_service_model(svc); seen=set()\n"
      "  for op in m.operation_names:\n"
      "    o=m.operation_model(op)\n"
      "    if o.output_shape: walk(o.output_shape, seen)\n"
      "print(' '.join(sorted(names)))\"";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(script, "r"), pclose);
  ASSERT_TRUE(pipe);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  std::istringstream words(out);
  int checked = 0;
  for (std::string name; words >> name; ++checked) {
    EXPECT_TRUE(is_timestamp_member(name)) << name << " is a timestamp in botocore's model";
  }
  EXPECT_GT(checked, 20) << "botocore's models could not be read: " << out;
}

TEST(Budget, SmallAnswersAreUntouched) {
  json v{{"clusterArns", {"a", "b"}}};
  EXPECT_FALSE(enforce_budget(v, 1000, "more"));
  EXPECT_FALSE(v.contains("_truncated"));
}

TEST(Budget, LargeListsAreCutAndMarked) {
  json v{{"taskArns", json::array()}, {"nextToken", "tok"}};
  for (int i = 0; i < 2000; ++i)
    v["taskArns"].push_back("arn:aws:ecs:us-east-1:123456789012:task/c/" + std::to_string(i));
  EXPECT_TRUE(enforce_budget(v, 10000, "Follow nextToken."));
  EXPECT_LE(v.dump().size(), 10000u + 400u);  // the marker itself is small
  EXPECT_LT(v["taskArns"].size(), 2000u);
  EXPECT_GT(v["taskArns"].size(), 10u);
  EXPECT_EQ(v["nextToken"], "tok");
  EXPECT_EQ(v["_truncated"]["itemsOmitted"], 2000 - v["taskArns"].size());
  EXPECT_NE(v["_truncated"]["message"].get<std::string>().find("Follow nextToken."),
            std::string::npos);
}

}  // namespace
}  // namespace ecs_mcp::ecs
