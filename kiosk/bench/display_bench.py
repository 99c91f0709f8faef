#!/usr/bin/env python3
"""Drives calls for kiosk/bench/display-bench and measures what the calling displays drew.

Phases (each prints one JSON line):
  latency  — calls one at a time, round robin over the windows; for each call, commit (the call's HTTP answer)
             → drawn (each display's `callShown` event, written right after the frame with the call was
             presented): p50/p90/p99/max over every display and call.
  burst    — every window calls within one second; every call must be on every display, each once.
  offline  — (with --proxy-pid) the displays' link is cut (SIGSTOP of the proxy) for --offline-seconds while 5
             calls happen, then restored: all 5 on every display, and how long after the restore.
  soak     — (with --soak-calls) many calls to one display, sampling its PSS; then its idle CPU.
"""
import argparse, http.client, json, os, socket, statistics, sys, threading, time, uuid, signal
from datetime import datetime

def parse_time(text):
    return datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()

class Hall:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def request(self, method, path, token=None, body=None, headers=None):
        h = dict(headers or {})
        if token: h["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = json.dumps(body).encode(); h["Content-Type"] = "application/json"
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse(); payload = r.read()
                return r.status, payload
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close(); self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        raise SystemExit(f"{method} {path}: no answer")

    def login(self, window, employee):
        s, p = self.request("POST", f"/api/v1/windows/{window}/login", body={"employeeNo": employee, "pin": "123456", "takeover": True})
        assert s == 200, (s, p); return json.loads(p)["staffToken"]

    def issue(self, service):
        s, p = self.request("POST", "/api/v1/tickets", token="demo-kiosk-01-token-change-me",
                            body={"serviceId": service, "kioskId": "kiosk-01"}, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert s == 201, (s, p); return json.loads(p)["number"]

    def call(self, window, token):
        s, p = self.request("POST", f"/api/v1/windows/{window}/call-next", token=token)
        committed = time.time()
        assert s == 200, (s, p)
        return json.loads(p)["ticket"]["number"], committed

    def complete(self, window, token):
        s, p = self.request("POST", f"/api/v1/windows/{window}/complete", token=token)
        assert s in (200, 409), (s, p)

def events(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                try: out.append(json.loads(line))
                except ValueError: pass
    except FileNotFoundError: pass
    return out

def shown(paths):
    """Per display: number → list of callShown records."""
    result = []
    for p in paths:
        d = {}
        for e in events(p):
            if e.get("event") == "callShown": d.setdefault(e["number"], []).append(e)
        result.append(d)
    return result

class Listener(threading.Thread):
    """A plain SSE reader of the hall stream (a display that draws nothing): when each call arrived."""
    def __init__(self, port, token):
        super().__init__(daemon=True)
        self.port, self.token, self.arrived = port, token, {}

    def run(self):
        sock = socket.create_connection(("127.0.0.1", self.port))
        sock.sendall(f"GET /api/v1/hall/calls/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {self.token}\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())
        buffer = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk: return
            now = time.time(); buffer += chunk
            while b"\n\n" in buffer:
                block, buffer = buffer.split(b"\n\n", 1)
                for line in block.split(b"\n"):
                    if line.startswith(b"data: {") and b'"call"' in line:
                        try:
                            call = json.loads(line[6:]).get("call")
                            if call: self.arrived.setdefault(call["number"], now)
                        except ValueError: pass

def wait_for(pred, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if pred(): return True
        time.sleep(0.05)
    return pred()

def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]

def main():
    a = argparse.ArgumentParser()
    a.add_argument("--port", type=int, required=True)
    a.add_argument("--events", nargs="+", required=True)
    a.add_argument("--windows", nargs="+", required=True, help="window:employee:service")
    a.add_argument("--calls", type=int, default=60)
    a.add_argument("--proxy-pid", type=int)
    a.add_argument("--offline-seconds", type=float, default=60)
    a.add_argument("--soak-calls", type=int, default=0)
    a.add_argument("--soak-pid", type=int)
    a.add_argument("--idle-seconds", type=float, default=60)
    a.add_argument("--smaps-dir", help="keep the soak display's /proc/PID/smaps at every sample here")
    a.add_argument("--listeners", type=int, default=0, help="extra plain SSE readers of the hall stream")
    args = a.parse_args()
    hall = Hall(args.port)
    windows = [tuple(w.split(":")) for w in args.windows]
    tokens = {w: hall.login(w, emp) for w, emp, _ in windows}
    failures = 0

    listeners = [Listener(args.port, "demo-display-hall-token-change-me") for _ in range(args.listeners)]
    for l in listeners: l.start()
    time.sleep(1)
    # latency
    samples, missing, received = [], 0, []
    for i in range(args.calls):
        w, _, service = windows[i % len(windows)]
        hall.complete(w, tokens[w]); hall.issue(service)
        number, committed = hall.call(w, tokens[w])
        ok = wait_for(lambda: all(number in d for d in shown(args.events)), 5)
        for d in shown(args.events):
            if number in d: samples.append((parse_time(d[number][-1]["time"]) - committed) * 1000)
            else: missing += 1
        wait_for(lambda: all(number in l.arrived for l in listeners), 5)
        for l in listeners:
            if number in l.arrived: received.append((l.arrived[number] - committed) * 1000)
            else: missing += 1
        time.sleep(0.2)
    res = {"phase": "latency", "displays": len(args.events), "calls": args.calls, "samples": len(samples), "missing": missing,
           "p50_ms": round(pct(samples, .5), 1), "p90_ms": round(pct(samples, .9), 1), "p99_ms": round(pct(samples, .99), 1),
           "max_ms": round(max(samples), 1)}
    if received:
        res.update({"listeners": len(listeners), "received_p50_ms": round(pct(received, .5), 1),
                    "received_p99_ms": round(pct(received, .99), 1), "received_max_ms": round(max(received), 1)})
    print(json.dumps(res)); sys.stdout.flush()
    failures += missing

    # burst: every window within one second
    for w, _, service in windows:
        hall.complete(w, tokens[w]); hall.issue(service)
    start = time.time(); numbers = []
    for w, _, _ in windows: numbers.append(hall.call(w, tokens[w])[0])
    spread = time.time() - start
    wait_for(lambda: all(all(n in d for n in numbers) for d in shown(args.events)), 10)
    per = shown(args.events)
    lost = sum(1 for d in per for n in numbers if n not in d)
    twice = sum(1 for d in per for n in numbers if len(d.get(n, [])) > 1)
    print(json.dumps({"phase": "burst", "windows": len(windows), "called_within_s": round(spread, 3), "displays": len(per),
                      "lost": lost, "shown_twice": twice})); sys.stdout.flush()
    failures += lost + twice

    # offline
    if args.proxy_pid:
        os.kill(args.proxy_pid, signal.SIGSTOP)
        cut = time.time()
        lost_seen = wait_for(lambda: all(any(e.get("event") == "boardLink" and e.get("up") is False and parse_time(e["time"]) >= cut
                                             for e in events(p)) for p in args.events), 10)
        banner = max((min((parse_time(e["time"]) for e in events(p) if e.get("event") == "boardLink" and e.get("up") is False
                           and parse_time(e["time"]) >= cut), default=cut + 99) - cut) for p in args.events)
        made = []
        deadline = cut + args.offline_seconds
        for k in range(5):
            w, _, service = windows[k % len(windows)]
            hall.complete(w, tokens[w]); hall.issue(service)
            made.append(hall.call(w, tokens[w])[0])
            time.sleep(max(0, (deadline - time.time()) / (6 - k)))
        time.sleep(max(0, deadline - time.time()))
        os.kill(args.proxy_pid, signal.SIGCONT)
        back = time.time()
        wait_for(lambda: all(all(n in d for n in made) for d in shown(args.events)), 15)
        per = shown(args.events)
        missing_after = sum(1 for d in per for n in made if n not in d)
        last = max((parse_time(d[n][-1]["time"]) for d in per for n in made if n in d), default=back + 99)
        print(json.dumps({"phase": "offline", "offline_s": args.offline_seconds, "banner_within_s": round(banner, 2),
                          "calls_meanwhile": len(made), "missing_after": missing_after,
                          "all_shown_within_s_of_restore": round(last - back, 2)})); sys.stdout.flush()
        failures += missing_after + (0 if lost_seen else 1)

    # soak: many calls to one display, its PSS; then idle CPU
    if args.soak_calls and args.soak_pid:
        def pss(label=None):
            if args.smaps_dir and label is not None:
                with open(f"/proc/{args.soak_pid}/smaps") as f, open(os.path.join(args.smaps_dir, f"soak-{label}.smaps"), "w") as out:
                    out.write(f.read())
            with open(f"/proc/{args.soak_pid}/smaps_rollup") as f:
                return next(int(l.split()[1]) for l in f if l.startswith("Pss:")) // 1024
        soak_events = args.events[0]
        def returned():
            return sum(1 for e in events(soak_events) if e.get("event") == "memoryReturned")
        def idle_pss(label):
            """Stops calling until the display has settled and given memory back (it does at most every 30 s), then
            reads its PSS: what an idle hall screen holds after that many calls."""
            before = returned()
            if not wait_for(lambda: returned() > before, 75): return None
            time.sleep(0.5)
            return pss(label)
        samples, busy = [(0, idle_pss(0))], []
        for i in range(1, args.soak_calls + 1):
            w, _, service = windows[i % len(windows)]
            hall.complete(w, tokens[w]); hall.issue(service); hall.call(w, tokens[w])
            if i % max(1, args.soak_calls // 10) == 0:
                busy.append((i, pss()))
                samples.append((i, idle_pss(i)))
        time.sleep(10)
        hz = os.sysconf("SC_CLK_TCK")
        def ticks():
            with open(f"/proc/{args.soak_pid}/stat") as f: parts = f.read().rsplit(")", 1)[1].split()
            return int(parts[11]) + int(parts[12])
        t0 = ticks(); time.sleep(args.idle_seconds); t1 = ticks()
        print(json.dumps({"phase": "soak", "calls": args.soak_calls, "pss_mb": samples, "busy_pss_mb": busy,
                          "idle_cpu_percent": round((t1 - t0) / hz / args.idle_seconds * 100, 3),
                          "pss_after_mb": pss("after")})); sys.stdout.flush()
    sys.exit(1 if failures else 0)

if __name__ == "__main__":
    main()
