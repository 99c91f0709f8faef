#!/usr/bin/env python3
"""A hostile client against a running hall server, for a bounded time, on loopback only.

Many attackers at once, each from its own 127.x.y.z address: failed staff and admin logins with random
employee numbers (well-formed and endless ones), login paths spelled in other ways, event streams resumed from
Last-Event-ID 0, bodies trickled one byte at a time, forged heartbeats with made-up tokens and negative counts,
phone pages for made-up tickets. The server's RSS is sampled every 5 s. At the end every clerk logs in from
their own console (the console-trust cookie their first login set) and the answer is checked.

Prints one JSON object; exit 0 when memory stayed flat (within --flat-mb after the warm-up) and every clerk
could log in.
"""
import argparse, http.client, json, random, socket, sys, threading, time

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--pid", type=int, required=True)
p.add_argument("--seconds", type=int, default=600)
p.add_argument("--warmup", type=int, default=60)
p.add_argument("--threads", type=int, default=48)
p.add_argument("--flat-mb", type=float, default=5.0)
p.add_argument("--staff", default="1001:w01,1002:w02,1003:w03,1004:w04,1005:w05,1006:w06")
p.add_argument("--pin", default="123456")
p.add_argument("--rating-token", default="demo-rating-w01-token-change-me")
p.add_argument("--seed", type=int, default=16)
args = p.parse_args()
rng = random.Random(args.seed)
deadline = time.time() + args.seconds
counts = {}
lock = threading.Lock()


def count(kind, status):
    with lock:
        key = f"{kind}:{status}"
        counts[key] = counts.get(key, 0) + 1


def source(r):
    return f"127.{r.randint(1, 254)}.{r.randint(0, 255)}.{r.randint(1, 254)}"


def request(method, path, body=None, headers=None, src="127.0.0.1", timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=timeout, source_address=(src, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, resp.getheaders(), data
    finally:
        conn.close()


def rss_kb():
    with open(f"/proc/{args.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def failed_login(r):
    no = "".join(r.choice("0123456789") for _ in range(r.choice([4, 6, 8, 12])))
    if r.random() < 0.3:
        no = "9" * r.randint(200, 4000)
    path = r.choice(["/api/v1/windows/w01/login", "/api/v1/windows/w01/login/", "//api/v1/windows/w01/login",
                     "/api/v1//windows/w01//login/"])
    body = json.dumps({"employeeNo": no, "pin": "%06d" % r.randint(0, 999999)})
    status, _, _ = request("POST", path, body, {"Content-Type": "application/json"}, source(r))
    count("login", status)


def form_login(r):
    path = r.choice(["/staff/login", "/staff/login/", "//staff//login", "/admin/login", "/admin/login/"])
    body = f"windowId=w01&employeeNo={r.randint(1000, 1010)}&pin={r.randint(0, 999999):06d}&token=guess{r.random()}"
    status, _, _ = request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}, source(r))
    count("form", status)


def resumed_stream(r):
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5, source_address=(source(r), 0))
    try:
        conn.request("GET", "/api/v1/windows/w01/events",
                     headers={"Authorization": f"Bearer {args.rating_token}", "Last-Event-ID": "0"})
        resp = conn.getresponse()
        resp.read(r.randint(100, 20000))
        count("stream", resp.status)
    except Exception as e:
        count("stream", type(e).__name__)
    finally:
        conn.close()


def slow_body(r):
    """Trickles a body one byte every 2–10 s; the server must cut it off at its request deadline (30 s)."""
    s = None
    try:
        s = socket.create_connection(("127.0.0.1", args.port), timeout=40, source_address=(source(r), 0))
        s.sendall(b"POST /api/v1/windows/w01/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 1000\r\n\r\n")
        start = time.time()
        while time.time() - start < 60:
            s.sendall(b"{")
            s.settimeout(r.choice([2, 5, 10]))
            try:
                if s.recv(1) == b"":
                    count("slow", "closed")
                    return
            except socket.timeout:
                pass
        count("slow", "not-closed")
    except (BrokenPipeError, ConnectionResetError, OSError):
        count("slow", "closed")
    finally:
        if s:
            s.close()


def forged_heartbeat(r):
    device = r.choice(["kiosk-01", "rating-w01", "x" * r.randint(1, 300), "nobody"])
    beat = {"version": "1", "uptimeSeconds": r.randint(-10, 10), "outboxDepth": r.randint(-100, 5), "outboxRejected": 0}
    headers = {"Content-Type": "application/json"}
    if r.random() < 0.7:
        headers["Authorization"] = "Bearer forged-" + str(r.random())
    status, _, _ = request("POST", f"/api/v1/devices/{device}/heartbeat", json.dumps(beat), headers, source(r))
    count("heartbeat", status)


def phone_page(r):
    token = "".join(r.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") for _ in range(24))
    status, _, _ = request("GET", f"/t/{token}", src=source(r))
    count("phone", status)


attacks = [failed_login, failed_login, failed_login, form_login, form_login, resumed_stream, resumed_stream, slow_body,
           forged_heartbeat, forged_heartbeat, phone_page]


def worker(i):
    r = random.Random(args.seed * 1000 + i)
    while time.time() < deadline:
        attack = r.choice(attacks)
        try:
            attack(r)
        except Exception as e:
            count(attack.__name__, type(e).__name__)


# Each clerk logs in once from their console before the attack: the console keeps the trust cookie.
consoles = {}
for pair in args.staff.split(","):
    no, window = pair.split(":")
    status, headers, body = request("POST", f"/api/v1/windows/{window}/login",
                                    json.dumps({"employeeNo": no, "pin": args.pin}), {"Content-Type": "application/json"},
                                    src=f"127.0.99.{int(no) % 250}")
    cookies = [v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("hk_console_")]
    consoles[no] = (window, cookies[0] if cookies else "", status)

samples = []
threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.threads)]
for t in threads:
    t.start()
start = time.time()
while time.time() < deadline:
    samples.append((round(time.time() - start), rss_kb()))
    time.sleep(5)
for t in threads:
    t.join(timeout=60)
samples.append((round(time.time() - start), rss_kb()))

# Every clerk logs in from their console, and from a fresh address with the right PIN.
logins = {}
for no, (window, cookie, first) in consoles.items():
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    status, _, _ = request("POST", f"/api/v1/windows/{window}/login", json.dumps({"employeeNo": no, "pin": args.pin}),
                           headers, src=f"127.0.99.{int(no) % 250}")
    logins[no] = status

after = [kb for t, kb in samples if t >= args.warmup]
growth_mb = (max(after) - min(after)) / 1024 if after else 0
flat = growth_mb <= args.flat_mb
everyone = all(s == 200 for s in logins.values())
print(json.dumps({"seconds": args.seconds, "requests": counts, "rssSamplesKB": samples,
                  "rssAfterWarmupMB": {"min": min(after) / 1024 if after else 0, "max": max(after) / 1024 if after else 0},
                  "growthMB": round(growth_mb, 2), "flat": flat, "clerkLogins": logins, "everyClerkLoggedIn": everyone}))
sys.exit(0 if flat and everyone else 1)
