#!/usr/bin/env python3
"""A plain TCP forwarder (127.0.0.1:LISTEN → 127.0.0.1:UPSTREAM) for the display benchmark: SIGSTOP it and every
connection through it goes silent without being closed — a pulled network cable; SIGCONT and it carries on."""
import socket, sys, threading

def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data: break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass

def main():
    listen, upstream = int(sys.argv[1]), int(sys.argv[2])
    server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen)); server.listen(256)
    while True:
        client, _ = server.accept()
        try:
            up = socket.create_connection(("127.0.0.1", upstream))
        except OSError:
            client.close(); continue
        for a, b in ((client, up), (up, client)):
            threading.Thread(target=pipe, args=(a, b), daemon=True).start()

main()
