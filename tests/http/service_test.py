#!/usr/bin/env python3
"""The passport service as a real process on loopback.

usage: python3 tests/http/service_test.py PATH/TO/lanyard

Sets a deployment up with the administration commands, starts `lanyard serve`, and checks:
the journey "employer issues -> staff member holds it -> another organisation verifies ->
employer revokes -> the verification shows it"; hostile input (a 100 MB body, malformed JSON, a
client sending one byte a second, 5,000 idle connections) refused cleanly with the service still
answering; graceful shutdown on SIGTERM; a SIGKILL during concurrent issuance losing nothing
acknowledged; and `lanyard audit verify` finding an edited audit entry.

Prints one "ok NAME" / "FAIL NAME" line per check; exits 1 when any failed.
"""

import concurrent.futures
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from harness import PASSWORD, Service, check, finish, free_port


def set_up(svc):
    r = svc.admin("admin", "bootstrap", "--email", "root@nhs.example", "--name", "Root",
                  password=PASSWORD)
    check("admin bootstrap creates the national administrator", r.returncode == 0, r.stderr)
    check("a new deployment gets a master key file with mode 0600",
          os.path.exists(svc.db + ".master-key") and
          (os.stat(svc.db + ".master-key").st_mode & 0o077) == 0, r.stderr)
    tokens = {}
    for ods in ("RGT", "R1H"):
        r = svc.admin("admin", "org", "add", "--ods", ods, "--name", f"{ods} NHS Trust",
                      "--kinds", "trust")
        check(f"admin org add {ods}", r.returncode == 0, r.stderr)
        for role in ("hr_issuer", "verifier", "org_admin"):
            r = svc.admin("admin", "token", "create", "--org", ods, "--role", role)
            check(f"admin token create {ods} {role}", r.returncode == 0 and
                  r.stdout.startswith("lyt_"), r.stderr)
            tokens[(ods, role)] = r.stdout.strip()
    registry = os.path.join(os.path.dirname(svc.db), "registry.json")
    with open(registry, "w") as f:
        json.dump({"format": "lanyard-trust-registry/1", "serial": 3, "organisations": [
            {"ods": "RGT", "name": "RGT NHS Trust", "kinds": ["trust"],
             "identifiers": ["did:web:rgt.example"]},
            {"ods": "RYJ", "name": "Imperial College Healthcare NHS Trust",
             "kinds": ["trust"], "region": "Y56", "identifiers": ["did:web:ryj.example"]}],
            "authorisations": [], "agreements": []}, f)
    r = svc.admin("admin", "org", "import", "--registry", registry)
    check("admin org import adds the registry's new organisations and keeps existing ones",
          r.returncode == 0 and r.stdout.startswith("RYJ ") and "RGT" not in r.stdout and
          "1 organisation(s) added, 1 already" in r.stderr, r.stdout + r.stderr)
    r = svc.admin("admin", "bootstrap", "--email", "other@nhs.example", "--name", "Other",
                  password=PASSWORD)
    check("a second bootstrap is refused", r.returncode == 2 and "account.exists" in r.stderr,
          r.stderr)
    return tokens


def journey(svc, tokens):
    hr, verifier = tokens[("RGT", "hr_issuer")], tokens[("R1H", "verifier")]
    status, headers, page = svc.request("GET", "/")
    headers = dict((k.lower(), v) for k, v in headers)
    check("the start page is public HTML with a strict Content-Security-Policy",
          status == 200 and headers.get("content-type", "").startswith("text/html") and
          "script-src 'self'" in headers.get("content-security-policy", "") and
          b"Your staff passport" in page, (status, headers))
    status, body = svc.json("POST", "/orgs/RGT/invitations",
                            {"email": "nurse@example.org", "displayName": "Amara Okafor"},
                            token=hr)
    check("HR invites a staff member", status == 201, body)
    code = body["invitation"]
    status, user = svc.json("POST", "/auth/signup",
                            {"invitation": code, "email": "nurse@example.org",
                             "displayName": "Amara Okafor", "password": PASSWORD})
    check("the staff member signs up with the invitation", status == 201, user)
    status, again = svc.json("POST", "/auth/signup",
                             {"invitation": code, "email": "someone@example.org",
                              "displayName": "Someone", "password": PASSWORD})
    check("an invitation works once", status == 404 and again.get("code") == "invitation.invalid",
          again)
    status, headers, payload = svc.request("POST", "/auth/login",
                                           {"email": "nurse@example.org", "password": PASSWORD})
    cookie_header = dict((k.lower(), v) for k, v in headers).get("set-cookie", "")
    check("sign-in sets a Secure, HttpOnly, SameSite session cookie",
          status == 200 and "Secure" in cookie_header and "HttpOnly" in cookie_header and
          "SameSite=Strict" in cookie_header, cookie_header)
    cookie = cookie_header.split(";")[0].split("=", 1)[1]
    csrf = json.loads(payload)["csrfToken"]

    claims = json.load(open(os.path.join(os.path.dirname(__file__), "dbs-claims.json")))
    status, issued = svc.json("POST", "/orgs/RGT/credentials",
                              {"subject": user["id"], "type": "dbs", "claims": claims},
                              token=hr)
    check("the employer issues a DBS credential into the staff member's wallet", status == 201,
          issued)
    cred_id = issued["credential"]["id"]
    status, wallet = svc.json("GET", "/wallet/credentials", cookie=cookie)
    check("the staff member sees it as valid",
          status == 200 and wallet["credentials"][0]["standing"] == "valid", wallet)
    status, held = svc.json("GET", f"/wallet/credentials/{cred_id}", cookie=cookie)
    vc = held["verifiableCredential"]
    status, report = svc.json("POST", "/credentials/verify", {"verifiableCredential": vc},
                              token=verifier)
    check("the receiving organisation verifies it (VC-API, status included)",
          status == 200 and report["verified"], report)
    status, body = svc.json("POST", f"/orgs/RGT/credentials/{cred_id}/revoke",
                            {"reason": "certificate withdrawn"}, token=hr)
    check("the employer revokes it", status == 200 and body["state"] == "revoked", body)
    status, report = svc.json("POST", "/credentials/verify", {"verifiableCredential": vc},
                              token=verifier)
    check("the next verification shows the revocation",
          status == 200 and not report["verified"] and "status.revoked" in report["errors"],
          report)
    status, body = svc.json("POST", f"/orgs/RGT/credentials/{cred_id}/revoke",
                            {"reason": "again"}, token=verifier)
    check("a verifier cannot revoke", status == 403, body)
    status, body = svc.json("GET", "/orgs/RGT/credentials", token=verifier)
    check("R1H's verifier cannot list RGT's credentials", status in (403, 404), body)
    status, body = svc.json("POST", "/wallet/export", cookie=cookie, csrf=csrf)
    check("export needs a fresh step-up",
          status == 401 and body.get("code") == "auth.step_up_required", body)
    status, body = svc.json("POST", "/me/step-up", {"secret": PASSWORD}, cookie=cookie, csrf=csrf)
    check("the staff member steps up with their password", status == 200, body)
    status, body = svc.json("POST", "/wallet/export", cookie=cookie, csrf=csrf)
    check("then exports every credential",
          status == 200 and len(body["credentials"]) == 1, body)
    return user


def key_rotation(svc, tokens, user):
    hr, verifier = tokens[("RGT", "hr_issuer")], tokens[("R1H", "verifier")]
    admin = tokens[("RGT", "org_admin")]
    claims = json.load(open(os.path.join(os.path.dirname(__file__), "dbs-claims.json")))

    def issue():
        status, body = svc.json("POST", "/orgs/RGT/credentials",
                                {"subject": user["id"], "type": "dbs", "claims": claims},
                                token=hr)
        check("RGT issues", status == 201, body)
        return body["verifiableCredential"] if status == 201 else {}

    def verified(vc):
        status, report = svc.json("POST", "/credentials/verify", {"verifiableCredential": vc},
                                  token=verifier)
        return status == 200 and report["verified"], report

    first = issue()
    # The operator rotates from the command line while the server runs: the server must sign
    # with the new key and resolve it at once, from the shared database and key store.
    r = svc.admin("admin", "org", "rotate-key", "--ods", "RGT", "--reason", "annual rotation")
    check("admin org rotate-key gives RGT a new key", r.returncode == 0 and
          "retired" in r.stdout, r.stdout + r.stderr)
    second = issue()
    check("the server signs with the new key at once",
          second.get("proof", {}).get("verificationMethod") !=
          first.get("proof", {}).get("verificationMethod"), second)
    ok, report = verified(second)
    check("a credential signed with the new key verifies", ok, report)
    ok, report = verified(first)
    check("one signed with the retired key still verifies", ok, report)
    status, keys = svc.json("GET", "/orgs/RGT/keys", token=admin)
    check("the administrator sees the active and the retired key",
          status == 200 and [k["status"] for k in keys["keys"]] == ["active", "retired"], keys)
    status, body = svc.json("POST", "/orgs/RGT/keys/rotate", {"reason": "test"}, token=admin)
    check("an API token cannot rotate (no one to step up)",
          status == 401 and body.get("code") == "auth.step_up_required", body)
    r = svc.admin("admin", "org", "rotate-key", "--ods", "RGT", "--reason", "key exposed",
                  "--compromised")
    check("admin org rotate-key --compromised disowns the key", r.returncode == 0, r.stderr)
    ok, report = verified(second)
    check("what the compromised key signed no longer verifies", not ok, report)
    ok, report = verified(first)
    check("what the retired key signed still verifies", ok, report)
    ok, report = verified(issue())
    check("new credentials verify", ok, report)


def hostile_input(svc, tokens):
    # A 100 MB Content-Length is refused before any body is sent.
    with socket.create_connection(("127.0.0.1", svc.port), timeout=10) as s:
        s.sendall(b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 104857600\r\n\r\n")
        answer = s.recv(4096).decode(errors="replace")
    check("a 100 MB body is refused with 413 before it is read", " 413 " in answer.split("\r\n")[0],
          answer)
    status, body = svc.json("POST", "/auth/login", b"{\"email\": ")
    check("malformed JSON is a 400 problem", status == 400 and isinstance(body, dict) and
          body.get("code", "").startswith("input."), body)
    status, headers, payload = svc.request("POST", "/auth/login", b"{}",
                                           headers={"Content-Type": "text/plain"})
    check("a body that is not JSON is refused", status == 400, payload)

    # A client that sends one byte a second is cut off by the read timeout (2 s here).
    slow = socket.create_connection(("127.0.0.1", svc.port), timeout=15)
    started = time.time()
    cut = False
    try:
        for ch in b"GET /healthz HTTP/1.1\r\nHost: x\r\n":
            slow.sendall(bytes([ch]))
            time.sleep(1)
            if time.time() - started > 12:
                break
    except OSError:
        cut = True
    try:
        data = slow.recv(4096)
        cut = cut or data == b"" or b" 408 " in data
    except OSError:
        cut = True
    slow.close()
    check("a client sending one byte a second is cut off", cut and time.time() - started < 14)

    # 5,000 idle connections, and the service still answers.
    idle = []
    try:
        for _ in range(5000):
            idle.append(socket.create_connection(("127.0.0.1", svc.port), timeout=10))
        status, _, _ = svc.request("GET", "/healthz")
        check("with 5,000 idle connections open the service still answers", status == 200)
    except OSError as e:
        check("with 5,000 idle connections open the service still answers", False, e)
    finally:
        for s in idle:
            s.close()
    status, _, payload = svc.request("GET", "/metrics")
    text = payload.decode()
    check("/metrics needs no authentication and speaks Prometheus text",
          status == 200 and "# TYPE" in text and "lanyard_store_up 1" in text, text[:500])
    status, _, _ = svc.request("GET", "/readyz")
    check("/readyz answers 200", status == 200)


def crash_during_issuance(svc, tokens, staff_id, staff_email):
    """SIGKILL while issuing, revoking and running a bulk job at once."""
    claims = json.load(open(os.path.join(os.path.dirname(__file__), "dbs-claims.json")))
    hr = tokens[("RGT", "hr_issuer")]
    acknowledged = []
    revoked = []
    lock = threading.Lock()
    stop = threading.Event()

    def issuer():
        while not stop.is_set():
            try:
                status, body = svc.json("POST", "/orgs/RGT/credentials",
                                        {"subject": staff_id, "type": "dbs", "claims": claims},
                                        token=hr, timeout=5)
            except (OSError, http.client.HTTPException):
                continue
            if status == 201:
                with lock:
                    acknowledged.append(body["credential"]["id"])

    def revoker():
        while not stop.is_set():
            with lock:
                candidates = [c for c in acknowledged[-50:] if c not in revoked]
            if not candidates:
                time.sleep(0.01)
                continue
            try:
                status, _ = svc.json("POST", f"/orgs/RGT/credentials/{candidates[0]}/revoke",
                                     {"reason": "crash test"}, token=hr, timeout=5)
            except (OSError, http.client.HTTPException):
                continue
            if status == 200:
                with lock:
                    revoked.append(candidates[0])

    # A bulk job of 2,000 rows, so the kill lands while it runs.
    columns = ["email", "credential_type"] + list(claims.keys())
    cell = lambda v: ("true" if v else "false") if isinstance(v, bool) else str(v)
    rows = [",".join(columns)] + [
        ",".join([staff_email, "dbs"] + [cell(claims[k]) for k in claims]) for _ in range(2000)]
    status, _, payload = svc.request("POST", "/orgs/RGT/jobs/bulk-issue",
                                     "\n".join(rows) + "\n", token=hr,
                                     headers={"Content-Type": "text/csv"})
    check("a bulk issuance job starts", status == 202, payload[:300])
    job = json.loads(payload)["id"] if status == 202 else None

    threads = [threading.Thread(target=issuer) for _ in range(6)]
    threads += [threading.Thread(target=revoker) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(3)
    svc.proc.send_signal(signal.SIGKILL)
    svc.proc.wait()
    stop.set()
    for t in threads:
        t.join()
    check("issuance and revocation were acknowledged before the kill",
          len(acknowledged) > 0 and len(revoked) > 0, (len(acknowledged), len(revoked)))
    svc.start()
    missing, unrevoked = [], []
    for cred_id in acknowledged:
        status, body = svc.json("GET", f"/orgs/RGT/credentials/{cred_id}", token=hr)
        if status != 200:
            missing.append(cred_id)
        elif cred_id in revoked and body["state"] != "revoked":
            unrevoked.append(cred_id)
    check(f"after SIGKILL every acknowledged issuance ({len(acknowledged)}) is there",
          not missing, missing[:5])
    check(f"and every acknowledged revocation ({len(revoked)}) holds", not unrevoked,
          unrevoked[:5])
    if job:
        status, body = svc.json("GET", f"/orgs/RGT/jobs/{job}", token=hr)
        check("the interrupted bulk job is marked failed, not left running",
              status == 200 and body.get("state") in ("failed", "done"), body)
    db = sqlite3.connect(svc.db)
    dup = db.execute("SELECT COUNT(*) FROM (SELECT credential_id FROM status_entries "
                     "GROUP BY list_id, credential_id HAVING COUNT(*) > 1)").fetchone()[0]
    db.close()
    check("no credential holds two entries of one list, and no index was given twice", dup == 0)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    lanyard = os.path.abspath(sys.argv[1])
    workdir = tempfile.mkdtemp(prefix="lanyard-http-")
    svc = Service(lanyard, workdir, free_port())
    try:
        tokens = set_up(svc)
        svc.start("--read-timeout", "2")
        user = journey(svc, tokens)
        key_rotation(svc, tokens, user)
        hostile_input(svc, tokens)
        crash_during_issuance(svc, tokens, user["id"], "nurse@example.org")
        rc = svc.stop(signal.SIGTERM)
        check("SIGTERM stops the server cleanly", rc == 0, rc)
        r = subprocess.run([lanyard, "audit", "verify", "--db", svc.db], capture_output=True,
                           text=True, timeout=120)
        check("audit verify finds the chain intact", r.returncode == 0 and "intact" in r.stdout,
              r.stdout + r.stderr)
        db = sqlite3.connect(svc.db)
        db.execute("UPDATE audit_log SET action = 'credential.view' WHERE seq = 3")
        db.commit()
        db.close()
        r = subprocess.run([lanyard, "audit", "verify", "--db", svc.db], capture_output=True,
                           text=True, timeout=120)
        check("audit verify finds an edited entry", r.returncode == 1 and "audit.altered" in r.stdout,
              r.stdout + r.stderr)
    finally:
        svc.stop(signal.SIGKILL)
        code = finish(workdir, [os.path.join(workdir, "server.log")])
    return code


if __name__ == "__main__":
    sys.exit(main())
