#!/usr/bin/env python3
"""Server time of the web pages, as the service's own request log records it (duration_ms: from
the request read to the response handed to the connection), on a deployment with demo data: a
staff member with 15 credentials (a full passport), an issuer's 200 issued credentials, and a verifier's
changeover dashboard of 300 share requests, 40 of them shared and evaluated; and an
administrator's preview of a role profile over the newest 20 of them (POST
/organisation/profiles/check: each request verified once and decided under two profiles), sent
N/10 times.

Each page is fetched N times (default 300) with a signed-in browser's cookie over keep-alive;
the figure is the 95th percentile per page, with /healthz (no store access, no template) timed
the same way in the same run as the reference. Also prints each page's size.

usage: bench/page_bench.py BUILD/lanyard [N]
"""

import http.client
import json
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "http"))
from harness import PASSWORD, Service, free_port, totp  # noqa: E402

CLAIMS = json.load(open(os.path.join(os.path.dirname(__file__), "..", "tests", "http",
                                     "dbs-claims.json")))


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


class Browser:
    """A keep-alive connection with the cookies a browser would keep."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = {}

    def go(self, method, path, form=None, file=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if file is not None:
            # multipart/form-data: the form's fields, then one file (name, filename, bytes).
            boundary = "lanyard-bench-boundary"
            parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                     .encode() for k, v in (form or {}).items()]
            name, filename, data = file
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
                         + data + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif form is not None:
            from urllib.parse import urlencode
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        payload = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, value = v.split(";")[0].split("=", 1)
                self.cookies[name] = value
        return r.status, payload.decode(errors="replace")

    @staticmethod
    def csrf(page):
        return re.search(r'name="csrf_token" value="([^"]*)"', page).group(1)

    def sign_in(self, email, secret=None):
        _, page = self.go("GET", "/sign-in")
        status, page = self.go("POST", "/sign-in", {"csrf_token": self.csrf(page), "email": email,
                                                    "password": PASSWORD, "next": "/home"})
        if secret is not None:
            _, page = self.go("GET", "/sign-in/code")
            self.go("POST", "/sign-in/code", {"csrf_token": self.csrf(page),
                                              "code": totp(secret, time.time() + 30)})


def main():
    lanyard = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    workdir = tempfile.mkdtemp(prefix="lanyard-pages-")
    svc = Service(lanyard, workdir, free_port())
    try:
        svc.admin("admin", "bootstrap", "--email", "root@nhs.example", "--name", "Root",
                  password=PASSWORD)
        tokens = {}
        for ods in ("RGT", "R1H"):
            svc.admin("admin", "org", "add", "--ods", ods, "--name", f"{ods} NHS Trust",
                      "--kinds", "trust")
            for role in ("hr_issuer", "verifier"):
                tokens[(ods, role)] = svc.admin("admin", "token", "create", "--org", ods,
                                                "--role", role).stdout.strip()
        # The verifier also administers R1H, so one browser times the role profile preview.
        svc.admin("admin", "user", "add", "--org", "R1H", "--email", "ver@r1h.example",
                  "--name", "Victor Ng", "--roles", "verifier,org_admin", password=PASSWORD)
        svc.start()
        hr, verifier = tokens[("RGT", "hr_issuer")], tokens[("R1H", "verifier")]

        # Staff: the one who browses, and 39 more for the dashboard.
        people = []
        for i in range(40):
            email = f"staff{i}@nhs.example"
            _, inv = svc.json("POST", "/orgs/RGT/invitations",
                              {"email": email, "displayName": f"Staff {i}"}, token=hr)
            _, user = svc.json("POST", "/auth/signup", {"invitation": inv["invitation"],
                                                        "email": email,
                                                        "displayName": f"Staff {i}",
                                                        "password": PASSWORD})
            people.append((email, user["id"]))
        first_credential = None
        for i in range(200):
            subject = people[0][1] if i < 15 else people[i % 40][1]
            _, issued = svc.json("POST", "/orgs/RGT/credentials",
                                 {"subject": subject, "type": "dbs", "claims": CLAIMS}, token=hr)
            first_credential = first_credential or issued["credential"]["id"]
        # 300 share requests; each person opens and consents to one.
        shares = []
        for i in range(300):
            _, created = svc.json("POST", "/orgs/R1H/shares",
                                  {"profile": "registered-nurse", "movement": "permanent_transfer",
                                   "startDate": "2027-08-04"}, token=verifier)
            shares.append(created)
        for (email, _), created in zip(people, shares):
            status, headers, payload = svc.request("POST", "/auth/login",
                                                   {"email": email, "password": PASSWORD})
            cookie = dict((k.lower(), v) for k, v in headers)["set-cookie"].split(";")[0]
            cookie = cookie.split("=", 1)[1]
            csrf = json.loads(payload)["csrfToken"]
            svc.json("POST", "/me/step-up", {"secret": PASSWORD}, cookie=cookie, csrf=csrf)
            _, opened = svc.json("POST", "/wallet/shares/open",
                                 {"link": created["link"]}, cookie=cookie, csrf=csrf)
            svc.json("POST", f"/wallet/shares/{opened['id']}/consent", {},
                     cookie=cookie, csrf=csrf)

        staff = Browser(svc.port)
        staff.sign_in(people[0][0])
        ver = Browser(svc.port)
        # The verifier's authenticator, enrolled through the API.
        status, headers, payload = svc.request("POST", "/auth/login",
                                               {"email": "ver@r1h.example", "password": PASSWORD})
        cookie = dict((k.lower(), v) for k, v in headers)["set-cookie"].split(";")[0].split("=", 1)[1]
        csrf = json.loads(payload)["csrfToken"]
        _, enrol = svc.json("POST", "/me/totp/enrol", {}, cookie=cookie, csrf=csrf)
        secret = re.search(r"secret=([A-Z2-7]+)", enrol["otpauthUri"]).group(1)
        svc.json("POST", "/me/totp/confirm", {"code": totp(secret)}, cookie=cookie, csrf=csrf)
        ver.sign_in("ver@r1h.example", secret)
        ver.go("GET", "/requests")  # evaluates the shared requests, 25 a load
        ver.go("GET", "/requests")
        report_id = shares[0]["id"]

        pages = [
            (staff, "/passport"), (staff, f"/passport/credentials/{first_credential}"),
            (staff, "/passport/history"), (staff, "/passport/shares"),
            (ver, "/requests"), (ver, f"/requests/{report_id}"), (ver, "/requests/new"),
            (staff, "/"), (staff, "/privacy"), (staff, "/healthz"),
        ]
        sizes = {}
        log_start = os.path.getsize(svc.log.name)
        svc.log.flush()
        for browser, path in pages:
            for _ in range(n):
                status, body = browser.go("GET", path)
                if status != 200:
                    raise RuntimeError(f"{path}: {status}\n{body[:500]}")
            sizes[path] = len(body)
        # A role profile's preview: the newest 20 of the 40 shared registered-nurse requests, each
        # evaluated under the profile it was made with and under a local one without the DBS check.
        nurse = open(os.path.join(os.path.dirname(__file__), "..", "profiles",
                                  "registered-nurse.profile")).read()
        nurse = re.sub(r"(?m)^version = .*$", "version = 1", nurse)
        nurse = re.sub(r"(?ms)^(\[dbs\].*?^required = )true", r"\1false", nurse, count=1)
        previews = max(10, n // 10)
        for _ in range(previews):
            _, page = ver.go("GET", "/organisation/profiles")
            status, body = ver.go("POST", "/organisation/profiles/check",
                                  {"csrf_token": Browser.csrf(page)},
                                  ("file", "nurse.profile", nurse.encode()))
            if status != 200 or "profile-effect" not in body:
                raise RuntimeError(f"profile preview: {status}\n{body[:800]}")
        sizes["POST /organisation/profiles/check"] = len(body)
        pages.append((ver, "POST /organisation/profiles/check"))
        time.sleep(0.5)
        durations = {}
        with open(svc.log.name, "rb") as f:
            f.seek(log_start)
            for line in f:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("event") != "request":
                    continue
                if entry.get("method") == "GET":
                    durations.setdefault(entry["path"], []).append(entry["duration_ms"])
                elif entry.get("path") == "/organisation/profiles/check":
                    durations.setdefault("POST /organisation/profiles/check", []).append(
                        entry["duration_ms"])
        reference = p95(durations["/healthz"])
        print(f"page server time, p95 of {n} requests each (ms); reference GET /healthz p95 "
              f"{reference:.3f} ms in the same run")
        worst = 0.0
        for _, path in pages:
            key = path
            values = durations.get(key, [])
            if not values:
                continue
            q = p95(values)
            worst = max(worst, q) if path != "/healthz" else worst
            print(f"  {path.split('/urn:')[0]:<40} p95 {q:7.3f} ms  ({q / reference:6.1f} x healthz)"
                  f"  {sizes[path] / 1024:6.1f} KB")
        print(f"slowest page p95: {worst:.3f} ms (goal: 20 ms)")
    finally:
        svc.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
