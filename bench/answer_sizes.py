#!/usr/bin/env python3
"""Prints what the model reads: the size of tools/list in every ALLOW_WRITE /
ALLOW_SENSITIVE_DATA combination (compact JSON, as agents forward it), the longest tool
description, and the text size of typical answers (DescribeServices, troubleshooting
guidance) against a local moto_server.

Usage: answer_sizes.py SERVER_BINARY
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """One stdio MCP session with the server."""

    def __init__(self, server, env):
        self.proc = subprocess.Popen([server], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env, text=True)
        self.next_id = 1
        self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                    "clientInfo": {"name": "answer-sizes", "version": "1"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, message):
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"server closed the session during {method}")
            msg = json.loads(line)
            if msg.get("id") == rid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg["result"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def compact(value):
    return len(json.dumps(value, separators=(",", ":")))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    server = sys.argv[1]
    base_env = {"PATH": os.environ.get("PATH", ""), "AWS_REGION": "us-east-1"}

    print("tools/list (compact JSON bytes; longest description in characters):")
    for write in ("false", "true"):
        for sensitive in ("false", "true"):
            with tempfile.TemporaryDirectory() as home:
                s = Session(server, {**base_env, "HOME": home, "ALLOW_WRITE": write,
                                     "ALLOW_SENSITIVE_DATA": sensitive})
                tools = s.request("tools/list", {})
                s.close()
            longest = max(tools["tools"], key=lambda t: len(t["description"]))
            print(f"  ALLOW_WRITE={write:<5} ALLOW_SENSITIVE_DATA={sensitive:<5} "
                  f"{compact(tools):6d} bytes, {len(tools['tools'])} tools, longest description "
                  f"{len(longest['description'])} ({longest['name']})")

    port = free_port()
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        import boto3

        kw = {"endpoint_url": url, "region_name": "us-east-1", "aws_access_key_id": "testing",
              "aws_secret_access_key": "testing"}
        ecs = boto3.client("ecs", **kw)
        ecs.create_cluster(clusterName="shop")
        ecs.register_task_definition(
            family="web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
            containerDefinitions=[{"name": "web", "image": "nginx:1.27", "memory": 512, "essential": True,
                                   "portMappings": [{"containerPort": 80}],
                                   "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}]}])
        ecs.create_service(cluster="shop", serviceName="web", taskDefinition="web", desiredCount=2)

        env = {**base_env, "AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing",
               "AWS_SECRET_ACCESS_KEY": "testing"}
        with tempfile.TemporaryDirectory() as home:
            s = Session(server, {**env, "HOME": home})
            print("typical answers (text content bytes, as the model reads it):")
            for label, name, args in [
                ("DescribeServices (1 service)", "ecs_resource_management",
                 {"api_operation": "DescribeServices", "api_params": {"cluster": "shop", "services": ["web"]}}),
                ("DescribeTaskDefinition", "ecs_resource_management",
                 {"api_operation": "DescribeTaskDefinition", "api_params": {"taskDefinition": "web"}}),
                ("troubleshooting guidance", "ecs_troubleshooting_tool",
                 {"parameters": {"ecs_cluster_name": "shop", "ecs_service_name": "web"}}),
            ]:
                result = s.request("tools/call", {"name": name, "arguments": args})
                text = "".join(c.get("text", "") for c in result["content"])
                indented = len(json.dumps(result.get("structuredContent"), indent=2, ensure_ascii=False).encode())
                print(f"  {label:<30} {len(text.encode()):6d} bytes (indented JSON would be {indented})"
                      f"{' (error)' if result.get('isError') else ''}")
            s.close()
    finally:
        moto.terminate()
        moto.wait(timeout=10)


if __name__ == "__main__":
    main()
