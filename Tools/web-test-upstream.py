#!/usr/bin/env python3
"""A tiny HTTP/1.1 keep-alive upstream for onebox web's tests and benchmark.

Usage: web-test-upstream.py NAME [PORT]   (PORT 0 or absent: a free port)
Prints "port N" on stdout once listening. Routes:
  GET  /small            "hello from NAME\n" (the benchmark's proxied response)
  GET  /echo, POST /echo JSON: name, method, path, headers, body length and sha256
  GET  /slow             waits 3 s, then answers
  GET  /stream           2 MiB, chunked, in 64 KiB pieces
  GET  /connections      how many connections this upstream has accepted so far
  anything else          404 from the upstream
"""
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME = sys.argv[1] if len(sys.argv) > 1 else "upstream"
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 0
CONNECTIONS = 0
CONNECTIONS_LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        global CONNECTIONS
        with CONNECTIONS_LOCK:
            CONNECTIONS += 1
        super().setup()

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length", "0") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status, body, content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Server", "test-upstream")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        body = self.read_body()
        path = self.path.split("?")[0]
        if path == "/small":
            self.send(200, ("hello from %s\n" % NAME).encode())
        elif path == "/echo":
            info = {
                "name": NAME, "method": self.command, "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "length": len(body), "sha256": hashlib.sha256(body).hexdigest(),
            }
            self.send(200, json.dumps(info).encode(), "application/json")
        elif path == "/connections":
            self.send(200, b"%d\n" % CONNECTIONS)
        elif path == "/slow":
            time.sleep(3)
            self.send(200, b"slow\n")
        elif path == "/stream":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            piece = bytes(range(256)) * 256
            for _ in range(32):
                self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send(404, b"upstream 404\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
server.daemon_threads = True
print("port %d" % server.server_address[1], flush=True)
server.serve_forever()
