"""botocore's own parse of recorded Query/EC2 XML responses, for protocols_test.cpp.

Reads a JSON file [{"service": "cloudformation", "operation": "DescribeStacks", "body": "..."}]
and prints the list of parsed outputs, ResponseMetadata removed and timestamps replaced by
the string "TIMESTAMP" (our client keeps the ISO text; botocore makes datetime objects).
"""
import datetime
import json
import sys

import botocore.session
from botocore import parsers


def plain(value):
    if isinstance(value, datetime.datetime):
        return "TIMESTAMP"
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main():
    session = botocore.session.get_session()
    out = []
    for case in json.load(open(sys.argv[1])):
        model = session.get_service_model(case["service"])
        operation = model.operation_model(case["operation"])
        parser = parsers.create_parser(model.protocol)
        parsed = parser.parse({"body": case["body"].encode(), "headers": {},
                               "status_code": 200}, operation.output_shape)
        parsed.pop("ResponseMetadata", None)
        out.append(plain(parsed))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
