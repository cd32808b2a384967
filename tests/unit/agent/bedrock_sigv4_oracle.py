"""Reference SigV4 signature of a Bedrock Converse request, from botocore, for codecs_test.cpp.

Reads one JSON object on stdin ({url, body, headers: [[name, value]...], and optionally
amz_date, access_key, secret_key, token}), signs it as the AWS SDKs sign bedrock-runtime
calls (SigV4Auth, service "bedrock", region us-west-2, the clock fixed at amz_date or a
constant), and prints {"authorization": ..., "amz_date": ..., "epoch_seconds": ...}.
"""
import datetime
import json
import sys
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

NOW = datetime.datetime(2025, 6, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


def main():
    case = json.load(sys.stdin)
    now = NOW
    if case.get("amz_date"):
        now = datetime.datetime.strptime(case["amz_date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    creds = Credentials(case.get("access_key", "AKIDEXAMPLE"),
                        case.get("secret_key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                        case.get("token") or None)
    request = AWSRequest(method="POST", url=case["url"], data=case["body"].encode(),
                         headers=dict(case["headers"]))
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        SigV4Auth(creds, "bedrock", "us-west-2").add_auth(request)
    print(json.dumps({"authorization": request.headers["Authorization"],
                      "amz_date": request.headers["X-Amz-Date"],
                      "epoch_seconds": int(now.timestamp())}))


if __name__ == "__main__":
    main()
