#!/usr/bin/env python3
"""End-to-end test of the staff web page in a real browser (headless Chromium).

Starts kioskd (from BUILD_DIR) on a throw-away configuration listening on 127.0.0.1 with
one staff token made by `kioskctl token new`, starts headless Chromium with the DevTools
protocol on a local port, and drives the page as a person would: types into the fields
(Input.insertText), clicks the buttons (mouse events at the element's box), attaches a
file to the file input. It then checks the outcome where it lands: the SQLite database in
the state directory (with the sqlite3 command), the screen's text (through the page and
through the API), the session cookie's attributes.

Only the Python standard library: the WebSocket client (RFC 6455) is written here.
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

    made = subprocess.run(
        [kioskctl_path, "token", "new", "--name", "test", "--role", "staff", "--format", "json"],
        capture_output=True, text=True, timeout=30)
    check(made.returncode == 0, "kioskctl token new succeeds", made.stderr)
    made = json.loads(made.stdout)
    token, token_config = made["token"], made["config"]
    check(token not in token_config, "the configuration lines hold only the token's hash")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    state = os.path.join(tmp, "state")
    config = os.path.join(tmp, "kiosk.conf")
    with open(config, "w") as f:
        f.write(f"""[venue]
name = Tiers-lieu d'essai
language = fr

[screen]
backend = terminal
colors = mono
panel-duration = 3s

[state]
directory = {state}

[http]
listen = 127.0.0.1:{port}

{token_config}
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
             "--password-store=basic", "--use-mock-keychain", "--window-size=412,915",
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
            scenario(page, base, token, state)
        finally:
            devtools.close()
    finally:
        for name in ("chromium", "kioskd"):
            stop(processes.get(name), name)
        kioskd_log.close()
    code = processes["kioskd"].returncode
    check(code == 0, f"kioskd stopped cleanly on SIGTERM (exit {code})", open(os.path.join(tmp, "kioskd.stderr")).read())


def scenario(page, base, token, state):
    db = os.path.join(state, "kiosk.sqlite3")
    staff = base + "/staff/"

    # The sign-in form, in French, with the security headers.
    page.goto(staff)
    check(page.status(staff) == 200, "GET /staff/ is 200")
    headers = {k.lower(): v for k, v in page.responses[staff]["headers"].items()}
    check("default-src 'none'" in headers.get("content-security-policy", ""), "the page is sent with a strict CSP", str(headers))
    document = page.html()
    check('<html lang="fr">' in document, "the page is in French")
    check("Connexion" in document and 'action="/staff/login"' in document, "GET /staff/ shows the sign-in form", document)
    page.screenshot("1-sign-in")

    # A wrong token: the form again, 401, an error in French, no cookie.
    page.type_into("#token", "kiosk_" + "0" * 64)
    page.press_enter_and_wait("#token")
    check(page.status(base + "/staff/login") == 401, "a wrong token is answered 401")
    check("Jeton inconnu" in page.html(), "a wrong token shows the French error", page.html())
    page.screenshot("2-wrong-token")
    check(not [c for c in page.cookies(staff) if c["name"] == "kiosk_staff"], "no session cookie after a wrong token")

    # The right token: redirected to the dashboard, signed in, a safe cookie.
    page.type_into("#token", token)
    page.press_enter_and_wait("#token")
    document = page.html()
    check("Connecté en tant que test" in document, "signing in with the token shows the dashboard", document)
    check(token not in document, "the token is not written in the page")
    cookies = [c for c in page.cookies(staff) if c["name"] == "kiosk_staff"]
    check(len(cookies) == 1, "one kiosk_staff cookie is set", str(page.cookies(staff)))
    cookie = cookies[0]
    check(cookie["httpOnly"] and cookie.get("sameSite") == "Strict" and cookie["path"] == "/staff",
          "the cookie is HttpOnly, SameSite=Strict, Path=/staff", str(cookie))
    check(token not in cookie["value"] and cookie["value"] not in token, "the cookie does not hold the token")
    log("signed in")

    # Post an urgent notice through the form, with characters that must be escaped.
    marker = f"K{random.randint(1000, 9999)}"
    title = f"Atelier annulé <ce soir> & {marker}"
    page.type_into("#title", title)
    page.type_into("#body", "Reporté à jeudi, même heure.")
    page.type_into("#author", "Accueil")
    page.click("input[name=urgent]")
    page.click_and_wait("#post button[type=submit]")
    document = page.html()
    check(page.status(base + "/staff/notices") == 303, "posting the notice is answered 303 (post/redirect/get)")
    check(html.escape(f"Annonce publiée : « {title} ».", quote=False) in document, "the dashboard confirms the notice", document)
    check(f"<strong>Urgent · {html.escape(title, quote=False)}</strong>" in document, "the live list shows the notice, escaped", document)
    rows = sql(db, f"SELECT kind, title, author, urgent, created_by FROM notices WHERE title LIKE '%{marker}'")
    check(rows == f"information|{title}|Accueil|1|test", "the notice is in the database as typed", rows)
    audit = sql(db, "SELECT actor, action FROM audit WHERE action = 'notice.create'")
    check(audit == "test|notice.create", "its creation is in the audit log under the token's name", audit)
    log(f"notice {marker} posted and stored")
    page.screenshot("3-notice-posted")

    # The screen shows it (the notice board is one panel of the rotation: reload until it
    # comes round, through the page and through the API).
    def on_screen_page():
        page.goto(base + "/staff/screen")
        document = page.html()
        start = document.find('<pre id="screen-text">')
        text = html.unescape(document[start:document.find("</pre>", start)])
        return marker in text and "<ce soir>" in text and text
    text = wait_for("the notice on /staff/screen", on_screen_page, timeout=45, interval=1)
    if VERBOSE:
        print(text)
    wait_for(
        "the notice in GET /api/v1/screen",
        lambda: (lambda r: r[0] == 200 and marker in r[1])(http(base + "/api/v1/screen", token)), timeout=45, interval=1)
    log("the notice is on the screen")
    if 'id="screen-image"' in page.html():
        picture = page.responses.get(base + "/staff/screen.png")
        check(picture is not None and picture["status"] == 200 and picture["mimeType"] == "image/png",
              "the screen's picture loads as a PNG", str(picture))
        log("the screen's picture is drawn")
    else:
        log("no screen picture (kioskd found no fonts); the text was checked")
    page.screenshot("4-screen")

    # Upload a programme file through the file input.
    today = time.strftime("%Y%m%d")
    calendar = os.path.join(os.path.dirname(db), "..", "browser.ics")
    with open(calendar, "w", newline="") as f:
        f.write("\r\n".join([
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kiosk//staff-chromium//FR",
            "BEGIN:VEVENT", f"UID:vernissage-{marker}@test", f"DTSTART;TZID=Europe/Paris:{today}T230000",
            f"DTEND;TZID=Europe/Paris:{today}T233000", f"SUMMARY:Vernissage {marker}", "LOCATION:Hall", "END:VEVENT",
            "BEGIN:VEVENT", f"UID:atelier-{marker}@test", f"DTSTART;VALUE=DATE:{today}",
            f"SUMMARY:Atelier {marker}", "END:VEVENT", "END:VCALENDAR", ""]))
    page.goto(staff)
    page.attach_file("#file", os.path.abspath(calendar))
    page.dt.call("DOM.setAttributeValue", nodeId=page.node("#name"), name="value", value="")
    page.type_into("#name", "navigateur")
    page.click_and_wait("#programme button[type=submit]")
    document = page.html()
    check(page.status(base + "/staff/programme") == 303, "the programme upload is answered 303", document)
    check("Programme mis à jour." in document and '<dd id="events-read">2</dd>' in document,
          "the validation report says 2 events were read and applied", document)
    events = sql(db, "SELECT count(*) FROM events WHERE source_id = 'push:navigateur'")
    check(events == "2", "the two events are in the database under push:navigateur", events)
    log("programme uploaded")
    page.screenshot("5-programme-report")

    # Withdraw the notice.
    notice_id = sql(db, f"SELECT id FROM notices WHERE title LIKE '%{marker}'")
    page.click_and_wait(f"#live form:has(input[name=id][value=\"{notice_id}\"]) button")
    document = page.html()
    check("Annonce retirée" in document, "withdrawing confirms", document)
    check(sql(db, f"SELECT count(*) FROM notices WHERE id = '{notice_id}'") == "0", "the notice is gone from the database")
    log("notice withdrawn")

    # Sign out: back to the sign-in form, the cookie dropped.
    page.click_and_wait("form.signout button")
    check('action="/staff/login"' in page.html(), "signing out shows the sign-in form again")
    check(not [c for c in page.cookies(staff) if c["name"] == "kiosk_staff"], "the cookie is gone after signing out")

    csp = [m for m in page.console if "Content Security Policy" in m]
    check(not csp, "the browser reported no Content-Security-Policy violation", "\n".join(csp))


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
    log("PASS: signed in, posted a notice (database, screen), uploaded a programme, withdrew, signed out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
