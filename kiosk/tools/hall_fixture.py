# A real hall server for the browser tests in kiosk/tests: the demo hall (kiosk/demo/hall.toml) on a free loopback
# port with its own SQLite file, and the kiosk's API calls (issue a ticket, read its progress) over HTTP.
#   from hall_fixture import Hall;  hall = Hall.start(root);  t = hall.issue("hukou");  hall.progress(t);  hall.stop()
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

KIOSK_TOKEN = "demo-kiosk-01-token-change-me"
ADMIN_TOKEN = "demo-admin-token-change-me"
PIN = "123456"


class HallError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hall:
    def __init__(self, process, folder, base, log_path):
        self.process = process
        self.folder = folder
        self.base = base
        self.log_path = log_path

    @staticmethod
    def start(root, binary=None, edit_config=None):
        """Starts `hallserver serve` on the demo hall; `edit_config(text) -> text` may change hall.toml first."""
        binary = binary or os.path.join(root, ".build/debug/hallserver")
        if not os.access(binary, os.X_OK):
            raise HallError(f"{binary} is missing: build first (swift build)")
        folder = tempfile.mkdtemp(prefix="hallkiosk-browser-test-")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with open(os.path.join(root, "kiosk/demo/hall.toml"), encoding="utf-8") as f:
            text = f.read()
        text = text.replace('publicBaseUrl = "http://127.0.0.1:8080"', f'publicBaseUrl = "{base}"')
        if edit_config:
            text = edit_config(text)
        config = os.path.join(folder, "hall.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(text)
        log_path = os.path.join(folder, "hallserver.log")
        log = open(log_path, "w")
        process = subprocess.Popen([binary, "serve", "--config", config, "--db", os.path.join(folder, "hall.sqlite"),
                                    "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, cwd=folder)
        hall = Hall(process, folder, base, log_path)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise HallError(f"hallserver exited with {process.returncode}:\n{hall.log()}")
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                return hall
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        hall.stop()
        raise HallError("hallserver did not answer /healthz within 60 s")

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()[-4000:]

    def request(self, method, path, body=None, token=KIOSK_TOKEN, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=15) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def issue(self, service_id):
        status, ticket = self.request("POST", "/api/v1/tickets", {"serviceId": service_id, "kioskId": "kiosk-01"},
                                      headers={"Idempotency-Key": str(uuid.uuid4())})
        if status != 201:
            raise HallError(f"issuing a {service_id} ticket answered {status}: {ticket}")
        return ticket

    def progress(self, ticket):
        status, answer = self.request("GET", f"/api/v1/tickets/{ticket['token']}")
        if status != 200:
            raise HallError(f"ticket {ticket['number']} progress answered {status}: {answer}")
        return answer

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)
