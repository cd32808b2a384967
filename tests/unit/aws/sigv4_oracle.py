"""Reference SigV4 signatures from botocore, for sigv4_test.cpp.

Each case is a request as it stands before signing; botocore's SigV4Auth signs it with the
clock fixed, and the case is printed with botocore's Authorization header and canonical
request. The C++ test signs the same request and must produce the same bytes.

Usage: python3 sigv4_oracle.py  -> JSON list on stdout.
"""
import datetime
import json
from unittest import mock
from urllib.parse import quote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

NOW = datetime.datetime(2024, 3, 9, 17, 45, 30, tzinfo=datetime.timezone.utc)
LONG_TERM = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
SESSION = Credentials("ASIAIOSFODNN7EXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
                      "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJGMEQCIEXAMPLE+token=")


def q(text):
    return quote(text, safe="-_.~")


def cases():
    yield ("json11_post_with_target", LONG_TERM, "us-east-1", "ecs", "POST",
           "https://ecs.us-east-1.amazonaws.com/",
           [("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters")],
           '{"maxResults":10}')
    yield ("json11_empty_body_session_token", SESSION, "eu-west-1", "logs", "POST",
           "https://logs.eu-west-1.amazonaws.com/",
           [("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "Logs_20140328.DescribeLogGroups")],
           "{}")
    form = "&".join(f"{q(k)}={q(v)}" for k, v in [
        ("Action", "DescribeStacks"), ("Version", "2010-05-15"),
        ("StackName", "my stack/ü+&=")])
    yield ("query_form_post", LONG_TERM, "us-west-2", "cloudformation", "POST",
           "https://cloudformation.us-west-2.amazonaws.com/",
           [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], form)
    query = "&".join(f"{q(k)}={q(v)}" for k, v in [
        ("Param2", "value with spaces"), ("Param1", "ünïcödé ✓"),
        ("reserved", "!*'();:@&=+$,/?#[]"), ("Param1", "another"), ("empty", "")])
    yield ("get_query_string_reserved_unicode", LONG_TERM, "us-east-1", "service", "GET",
           "https://example.amazonaws.com/path/to/resource?" + query, [], "")
    yield ("iam_global_query_session_token", SESSION, "us-east-1", "iam", "POST",
           "https://iam.amazonaws.com/",
           [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
           "Action=GetRole&RoleName=ecsTaskExecutionRole&Version=2010-05-08")
    yield ("custom_endpoint_port_and_header_spacing", LONG_TERM, "us-east-1", "ecs", "POST",
           "http://127.0.0.1:5000/",
           [("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DescribeClusters"),
            ("X-Amz-Meta-Note", "  spaced    out   value ")],
           '{"clusters":["default"]}')


def main():
    out = []
    for name, creds, region, service, method, url, headers, body in cases():
        request = AWSRequest(method=method, url=url, data=body.encode() if body else None,
                             headers=dict(headers))
        with mock.patch("botocore.auth.get_current_datetime", return_value=NOW):
            signer = SigV4Auth(creds, service, region)
            recorded = []
            original = signer.canonical_request
            signer.canonical_request = lambda r: recorded.append(original(r)) or recorded[-1]
            signer.add_auth(request)
            canonical = recorded[0]
        out.append({
            "name": name, "method": method, "url": url, "headers": headers, "body": body,
            "access_key": creds.access_key, "secret_key": creds.secret_key,
            "token": creds.token or "", "region": region, "service": service,
            "epoch_seconds": int(NOW.timestamp()),
            "authorization": request.headers["Authorization"],
            "amz_date": request.headers["X-Amz-Date"],
            "canonical_request": canonical,
        })
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
