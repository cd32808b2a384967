// Request building and response parsing for the three wire protocols. XML responses are
// recorded in the shapes of botocore's models and parsed twice: by our client and by
// botocore's own parser (xml_parse_oracle.py); the two results must agree.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "aws/protocols/ec2_query.h"
#include "aws/protocols/json_1_1.h"
#include "aws/protocols/query.h"
#include "aws/services.h"
#include "python_oracle.h"

namespace ecs_mcp::aws {
namespace {

using nlohmann::json;

HttpResponse response(int status, std::string body, std::string content_type = "") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  if (!content_type.empty()) r.headers["content-type"] = content_type;
  r.headers["x-amzn-requestid"] = "hdr-id";
  return r;
}

// --- JSON 1.1 --------------------------------------------------------------------------------

TEST(Json11, BuildsTargetedPostWithBodyPassedThrough) {
  HttpRequest request = json_1_1::build_request("https://ecs.us-east-1.amazonaws.com",
                                                "AmazonEC2ContainerServiceV20141113", "ListTasks",
                                                {{"cluster", "web"}});
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://ecs.us-east-1.amazonaws.com/");
  EXPECT_EQ(request.body, R"({"cluster":"web"})");
  ASSERT_EQ(request.headers.size(), 2u);
  EXPECT_EQ(request.headers[0].second, "application/x-amz-json-1.1");
  EXPECT_EQ(request.headers[1].second, "AmazonEC2ContainerServiceV20141113.ListTasks");
  EXPECT_EQ(json_1_1::build_request("u", "T", "Op", json()).body, "{}");
  EXPECT_EQ(json_1_1::build_request("u", "T", "Op", json::object()).body, "{}");
}

TEST(Json11, ParsesSuccessAndEmptyBodies) {
  auto ok = json_1_1::parse_response(response(200, R"({"clusterArns":[],"n":1.5})"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["n"], 1.5);
  auto empty = json_1_1::parse_response(response(200, ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, json::object());
}

TEST(Json11, ErrorCodeAfterHashAndMessageInEitherCase) {
  Error e = json_1_1::parse_error(
      response(400, R"({"__type":"com.amazonaws.ecs#ClusterNotFoundException","message":"gone"})"));
  EXPECT_EQ(e.service_code, "ClusterNotFoundException");
  EXPECT_EQ(e.message, "gone");
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.request_id, "hdr-id");
  e = json_1_1::parse_error(response(400, R"({"__type":"ThrottlingException","Message":"slow"})"));
  EXPECT_EQ(e.service_code, "ThrottlingException");
  EXPECT_EQ(e.message, "slow");
  EXPECT_EQ(e.describe(), "ThrottlingException: slow (HTTP 400, request id hdr-id)");
}

TEST(Json11, XmlSignatureErrorFromAJsonService) {
  // moto (and some AWS front ends) answer auth failures in XML whatever the protocol.
  Error e = json_1_1::parse_error(response(
      403,
      R"(<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error></Errors><RequestId>xml-id</RequestId></ErrorResponse>)",
      "text/xml"));
  EXPECT_EQ(e.service_code, "SignatureDoesNotMatch");
  EXPECT_EQ(e.request_id, "xml-id");
  EXPECT_EQ(e.http_status, 403);
}

TEST(Json11, HtmlPageBecomesAnUnexpectedResponseWithAnExcerpt) {
  Error e = json_1_1::parse_error(response(
      500, "<!doctype html>\n<html><title>500 Internal Server Error</title></html>", "text/html"));
  EXPECT_EQ(e.code, ErrorCode::kUnexpectedResponse);
  EXPECT_EQ(e.http_status, 500);
  EXPECT_NE(e.message.find("HTTP 500 (text/html)"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("500 Internal Server Error"), std::string::npos);
  EXPECT_EQ(json_1_1::parse_error(response(429, "")).service_code, "TooManyRequestsException");
}

TEST(Json11, MalformedSuccessBody) {
  auto r = json_1_1::parse_response(response(200, "[1,2"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidResponse);
  EXPECT_NE(r.error().message.find("[1,2"), std::string::npos);
}

// --- Query flattening ------------------------------------------------------------------------

std::string flat(const json& params, const query::FlattenOptions& options = {}) {
  query::FormParams out;
  query::flatten(params, options, out);
  std::string text;
  for (const auto& [k, v] : out) text += k + "=" + v + ";";
  return text;
}

TEST(QueryFlatten, ListsMapsStructsAndScalars) {
  EXPECT_EQ(
      flat({{"StackName", "s"}, {"Capabilities", {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}}}),
      "Capabilities.member.1=CAPABILITY_IAM;Capabilities.member.2=CAPABILITY_NAMED_IAM;"
      "StackName=s;");
  EXPECT_EQ(flat({{"Parameters",
                   {{{"ParameterKey", "K"}, {"ParameterValue", "V"}},
                    {{"ParameterKey", "K2"}, {"UsePreviousValue", true}}}}}),
            "Parameters.member.1.ParameterKey=K;Parameters.member.1.ParameterValue=V;"
            "Parameters.member.2.ParameterKey=K2;Parameters.member.2.UsePreviousValue=true;");
  query::FlattenOptions maps;
  maps.map_params = {"Attributes"};
  EXPECT_EQ(flat({{"Attributes", {{"a", "1"}, {"b", "2"}}}}, maps),
            "Attributes.entry.1.key=a;Attributes.entry.1.value=1;"
            "Attributes.entry.2.key=b;Attributes.entry.2.value=2;");
  EXPECT_EQ(flat({{"Config", {{"Inner", {{"Deep", 3}}}}}, {"Skip", nullptr}}),
            "Config.Inner.Deep=3;");
  EXPECT_EQ(flat({{"Names", json::array()}}), "Names=;");
}

TEST(QueryFlatten, FormBodyIsEncoded) {
  EXPECT_EQ(query::form_body("DescribeStacks", "2010-05-15", {{"StackName", "a b&c=d/ü"}}, {}),
            "Action=DescribeStacks&Version=2010-05-15&StackName=a%20b%26c%3Dd%2F%C3%BC");
}

TEST(Ec2Flatten, ListsAreNameDotNAndNamesAreWireNames) {
  const auto& options = service_descriptor(Service::kEc2).request_options;
  HttpRequest request = ec2_query::build_request(
      "https://ec2.us-east-1.amazonaws.com", "DescribeSubnets", "2016-11-15",
      {{"Filters", {{{"Name", "vpc-id"}, {"Values", {"vpc-1", "vpc-2"}}}}},
       {"SubnetIds", {"subnet-1"}},
       {"MaxResults", 5}},
      options);
  EXPECT_EQ(request.body,
            "Action=DescribeSubnets&Version=2016-11-15&Filter.1.Name=vpc-id&"
            "Filter.1.Value.1=vpc-1&Filter.1.Value.2=vpc-2&MaxResults=5&SubnetId.1=subnet-1");
  EXPECT_EQ(request.headers[0].second, "application/x-www-form-urlencoded; charset=utf-8");
}

// --- XML responses, compared with botocore ---------------------------------------------------

struct XmlCase {
  std::string service;  // botocore name
  std::string operation;
  const ServiceDescriptor& descriptor;
  std::string body;
};

// Equal, except that botocore's "TIMESTAMP" stands for any non-empty string.
void expect_same(const json& ours, const json& botocore, const std::string& path) {
  if (botocore.is_string() && botocore == "TIMESTAMP") {
    EXPECT_TRUE(ours.is_string() && !ours.get<std::string>().empty()) << path;
    return;
  }
  if (botocore.is_object() && ours.is_object()) {
    for (const auto& [key, value] : botocore.items()) {
      ASSERT_TRUE(ours.contains(key)) << path << "." << key << " missing in " << ours.dump();
      expect_same(ours[key], value, path + "." + key);
    }
    for (const auto& [key, value] : ours.items()) {
      EXPECT_TRUE(botocore.contains(key)) << path << "." << key << " not in botocore's output";
    }
    return;
  }
  if (botocore.is_array() && ours.is_array() && botocore.size() == ours.size()) {
    for (size_t i = 0; i < botocore.size(); ++i) {
      expect_same(ours[i], botocore[i], path + "[" + std::to_string(i) + "]");
    }
    return;
  }
  EXPECT_EQ(ours, botocore) << path;
}

const char* kDescribeStacks =
    R"(<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult>
    <Stacks>
      <member>
        <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/web/abc</StackId>
        <StackName>web</StackName>
        <Description>ECS service</Description>
        <Parameters>
          <member><ParameterKey>Image</ParameterKey><ParameterValue>nginx</ParameterValue></member>
        </Parameters>
        <CreationTime>2024-03-09T17:45:30.123Z</CreationTime>
        <StackStatus>UPDATE_ROLLBACK_COMPLETE</StackStatus>
        <StackStatusReason>Resource update cancelled</StackStatusReason>
        <DisableRollback>false</DisableRollback>
        <NotificationARNs/>
        <TimeoutInMinutes>30</TimeoutInMinutes>
        <Capabilities><member>CAPABILITY_IAM</member></Capabilities>
        <Outputs>
          <member><OutputKey>Url</OutputKey><OutputValue>http://x</OutputValue><Description>LB</Description></member>
        </Outputs>
        <Tags>
          <member><Key>team</Key><Value>web</Value></member>
          <member><Key>env</Key><Value>prod</Value></member>
        </Tags>
        <EnableTerminationProtection>true</EnableTerminationProtection>
        <DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>
      </member>
    </Stacks>
  </DescribeStacksResult>
  <ResponseMetadata><RequestId>cfn-req</RequestId></ResponseMetadata>
</DescribeStacksResponse>)";

const char* kDescribeTargetGroups =
    R"(<DescribeTargetGroupsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
  <DescribeTargetGroupsResult>
    <TargetGroups>
      <member>
        <TargetGroupArn>arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/1</TargetGroupArn>
        <TargetGroupName>web</TargetGroupName>
        <Protocol>HTTP</Protocol>
        <Port>8080</Port>
        <VpcId>vpc-1</VpcId>
        <HealthCheckEnabled>true</HealthCheckEnabled>
        <HealthCheckIntervalSeconds>30</HealthCheckIntervalSeconds>
        <HealthCheckPath>/health</HealthCheckPath>
        <Matcher><HttpCode>200-299</HttpCode></Matcher>
        <LoadBalancerArns><member>arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/2</member></LoadBalancerArns>
        <TargetType>ip</TargetType>
      </member>
    </TargetGroups>
    <NextMarker>page-2</NextMarker>
  </DescribeTargetGroupsResult>
  <ResponseMetadata><RequestId>elb-req</RequestId></ResponseMetadata>
</DescribeTargetGroupsResponse>)";

const char* kListAttachedRolePolicies =
    R"(<ListAttachedRolePoliciesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListAttachedRolePoliciesResult>
    <IsTruncated>true</IsTruncated>
    <Marker>m-1</Marker>
    <AttachedPolicies>
      <member><PolicyName>AmazonECSTaskExecutionRolePolicy</PolicyName><PolicyArn>arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy</PolicyArn></member>
    </AttachedPolicies>
  </ListAttachedRolePoliciesResult>
  <ResponseMetadata><RequestId>iam-req</RequestId></ResponseMetadata>
</ListAttachedRolePoliciesResponse>)";

const char* kGetCallerIdentity =
    R"(<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/dev</Arn>
    <UserId>AIDAEXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>sts-req</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>)";

const char* kDescribeVpcs =
    R"(<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>ec2-req</requestId>
  <vpcSet>
    <item>
      <vpcId>vpc-1</vpcId>
      <ownerId>123456789012</ownerId>
      <state>available</state>
      <cidrBlock>172.31.0.0/16</cidrBlock>
      <cidrBlockAssociationSet>
        <item><cidrBlock>172.31.0.0/16</cidrBlock><associationId>a-1</associationId><cidrBlockState><state>associated</state></cidrBlockState></item>
      </cidrBlockAssociationSet>
      <dhcpOptionsId>dopt-1</dhcpOptionsId>
      <tagSet><item><key>Name</key><value>main</value></item></tagSet>
      <instanceTenancy>default</instanceTenancy>
      <isDefault>true</isDefault>
    </item>
  </vpcSet>
</DescribeVpcsResponse>)";

const char* kDescribeNetworkInterfaces =
    R"(<DescribeNetworkInterfacesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>ec2-req-2</requestId>
  <networkInterfaceSet>
    <item>
      <networkInterfaceId>eni-1</networkInterfaceId>
      <subnetId>subnet-1</subnetId>
      <vpcId>vpc-1</vpcId>
      <availabilityZone>us-east-1a</availabilityZone>
      <description>arn:aws:ecs:us-east-1:1:attachment/x</description>
      <ownerId>1</ownerId>
      <requesterManaged>true</requesterManaged>
      <status>in-use</status>
      <privateIpAddress>172.31.1.10</privateIpAddress>
      <sourceDestCheck>true</sourceDestCheck>
      <groupSet><item><groupId>sg-1</groupId><groupName>web</groupName></item></groupSet>
      <attachment><attachmentId>att-1</attachmentId><deviceIndex>1</deviceIndex><status>attached</status><deleteOnTermination>false</deleteOnTermination></attachment>
      <association><publicIp>3.3.3.3</publicIp><ipOwnerId>amazon</ipOwnerId></association>
      <tagSet><item><key>aws:ecs:serviceName</key><value>web</value></item></tagSet>
      <privateIpAddressesSet>
        <item><privateIpAddress>172.31.1.10</privateIpAddress><primary>true</primary></item>
      </privateIpAddressesSet>
      <ipv6AddressesSet/>
      <interfaceType>interface</interfaceType>
    </item>
  </networkInterfaceSet>
</DescribeNetworkInterfacesResponse>)";

const char* kDescribeSecurityGroups =
    R"(<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>ec2-req-3</requestId>
  <securityGroupInfo>
    <item>
      <ownerId>1</ownerId>
      <groupId>sg-1</groupId>
      <groupName>web</groupName>
      <groupDescription>web tasks</groupDescription>
      <vpcId>vpc-1</vpcId>
      <ipPermissions>
        <item>
          <ipProtocol>tcp</ipProtocol>
          <fromPort>80</fromPort>
          <toPort>80</toPort>
          <groups><item><userId>1</userId><groupId>sg-lb</groupId></item></groups>
          <ipRanges><item><cidrIp>10.0.0.0/8</cidrIp><description>office</description></item></ipRanges>
          <ipv6Ranges/>
          <prefixListIds/>
        </item>
      </ipPermissions>
      <ipPermissionsEgress/>
    </item>
  </securityGroupInfo>
</DescribeSecurityGroupsResponse>)";

TEST(XmlResponses, MatchBotocoresParse) {
  ECS_MCP_REQUIRE_PYTHON("botocore");
  std::vector<XmlCase> cases = {
      {"cloudformation", "DescribeStacks", service_descriptor(Service::kCloudFormation),
       kDescribeStacks},
      {"elbv2", "DescribeTargetGroups", service_descriptor(Service::kElbv2), kDescribeTargetGroups},
      {"iam", "ListAttachedRolePolicies", service_descriptor(Service::kIam),
       kListAttachedRolePolicies},
      {"sts", "GetCallerIdentity", service_descriptor(Service::kSts), kGetCallerIdentity},
      {"ec2", "DescribeVpcs", service_descriptor(Service::kEc2), kDescribeVpcs},
      {"ec2", "DescribeNetworkInterfaces", service_descriptor(Service::kEc2),
       kDescribeNetworkInterfaces},
      {"ec2", "DescribeSecurityGroups", service_descriptor(Service::kEc2), kDescribeSecurityGroups},
  };
  json input = json::array();
  for (const auto& c : cases) {
    input.push_back({{"service", c.service}, {"operation", c.operation}, {"body", c.body}});
  }
  char path[] = "/tmp/ecs-mcp-xml-cases-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << input.dump();
  std::string output = testing::run_oracle("xml_parse_oracle.py", path);
  unlink(path);
  json expected = json::parse(output, nullptr, false);
  ASSERT_TRUE(expected.is_array()) << "botocore oracle failed: " << output;
  ASSERT_EQ(expected.size(), cases.size());

  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].operation);
    HttpResponse r = response(200, cases[i].body, "text/xml");
    auto parsed =
        cases[i].descriptor.protocol == Protocol::kEc2Query
            ? ec2_query::parse_response(r, cases[i].operation, cases[i].descriptor.response_hints)
            : query::parse_response(r, cases[i].operation, cases[i].descriptor.response_hints);
    ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
    json ours = *parsed;
    ASSERT_TRUE(ours.contains("ResponseMetadata"));
    EXPECT_FALSE(ours["ResponseMetadata"]["RequestId"].get<std::string>().empty());
    EXPECT_NE(ours["ResponseMetadata"]["RequestId"], "hdr-id") << "the body's id wins";
    ours.erase("ResponseMetadata");
    expect_same(ours, expected[i], cases[i].operation);
  }
}

TEST(XmlResponses, QueryAndEc2Errors) {
  Error e = query::parse_error(response(
      400,
      R"(<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id nope does not exist</Message></Error><RequestId>q-id</RequestId></ErrorResponse>)"));
  EXPECT_EQ(e.service_code, "ValidationError");
  EXPECT_EQ(e.message, "Stack with id nope does not exist");
  EXPECT_EQ(e.request_id, "q-id");
  EXPECT_EQ(e.http_status, 400);

  e = ec2_query::parse_error(response(
      400,
      R"(<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc ID 'vpc-0' does not exist</Message></Error></Errors><RequestID>e-id</RequestID></Response>)"));
  EXPECT_EQ(e.service_code, "InvalidVpcID.NotFound");
  EXPECT_EQ(e.request_id, "e-id");

  e = query::parse_error(response(503, "Service Unavailable", "text/plain"));
  EXPECT_EQ(e.service_code, "ServiceUnavailable");
  EXPECT_NE(e.message.find("Service Unavailable"), std::string::npos);
}

TEST(XmlResponses, WrongRootIsMalformed) {
  auto r = query::parse_response(response(200, "<Other/>"), "DescribeStacks",
                                 service_descriptor(Service::kCloudFormation).response_hints);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidResponse);
}

// A response nesting elements a million levels deep (a hostile endpoint or proxy) once
// overflowed the stack of the recursive conversion; it is now malformed.
TEST(XmlResponses, DeeplyNestedBodyIsMalformedNotACrash) {
  const size_t depth = 1'000'000;
  std::string body = "<DescribeStacksResponse><DescribeStacksResult>";
  for (size_t i = 0; i < depth; ++i) body += "<a>";
  for (size_t i = 0; i < depth; ++i) body += "</a>";
  body += "</DescribeStacksResult></DescribeStacksResponse>";
  auto r = query::parse_response(response(200, body), "DescribeStacks",
                                 service_descriptor(Service::kCloudFormation).response_hints);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidResponse);

  std::string shallow = "<DescribeStacksResponse><DescribeStacksResult><Stacks>";
  for (int i = 0; i < 90; ++i) shallow += "<a>";
  for (int i = 0; i < 90; ++i) shallow += "</a>";
  shallow += "</Stacks></DescribeStacksResult></DescribeStacksResponse>";
  EXPECT_TRUE(query::parse_response(response(200, shallow), "DescribeStacks",
                                    service_descriptor(Service::kCloudFormation).response_hints)
                  .ok());
}

// A RequestId element with children once threw nlohmann's type_error out of the AWS layer.
TEST(XmlResponses, RequestIdThatIsNotTextFallsBackToTheHeader) {
  HttpResponse r = response(200,
                            "<DeleteStackResponse><ResponseMetadata><RequestId><x>1</x>"
                            "</RequestId></ResponseMetadata></DeleteStackResponse>");
  r.headers["x-amzn-requestid"] = "from-header";
  auto parsed = query::parse_response(r, "DeleteStack",
                                      service_descriptor(Service::kCloudFormation).response_hints);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["ResponseMetadata"]["RequestId"], "from-header");
}

TEST(XmlResponses, EmptyResultStillHasMetadata) {
  auto r = query::parse_response(
      response(200,
               "<DeleteStackResponse><ResponseMetadata><RequestId>d</RequestId>"
               "</ResponseMetadata></DeleteStackResponse>"),
      "DeleteStack", service_descriptor(Service::kCloudFormation).response_hints);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["ResponseMetadata"]["RequestId"], "d");
  EXPECT_EQ(r->size(), 1u);
}

}  // namespace
}  // namespace ecs_mcp::aws
