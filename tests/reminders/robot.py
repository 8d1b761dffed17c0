"""A stand-in for the WeCom and DingTalk robots: an HTTP server on 127.0.0.1 in a thread.

It records every POST (path, query, JSON body) and answers from a script of responses,
then with ``{"errcode": 0}``. With a DingTalk secret it checks the signature as DingTalk
does and answers errcode 310000 when it is wrong.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OK = (200, {"errcode": 0, "errmsg": "ok"})


class Robot:
    def __init__(self):
        self.requests = []
        self.script = []  # (status, body) answered in turn, then OK
        self.dingtalk_secret = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        # A short poll: shutdown() waits for the loop's next poll (0.5 s by default, per test).
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self):
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"null")
                robot.requests.append(
                    {
                        "path": parts.path,
                        "query": query,
                        "json": body,
                        "content_type": self.headers.get("Content-Type"),
                    }
                )
                status, answer = robot.script.pop(0) if robot.script else OK
                if robot.dingtalk_secret is not None and not robot.signed(query):
                    status, answer = 200, {"errcode": 310000, "errmsg": "sign not match"}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler

    def signed(self, query):
        """DingTalk's check: sign = base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>")),
        the timestamp within an hour of now."""
        try:
            timestamp = int(query["timestamp"])
        except (KeyError, ValueError):
            return False
        if abs(time.time() * 1000 - timestamp) > 3600 * 1000:
            return False
        secret = self.dingtalk_secret.encode()
        digest = hmac.new(secret, f"{timestamp}\n".encode() + secret, hashlib.sha256).digest()
        return hmac.compare_digest(base64.b64encode(digest).decode(), query.get("sign", ""))

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
