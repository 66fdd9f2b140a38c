#!/usr/bin/env python3
"""Backup and restore of a running passport service, as real processes on loopback.

usage: python3 tests/http/backup_test.py PATH/TO/lanyard

Sets a deployment up with the administration commands, starts `lanyard serve`, issues
credentials, and runs `lanyard backup` while the server serves and threads keep issuing. Then
escrows the master key (`lanyard admin key export`), checks that restore refuses without the key
and refuses a corrupted backup leaving nothing behind, restores into a new path with the escrowed
key beside it, starts a fresh server on the restored deployment (same base URL, new port), and
checks that a credential issued before the backup verifies (VC-API), can be revoked, then
verifies as revoked; and that `lanyard audit verify` finds the restored chain intact.

Prints one "ok NAME" / "FAIL NAME" line per check; exits 1 when any failed.
"""

import http.client
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

from harness import PASSWORD, Service, check, finish, free_port


def run(*args, timeout=120):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def set_up(svc):
    tokens = {}
    for ods in ("RGT", "R1H"):
        r = svc.admin("admin", "org", "add", "--ods", ods, "--name", f"{ods} NHS Trust",
                      "--kinds", "trust")
        check(f"admin org add {ods}", r.returncode == 0, r.stderr)
    for ods, role in (("RGT", "hr_issuer"), ("R1H", "verifier")):
        r = svc.admin("admin", "token", "create", "--org", ods, "--role", role)
        check(f"admin token create {ods} {role}", r.returncode == 0, r.stderr)
        tokens[role] = r.stdout.strip()
    return tokens


def staff_member(svc, hr):
    status, body = svc.json("POST", "/orgs/RGT/invitations",
                            {"email": "nurse@example.org", "displayName": "Amara Okafor"},
                            token=hr)
    check("HR invites a staff member", status == 201, body)
    status, user = svc.json("POST", "/auth/signup",
                            {"invitation": body["invitation"], "email": "nurse@example.org",
                             "displayName": "Amara Okafor", "password": PASSWORD})
    check("the staff member signs up", status == 201, user)
    return user["id"]


def issue(svc, hr, staff_id, claims, timeout=30):
    status, body = svc.json("POST", "/orgs/RGT/credentials",
                            {"subject": staff_id, "type": "dbs", "claims": claims},
                            token=hr, timeout=timeout)
    return status, body


def verify(svc, verifier, vc):
    return svc.json("POST", "/credentials/verify", {"verifiableCredential": vc}, token=verifier)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    lanyard = os.path.abspath(sys.argv[1])
    workdir = tempfile.mkdtemp(prefix="lanyard-backup-")
    restored_dir = os.path.join(workdir, "restored")
    os.mkdir(restored_dir)
    svc = Service(lanyard, workdir, free_port())
    fresh = None
    claims = json.load(open(os.path.join(os.path.dirname(__file__), "dbs-claims.json")))
    try:
        tokens = set_up(svc)
        hr, verifier = tokens["hr_issuer"], tokens["verifier"]
        svc.start()
        staff_id = staff_member(svc, hr)
        status, first = issue(svc, hr, staff_id, claims)
        check("a credential is issued before the backup", status == 201, first)
        vc = first["verifiableCredential"]
        status, report = verify(svc, verifier, vc)
        check("it verifies on the original server", status == 200 and report["verified"], report)

        # Backup while the server serves and four threads keep issuing.
        acknowledged = []  # (time acknowledged, credential id)
        lock = threading.Lock()
        stop = threading.Event()

        def worker():
            while not stop.is_set():
                try:
                    status, body = issue(svc, hr, staff_id, claims, timeout=10)
                except (OSError, http.client.HTTPException):
                    continue
                if status == 201:
                    with lock:
                        acknowledged.append((time.monotonic(), body["credential"]["id"]))

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        while len(acknowledged) < 5:
            time.sleep(0.01)
        backup = os.path.join(workdir, "deployment.lanyard-backup")
        started = time.monotonic()
        with lock:
            before_backup = [cid for _, cid in acknowledged]
        r = run(lanyard, "backup", "--db", svc.db, "--out", backup)
        finished = time.monotonic()
        time.sleep(0.3)
        stop.set()
        for t in threads:
            t.join()
        check("lanyard backup succeeds while the server serves and issues",
              r.returncode == 0 and os.path.exists(backup), r.stdout + r.stderr)
        during = [cid for at, cid in acknowledged if started <= at <= finished]
        after = [cid for at, cid in acknowledged if at > finished]
        check("issuance kept being acknowledged during and after the backup",
              len(during) > 0 and len(after) > 0, (len(during), len(after)))
        print(f"     | acknowledged while the backup ran: {len(during)}, after it: {len(after)}")
        check("the backup says loudly that the master key is not in it",
              "MASTER KEY IS NOT IN THIS BACKUP" in r.stderr, r.stderr)
        check("the backup file is readable only by its owner (mode 0600)", mode(backup) == 0o600,
              oct(mode(backup)))
        key_hex = open(svc.db + ".master-key").read().strip()
        with open(backup, "rb") as f:
            archive = f.read()
        check("the backup starts with its magic and does not contain the master key",
              archive.startswith(b"LANYARD-BACKUP\n") and key_hex.encode() not in archive)
        r2 = run(lanyard, "backup", "--db", svc.db, "--out", backup)
        check("a backup never replaces an existing file",
              r2.returncode == 2 and "backup.exists" in r2.stderr, r2.stderr)

        # Escrow.
        escrow = os.path.join(workdir, "escrow", "master.key")
        os.mkdir(os.path.dirname(escrow), 0o700)
        r = run(lanyard, "admin", "key", "export", "--db", svc.db, "--out", escrow)
        check("admin key export writes the master key with mode 0600 and a warning",
              r.returncode == 0 and mode(escrow) == 0o600 and "WARNING" in r.stderr and
              open(escrow).read().strip() == key_hex, r.stdout + r.stderr)
        r = run(lanyard, "admin", "key", "export", "--db", svc.db, "--out", escrow)
        check("admin key export never replaces a file",
              r.returncode == 2 and "masterkey.exists" in r.stderr, r.stderr)

        # Refusals leave nothing behind.
        restored_db = os.path.join(restored_dir, "lanyard.db")
        r = run(lanyard, "restore", "--in", backup, "--db", restored_db)
        check("restore without the master key is refused, leaving nothing",
              r.returncode == 2 and "masterkey.not_found" in r.stderr and
              os.listdir(restored_dir) == [], r.stderr)
        shutil.copyfile(escrow, restored_db + ".master-key")
        os.chmod(restored_db + ".master-key", 0o600)
        corrupted = os.path.join(workdir, "corrupted.lanyard-backup")
        with open(corrupted, "wb") as f:
            f.write(archive[:len(archive) // 2] + bytes([archive[len(archive) // 2] ^ 1]) +
                    archive[len(archive) // 2 + 1:])
        r = run(lanyard, "restore", "--in", corrupted, "--db", restored_db)
        check("a corrupted backup is refused (backup.corrupt), leaving nothing",
              r.returncode == 2 and "backup.corrupt" in r.stderr and
              sorted(os.listdir(restored_dir)) == ["lanyard.db.master-key"], r.stderr)
        with open(corrupted, "wb") as f:
            f.write(archive[:-100])
        r = run(lanyard, "restore", "--in", corrupted, "--db", restored_db)
        check("a truncated backup is refused (backup.truncated)",
              r.returncode == 2 and "backup.truncated" in r.stderr, r.stderr)
        r = run(lanyard, "restore", "--in", backup, "--db", svc.db)
        check("restore never overwrites a deployment",
              r.returncode == 2 and "backup.exists" in r.stderr, r.stderr)

        r = run(lanyard, "restore", "--in", backup, "--db", restored_db)
        check("lanyard restore into a new path verifies the restored chain and keys",
              r.returncode == 0 and "verified" in r.stdout, r.stdout + r.stderr)

        rc = svc.stop(signal.SIGTERM)
        check("the original server stops cleanly on SIGTERM", rc == 0, rc)

        # A fresh server on the restored deployment: same base URL (it is in every DID), new port.
        fresh = Service(lanyard, restored_dir, free_port(), db=restored_db, base=svc.base)
        fresh.start()
        missing = [cid for cid in before_backup
                   if fresh.json("GET", f"/orgs/RGT/credentials/{cid}", token=hr)[0] != 200]
        check(f"every credential acknowledged before the backup ({len(before_backup)}) "
              "is in the restored deployment", not missing, missing[:5])
        status, report = verify(fresh, verifier, vc)
        check("the restored server verifies a credential issued before the backup",
              status == 200 and report["verified"], report)
        status, body = fresh.json("POST", f"/orgs/RGT/credentials/{first['credential']['id']}"
                                  "/revoke", {"reason": "withdrawn after restore"}, token=hr)
        check("the restored server revokes it", status == 200 and body["state"] == "revoked", body)
        status, report = verify(fresh, verifier, vc)
        check("and then verifies it as revoked",
              status == 200 and not report["verified"] and "status.revoked" in report["errors"],
              report)
        status, issued = issue(fresh, hr, staff_id, claims)
        check("the restored server issues with the restored signing key", status == 201, issued)
        if status == 201:
            status, report = verify(fresh, verifier, issued["verifiableCredential"])
            check("and that credential verifies", status == 200 and report["verified"], report)
        rc = fresh.stop(signal.SIGTERM)
        check("the restored server stops cleanly on SIGTERM", rc == 0, rc)
        r = run(lanyard, "audit", "verify", "--db", restored_db)
        check("lanyard audit verify finds the restored chain intact",
              r.returncode == 0 and "intact" in r.stdout, r.stdout + r.stderr)
    finally:
        svc.stop(signal.SIGKILL)
        if fresh:
            fresh.stop(signal.SIGKILL)
        code = finish(workdir, [os.path.join(workdir, "server.log"),
                                os.path.join(restored_dir, "server.log")])
    return code


if __name__ == "__main__":
    sys.exit(main())
