"""AWS event stream frames for Bedrock ConverseStream tests, checked by botocore's parser.

Reads a JSON list on stdin, each item {"event": "contentBlockDelta", "payload": {...}} or
{"exception": "throttlingException", "payload": {...}}, frames each as Bedrock does
(:event-type / :exception-type, :content-type, :message-type headers; CRC32s), parses the
result back with botocore.eventstream.EventStreamBuffer to prove the frames are valid, and
prints them as one hex string.
"""
import binascii
import json
import struct
import sys

from botocore.eventstream import EventStreamBuffer


def header(name, value):
    n = name.encode()
    v = value.encode()
    return struct.pack("B", len(n)) + n + b"\x07" + struct.pack(">H", len(v)) + v


def frame(headers, payload):
    head = b"".join(header(k, v) for k, v in headers)
    total = 12 + len(head) + len(payload) + 4
    prelude = struct.pack(">II", total, len(head))
    prelude += struct.pack(">I", binascii.crc32(prelude) & 0xFFFFFFFF)
    body = prelude + head + payload
    return body + struct.pack(">I", binascii.crc32(body) & 0xFFFFFFFF)


def main():
    items = json.load(sys.stdin)
    out = b""
    for item in items:
        payload = json.dumps(item.get("payload", {})).encode()
        if "exception" in item:
            headers = [(":exception-type", item["exception"]), (":content-type", "application/json"),
                       (":message-type", "exception")]
        else:
            headers = [(":event-type", item["event"]), (":content-type", "application/json"),
                       (":message-type", "event")]
        out += frame(headers, payload)
    buffer = EventStreamBuffer()
    buffer.add_data(out)
    parsed = list(buffer)
    assert len(parsed) == len(items), (len(parsed), len(items))
    for message, item in zip(parsed, items):
        assert json.loads(message.payload) == item.get("payload", {})
    print(out.hex())


if __name__ == "__main__":
    main()
