#include "aws/ec2.h"

#include <map>

namespace ecs_mcp::aws {
namespace {

protocols::XmlShapeHints response_hints() {
  // Generated from botocore's model by tests/unit/aws/xml_hints_oracle.py, which the unit
  // tests run to catch drift.
  protocols::XmlShapeHints hints;
  hints.lists = {"associatedSubnetSet",
                 "associationSet",
                 "attachedApplianceSet",
                 "attachmentSet",
                 "cidrBlockAssociationSet",
                 "dnsEntrySet",
                 "groupSet",
                 "groups",
                 "internetGatewaySet",
                 "ipPermissions",
                 "ipPermissionsEgress",
                 "ipPrefixSet",
                 "ipRanges",
                 "ipv4PrefixSet",
                 "ipv6AddressesSet",
                 "ipv6CidrBlockAssociationSet",
                 "ipv6PrefixSet",
                 "ipv6Ranges",
                 "natGatewayAddressSet",
                 "natGatewaySet",
                 "networkInterfaceIdSet",
                 "networkInterfaceSet",
                 "prefixListIds",
                 "privateDnsSpecifiedDomainSet",
                 "privateIpAddressesSet",
                 "propagatingVgwSet",
                 "routeSet",
                 "routeTableIdSet",
                 "routeTableSet",
                 "securityGroupInfo",
                 "subnetIdSet",
                 "subnetSet",
                 "tagSet",
                 "vpcEndpointSet",
                 "vpcSet"};
  hints.integers = {"availableIpAddressCount",
                    "deviceIndex",
                    "enaQueueCount",
                    "enableLniAtDeviceIndex",
                    "fromPort",
                    "networkCardIndex",
                    "tcpEstablishedTimeout",
                    "toPort",
                    "udpStreamTimeout",
                    "udpTimeout"};
  hints.booleans = {"assignIpv6AddressOnCreation",
                    "defaultForAz",
                    "deleteOnTermination",
                    "denyAllIgwTraffic",
                    "enaSrdEnabled",
                    "enaSrdUdpEnabled",
                    "enableDns64",
                    "enableResourceNameDnsAAAARecord",
                    "enableResourceNameDnsARecord",
                    "hiddenByDefault",
                    "ipv6Native",
                    "isDefault",
                    "isPrimary",
                    "isPrimaryIpv6",
                    "main",
                    "managed",
                    "mapCustomerOwnedIpOnLaunch",
                    "mapPublicIpOnLaunch",
                    "primary",
                    "privateDnsEnabled",
                    "privateDnsOnlyForInboundResolverEndpoint",
                    "requesterManaged",
                    "sourceDestCheck"};
  hints.renames = {{"associatedSubnetSet", "AssociatedSubnets"},
                   {"associationSet", "Associations"},
                   {"attachedApplianceSet", "AttachedAppliances"},
                   {"attachmentSet", "Attachments"},
                   {"dnsEntrySet", "DnsEntries"},
                   {"groupDescription", "Description"},
                   {"groupSet", "Groups"},
                   {"groups", "UserIdGroupPairs"},
                   {"internetGatewaySet", "InternetGateways"},
                   {"ipPrefixSet", "IpPrefixes"},
                   {"ipv4PrefixSet", "Ipv4Prefixes"},
                   {"ipv6AddressesSet", "Ipv6Addresses"},
                   {"ipv6PrefixSet", "Ipv6Prefixes"},
                   {"natGatewayAddressSet", "NatGatewayAddresses"},
                   {"natGatewaySet", "NatGateways"},
                   {"networkInterfaceIdSet", "NetworkInterfaceIds"},
                   {"networkInterfaceSet", "NetworkInterfaces"},
                   {"privateDnsSpecifiedDomainSet", "PrivateDnsSpecifiedDomains"},
                   {"privateIpAddressesSet", "PrivateIpAddresses"},
                   {"propagatingVgwSet", "PropagatingVgws"},
                   {"routeSet", "Routes"},
                   {"routeTableIdSet", "RouteTableIds"},
                   {"routeTableSet", "RouteTables"},
                   {"securityGroupInfo", "SecurityGroups"},
                   {"subnetIdSet", "SubnetIds"},
                   {"subnetSet", "Subnets"},
                   {"tagSet", "Tags"},
                   {"vpcEndpointSet", "VpcEndpoints"},
                   {"vpcSet", "Vpcs"}};
  // NetworkInterface is the one shape whose tagSet botocore calls TagSet.
  hints.renames_in_context = {{"NetworkInterfaces/tagSet", "TagSet"}};
  hints.capitalize = true;
  hints.list_member = "item";
  return hints;
}

// botocore's member names -> EC2's wire names (the model's locationName, capitalised) for
// the parameters of the operations this project calls.
std::map<std::string, std::string> request_renames() {
  return {{"Filters", "Filter"},
          {"Values", "Value"},
          {"VpcIds", "VpcId"},
          {"SubnetIds", "SubnetId"},
          {"GroupIds", "GroupId"},
          {"GroupNames", "GroupName"},
          {"RouteTableIds", "RouteTableId"},
          {"NetworkInterfaceIds", "NetworkInterfaceId"},
          {"VpcEndpointIds", "VpcEndpointId"},
          {"NatGatewayIds", "NatGatewayId"},
          {"InternetGatewayIds", "InternetGatewayId"}};
}

ServiceDescriptor make_descriptor() {
  ServiceDescriptor service;
  service.name = "EC2";
  service.endpoint = {"ec2", "EC2", /*global=*/false};
  service.signing_name = "ec2";
  service.protocol = Protocol::kEc2Query;
  service.api_version = "2016-11-15";
  service.response_hints = response_hints();
  service.request_options.renames = request_renames();
  return service;
}

}  // namespace

const ServiceDescriptor& ec2_service() {
  static const ServiceDescriptor service = make_descriptor();
  return service;
}

std::optional<PageSpec> ec2_paginator(const std::string& operation) {
  static const std::map<std::string, PageSpec> paginators = {
      {"DescribeVpcs", {"NextToken", "NextToken", {"Vpcs"}, {}}},
      {"DescribeSubnets", {"NextToken", "NextToken", {"Subnets"}, {}}},
      {"DescribeSecurityGroups", {"NextToken", "NextToken", {"SecurityGroups"}, {}}},
      {"DescribeRouteTables", {"NextToken", "NextToken", {"RouteTables"}, {}}},
      {"DescribeNetworkInterfaces", {"NextToken", "NextToken", {"NetworkInterfaces"}, {}}},
      {"DescribeVpcEndpoints", {"NextToken", "NextToken", {"VpcEndpoints"}, {}}},
      {"DescribeNatGateways", {"NextToken", "NextToken", {"NatGateways"}, {}}},
      {"DescribeInternetGateways", {"NextToken", "NextToken", {"InternetGateways"}, {}}},
  };
  auto it = paginators.find(operation);
  if (it == paginators.end()) return std::nullopt;
  return it->second;
}

}  // namespace ecs_mcp::aws
