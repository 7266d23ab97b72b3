#!/usr/bin/env python3
"""Checks that a front being stopped gracefully tells a TLS connection that was still
negotiating when the stop began (an upgrade's old front): over HTTP/1.1 the response
carries `Connection: close` and the connection then ends; over HTTP/2 a GOAWAY comes.

    Tools/drain-check.py --port PORT --pid WEB_PID --alpn http/1.1|h2

Connection A is opened and left silent (no ClientHello); a full request on connection B
proves the front accepted A (one listener accepts in order). Then SIGTERM goes to the
front; once its port refuses connections, A does its handshake and one request. Prints
one JSON object: the ALPN protocol, and the response's head (HTTP/1.1) or the frame
types received (HTTP/2). Exits non-zero with a message on stderr when a step fails.

A sends its first request in the same segment as its TLS 1.3 Finished message, as
browsers do: the front holds a stop for an idle HTTP/1.1 connection only one second
(HTTP1ServerCodec.idleGrace), and a client that pauses between its handshake and
its request longer than that (a loaded CI machine) would find the connection closed.
"""
import argparse
import json
import os
import signal
import socket
import ssl
import sys
import time


def tls_context(alpn):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols([alpn])
    return context


def read_head(connection):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            raise RuntimeError(f"connection closed before a response head: {data!r}")
        data += chunk
    return data.split(b"\r\n\r\n")[0].decode()


class SingleFlightTLS:
    """A TLS client over memory BIOs that sends its first bytes of application data in
    the same write as its handshake's last message."""

    def __init__(self, sock, context, first_data):
        self.sock, self.incoming, self.outgoing = sock, ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_hostname="www.foobar.com")
        while True:
            try:
                self.tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                self.sock.sendall(self.outgoing.read())
                self.receive("the handshake")
        self.tls.write(first_data)
        self.sock.sendall(self.outgoing.read())

    def receive(self, during):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise RuntimeError(f"connection closed during {during}")
        self.incoming.write(chunk)

    def selected_alpn_protocol(self):
        return self.tls.selected_alpn_protocol()

    def recv(self, size):
        """Decrypted bytes, b"" once the connection has ended."""
        while True:
            try:
                return self.tls.read(size)
            except ssl.SSLWantReadError:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return b""
                self.incoming.write(chunk)
            except ssl.SSLZeroReturnError:
                return b""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--alpn", choices=["http/1.1", "h2"], required=True)
    args = parser.parse_args()
    request = b"GET /static/style.css HTTP/1.1\r\nHost: www.foobar.com\r\n\r\n"

    silent = socket.create_connection(("127.0.0.1", args.port))
    with tls_context("http/1.1").wrap_socket(socket.create_connection(("127.0.0.1", args.port)),
                                             server_hostname="www.foobar.com") as other:
        other.sendall(request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
        read_head(other)
    os.kill(args.pid, signal.SIGTERM)
    while True:  # the listener closes when the graceful stop begins
        try:
            socket.create_connection(("127.0.0.1", args.port)).close()
            time.sleep(0.02)
        except ConnectionRefusedError:
            break

    preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"
    connection = SingleFlightTLS(silent, tls_context(args.alpn), request if args.alpn == "http/1.1" else preface)
    result = {"alpn": connection.selected_alpn_protocol()}
    if args.alpn == "http/1.1":
        result["head"] = read_head(connection)
        while connection.recv(65536):  # the body, then the end of the connection
            pass
        result["closed"] = True
    else:
        data, types, position = b"", [], 0
        while 7 not in types:  # until a GOAWAY (frame type 7)
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
            while position + 9 <= len(data) and position + 9 + int.from_bytes(data[position:position + 3], "big") <= len(data):
                types.append(data[position + 3])
                position += 9 + int.from_bytes(data[position:position + 3], "big")
        result["frameTypes"] = types
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:
        print(f"drain-check: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
