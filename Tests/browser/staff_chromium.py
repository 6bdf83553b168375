#!/usr/bin/env python3
"""End-to-end test of the staff web page in a real browser (headless Chromium).

Starts kioskd (from BUILD_DIR) on a throw-away configuration listening on 127.0.0.1 with
one staff token made by `kioskctl token new`, starts headless Chromium with the DevTools
protocol on a local port, and drives the page as a person would: types into the fields
(Input.insertText), clicks the buttons (mouse events at the element's box), attaches a
file to the file input. It then checks the outcome where it lands: the SQLite database in
the state directory (with the sqlite3 command), the screen's text (through the page and
through the API), the session cookie's attributes.

The WebSocket client (RFC 6455) is written here; Pillow (run from the virtual environment
staff-chromium.sh makes) draws the phone photo and reads the poster's thumbnail back.
Exit status 0 when every check passed, 1 otherwise; kioskd and Chromium are stopped and
the temporary directory removed in every case.

Usage: staff_chromium.py BUILD_DIR   (e.g. .build/debug)
"""

import base64
import hashlib
import html
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

VERBOSE = os.environ.get("STAFF_CHROMIUM_VERBOSE") == "1"
# A directory to save a full-page PNG of each step in (to look at the phone layout).
SCREENSHOTS = os.environ.get("STAFF_CHROMIUM_SCREENSHOTS")


class Failure(Exception):
    """A check that did not hold."""


def log(message):
    print(f"staff-chromium: {message}", flush=True)


def check(condition, message, detail=None):
    if not condition:
        if detail is not None:
            message += f"\n--- detail ---\n{detail[:4000]}"
        raise Failure(message)
    if VERBOSE:
        log(f"ok: {message}")


# ---------------------------------------------------------------------------
# WebSocket client, RFC 6455, just what the DevTools protocol needs.

class WebSocket:
    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, url, timeout=30):
        assert url.startswith("ws://")
        rest = url[len("ws://"):]
        hostport, _, path = rest.partition("/")
        host, _, port = hostport.partition(":")
        self.sock = socket.create_connection((host, int(port or 80)), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise Failure("DevTools closed the connection during the WebSocket handshake")
            head += chunk
        head, _, self.buffer = head.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        if not lines[0].startswith("HTTP/1.1 101"):
            raise Failure(f"WebSocket handshake refused: {lines[0]}")
        headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
        expected = base64.b64encode(hashlib.sha1((key + self.GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            raise Failure("WebSocket handshake: wrong Sec-WebSocket-Accept")

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Failure("DevTools closed the WebSocket")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def send_text(self, text):
        payload = text.encode()
        header = bytes([0x81])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _send_control(self, opcode, payload=b""):
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def receive_text(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            fin, opcode = b0 & 0x80, b0 & 0x0F
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x9:
                self._send_control(0xA, payload)
                continue
            if opcode == 0xA:
                continue
            if opcode == 0x8:
                raise Failure("DevTools closed the WebSocket")
            message += payload
            if fin:
                return message.decode()

    def close(self):
        try:
            self._send_control(0x8, struct.pack(">H", 1000))
        except OSError:
            pass
        self.sock.close()


# ---------------------------------------------------------------------------
# The DevTools protocol over that socket.

class DevTools:
    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send_text(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.receive_text())
            if message.get("id") == my_id:
                if "error" in message:
                    raise Failure(f"DevTools {method} failed: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_event(self, method, timeout=20, predicate=lambda params: True):
        """The first buffered or coming event `method` whose params satisfy `predicate`
        (consumed; other events stay buffered)."""
        deadline = time.time() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event["method"] == method and predicate(event.get("params", {})):
                    del self.events[i]
                    return event["params"]
            remaining = deadline - time.time()
            if remaining <= 0:
                raise Failure(f"timed out waiting for {method}")
            self.ws.sock.settimeout(remaining)
            try:
                message = json.loads(self.ws.receive_text())
            except socket.timeout:
                raise Failure(f"timed out waiting for {method}")
            finally:
                self.ws.sock.settimeout(30)
            if "method" in message:
                self.events.append(message)

    def close(self):
        self.ws.close()


class Page:
    """One browser tab seen through DevTools: navigate, read, type, click."""

    def __init__(self, devtools):
        self.dt = devtools
        self.responses = {}  # URL -> last Network.responseReceived response
        self.request_ids = {}  # URL -> its last request id
        self.viewport = (412, 915)
        self.console = []
        dt = devtools
        dt.call("Page.enable")
        dt.call("Network.enable")
        dt.call("Log.enable")
        dt.call("Runtime.enable")

    def _drain(self):
        """Records the responses and console messages among buffered events."""
        for event in self.dt.events:
            if event["method"] == "Network.responseReceived":
                response = event["params"]["response"]
                self.responses[response["url"]] = response
                self.request_ids[response["url"]] = event["params"]["requestId"]
            elif event["method"] == "Network.requestWillBeSent" and "redirectResponse" in event["params"]:
                response = event["params"]["redirectResponse"]
                self.responses[response["url"]] = response
            elif event["method"] == "Log.entryAdded":
                self.console.append(event["params"]["entry"].get("text", ""))
            elif event["method"] == "Runtime.consoleAPICalled":
                self.console.append(str(event["params"].get("args")))

    def _after_navigation(self, action, timeout=20):
        self._drain()
        self.dt.events.clear()
        action()
        self.dt.wait_event("Page.loadEventFired", timeout=timeout)
        # Let the responses' events arrive, then record them.
        self.dt.call("Runtime.evaluate", expression="1")
        self._drain()

    def goto(self, url):
        self._after_navigation(lambda: self.dt.call("Page.navigate", url=url))

    def status(self, url):
        response = self.responses.get(url)
        return response and response["status"]

    def html(self):
        root = self.dt.call("DOM.getDocument", depth=0)["root"]["nodeId"]
        return self.dt.call("DOM.getOuterHTML", nodeId=root)["outerHTML"]

    def node(self, selector):
        root = self.dt.call("DOM.getDocument", depth=0)["root"]["nodeId"]
        node = self.dt.call("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        if not node:
            raise Failure(f"no element matches {selector}")
        return node

    def type_into(self, selector, text):
        self.dt.call("DOM.focus", nodeId=self.node(selector))
        self.dt.call("Input.insertText", text=text)

    def _click_node(self, node):
        self.dt.call("DOM.scrollIntoViewIfNeeded", nodeId=node)
        quad = self.dt.call("DOM.getBoxModel", nodeId=node)["model"]["border"]
        x = (quad[0] + quad[2] + quad[4] + quad[6]) / 4
        y = (quad[1] + quad[3] + quad[5] + quad[7]) / 4
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.dt.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def click(self, selector):
        self._click_node(self.node(selector))

    def click_and_wait(self, selector):
        node = self.node(selector)
        self._after_navigation(lambda: self._click_node(node))

    def press_enter_and_wait(self, selector):
        node = self.node(selector)
        self.dt.call("DOM.focus", nodeId=node)

        def enter():
            for kind in ("keyDown", "keyUp"):
                params = {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
                if kind == "keyDown":
                    params["text"] = "\r"
                self.dt.call("Input.dispatchKeyEvent", **params)

        self._after_navigation(enter)

    def attach_file(self, selector, path):
        self.dt.call("DOM.setFileInputFiles", nodeId=self.node(selector), files=[path])

    def screenshot(self, name):
        """Saves the whole page as NAME.png under $STAFF_CHROMIUM_SCREENSHOTS, if set."""
        if not SCREENSHOTS:
            return
        metrics = self.dt.call("Page.getLayoutMetrics")["cssContentSize"]
        shot = self.dt.call(
            "Page.captureScreenshot", format="png", captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": metrics["width"], "height": metrics["height"], "scale": 1})
        os.makedirs(SCREENSHOTS, exist_ok=True)
        with open(os.path.join(SCREENSHOTS, name + ".png"), "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def cookies(self, url):
        return self.dt.call("Network.getCookies", urls=[url])["cookies"]

    def phone(self, width=390, height=844):
        """Lays pages out as a phone of width x height CSS pixels (twice as dense)."""
        self.dt.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=2, mobile=True)
        self.viewport = (width, height)

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (DevTools' own evaluation: the
        page runs no script of its own, its CSP forbids it)."""
        result = self.dt.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise Failure(f"evaluating {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def first_heading(self):
        return self.evaluate("(document.querySelector('h1, h2, h3') || {}).textContent || ''")

    def in_view(self, selector):
        """True when the element's top is inside the first screen and the page is not scrolled."""
        box = self.evaluate(f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
                            f" return [r.top, r.bottom, window.scrollY]; }})()")
        return box is not None and box[2] == 0 and 0 <= box[0] < self.viewport[1] and box[1] <= self.viewport[1] * 1.5

    def screenshot_view(self, name):
        """Saves what the phone's screen shows (the first 390x844) as NAME.png, if asked."""
        if not SCREENSHOTS:
            return
        shot = self.dt.call("Page.captureScreenshot", format="png")
        os.makedirs(SCREENSHOTS, exist_ok=True)
        with open(os.path.join(SCREENSHOTS, name + ".png"), "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def response_body(self, url):
        """The body of the last response to `url` (bytes)."""
        request_id = self.request_ids.get(url)
        if request_id is None:
            raise Failure(f"no request to {url} was seen")
        body = self.dt.call("Network.getResponseBody", requestId=request_id)
        return base64.b64decode(body["body"]) if body.get("base64Encoded") else body["body"].encode()


# ---------------------------------------------------------------------------
# The test.

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    raise Failure("no chromium on PATH (Debian: apt-get install chromium)")


def http(url, token=None, timeout=10):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(what, probe, timeout, interval=0.2):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            result = probe()
            if result:
                return result
        except (OSError, Failure) as error:
            last = error
        time.sleep(interval)
    raise Failure(f"timed out after {timeout} s waiting for {what}" + (f" (last: {last})" if last else ""))


def sql(db, query):
    out = subprocess.run(["sqlite3", "-readonly", db, query], capture_output=True, text=True, timeout=20)
    if out.returncode != 0:
        raise Failure(f"sqlite3 failed on {query!r}: {out.stderr}")
    return out.stdout.strip()


def stop(process, name):
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        log(f"{name} did not stop on SIGTERM; killing it")
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def run(build_dir, tmp):
    kioskd_path = os.path.join(build_dir, "kioskd")
    kioskctl_path = os.path.join(build_dir, "kioskctl")
    for path in (kioskd_path, kioskctl_path):
        check(os.access(path, os.X_OK), f"{path} is an executable (build first: swift build)")
    check(shutil.which("sqlite3") is not None, "the sqlite3 command is installed")
    chromium_path = find_chromium()

    tokens = {}
    for name, role in (("test", "staff"), ("regie", "maintainer")):
        made = subprocess.run(
            [kioskctl_path, "token", "new", "--name", name, "--role", role, "--format", "json"],
            capture_output=True, text=True, timeout=30)
        check(made.returncode == 0, "kioskctl token new succeeds", made.stderr)
        tokens[name] = json.loads(made.stdout)
        check(tokens[name]["token"] not in tokens[name]["config"], "the configuration lines hold only the token's hash")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    state = os.path.join(tmp, "state")
    config = os.path.join(tmp, "kiosk.conf")
    with open(config, "w") as f:
        f.write(f"""[venue]
name = Tiers-lieu d'essai
language = fr
city = Saint-Étienne
assembly-point = Parking nord, devant le portail

[screen]
backend = terminal
colors = mono
panel-duration = 3s

[state]
directory = {state}

[http]
listen = 127.0.0.1:{port}
max-body = 64K

{tokens["test"]["config"]}
{tokens["regie"]["config"]}
""")
    env = dict(os.environ, TERM="dumb", COLUMNS="100", LINES="30")
    env.pop("STATE_DIRECTORY", None)
    env.pop("NOTIFY_SOCKET", None)
    kioskd_log = open(os.path.join(tmp, "kioskd.stderr"), "w")
    processes = {}
    try:
        processes["kioskd"] = subprocess.Popen(
            [kioskd_path, "--config", config], stdin=subprocess.DEVNULL,
            stdout=open(os.path.join(tmp, "kioskd.stdout"), "w"), stderr=kioskd_log,
            env=env, start_new_session=True)
        wait_for("kioskd to answer /healthz", lambda: http(base + "/healthz")[0] == 200, timeout=60)
        log(f"kioskd up on {base}")

        profile = os.path.join(tmp, "chromium-profile")
        os.makedirs(profile)
        processes["chromium"] = subprocess.Popen(
            [chromium_path, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", "--mute-audio",
             "--password-store=basic", "--use-mock-keychain", "--window-size=390,844",
             f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(tmp, "chromium.stderr"), "w"), start_new_session=True)
        active = os.path.join(profile, "DevToolsActivePort")
        devtools_port = wait_for(
            "Chromium's DevToolsActivePort",
            lambda: os.path.exists(active) and open(active).read().split("\n")[0].strip(), timeout=60)
        targets = wait_for(
            "a page target",
            lambda: [t for t in json.loads(http(f"http://127.0.0.1:{devtools_port}/json/list")[1]) if t["type"] == "page"],
            timeout=30)
        version = json.loads(http(f"http://127.0.0.1:{devtools_port}/json/version")[1]).get("Browser")
        log(f"{version} on DevTools port {devtools_port}")
        devtools = DevTools(targets[0]["webSocketDebuggerUrl"])
        page = Page(devtools)
        try:
            scenario(page, base, tokens["test"]["token"], tokens["regie"]["token"], state, tmp)
        finally:
            devtools.close()
    finally:
        for name in ("chromium", "kioskd"):
            stop(processes.get(name), name)
        kioskd_log.close()
    code = processes["kioskd"].returncode
    check(code == 0, f"kioskd stopped cleanly on SIGTERM (exit {code})", open(os.path.join(tmp, "kioskd.stderr")).read())


def calendar_file(path, events):
    """An iCalendar file of (uid, title, local start YYYYMMDDTHHMMSS) in Paris, two hours each."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kiosk//staff-chromium//FR"]
    for uid, title, start in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART;TZID=Europe/Paris:{start}", "DURATION:PT2H",
                  f"SUMMARY:{title}", "LOCATION:Hall", "END:VEVENT"]
    with open(path, "w", newline="") as f:
        f.write("\r\n".join(lines + ["END:VCALENDAR", ""]))
    return os.path.abspath(path)


def sign_in(page, base, token):
    page.goto(base + "/staff/")
    page.type_into("#token", token)
    page.press_enter_and_wait("#token")


def scenario(page, base, token, maintainer, state, tmp):
    db = os.path.join(state, "kiosk.sqlite3")
    staff = base + "/staff/"
    page.phone(390, 844)

    # The sign-in form, in French, with the security headers.
    page.goto(staff)
    check(page.status(staff) == 200, "GET /staff/ is 200")
    headers = {k.lower(): v for k, v in page.responses[staff]["headers"].items()}
    check("default-src 'none'" in headers.get("content-security-policy", ""), "the page is sent with a strict CSP", str(headers))
    document = page.html()
    check('<html lang="fr">' in document, "the page is in French")
    check("Connexion" in document and 'action="/staff/login"' in document, "GET /staff/ shows the sign-in form", document)
    check(page.evaluate("document.documentElement.scrollWidth") <= 390, "no horizontal scrolling at 390 px (sign-in)")
    page.screenshot_view("01-sign-in")

    # A wrong token: the form again, 401, the error first and in French, no cookie.
    page.type_into("#token", "kiosk_" + "0" * 64)
    page.press_enter_and_wait("#token")
    check(page.status(base + "/staff/login") == 401, "a wrong token is answered 401")
    check(page.first_heading().startswith("Jeton inconnu"), "a wrong token shows the French error first", page.first_heading())
    check(not [c for c in page.cookies(staff) if c["name"] == "kiosk_staff"], "no session cookie after a wrong token")

    # The right token: the home page, signed in, a safe cookie.
    page.type_into("#token", token)
    page.press_enter_and_wait("#token")
    document = page.html()
    check(page.first_heading() == "Vous êtes connecté.", "signing in says so first", page.first_heading())
    check("Connecté en tant que test" in document, "the page says who is signed in", document)
    check(token not in document, "the token is not written in the page")
    cookies = [c for c in page.cookies(staff) if c["name"] == "kiosk_staff"]
    check(len(cookies) == 1, "one kiosk_staff cookie is set", str(page.cookies(staff)))
    cookie = cookies[0]
    check(cookie["httpOnly"] and cookie.get("sameSite") == "Strict" and cookie["path"] == "/staff",
          "the cookie is HttpOnly, SameSite=Strict, Path=/staff", str(cookie))
    check(token not in cookie["value"] and cookie["value"] not in token, "the cookie does not hold the token")
    check(page.evaluate("document.documentElement.scrollWidth") <= 390, "no horizontal scrolling at 390 px (home)")
    page.screenshot_view("02-home")
    log("signed in")

    # A file whose only event is broken is refused: the result is the page's first
    # heading, in view, in French with the event's title and line; nothing changed; the
    # file kept.
    today = time.strftime("%Y%m%d")
    refused = calendar_file(os.path.join(tmp, "Soirée d'hiver.ics"), [("atelier@test", "Atelier cassé", "20261345T100000")])
    page.goto(base + "/staff/programme")
    upload_with_an_error(
        page, base, refused, status=422, heading="0 événement prêt, 1 erreur",
        error="Ligne 6 · « Atelier cassé » : 1 événement sur 1 est invalide : le fichier est refusé", screenshot="03-programme-refused")
    check(sql(db, "SELECT count(*) FROM sources WHERE id LIKE 'push:%'") == "0", "nothing was stored")

    # One good event and one broken: the good one is on screen (post/redirect/get), the
    # broken one listed as an error in French with its title and line, the file kept.
    broken = calendar_file(os.path.join(tmp, "Soirée d'hiver.ics"), [
        ("vernissage@test", "Vernissage", f"{today}T230000"), ("atelier@test", "Atelier cassé", "20261345T100000")])
    upload_with_an_error(
        page, base, broken, status=200, heading="1 événement prêt, 1 erreur",
        error="Ligne 13 · « Atelier cassé » : événement ignoré : date de début (DTSTART) : « 20261345T100000 » n'est pas une date valide",
        screenshot="03b-programme-broken-event")
    check(sql(db, "SELECT count(*) FROM events WHERE source_id = 'push:soiree-d-hiver'") == "1", "the good event is on screen")

    # The corrected file: the name comes from the file's name; applied; listed with who and when.
    good = calendar_file(os.path.join(tmp, "Soirée d'hiver.ics"), [
        ("vernissage@test", "Vernissage", f"{today}T230000"), ("atelier@test", "Atelier réparé", f"{today}T100000")])
    page.attach_file("#file", good)
    page.click_and_wait("#upload button[type=submit]")
    check(page.status(base + "/staff/programme") == 200, "the corrected programme ends on the programme page (post/redirect/get)", page.html())
    check(page.first_heading() == "2 événements prêts, aucune erreur", "the result first again", page.first_heading())
    check(page.in_view("#result"), "the result is in view")
    check(sql(db, "SELECT count(*) FROM events WHERE source_id = 'push:soiree-d-hiver'") == "2", "two events under push:soiree-d-hiver")
    listed = page.evaluate("document.querySelector('#push-soiree-d-hiver').textContent")
    check("2 événements" in listed and "envoyé par test" in listed, "the programmes pushed say who and when", listed)
    page.screenshot_view("04-programme-applied")
    page.screenshot("04-programme-page")
    log("programme uploaded (refused, one broken event, then corrected)")

    # Over max-body (64K): a French page with the way back, not raw JSON.
    big = os.path.join(tmp, "big.ics")
    with open(big, "w") as f:
        f.write("BEGIN:VCALENDAR\r\n" + ("X-PAD:" + "x" * 70 + "\r\n") * 3000 + "END:VCALENDAR\r\n")
    page.attach_file("#file", os.path.abspath(big))
    page.click_and_wait("#upload button[type=submit]")
    check(page.status(base + "/staff/programme") == 413, "a file over max-body is answered 413")
    check(page.first_heading() == "Fichier trop gros", "the 413 is a French page", page.html()[:2000])
    check('href="/staff/programme"' in page.html(), "with the way back to the programme page")
    page.screenshot_view("05-too-big")

    # Notices: post (escaped), edit, withdraw with a confirmation, undo.
    marker = f"K{random.randint(1000, 9999)}"
    title = f"Atelier annulé <ce soir> & {marker}"
    page.goto(base + "/staff/notices")
    page.type_into("#title", title)
    page.type_into("#body", "Reporté à jeudi, même heure.")
    page.type_into("#author", "Accueil")
    page.click("input[name=urgent]")
    page.click_and_wait("#post button[type=submit]")
    check(page.status(base + "/staff/notices") == 200, "posting the notice ends on the notices page (post/redirect/get)")
    check(page.first_heading() == f"Annonce publiée : « {title} ».", "the result first", page.first_heading())
    document = page.html()
    check(f"<strong>Urgent · {html.escape(title, quote=False)}</strong>" in document, "the live list shows the notice, escaped", document)
    rows = sql(db, f"SELECT kind, title, author, urgent, created_by FROM notices WHERE title LIKE '%{marker}'")
    check(rows == f"information|{title}|Accueil|1|test", "the notice is in the database as typed", rows)
    notice_id = sql(db, f"SELECT id FROM notices WHERE title LIKE '%{marker}'")
    page.screenshot_view("06-notice-posted")
    page.click_and_wait(f"#notice-{notice_id} a.button")
    check(page.first_heading() == "Modifier l'annonce", "the edit page", page.first_heading())
    page.dt.call("DOM.setAttributeValue", nodeId=page.node("#title"), name="value", value="")
    page.type_into("#title", f"Atelier reporté {marker}")
    page.click_and_wait("#post button[type=submit]")
    check(page.first_heading() == f"Annonce modifiée : « Atelier reporté {marker} ».", "the edit is saved", page.first_heading())
    check(sql(db, f"SELECT title FROM notices WHERE id = '{notice_id}'") == f"Atelier reporté {marker}", "the new title is stored")
    page.click_and_wait(f"#notice-{notice_id} form button")
    check(page.first_heading() == f"Retirer l'annonce « Atelier reporté {marker} » de l'écran\u00a0?", "withdrawing asks first", page.first_heading())
    check(sql(db, f"SELECT count(*) FROM notices WHERE id = '{notice_id}'") == "1", "nothing is withdrawn before the confirmation")
    page.screenshot_view("07-withdraw-confirmation")
    page.click_and_wait("#confirm")
    check(page.first_heading() == f"Annonce retirée : « Atelier reporté {marker} ».", "withdrawn", page.first_heading())
    check(sql(db, f"SELECT count(*) FROM notices WHERE id = '{notice_id}'") == "0", "the notice is gone from the database")
    page.screenshot_view("08-withdrawn-undo")
    page.click_and_wait("#undo")
    check(page.first_heading() == f"Annonce remise à l'écran : « Atelier reporté {marker} ».", "undone", page.first_heading())
    check(sql(db, f"SELECT created_by FROM notices WHERE id = '{notice_id}'") == "test", "the same notice is back")
    log("notice posted, edited, withdrawn and put back")

    posters(page, base, db, tmp)

    # The screen: the real picture, phone-sized, a compressed PNG; the last update names the push.
    page.goto(base + "/staff/screen")
    update = page.evaluate("document.querySelector('#last-update').textContent")
    check("(soiree-d-hiver)" in update, "the last update counts the push", update)
    if 'id="screen-image"' in page.html():
        picture_url = base + "/staff/screen.png"
        response = page.responses.get(picture_url)
        check(response is not None and response["status"] == 200 and response["mimeType"] == "image/png",
              "the screen's picture loads as a PNG", str(response))
        check(page.evaluate("document.querySelector('#screen-image').naturalWidth") == 780, "Chromium decodes it, 780 px wide")
        check(page.evaluate("document.querySelector('#screen-image').getBoundingClientRect().width") <= 390, "it fits the phone")
        png = page.response_body(picture_url)
        check(len(png) < 150_000, f"the picture is compressed ({len(png)} bytes)")
        check_png_with_zlib(png, 780)
        log(f"the screen's picture: {len(png)} bytes, read back by Python's zlib")
    else:
        log("no screen picture (kioskd found no fonts); the text was checked")
    page.screenshot_view("09-screen")

    # An alert in two taps and a confirmation, on the screen at once, then withdrawn.
    page.goto(staff)
    page.click_and_wait("#raise-evacuation")
    check(page.first_heading() == "Alerte sur l'écran · Évacuation", "the evacuation form", page.first_heading())
    page.screenshot_view("10-alert-form")
    page.click_and_wait("#show-alert")
    check(page.first_heading() == "Afficher cette alerte sur tous les écrans maintenant\u00a0?", "it asks first", page.first_heading())
    check("Point de rassemblement : Parking nord, devant le portail" in page.html(), "with the assembly point")
    page.screenshot_view("11-alert-confirmation")
    check(sql(db, "SELECT count(*) FROM alerts") == "0", "nothing raised before the confirmation")
    page.click_and_wait("#confirm")
    check(page.first_heading() == "Alerte affichée : « Évacuation du bâtiment ».", "raised", page.first_heading())
    status, text = http(base + "/api/v1/screen", token)
    check(status == 200 and "ÉVACUATION" in text and "Point de rassemblement : Parking nord" in text, "the screen shows it", text)
    health = json.loads(http(base + "/healthz")[1])
    check(health.get("alert", {}) and health["alert"]["level"] == "evacuation", "/healthz says it", str(health))
    page.screenshot_view("12-alert-on")
    page.click_and_wait("#withdraw-alert")
    check(page.first_heading() == "Retirer l'alerte de tous les écrans\u00a0?", "withdrawing asks first", page.first_heading())
    page.click_and_wait("#confirm")
    check(json.loads(http(base + "/healthz")[1]).get("alert") is None, "withdrawn")
    log("alert raised and withdrawn")

    # Sign out; the maintainer: the evacuation list and the funders' chart.
    page.click_and_wait("footer form button")
    check('action="/staff/login"' in page.html(), "signing out shows the sign-in form again")
    now = int(time.time())
    day = time.strftime("%Y-%m-%d")
    yesterday = time.strftime("%Y-%m-%d", time.localtime(now - 86400))
    subprocess.run(["sqlite3", db, f"""
        INSERT INTO people (id, first_name, last_name, role, created) VALUES (91, 'Camille', 'Martin', 'member', {now - 7200});
        INSERT INTO people (id, first_name, last_name, role, created) VALUES (92, 'Ahmed', 'Benali', 'visitor', {now - 7200});
        INSERT INTO badges (tag, person_id, created) VALUES ('0A0B0C0D01', 91, {now - 7200});
        INSERT INTO badges (tag, person_id, created) VALUES ('0A0B0C0D02', 92, {now - 7200});
        INSERT INTO checkins (tag, person_id, at, direction) VALUES ('0A0B0C0D01', 91, {now - 3600}, 'in');
        INSERT INTO checkins (tag, person_id, at, direction) VALUES ('0A0B0C0D02', 92, {now - 1800}, 'in');
        INSERT INTO daily_counts (day, role, event_uid, event_title, count) VALUES ('{yesterday}', 'visitor', '', '', 14);
        INSERT INTO daily_counts (day, role, event_uid, event_title, count) VALUES ('{yesterday}', 'member', '', '', 5);
        INSERT INTO daily_counts (day, role, event_uid, event_title, count) VALUES ('{day}', 'visitor', '', '', 9);
    """], check=True, timeout=20)
    sign_in(page, base, maintainer)
    page.click_and_wait("a[href='/staff/presence']")
    text = page.evaluate("document.body.textContent")
    check("2 personnes présentes" in text and "Camille Martin" in text and "Ahmed Benali" in text, "the evacuation list", text)
    page.screenshot_view("13-presence")
    page.dt.call("Emulation.setEmulatedMedia", media="print")
    check(page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none", "printing leaves the links out")
    page.screenshot("14-presence-print")
    page.dt.call("Emulation.setEmulatedMedia", media="")
    page.goto(base + "/staff/attendance?split=role")
    bars = page.evaluate("[...document.querySelectorAll('svg rect.bar')].map(r => [r.dataset.key, r.dataset.series, +r.dataset.value])")
    check(sorted(bars) == sorted([[yesterday, "member", 5], [yesterday, "visitor", 14], [day, "visitor", 9]]),
          "the chart's bars are the counts", str(bars))
    csv_link = page.evaluate("document.querySelector('#csv').getAttribute('href')")
    session = [c for c in page.cookies(staff) if c["name"] == "kiosk_staff"][0]["value"]
    request = urllib.request.Request(base + csv_link, headers={"Cookie": f"kiosk_staff={session}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        csv_text = response.read().decode()
    check(f"{yesterday},0,5,0,0,14,19" in csv_text.replace("\r", "") or f"{yesterday},5,14,19" in csv_text.replace("\r", ""),
          "the CSV has the same numbers", csv_text)
    page.screenshot_view("15-attendance")
    page.screenshot("15-attendance-page")
    log("presence and attendance")

    # Sign out everywhere.
    page.click_and_wait("form[action='/staff/logout-everywhere'] button")
    check(page.first_heading().endswith("fermée(s) pour ce jeton."), "signed out everywhere", page.first_heading())
    check(not [c for c in page.cookies(staff) if c["name"] == "kiosk_staff"], "the cookie is gone after signing out")

    csp = [m for m in page.console if "Content Security Policy" in m]
    check(not csp, "the browser reported no Content-Security-Policy violation", "\n".join(csp))


def upload_with_an_error(page, base, path, status, heading, error, screenshot):
    """Uploads programme `path` from the programme page and checks that its report, in
    view as the page's first heading, lists one error in French starting with `error`,
    and that the file is kept for a corrected retry."""
    page.attach_file("#file", path)
    page.click_and_wait("#upload button[type=submit]")
    check(page.status(base + "/staff/programme") == status, f"the upload ends on the programme page with {status}")
    check(page.first_heading() == heading, "the page's first heading is the result", page.first_heading())
    check(page.in_view("#result"), "the result is in view without scrolling")
    errors = page.evaluate("[...document.querySelectorAll('#report-errors li')].map(li => li.textContent)")
    check(len(errors) == 1 and errors[0].startswith(error), "the error is in French with its line and event", str(errors))
    kept = f"Le fichier « {os.path.basename(path)} » est gardé"
    check(kept in page.evaluate("document.body.textContent"), "the file is kept for a corrected retry")
    page.screenshot_view(screenshot)


def phone_photo(path):
    """A portrait poster as a phone camera writes it: the sensor's landscape pixels
    (800x600) with EXIF orientation 6 (turn 90° clockwise to view). Upright it is 600x800:
    red at the top, blue at the bottom, a white band with a black bar between. Pillow
    (the reference) checks that turning it by its EXIF gives the upright picture."""
    from PIL import Image, ImageDraw, ImageOps
    upright = Image.new("RGB", (600, 800), (255, 255, 255))
    draw = ImageDraw.Draw(upright)
    draw.rectangle((0, 0, 599, 259), fill=(200, 20, 30))
    draw.rectangle((0, 540, 599, 799), fill=(20, 40, 200))
    draw.rectangle((60, 380, 540, 420), fill=(0, 0, 0))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # counter-clockwise: what orientation 6 turns back
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(path, "JPEG", quality=85, exif=exif.tobytes())
    viewed = ImageOps.exif_transpose(Image.open(path))
    check(Image.open(path).size == (800, 600) and viewed.size == (600, 800), "the phone photo is stored sideways and viewed upright by Pillow")
    return os.path.abspath(path)


def top_and_bottom(png):
    """Size of a PNG and the mean colour of its top and bottom tenths (Pillow)."""
    import io
    from PIL import Image
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = picture.size

    def mean(box):
        return picture.crop(box).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    return (w, h), mean((0, 0, w, h // 10)), mean((0, h - h // 10, w, h))


def posters(page, base, db, tmp):
    """Item 6 of issue 16 at a phone's width: a poster from a phone's camera, refused
    first (not a picture; the title kept), then put on screen and listed upright with its
    thumbnail, withdrawn after a confirmation, put back with the undo, withdrawn again."""
    page.goto(base + "/staff/posters")
    check(page.first_heading() == "Affiches à l'écran", "the posters page", page.first_heading())
    check(page.evaluate("document.querySelector('#picture').accept") == "image/png,image/jpeg", "the file input takes PNG and JPEG")
    not_a_picture = calendar_file(os.path.join(tmp, "affiche.ics"), [("x@test", "Pas une image", "20261201T100000")])
    page.attach_file("#picture", not_a_picture)
    page.type_into("#title", "Festival d'hiver")
    page.click_and_wait("#put-on-screen")
    check(page.status(base + "/staff/posters") == 422, "a file that is not a picture is answered 422")
    check(page.first_heading() == "L'affiche n'est pas publiée : corrigez les champs signalés.", "the refusal first", page.first_heading())
    described = page.evaluate("document.querySelector('#picture').getAttribute('aria-describedby')")
    check(page.evaluate("document.querySelector('#picture').getAttribute('aria-invalid')") == "true" and "picture-error" in described.split(),
          "the file input is marked and linked to its message", described)
    message = page.evaluate("document.querySelector('#picture-error').textContent")
    check(message.startswith("« affiche.ics » n'est pas une image PNG ou JPEG"), "the reason is in French", message)
    check(page.evaluate("document.querySelector('#title').value") == "Festival d'hiver", "the title typed is kept")
    check(page.evaluate("document.documentElement.scrollWidth") <= 390, "no horizontal scrolling at 390 px (posters)")
    page.screenshot_view("16-poster-refused")

    photo = phone_photo(os.path.join(tmp, "IMG_0412.JPG"))
    check(os.path.getsize(photo) < 64 * 1024, "the photo fits the test's max-body")
    page.attach_file("#picture", photo)
    page.click_and_wait("#put-on-screen")
    check(page.status(base + "/staff/posters") == 200, "the upload ends on the posters page (post/redirect/get)", page.html()[:3000])
    check(page.first_heading() == "Affiche mise à l'écran : « Festival d'hiver ».", "the result first", page.first_heading())
    row = sql(db, "SELECT id, title, created_by FROM posters")
    check(row.endswith("|Festival d'hiver|test"), "the poster is in the database", row)
    poster_id = row.split("|")[0]
    audit = sql(db, f"SELECT actor FROM audit WHERE action = 'poster.create' AND detail LIKE '{poster_id} (600x800,%'")
    check(audit == "test", "the upload is audited with the upright size", audit)
    item = f"#posters-now #poster-{poster_id}"
    check("Festival d'hiver" in page.evaluate(f"document.querySelector('{item}').textContent"), "listed among the posters on screen now")
    size = page.evaluate(f"(() => {{ const i = document.querySelector('{item} img.thumb'); return [i.complete, i.naturalWidth, i.naturalHeight]; }})()")
    check(size[0] and 0 < size[1] < size[2], "Chromium shows the thumbnail upright (portrait)", str(size))
    box = page.evaluate(f"(() => {{ const i = document.querySelector('{item} img.thumb'); return [i.getAttribute('width'), i.getAttribute('height'), i.clientWidth, i.clientHeight]; }})()")
    check(box[0] == str(size[1]) and box[1] == str(size[2]), "the thumbnail's width and height attributes are its real size (no layout shift)", str((box, size)))
    check(box[2] > 0 and abs(box[3] * size[1] - box[2] * size[2]) <= size[1], "the thumbnail is drawn in its own shape", str((box, size)))
    thumbnail = base + "/staff/posters/thumbnail?id=" + poster_id
    response = page.responses.get(thumbnail)
    check(response is not None and response["mimeType"] == "image/png", "the thumbnail is a PNG", str(response))
    (w, h), top, bottom = top_and_bottom(page.response_body(thumbnail))
    check((w, h) == (180, 240), "the thumbnail is the upright photo within 240 px", str((w, h)))
    check(top[0] > 150 and top[2] < 80 and bottom[2] > 150 and bottom[0] < 80, "red at the top, blue at the bottom: upright", str((top, bottom)))
    page.screenshot_view("17-poster-listed")
    page.screenshot("17-posters-page")

    page.click_and_wait(f"{item} form button")
    check(page.first_heading() == "Retirer l'affiche « Festival d'hiver » de l'écran\u00a0?", "withdrawing asks first", page.first_heading())
    page.click_and_wait("#confirm")
    check(page.first_heading() == "Affiche retirée : « Festival d'hiver ».", "withdrawn", page.first_heading())
    check(sql(db, "SELECT count(*) FROM posters") == "0", "the poster is gone from the database")
    page.screenshot_view("18-poster-withdrawn")
    page.click_and_wait("#undo")
    check(page.first_heading() == "Affiche remise à l'écran : « Festival d'hiver ».", "undone", page.first_heading())
    check(sql(db, f"SELECT created_by FROM posters WHERE id = '{poster_id}'") == "test", "the same poster is back")
    page.click_and_wait(f"{item} form button")
    page.click_and_wait("#confirm")
    check(sql(db, "SELECT count(*) FROM posters") == "0", "withdrawn again")
    check(sql(db, "SELECT group_concat(action) FROM (SELECT action FROM audit WHERE action LIKE 'poster.%' ORDER BY rowid)")
          == "poster.create,poster.delete,poster.restore,poster.delete", "each step is audited")
    log("poster refused, put on screen from a phone photo (upright thumbnail), withdrawn, put back, withdrawn")


def check_png_with_zlib(png, width):
    """Python's zlib (the reference) reads the picture: chunks, CRCs, the deflate stream."""
    import struct
    import zlib
    check(png[:8] == b"\x89PNG\r\n\x1a\n", "the picture is a PNG")
    i, idat, size = 8, b"", None
    while i < len(png):
        n, = struct.unpack(">I", png[i:i + 4])
        kind, body = png[i + 4:i + 8], png[i + 8:i + 8 + n]
        crc, = struct.unpack(">I", png[i + 8 + n:i + 12 + n])
        check(zlib.crc32(kind + body) == crc, f"the CRC of {kind}")
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        if kind == b"IDAT":
            idat += body
        i += 12 + n
    raw = zlib.decompress(idat)
    check(size is not None and size[0] == width and len(raw) == size[1] * (1 + 3 * size[0]), f"the pixels are all there ({size})")


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    build_dir = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="kiosk-staff-chromium-")

    def terminated(signum, frame):
        # Unwinds through the finally blocks that stop kioskd and Chromium.
        raise Failure(f"interrupted by signal {signum}")

    signal.signal(signal.SIGTERM, terminated)
    signal.signal(signal.SIGHUP, terminated)
    try:
        run(build_dir, tmp)
    except (Failure, Exception, KeyboardInterrupt) as failure:
        if not isinstance(failure, Failure):
            import traceback
            traceback.print_exc()
        log(f"FAILED: {failure}")
        for name in ("kioskd.stderr", "chromium.stderr"):
            path = os.path.join(tmp, name)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    tail = f.read()[-3000:]
                print(f"--- {name} (end) ---\n{tail}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log("PASS: sign-in, programme (refused in French, corrected, too big), notices (post, edit, withdraw, undo), posters (refused, phone photo upright, withdraw, undo), screen picture, alert, presence, attendance, sign-out everywhere")
    return 0


if __name__ == "__main__":
    sys.exit(main())
