#!/usr/bin/env python3
"""make demo, last part: the passport service with demo organisations and staff.

usage: scripts/demo_service.py PATH/TO/lanyard [--port N] [--dir DIR] [--no-serve]

Creates a deployment (SQLite, master key, key store) in DIR (default build/demo-service, wiped
first), adds three NHS trusts with their administrators, HR officers and receiving-organisation
verifiers, invites staff who sign up and receive credentials, then starts `lanyard serve` and
prints the address and how to sign in. Stops on Ctrl-C (SIGTERM to the server: in-flight
requests finish). With --no-serve it stops after showing one verification and a revocation.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

PASSWORD = "lanyard-demo-2026"
ORGS = [
    ("RGT", "Cambridge University Hospitals NHS Foundation Trust", "East of England",
     "Cambridgeshire and Peterborough"),
    ("R1H", "Barts Health NHS Trust", "London", "North East London"),
    ("RYJ", "Imperial College Healthcare NHS Trust", "London", "North West London"),
]
STAFF = [
    ("RGT", "amara.okafor@example.nhs.uk", "Amara Okafor"),
    ("RGT", "tom.reilly@example.nhs.uk", "Tom Reilly"),
    ("R1H", "priya.shah@example.nhs.uk", "Priya Shah"),
]


def call(base, method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lanyard")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--dir", default="build/demo-service")
    ap.add_argument("--no-serve", action="store_true")
    args = ap.parse_args()
    lanyard = os.path.abspath(args.lanyard)
    shutil.rmtree(args.dir, ignore_errors=True)
    os.makedirs(args.dir)
    db = os.path.join(args.dir, "lanyard.db")
    port = args.port
    if port == 0:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"

    def admin(*a, password=None):
        r = subprocess.run([lanyard, *a, "--db", db, "--base-url", base],
                           input=(password + "\n") if password else "", capture_output=True,
                           text=True)
        if r.returncode != 0:
            sys.exit(f"demo: lanyard {' '.join(a)} failed: {r.stderr}")
        return r.stdout.strip()

    print("== 16. The passport service: one deployment, many organisations")
    admin("admin", "bootstrap", "--email", "national.admin@example.nhs.uk", "--name",
          "National Administrator", password=PASSWORD)
    tokens = {}
    for ods, name, region, ics in ORGS:
        admin("admin", "org", "add", "--ods", ods, "--name", name, "--kinds", "trust",
              "--region", region, "--ics", ics)
        for role, who in (("org_admin", "admin"), ("hr_issuer", "hr"),
                          ("verifier", "medical.staffing")):
            admin("admin", "user", "add", "--org", ods, "--roles", role, "--email",
                  f"{who}@{ods.lower()}.example.nhs.uk", "--name", f"{ods} {who}",
                  password=PASSWORD)
        for role in ("hr_issuer", "verifier"):
            tokens[(ods, role)] = admin("admin", "token", "create", "--org", ods, "--role", role,
                                        "--label", "demo")
    log = open(os.path.join(args.dir, "server.log"), "ab")
    server = subprocess.Popen([lanyard, "serve", "--db", db, "--base-url", base, "--listen",
                               f"127.0.0.1:{port}"], stdout=log, stderr=log)
    for _ in range(300):
        try:
            if call(base, "GET", "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.05)
    claims = json.load(open("examples/claims/dbs.json"))
    issued = []
    for ods, email, name in STAFF:
        _, invite = call(base, "POST", f"/orgs/{ods}/invitations",
                         {"email": email, "displayName": name}, tokens[(ods, "hr_issuer")])
        _, user = call(base, "POST", "/auth/signup",
                       {"invitation": invite["invitation"], "email": email, "displayName": name,
                        "password": PASSWORD})
        status, body = call(base, "POST", f"/orgs/{ods}/credentials",
                            {"subject": user["id"], "type": "dbs", "claims": claims},
                            tokens[(ods, "hr_issuer")])
        if status != 201:
            server.terminate()
            sys.exit(f"demo: issuing to {email} failed: {body}")
        issued.append((ods, body))
        print(f"   {ods} invited {name}; they signed up and hold a DBS credential")
    ods, body = issued[0]
    status, report = call(base, "POST", "/credentials/verify",
                          {"verifiableCredential": body["verifiableCredential"]},
                          tokens[("R1H", "verifier")])
    print(f"   R1H verifies {ods}'s credential (VC-API): verified={report['verified']}")
    call(base, "POST", f"/orgs/{ods}/credentials/{body['credential']['id']}/revoke",
         {"reason": "demo: certificate withdrawn"}, tokens[(ods, "hr_issuer")])
    status, report = call(base, "POST", "/credentials/verify",
                          {"verifiableCredential": body["verifiableCredential"]},
                          tokens[("R1H", "verifier")])
    print(f"   {ods} revokes it; R1H verifies again: verified={report['verified']} "
          f"errors={report['errors']}")
    if report["verified"]:
        server.terminate()
        sys.exit("demo: a revoked credential still verified")

    if args.no_serve:
        server.send_signal(signal.SIGTERM)
        server.wait()
        return 0
    print(f"""
Lanyard is serving {base}   (API description: {base}/openapi.json)
Sign in (POST {base}/auth/login with {{"email", "password"}}); every password is {PASSWORD}
  staff:     {STAFF[1][1]}   (their passport: GET /wallet/credentials)
  HR:        hr@rgt.example.nhs.uk   (organisation staff enrol an authenticator app first)
  verifier:  medical.staffing@r1h.example.nhs.uk
  API token for R1H's verifier: {tokens[('R1H', 'verifier')]}
The deployment is in {args.dir}. Stop with Ctrl-C.""")
    try:
        server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGTERM)
        server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
