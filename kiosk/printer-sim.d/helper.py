#!/usr/bin/env python3
"""Small helpers for kiosk/printer-sim (standard library only).

  helper.py sink PORT DIR        TCP sink on 127.0.0.1:PORT; every connection that
                                 sends bytes is written to DIR/NNNN.bin (0001, 0002...;
                                 NNNN.part while open); empty connections leave no file
  helper.py http-get URL         GET URL, print the HTTP status; exit 1 on failure
  helper.py ports-in-use PORT... print the ports that cannot be bound on loopback
"""
import os
import socket
import sys
import threading
import urllib.request


def sink(port, directory):
    os.makedirs(directory, exist_ok=True)
    lock = threading.Lock()
    existing = [int(n.split(".")[0]) for n in os.listdir(directory)
                if n.split(".")[0].isdigit()]
    counter = [max(existing, default=0)]

    def handle(conn, peer):
        # A connection that sends nothing (a port probe) leaves no file.
        try:
            data = conn.recv(65536)
        except OSError:
            data = b""
        if not data:
            conn.close()
            return
        with lock:
            counter[0] += 1
            number = counter[0]
        part = os.path.join(directory, "%04d.part" % number)
        final = os.path.join(directory, "%04d.bin" % number)
        total = 0
        try:
            with open(part, "wb") as out:
                while data:
                    out.write(data)
                    out.flush()
                    total += len(data)
                    data = conn.recv(65536)
        except OSError as err:
            print("connection %d from %s: %s" % (number, peer, err), flush=True)
        finally:
            conn.close()
            os.rename(part, final)
        print("connection %d from %s: %d bytes -> %s" % (number, peer, total, final), flush=True)

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(16)
    print("sink listening on 127.0.0.1:%d, writing to %s" % (port, directory), flush=True)
    while True:
        conn, peer = server.accept()
        threading.Thread(target=handle, args=(conn, "%s:%d" % peer), daemon=True).start()


def http_get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            print(response.status)
            return 0 if response.status == 200 else 1
    except Exception as err:  # noqa: BLE001 - report whatever went wrong
        print("GET %s failed: %s" % (url, err), file=sys.stderr)
        return 1


def ports_in_use(ports):
    busy = []
    for port in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            busy.append(port)
        finally:
            s.close()
    for port in busy:
        print(port)
    return 1 if busy else 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "sink":
        sink(int(argv[1]), argv[2])
        return 0
    if len(argv) == 2 and argv[0] == "http-get":
        return http_get(argv[1])
    if len(argv) >= 2 and argv[0] == "ports-in-use":
        return ports_in_use([int(p) for p in argv[1:]])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
