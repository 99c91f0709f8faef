# A small driver for headless Chromium over the DevTools protocol, for the browser tests in kiosk/tests (the
# clerk's console worked from the keyboard, the hall manager's settings pages). Keys go in as real key events;
# the page is only *read* with JavaScript (its text, the focused element), never clicked or filled by script.
#   from cdp import Browser;  b = Browser.start(); tab = b.tab(); tab.go(url); tab.key("F1"); tab.wait_text("已叫号")
# Needs Debian's chromium and python3-websocket (kiosk/lib/common.sh installs both).
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket  # python3-websocket

# Windows virtual key codes Chromium wants with each named key.
_KEY_CODES = {"Enter": 13, "Escape": 27, "Tab": 9, "Backspace": 8, "ArrowDown": 40, "ArrowUp": 38, "ArrowLeft": 37,
              "ArrowRight": 39, "Space": 32, "Home": 36, "End": 35}


class BrowserError(Exception):
    pass


class Tab:
    """One page: keys in, text out."""

    def __init__(self, browser, target):
        self.browser = browser
        self.target = target
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Network.enable")
        # Each tab stands for its own person at their own screen: every tab keeps the focus, as a front window would.
        self.call("Emulation.setFocusEmulationEnabled", enabled=True)

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})

    def size(self, width, height, mobile=False):
        """The viewport; `mobile` emulates a phone (touch layout, twice the pixels)."""
        self.width, self.height = width, height
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=2 if mobile else 1,
                  mobile=mobile)

    def set_cookie(self, name, value, url):
        """A cookie for the whole site of `url` (an admin or staff session)."""
        from urllib.parse import urlparse
        self.call("Network.setCookie", name=name, value=value, domain=urlparse(url).hostname, path="/", httpOnly=True,
                  sameSite="Strict")

    def go(self, url):
        self.call("Page.navigate", url=url)
        self.wait(lambda: self.eval("document.readyState") == "complete" and self.eval("location.href") != "about:blank",
                  f"the page {url} to load")

    def eval(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            return None
        return result.get("result", {}).get("value")

    def eval_async(self, expression):
        """Evaluates an expression that gives a promise (e.g. a `fetch` with the page's cookies) and returns its value."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            return None
        return result.get("result", {}).get("value")

    def text(self):
        return self.eval("document.body ? document.body.innerText : ''") or ""

    def html(self):
        return self.eval("document.documentElement ? document.documentElement.outerHTML : ''") or ""

    def front(self):
        """Brings this tab to the front: keys go to the tab the person is looking at."""
        if self.browser.front is not self:
            self.call("Page.bringToFront")
            self.browser.front = self

    def key(self, name, shift=False):
        """Presses one named key (F1…F12, Enter, Tab, Escape, arrows) like a keyboard does."""
        self.front()
        if name.startswith("F") and name[1:].isdigit():
            code = 111 + int(name[1:])
        else:
            code = _KEY_CODES[name]
        text = {"Enter": "\r", "Space": " "}.get(name)
        key = " " if name == "Space" else name
        modifiers = 8 if shift else 0
        down = {"type": "keyDown" if text else "rawKeyDown", "key": key, "code": name if name != "Space" else "Space",
                "windowsVirtualKeyCode": code, "modifiers": modifiers}
        if text:
            down["text"] = text
        self.call("Input.dispatchKeyEvent", **down)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=down["code"], windowsVirtualKeyCode=code,
                  modifiers=modifiers)

    def type(self, words):
        """Types text one character at a time (key down with the character, key up)."""
        self.front()
        for ch in words:
            self.call("Input.dispatchKeyEvent", type="keyDown", key=ch, text=ch, unmodifiedText=ch)
            self.call("Input.dispatchKeyEvent", type="keyUp", key=ch)

    def wait(self, condition, what, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if condition():
                    return
            except (BrowserError, websocket.WebSocketException):
                pass
            time.sleep(0.03)
        raise BrowserError(f"waited {timeout:.0f} s for {what}; the page says:\n{self.text()[:1500]}")

    def wait_text(self, words, timeout=15.0):
        self.wait(lambda: words in self.text(), f"“{words}”", timeout)

    def screenshot(self, path):
        import base64
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def full_screenshot(self, path):
        """The whole page, its full height (at least the viewport's). Returns (width, height)."""
        import base64
        height = max(self.height, int(self.eval("Math.ceil(document.documentElement.scrollHeight)") or 0))
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": self.width, "height": height, "scale": 1})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return self.width, height

    def close(self):
        try:
            self.ws.close()
            urllib.request.urlopen(f"http://127.0.0.1:{self.browser.port}/json/close/{self.target['id']}", timeout=5).read()
        except Exception:
            pass


class Browser:
    """A headless Chromium of its own (a temporary profile, any free debugging port)."""

    def __init__(self, process, profile, port):
        self.process = process
        self.profile = profile
        self.port = port
        self.front = None

    @staticmethod
    def start():
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            raise BrowserError("chromium is not installed: apt-get install chromium (kiosk/lib/common.sh does)")
        profile = tempfile.mkdtemp(prefix="hallkiosk-chromium-")
        process = subprocess.Popen([binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                    "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--remote-debugging-port=0",
                                    "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if os.path.exists(port_file):
                with open(port_file) as f:
                    first = f.readline().strip()
                if first.isdigit():
                    return Browser(process, profile, int(first))
            if process.poll() is not None:
                raise BrowserError(f"chromium exited with {process.returncode} before it listened")
            time.sleep(0.05)
        process.kill()
        raise BrowserError("chromium did not open its debugging port within 30 s")

    def tab(self, width=1366, height=768):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT")
        target = json.loads(urllib.request.urlopen(request, timeout=10).read())
        tab = Tab(self, target)
        tab.size(width, height)
        return tab

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)
