#!/usr/bin/env python3
"""A static file server on 127.0.0.1 that sends bodies with sendfile(2): a harsher baseline for
scripts/bench-print.sh than Python's http.server, which copies every byte through user space and
so slows `curl` as much as it slows hookscope.

    python3 scripts/sendfile_server.py PORT DIRECTORY

GET only, HTTP/1.1 keep-alive, Content-Length always set, 404 for a missing file. For
benchmarks only: it trusts the request path (no `..` check) and binds to loopback alone.
"""
import os
import socket
import sys
import threading


def serve(connection, root):
    with connection, connection.makefile("rb") as requests:
        while True:
            request = requests.readline().split()
            if len(request) < 2:
                # The client hung up, or sent something that is not a request line.
                return
            path = request[1].decode().split("?")[0]
            # Skip the headers: nothing in them changes the answer.
            while requests.readline() not in (b"\r\n", b"\n", b""):
                pass
            try:
                with open(os.path.join(root, path.lstrip("/")), "rb") as body:
                    size = os.fstat(body.fileno()).st_size
                    connection.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n" % size
                    )
                    connection.sendfile(body)
            except (FileNotFoundError, IsADirectoryError):
                connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")


def main():
    port, root = int(sys.argv[1]), sys.argv[2]
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=serve, args=(connection, root), daemon=True).start()


if __name__ == "__main__":
    main()
