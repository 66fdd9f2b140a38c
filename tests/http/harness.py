"""Shared pieces of the real-process tests of the passport service (service_test.py,
backup_test.py): one "ok NAME" / "FAIL NAME" line per check, a free loopback port, and a
`lanyard serve` process on a deployment with its administration commands.

Python standard library only.
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import time

PASSWORD = "correct horse battery staple"
failures = 0


def check(name, condition, detail=""):
    global failures
    if condition:
        print(f"ok {name}")
    else:
        failures += 1
        print(f"FAIL {name}")
        if detail:
            for line in str(detail)[:3000].splitlines():
                print(f"     | {line}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """One `lanyard serve` process on a deployment directory.

    `db` defaults to WORKDIR/lanyard.db; `base` (the origin in every organisation's DID) to the
    listening address. A restored deployment keeps its original base URL on a new port.
    """

    def __init__(self, lanyard, workdir, port, db=None, base=None):
        self.lanyard = lanyard
        self.db = db or os.path.join(workdir, "lanyard.db")
        self.port = port
        self.base = base or f"http://127.0.0.1:{port}"
        self.proc = None
        self.log = open(os.path.join(workdir, "server.log"), "ab")

    def admin(self, *args, password=None):
        cmd = [self.lanyard, *args, "--db", self.db, "--base-url", self.base]
        return subprocess.run(cmd, input=(password + "\n") if password else "",
                              capture_output=True, text=True, timeout=60)

    def start(self, *extra):
        self.proc = subprocess.Popen(
            [self.lanyard, "serve", "--db", self.db, "--base-url", self.base,
             "--listen", f"127.0.0.1:{self.port}", *extra],
            stdout=self.log, stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                status, _, _ = self.request("GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def request(self, method, path, body=None, token=None, cookie=None, csrf=None,
                headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        if token:
            h["Authorization"] = f"Bearer {token}"
        if cookie:
            h["Cookie"] = f"__Host-lanyard_session={cookie}"
        if csrf:
            h["X-CSRF-Token"] = csrf
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        payload = r.read()
        result = (r.status, r.getheaders(), payload)
        conn.close()
        return result

    def json(self, method, path, body=None, **kw):
        status, headers, payload = self.request(method, path, body, **kw)
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, payload.decode(errors="replace")

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None


def totp(secret_b32, at=None, step=30, digits=6):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((at or time.time()) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(code).zfill(digits)


def failed():
    """How many checks have failed so far."""
    return failures


def finish(workdir, logs):
    """Ends a test run: on failure, the tail of each server log that exists; then the work
    directory removed, the summary line, and the exit status (1 when any check failed)."""
    if failed():
        for log in logs:
            if os.path.exists(log):
                print(f"{log} (tail):")
                with open(log, "rb") as f:
                    print(f.read()[-3000:].decode(errors="replace"))
    shutil.rmtree(workdir, ignore_errors=True)
    print(f"{'FAILED' if failed() else 'passed'}: {failed()} failure(s)")
    return 1 if failed() else 0
