"""Derives, from botocore's service models, the XML shape hints the Query/EC2 service
clients carry (which element names are lists, maps, integers, booleans, doubles, and for
EC2 which element names botocore renames). xml_hints_test.cpp runs this and compares the
result with the hints compiled into src/aws/<service>.cpp, so model drift is a test failure.

Usage: python3 xml_hints_oracle.py  -> JSON on stdout, keyed by the client's name.
"""
import collections
import json

import botocore.session

OPERATIONS = {
    "cloudformation": ["DescribeStacks", "DescribeStackEvents", "DescribeStackResources",
                       "ListStackResources", "ListStacks", "CreateStack", "UpdateStack",
                       "DeleteStack", "CreateChangeSet", "DescribeChangeSet",
                       "ExecuteChangeSet", "GetTemplate", "ValidateTemplate"],
    "elbv2": ["DescribeLoadBalancers", "DescribeTargetGroups", "DescribeTargetHealth",
              "DescribeListeners", "DescribeRules", "DescribeTags"],
    "iam": ["GetRole", "ListAttachedRolePolicies", "ListRolePolicies", "GetRolePolicy",
            "SimulatePrincipalPolicy", "ListRoles"],
    "sts": ["GetCallerIdentity", "AssumeRole", "AssumeRoleWithWebIdentity"],
    "ec2": ["DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups", "DescribeRouteTables",
            "DescribeNetworkInterfaces", "DescribeVpcEndpoints", "DescribeNatGateways",
            "DescribeInternetGateways"],
}

KIND = {"list": "lists", "map": "maps", "integer": "integers", "long": "integers",
        "boolean": "booleans", "double": "doubles", "float": "doubles"}


def hints_for(service_name, operations):
    model = botocore.session.get_session().get_service_model(service_name)
    ec2 = model.protocol == "ec2"
    out = collections.defaultdict(set)
    member_names = collections.defaultdict(set)
    seen = set()

    def walk(shape, element, member_name):
        kind = KIND.get(shape.type_name)
        if kind:
            out[kind].add(element)
        if ec2 and member_name is not None:
            member_names[element].add(member_name)
        if (shape.name, element) in seen:
            return
        seen.add((shape.name, element))
        if shape.type_name == "structure":
            for name, member in shape.members.items():
                walk(member, member.serialization.get("name", name), name)
        elif shape.type_name == "list":
            walk(shape.member, shape.member.serialization.get("name", "item" if ec2 else "member"),
                 None)

    for op in operations:
        output = model.operation_model(op).output_shape
        if output is not None:
            for name, member in output.members.items():
                walk(member, member.serialization.get("name", name), name)
    result = {kind: sorted(out[kind]) for kind in ("lists", "maps", "integers", "booleans",
                                                    "doubles")}
    if ec2:
        renames = {}
        for element, names in member_names.items():
            # Several member names for one element: the commonest wins, the others are
            # context-dependent renames the client lists by hand.
            name = "Tags" if element == "tagSet" else sorted(names)[0]
            if name != element[0].upper() + element[1:]:
                renames[element] = name
        result["renames"] = renames
    return result


if __name__ == "__main__":
    print(json.dumps({name: hints_for(name, ops) for name, ops in OPERATIONS.items()},
                     indent=1, sort_keys=True))
