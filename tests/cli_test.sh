#!/usr/bin/env bash
# The command-line contract of Lanyard, checked on the built program:
#   lanyard key generate --type ed25519|p256 [--out FILE]
#   lanyard key did FILE
#   lanyard credential issue --key FILE | --store DIR --key-id ID --suite SUITE [--created T] [--in FILE]
#   lanyard key generate --store DIR [--label L]; lanyard key list --store DIR
#   lanyard credential verify [--now T] [--json] [--challenge C] [--domain D] FILE|-
# Exit codes: 0 valid / success, 1 invalid credential, 2 unusable input or usage; never more.
# Each failure of `verify` is asserted by its exit code and its stable report code.
# Needs python3 (standard library only) to read and edit JSON.
#
# Usage: bash cli_test.sh PATH/TO/lanyard
set -euo pipefail

# shellcheck source=tests/harness.sh
source "$(dirname "$0")/harness.sh"
lanyard_binary "$@"
require python3

# Every time check runs at this instant unless a check says otherwise: inside the validity
# period of the credential below, whatever the real date.
NOW=2026-06-01T00:00:00Z

cd "$TMP"

# A small JSON tool over python3: helpers for reading, editing and re-encoding documents.
cat >"$TMP/j.py" <<'PY'
import base64, json, sys

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

def b58decode(text):
    n = 0
    for ch in text:
        n = n * 58 + B58.index(ch)
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body

def b58encode(data):
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out

def der(sig):
    """An IEEE P1363 ECDSA signature (r || s) as ASN.1 DER."""
    def integer(b):
        b = b.lstrip(b"\0") or b"\0"
        if b[0] & 0x80:
            b = b"\0" + b
        return bytes([2, len(b)]) + b
    half = len(sig) // 2
    body = integer(sig[:half]) + integer(sig[half:])
    return bytes([0x30, len(body)]) + body

def b64u(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)

cmd = sys.argv[1]
if cmd == "get":      # get FILE EXPR: prints EXPR over the document `d`
    d = load(sys.argv[2])
    v = eval(sys.argv[3])
    print(v if isinstance(v, str) else json.dumps(v))
elif cmd == "edit":   # edit IN OUT STATEMENTS: OUT = IN after STATEMENTS ran on `d`
    d = load(sys.argv[2])
    exec(sys.argv[4])
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        json.dump(d, f, indent=2, ensure_ascii=False)
        f.write("\n")
else:
    sys.exit("j.py: unknown command " + cmd)
PY
jget() { python3 "$TMP/j.py" get "$@"; }
# jedit IN OUT STATEMENTS; when IN is not JSON (a failed earlier step), OUT is left empty so
# that the check reading it fails instead of the script stopping.
jedit() { python3 "$TMP/j.py" edit "$@" || : >"$2"; }

# report_summary: exit code, failed codes and stderr of the last verify, for FAIL lines.
report_summary() {
  local errors
  errors="$(jget "$TMP/out" 'd["errors"]' 2>/dev/null || echo '(no JSON report)')"
  printf 'exit %s, errors %s\n%s' "$RC" "$errors" "$(err)"
}

# expect_verify NAME WANT_RC CODE [VERIFY-ARGS...] FILE: `lanyard credential verify --json`
# exits WANT_RC, the report's "verified" agrees, and it holds a check CODE that passed
# (WANT_RC 0) or failed and is listed in "errors" (otherwise). --now $NOW unless given.
expect_verify() {
  local name="$1" want="$2" code="$3"
  shift 3
  local args=("$@")
  [[ " ${args[*]} " == *" --now "* ]] || args=(--now "$NOW" "${args[@]}")
  run "$LANYARD" credential verify --json "${args[@]}"
  local ok
  if [[ "$want" == 0 ]]; then
    ok="$(jget "$TMP/out" "d['verified'] is True and d['errors'] == [] and any(c['code'] == '$code' and c['passed'] is True for c in d['checks'])" 2>/dev/null || echo false)"
  else
    ok="$(jget "$TMP/out" "d['verified'] is False and '$code' in d['errors'] and any(c['code'] == '$code' and c['passed'] is False for c in d['checks'])" 2>/dev/null || echo false)"
  fi
  if [[ "$RC" == "$want" && "$ok" == true ]]; then
    pass "$name"
  else
    fail "$name" "wanted exit $want with $code; got $(report_summary)"
  fi
}

# An unsigned staff credential without an issuer: issue sets the issuer to the key's did:key.
cat >"$TMP/nurse.json" <<'EOF'
{
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  "type": ["VerifiableCredential", "EmploymentCredential"],
  "validFrom": "2026-01-01T00:00:00Z",
  "validUntil": "2027-01-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:example:staff-4711",
    "name": "Grace Okafor",
    "role": "Registered Nurse",
    "registration": "NMC 12A3456E",
    "employer": "St Elsewhere Hospital"
  }
}
EOF

echo "# key generate"
expect_rc "key generate --type ed25519 --out" 0 "$LANYARD" key generate --type ed25519 --out ed.jwk
check_eq "Ed25519 key file has mode 0600" "$(stat -c %a ed.jwk 2>&1)" 600
check_eq "Ed25519 JWK members (kty OKP, crv Ed25519, 32-byte x and d)" \
  "$(jget ed.jwk '[sorted(d), d["kty"], d["crv"], len(b64u(d["x"])), len(b64u(d["d"]))]' 2>&1)" \
  '[["crv", "d", "kty", "x"], "OKP", "Ed25519", 32, 32]'
expect_rc "key generate --type p256 --out" 0 "$LANYARD" key generate --type p256 --out ec.jwk
check_eq "P-256 key file has mode 0600" "$(stat -c %a ec.jwk 2>&1)" 600
check_eq "P-256 JWK members (kty EC, crv P-256, 32-byte x, y and d)" \
  "$(jget ec.jwk '[sorted(d), d["kty"], d["crv"], len(b64u(d["x"])), len(b64u(d["y"])), len(b64u(d["d"]))]' 2>&1)" \
  '[["crv", "d", "kty", "x", "y"], "EC", "P-256", 32, 32, 32]'

echo 'not a key' >existing.jwk
chmod 0644 existing.jwk
expect_rc "key generate --out over an existing 0644 file" 0 "$LANYARD" key generate --type ed25519 --out existing.jwk
check_eq "the replaced key file has mode 0600" "$(stat -c %a existing.jwk 2>&1)" 600
check_eq "the replaced key file holds the new JWK" "$(jget existing.jwk 'd["kty"]' 2>&1)" OKP
run bash -c 'umask 000 && exec "$0" key generate --type p256 --out umask.jwk' "$LANYARD"
check_eq "key generate --out under umask 000 still gives mode 0600" "exit $RC $(stat -c %a umask.jwk 2>&1)" \
  "exit 0 600" "$(err)"

run "$LANYARD" key generate --type ed25519
cp "$TMP/out" stdout-ed.jwk
check_eq "key generate --type ed25519 to stdout prints a private JWK" \
  "exit $RC $(jget stdout-ed.jwk '[d["kty"], d["crv"], len(b64u(d["d"]))]' 2>&1)" 'exit 0 ["OKP", "Ed25519", 32]' "$(err)"
run "$LANYARD" key generate --type p256
cp "$TMP/out" stdout-ec.jwk
check_eq "key generate --type p256 to stdout prints a private JWK" \
  "exit $RC $(jget stdout-ec.jwk '[d["kty"], d["crv"], len(b64u(d["d"]))]' 2>&1)" 'exit 0 ["EC", "P-256", 32]' "$(err)"
check_eq "two generated keys differ" \
  "$([[ "$(jget stdout-ed.jwk 'd["d"]' 2>&1)" != "$(jget ed.jwk 'd["d"]' 2>&1)" ]] && echo differ)" differ
expect_rc "key generate --type rsa" 2 "$LANYARD" key generate --type rsa
expect_rc "key generate --out into a missing directory" 2 "$LANYARD" key generate --out no-such-dir/k.jwk

echo "# key did"
run "$LANYARD" key did ed.jwk
DID_ED="$(cat "$TMP/out")"
check_eq "key did of an Ed25519 key is did:key:z6Mk..." "exit $RC ${DID_ED:0:12} $(wc -l <"$TMP/out")" \
  "exit 0 did:key:z6Mk 1" "$(err)"
run "$LANYARD" key did ec.jwk
DID_EC="$(cat "$TMP/out")"
check_eq "key did of a P-256 key is did:key:zDn..." "exit $RC ${DID_EC:0:11} $(wc -l <"$TMP/out")" \
  "exit 0 did:key:zDn 1" "$(err)"
check_eq "key did is stable" "$("$LANYARD" key did ed.jwk 2>&1)" "$DID_ED"
head -c 300 /dev/urandom >garbage.jwk
expect_rc "key did of a garbage file" 2 "$LANYARD" key did garbage.jwk
echo '{"kty": "OKP", "crv": "X448", "x": "AAAA"}' >notakey.jwk
expect_rc "key did of a JSON file that is not a usable JWK" 2 "$LANYARD" key did notakey.jwk
expect_rc "key did of a missing file" 2 "$LANYARD" key did missing.jwk

echo "# credential issue and verify, both suites"
for suite in eddsa-jcs-2022 ecdsa-jcs-2019; do
  if [[ "$suite" == eddsa-jcs-2022 ]]; then key=ed.jwk; did="$DID_ED"; s="ed"; else key=ec.jwk; did="$DID_EC"; s="ec"; fi
  run "$LANYARD" credential issue --key "$key" --suite "$suite" --in nurse.json
  cp "$TMP/out" "signed-$s.json"
  check_eq "$suite: issue an unsigned credential without issuer" "exit $RC" "exit 0" "$(err)"
  check_eq "$suite: issue sets the issuer to the key's did:key" "$(jget "signed-$s.json" 'd["issuer"]' 2>&1)" "$did"
  check_eq "$suite: the proof names the suite, the key and assertionMethod" \
    "$(jget "signed-$s.json" '[d["proof"]["type"], d["proof"]["cryptosuite"], d["proof"]["verificationMethod"], d["proof"]["proofPurpose"], d["proof"]["proofValue"][0]]' 2>&1)" \
    "[\"DataIntegrityProof\", \"$suite\", \"$did#${did#did:key:}\", \"assertionMethod\", \"z\"]"
  expect_verify "$suite: verify --json: valid, issuer.is_signer" 0 issuer.is_signer "signed-$s.json"
  check_eq "$suite: the report passes signature.valid and validity.current" \
    "$(jget "$TMP/out" 'sorted(c["code"] for c in d["checks"] if c["passed"] and c["code"] in ("signature.valid", "validity.current"))' 2>&1)" \
    '["signature.valid", "validity.current"]'
  run "$LANYARD" credential verify --now "$NOW" "signed-$s.json"
  check_eq "$suite: verify (text) prints PASS lines and VALID" \
    "exit $RC $(grep -c '^PASS signature.valid ' "$TMP/out") $(tail -n 1 "$TMP/out")" "exit 0 1 VALID" "$(err)"

  jedit "signed-$s.json" "t-subject-$s.json" 'd["credentialSubject"]["role"] = "Consultant Surgeon"'
  expect_verify "$suite: subject field changed" 1 signature.invalid "t-subject-$s.json"
  # The 11th character replaced by another base58 character: a well-formed, wrong signature.
  jedit "signed-$s.json" "t-char-$s.json" \
    'v = d["proof"]["proofValue"]; d["proof"]["proofValue"] = v[:10] + ("B" if v[10] == "A" else "A") + v[11:]'
  expect_verify "$suite: proofValue character changed" 1 signature.invalid "t-char-$s.json"
  jedit "signed-$s.json" "t-suite-$s.json" 'd["proof"]["cryptosuite"] = "eddsa-rdfc-2099"'
  expect_verify "$suite: unknown cryptosuite" 1 proof.unknown_cryptosuite "t-suite-$s.json"
  jedit "signed-$s.json" "t-trunc-$s.json" \
    'd["proof"]["proofValue"] = "z" + b58encode(b58decode(d["proof"]["proofValue"][1:])[:-1])'
  expect_verify "$suite: signature one byte short" 1 signature.malformed "t-trunc-$s.json"
  OTHER="$([[ $s == ed ]] && echo "$DID_EC" || echo "$DID_ED")"
  jedit "signed-$s.json" "t-issuer-$s.json" "d['issuer'] = '$OTHER'"
  expect_verify "$suite: issuer changed to another did:key" 1 issuer.not_signer "t-issuer-$s.json"
done

echo "# the report"
# Every check is {code, passed, message, subject}, a warning also "warning": true; "errors" lists
# the failed codes in order, "warnings" the warnings'.
REPORT_SHAPE='(all(sorted(set(c) - {"warning"}) == ["code", "message", "passed", "subject"]
  and c.get("warning", True) is True and isinstance(c["code"], str)
  and isinstance(c["passed"], bool) and isinstance(c["message"], str) and c["message"] != ""
  and isinstance(c["subject"], str) for c in d["checks"])
  and d["errors"] == [c["code"] for c in d["checks"] if not c["passed"]]
  and d["warnings"] == [c["code"] for c in d["checks"] if c.get("warning")]
  and d["verified"] == (d["errors"] == [] and d["checks"] != []))'
for f in signed-ec.json t-subject-ec.json t-trunc-ed.json; do
  run "$LANYARD" credential verify --json --now "$NOW" "$f"
  check_eq "report of $f has the documented shape" "$(jget "$TMP/out" "$REPORT_SHAPE" 2>&1)" true "$(cat "$TMP/out")"
done
run "$LANYARD" credential verify --now "$NOW" t-subject-ed.json
check_eq "verify (text) of a changed credential prints FAIL signature.invalid and NOT VALID" \
  "exit $RC $(grep -c '^FAIL signature.invalid ' "$TMP/out") $(tail -n 1 "$TMP/out")" "exit 1 1 NOT VALID" "$(err)"
printf '{"a": 1, "a": 2}' >dup-plain.json
run "$LANYARD" credential verify --now "$NOW" dup-plain.json
check_eq "verify (text) of unreadable input prints FAIL input.duplicate_key and UNUSABLE INPUT" \
  "exit $RC $(grep -c '^FAIL input.duplicate_key ' "$TMP/out") $(tail -n 1 "$TMP/out")" "exit 2 1 UNUSABLE INPUT" "$(err)"
run "$LANYARD" credential verify --json --now "$NOW" dup-plain.json
check_eq "report of unreadable input has the documented shape" "$(jget "$TMP/out" "$REPORT_SHAPE" 2>&1)" true \
  "$(cat "$TMP/out")"

echo "# validity and the clock"
expect_verify "--now before validFrom" 1 validity.not_yet_valid --now 2025-12-31T23:59:59Z signed-ed.json
expect_verify "--now after validUntil" 1 validity.expired --now 2027-01-01T00:00:01Z signed-ed.json
expect_verify "--now with an offset, at exactly validFrom, is inside the period" 0 validity.current --now 2026-01-01T01:00:00+01:00 signed-ed.json
expect_rc "--now that is not a date-time" 2 "$LANYARD" credential verify --now yesterday signed-ed.json
expect_rc "--now on a day that does not exist" 2 "$LANYARD" credential verify --now 2026-02-30T00:00:00Z signed-ed.json
expect_rc "--now without a time zone" 2 "$LANYARD" credential verify --now 2026-06-01T00:00:00 signed-ed.json

echo "# proof encodings"
jedit signed-ed.json t-b58alpha.json 'd["proof"]["proofValue"] = "z0OIl" + d["proof"]["proofValue"][5:]'
expect_verify "proofValue with characters outside base58btc (0 O I l)" 1 proof.invalid_encoding t-b58alpha.json
jedit signed-ed.json t-b64.json \
  'd["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(b58decode(d["proof"]["proofValue"][1:])).decode().rstrip("=")'
expect_verify "proofValue in base64url multibase ('u...')" 1 proof.invalid_encoding t-b64.json
jedit signed-ec.json t-der.json \
  'd["proof"]["proofValue"] = "z" + b58encode(der(b58decode(d["proof"]["proofValue"][1:])))'
expect_verify "ECDSA signature DER-encoded" 1 signature.malformed t-der.json

echo "# issuer binding"
jedit nurse.json nurse-other-issuer.json "d['issuer'] = '$DID_EC'"
run "$LANYARD" credential issue --key ed.jwk --suite eddsa-jcs-2022 --in nurse-other-issuer.json
cp "$TMP/out" signed-other-issuer.json
check_eq "issue with another issuer signs but warns on stderr" \
  "exit $RC $(grep -c 'issuer' "$TMP/err")" "exit 0 1" "$(err)"
check_eq "issue keeps an issuer that is given" "$(jget signed-other-issuer.json 'd["issuer"]' 2>&1)" "$DID_EC"
expect_verify "signed by a key that is not the issuer's" 1 issuer.not_signer signed-other-issuer.json
check_eq "issuer.not_signer is the only failure (the signature itself is valid)" \
  "$(jget "$TMP/out" 'd["errors"]' 2>&1)" '["issuer.not_signer"]'
expect_verify "unsigned credential" 1 proof.missing nurse.json

echo "# --created"
run "$LANYARD" credential issue --key ec.jwk --suite ecdsa-jcs-2019 --created 2026-03-04T05:06:07Z --in nurse.json
cp "$TMP/out" created.json
check_eq "issue --created sets proof.created" "exit $RC $(jget created.json 'd["proof"]["created"]' 2>&1)" \
  "exit 0 2026-03-04T05:06:07Z" "$(err)"
expect_verify "a credential issued with --created verifies" 0 signature.valid created.json
expect_rc "issue --created that is not a date-time" 2 \
  "$LANYARD" credential issue --key ed.jwk --created soon --in nurse.json

echo "# standard input"
STDIN=signed-ed.json run "$LANYARD" credential verify --now "$NOW" -
check_eq "verify - reads the credential from stdin" "exit $RC $(tail -n 1 "$TMP/out")" "exit 0 VALID" "$(err)"
STDIN=nurse.json run "$LANYARD" credential issue --key ed.jwk --suite eddsa-jcs-2022
cp "$TMP/out" from-stdin.json
check_eq "issue without --in reads stdin" "exit $RC $(jget from-stdin.json 'd["issuer"]' 2>&1)" "exit 0 $DID_ED" "$(err)"

echo "# inputs verify refuses to read (exit 2)"
python3 -c 'import sys; sys.stdout.write("[" * 10000 + "]" * 10000)' >deep.json
expect_verify "nested 10,000 levels" 2 input.too_deep deep.json
python3 -c 'import sys; sys.stdout.write("[" * 128 + "]" * 128)' >deep128.json
expect_verify "nested 128 levels is within the limit" 2 input.not_object deep128.json
python3 -c 'import sys; sys.stdout.write("[" * 129 + "]" * 129)' >deep129.json
expect_verify "nested 129 levels" 2 input.too_deep deep129.json
# A credential whose subject holds the nesting.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["credentialSubject"]["deep"] = "x"
t = json.dumps(d).replace("\"x\"", "{\"d\": " * 10000 + "1" + "}" * 10000)
open(sys.argv[2], "w").write(t)' nurse.json deep-credential.json
expect_verify "credential with a subject nested 10,000 levels" 2 input.too_deep deep-credential.json
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("{\"pad\": \"")
    f.write("a" * (50 * 1024 * 1024))
    f.write("\"}")' big.json
expect_verify "a 50 MB file" 2 input.too_large big.json
STDIN=big.json expect_verify "50 MB on stdin" 2 input.too_large -
python3 -c 'import sys; t = b"{\"a\": 1}"; sys.stdout.buffer.write(t + b" " * (2 * 1024 * 1024 - len(t)))' >exact.json
expect_verify "exactly 2 MiB is read (then refused as no credential)" 1 context.missing exact.json
python3 -c 'import sys; t = b"{\"a\": 1}"; sys.stdout.buffer.write(t + b" " * (2 * 1024 * 1024 + 1 - len(t)))' >over.json
expect_verify "2 MiB and one byte" 2 input.too_large over.json

python3 -c '
import sys
t = open(sys.argv[1]).read().replace("\"role\": \"Registered Nurse\",", "\"role\": \"Registered Nurse\", \"role\": \"Consultant Surgeon\",")
assert t.count("\"role\"") == 2
open(sys.argv[2], "w").write(t)' signed-ed.json dup.json || : >dup.json
expect_verify "duplicate key in the subject" 2 input.duplicate_key dup.json
printf '{"name": "A", "n\\u0061me": "B"}' >dup-escaped.json
expect_verify "duplicate key spelt with an escape" 2 input.duplicate_key dup-escaped.json

printf '{"name": "Gr\xff\xfece"}' >utf8-ff.json
expect_verify "invalid UTF-8 bytes (FF FE) in a string" 2 input.invalid_utf8 utf8-ff.json
printf '{"name": "\xc0\xaf"}' >utf8-overlong.json
expect_verify "overlong UTF-8 (C0 AF)" 2 input.invalid_utf8 utf8-overlong.json
printf '{"name": "\xed\xa0\x80"}' >utf8-surrogate.json
expect_verify "UTF-8-encoded surrogate (ED A0 80)" 2 input.invalid_utf8 utf8-surrogate.json
printf '{"name": "\xe2\x82"}' >utf8-truncated.json
expect_verify "truncated UTF-8 sequence" 2 input.invalid_utf8 utf8-truncated.json
printf '{"\xff": 1}' >utf8-key.json
expect_verify "invalid UTF-8 in a key" 2 input.invalid_utf8 utf8-key.json
printf '{"name": "\\ud800"}' >lone-high.json
expect_verify "lone high surrogate escape" 2 input.invalid_utf8 lone-high.json
printf '{"name": "\\udc00"}' >lone-low.json
expect_verify "lone low surrogate escape" 2 input.invalid_utf8 lone-low.json
printf '{"name": "\\ud800\\u0041"}' >high-then-letter.json
expect_verify "high surrogate escape followed by a letter" 2 input.invalid_utf8 high-then-letter.json

printf '{"n": NaN}' >nan.json
expect_verify "NaN" 2 input.invalid_number nan.json
printf '{"n": -Infinity}' >inf.json
expect_verify "-Infinity" 2 input.invalid_number inf.json
printf '{"n": 1e400}' >huge.json
expect_verify "1e400 (beyond a double)" 2 input.invalid_number huge.json
: >empty.json
expect_verify "empty file" 2 input.syntax empty.json
printf '{"a": 1} x' >trailing.json
expect_verify "text after the JSON value" 2 input.syntax trailing.json
expect_rc "missing file" 2 "$LANYARD" credential verify --json missing.json
printf '[%s]' "$(cat signed-ed.json)" >array.json
expect_verify "a JSON array (holding a credential) instead of an object" 2 input.not_object array.json
printf '"did:example:staff-4711"' >string.json
expect_verify "a JSON string instead of an object" 2 input.not_object string.json

echo "# issue refusals (exit 2)"
expect_rc "issue with a P-256 key and eddsa-jcs-2022" 2 \
  "$LANYARD" credential issue --key ec.jwk --suite eddsa-jcs-2022 --in nurse.json
expect_rc "issue with an Ed25519 key and ecdsa-jcs-2019" 2 \
  "$LANYARD" credential issue --key ed.jwk --suite ecdsa-jcs-2019 --in nurse.json
jedit nurse.json no-context.json 'del d["@context"]'
run "$LANYARD" credential issue --key ed.jwk --suite eddsa-jcs-2022 --in no-context.json
check_eq "issue of a document without @context is refused, nothing printed" \
  "exit $RC $(wc -c <"$TMP/out")" "exit 2 0" "$(err)"
jedit nurse.json v1-context.json 'd["@context"] = ["https://www.w3.org/2018/credentials/v1"]'
expect_rc "issue of a VC 1.1 credential" 2 "$LANYARD" credential issue --key ed.jwk --in v1-context.json
jedit nurse.json no-vc-type.json 'd["type"] = ["EmploymentCredential"]'
expect_rc "issue without the type VerifiableCredential" 2 "$LANYARD" credential issue --key ed.jwk --in no-vc-type.json
jedit nurse.json no-subject.json 'del d["credentialSubject"]'
expect_rc "issue without credentialSubject" 2 "$LANYARD" credential issue --key ed.jwk --in no-subject.json
expect_rc "issue of a JSON array" 2 "$LANYARD" credential issue --key ed.jwk --in array.json
expect_rc "issue of a document with duplicate keys" 2 "$LANYARD" credential issue --key ed.jwk --in dup-escaped.json
expect_rc "issue with an unknown suite" 2 "$LANYARD" credential issue --key ed.jwk --suite rsa-2048 --in nurse.json
expect_rc "issue with a missing key file" 2 "$LANYARD" credential issue --key missing.jwk --in nurse.json
expect_rc "issue with a garbage key file" 2 "$LANYARD" credential issue --key garbage.jwk --in nurse.json
expect_rc "issue without --key" 2 "$LANYARD" credential issue --in nurse.json

jedit nurse.json bad-valid-from.json 'd["validFrom"] = "yesterday"'
expect_rc "issue with a validFrom that is not a date-time" 2 "$LANYARD" credential issue --key ed.jwk --in bad-valid-from.json
jedit nurse.json reversed-window.json 'd["validFrom"] = "2027-06-01T00:00:00Z"'
expect_rc "issue with validUntil before validFrom" 2 "$LANYARD" credential issue --key ed.jwk --in reversed-window.json
jedit nurse.json future.json 'd["validFrom"] = "2030-01-01T00:00:00Z"; d["validUntil"] = "2031-01-01T00:00:00Z"'
expect_rc "issue of a credential valid only in the future" 0 "$LANYARD" credential issue --key ed.jwk --in future.json

echo "# files that are not what they seem"
expect_rc "verify of a directory" 2 "$LANYARD" credential verify "$TMP"
grep -q "directory" "$TMP/err" && pass "the directory refusal says so" || fail "the directory refusal says so" "$(err)"
echo "victim" >victim.txt
ln -s victim.txt planted.jwk
expect_rc "key generate --out refuses to follow a symbolic link" 2 "$LANYARD" key generate --out planted.jwk
check_eq "the symbolic link's target is untouched" "$(cat victim.txt)" "victim"

echo "# the encrypted key store"
export LANYARD_KEYSTORE_PASSPHRASE="correct horse battery staple"
run "$LANYARD" key generate --store store --label "Trust issuer 2026"
store_id=$(cut -d' ' -f1 <"$TMP/out")
store_did=$(cut -d' ' -f2 <"$TMP/out")
check_eq "key generate --store prints an id and a did:key" "exit $RC ${store_did:0:12}" "exit 0 did:key:z6Mk" "$(err)"
run "$LANYARD" key generate --store store --type p256
check_eq "a P-256 key joins the store" "exit $RC" "exit 0" "$(err)"
run "$LANYARD" key list --store store
check_eq "key list shows both keys with the label" \
  "$(grep -c . "$TMP/out") $(grep -cF -e "$store_id Ed25519 $store_did Trust issuer 2026" "$TMP/out")" "2 1" "$(cat "$TMP/out")"
check_eq "store files are private" "$(stat -c %a store) $(stat -c %a store/"$store_id".key.json)" "700 600"
run "$LANYARD" credential issue --store store --key-id "$store_id" --in nurse.json
cp "$TMP/out" signed-store.json
check_eq "issue with a stored key" "exit $RC $(jget signed-store.json 'd["issuer"]' 2>/dev/null)" "exit 0 $store_did" "$(err)"
expect_verify "a credential signed from the store verifies" 0 issuer.is_signer signed-store.json
expect_rc "issue with --store but no --key-id" 2 "$LANYARD" credential issue --store store --in nurse.json
expect_rc "issue with both --key and --store" 2 "$LANYARD" credential issue --key ed.jwk --store store --key-id "$store_id" --in nurse.json
expect_rc "issue with an unknown key id" 2 "$LANYARD" credential issue --store store --key-id AAAAAAAAAAAAAAAAAAAAAA --in nurse.json
expect_rc "issue with a key id that is a path" 2 "$LANYARD" credential issue --store store --key-id ../ed --in nurse.json
LANYARD_KEYSTORE_PASSPHRASE=wrong expect_rc "a wrong passphrase is refused" 2 "$LANYARD" key list --store store
grep -q "passphrase" "$TMP/err" && pass "the refusal names the passphrase" || fail "the refusal names the passphrase" "$(err)"
unset LANYARD_KEYSTORE_PASSPHRASE
expect_rc "no key store secret in the environment" 2 "$LANYARD" key list --store store
expect_rc "key generate with both --out and --store" 2 "$LANYARD" key generate --out x.jwk --store store

echo "# usage"
expect_rc "unknown option" 2 "$LANYARD" credential verify --frobnicate signed-ed.json
expect_rc "no subcommand" 2 "$LANYARD"
expect_rc "credential without a subcommand" 2 "$LANYARD" credential
expect_rc "unknown subcommand" 2 "$LANYARD" passport
expect_rc "verify without FILE" 2 "$LANYARD" credential verify
expect_rc "verify --now without its value" 2 "$LANYARD" credential verify --now
run "$LANYARD" --help
check_eq "--help exits 0 and prints the usage" "exit $RC $(grep -c 'Usage' "$TMP/out")" "exit 0 1" "$(err)"
run "$LANYARD" credential verify --help
check_eq "credential verify --help exits 0 and lists --now" "exit $RC $(grep -c -- '--now' "$TMP/out")" "exit 0 1" "$(err)"
run "$LANYARD" --version
check_eq "--version exits 0 and prints a version" "exit $RC $(grep -cE '[0-9]+\.[0-9]+' "$TMP/out")" "exit 0 1" "$(err)"

echo "# SD-JWT VC"
# sdget FILE EXPR: EXPR over an SD-JWT split at "~" into `p`, with dec(b64u) -> JSON and
# hdr(jws) / pay(jws) -> the decoded header / payload of a compact JWS.
# sdedit IN OUT STATEMENTS: OUT = IN split into `p`, edited (b64e(bytes) -> base64url text),
# joined again with "~"; OUT is left empty when that fails, so that the check reading it fails.
cat >"$TMP/sd.py" <<'PY'
import base64, json, sys

def b64e(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")

def dec(text):
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))

def hdr(jws):
    return dec(jws.split(".")[0])

def pay(jws):
    return dec(jws.split(".")[1])

cmd = sys.argv[1]
with open(sys.argv[2], encoding="utf-8") as f:
    p = f.read().strip().split("~")
if cmd == "get":
    v = eval(sys.argv[3])
    print(v if isinstance(v, str) else json.dumps(v))
elif cmd == "edit":
    exec(sys.argv[4])
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        f.write("~".join(p) + "\n")
else:
    sys.exit("sd.py: unknown command " + cmd)
PY
sdget() { python3 "$TMP/sd.py" get "$@"; }
sdedit() { python3 "$TMP/sd.py" edit "$@" || : >"$2"; }
# The real time: issue sets iat and present sets the KB-JWT iat from the clock, so SD-JWT
# checks run at (or after) the real time instead of $NOW.
utc_now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

cat >"$TMP/sd-payload.json" <<'EOF'
{
  "vct": "https://lanyard.example/vct/staff-passport",
  "given_name": "Grace",
  "family_name": "Okafor",
  "birthdate": "1990-02-03",
  "address": { "locality": "Leeds", "postal_code": "LS1 3EX" },
  "roles": ["Registered Nurse", "Mentor"]
}
EOF
SD_DISCLOSE=(--disclose given_name --disclose birthdate --disclose address --disclose address.locality
  --disclose 'roles[1]')
SD_AUD=https://verifier.lanyard.example
"$LANYARD" key generate --type p256 --out sd-holder.jwk 2>/dev/null
jedit sd-holder.jwk sd-holder-public.jwk 'del d["d"]'
# The holder's public members, sorted: what cnf.jwk must hold.
SD_HOLDER_PUB="$(jget sd-holder.jwk 'sorted((k, v) for k, v in d.items() if k != "d")')"

before=$(date +%s)
run "$LANYARD" credential issue --key ec.jwk --format sd-jwt "${SD_DISCLOSE[@]}" --in sd-payload.json
after=$(date +%s)
cp "$TMP/out" sd-plain.sdjwt
check_eq "issue --format sd-jwt without --holder prints one line ending with '~'" \
  "exit $RC $(wc -l <sd-plain.sdjwt) $(head -c -1 sd-plain.sdjwt | tail -c 1)" "exit 0 1 ~" "$(err)"
check_eq "... with 5 Disclosures and no cnf" \
  "$(sdget sd-plain.sdjwt '[len(p) - 2, "cnf" in pay(p[0])]' 2>&1)" '[5, false]'
check_eq "... header typ dc+sd-jwt, alg ES256, kid = the key's DID URL" \
  "$(sdget sd-plain.sdjwt '[hdr(p[0])["typ"], hdr(p[0])["alg"], hdr(p[0])["kid"]]' 2>&1)" \
  "[\"dc+sd-jwt\", \"ES256\", \"$DID_EC#${DID_EC#did:key:}\"]"
check_eq "... iss defaults to the key's did:key, iat to now, exp to iat + 365 days" \
  "$(sdget sd-plain.sdjwt "[pay(p[0])['iss'], $before <= pay(p[0])['iat'] <= $after, pay(p[0])['exp'] - pay(p[0])['iat']]" 2>&1)" \
  "[\"$DID_EC\", true, 31536000]"
check_eq "... the payload keeps the plain claims and hides the disclosable ones" \
  "$(sdget sd-plain.sdjwt '[pay(p[0])["vct"], pay(p[0])["family_name"], "given_name" in pay(p[0]), "birthdate" in pay(p[0]), "address" in pay(p[0]), pay(p[0])["roles"][0], sorted(pay(p[0])["roles"][1])]' 2>&1)" \
  '["https://lanyard.example/vct/staff-passport", "Okafor", false, false, false, "Registered Nurse", ["..."]]'
run "$LANYARD" credential issue --key ed.jwk --format sd-jwt --in sd-payload.json
cp "$TMP/out" sd-ed.sdjwt
check_eq "issue --format sd-jwt with an Ed25519 key: alg EdDSA, kid and iss of that key" \
  "exit $RC $(sdget sd-ed.sdjwt '[hdr(p[0])["alg"], hdr(p[0])["kid"], pay(p[0])["iss"], len(p) - 2]' 2>&1)" \
  "exit 0 [\"EdDSA\", \"$DID_ED#${DID_ED#did:key:}\", \"$DID_ED\", 0]" "$(err)"

run "$LANYARD" credential issue --key ec.jwk --format sd-jwt --holder sd-holder.jwk "${SD_DISCLOSE[@]}" --in sd-payload.json
cp "$TMP/out" sd-bound.sdjwt
check_eq "issue --holder with a private JWK: cnf.jwk is its public members only (no \"d\")" \
  "exit $RC $(sdget sd-bound.sdjwt '[sorted(pay(p[0])["cnf"]), "d" in pay(p[0])["cnf"]["jwk"], sorted(pay(p[0])["cnf"]["jwk"].items())]' 2>&1)" \
  "exit 0 [[\"jwk\"], false, $SD_HOLDER_PUB]" "$(err)"
run "$LANYARD" credential issue --key ec.jwk --format sd-jwt --holder sd-holder-public.jwk --in sd-payload.json
cp "$TMP/out" sd-bound-public.sdjwt
check_eq "issue --holder with a public JWK: the same cnf.jwk" \
  "exit $RC $(sdget sd-bound-public.sdjwt 'sorted(pay(p[0])["cnf"]["jwk"].items())' 2>&1)" "exit 0 $SD_HOLDER_PUB" "$(err)"

# Refusals at issue: exit 2 and nothing on stdout.
jedit sd-payload.json sd-no-vct.json 'del d["vct"]'
printf '[%s]\n' "$(cat sd-payload.json)" >sd-array.json
for refusal in "payload without vct|--in sd-no-vct.json" \
  "--disclose vct|--disclose vct --in sd-payload.json" \
  "--disclose of a claim the payload lacks|--disclose middle_name --in sd-payload.json" \
  "--disclose of an array element the payload lacks|--disclose roles[2] --in sd-payload.json" \
  "--disclose of a malformed path a..b|--disclose a..b --in sd-payload.json" \
  "--disclose of a malformed path address..locality|--disclose address..locality --in sd-payload.json" \
  "a payload that is a JSON array|--in sd-array.json"; do
  read -r -a extra <<<"${refusal#*|}"
  run "$LANYARD" credential issue --key ec.jwk --format sd-jwt "${extra[@]}"
  check_eq "issue --format sd-jwt refuses ${refusal%%|*}, nothing printed" "exit $RC $(wc -c <"$TMP/out")" \
    "exit 2 0" "$(err)"
done

echo "# SD-JWT VC: present"
run "$LANYARD" credential present --disclose given_name --disclose address.locality sd-bound.sdjwt
cp "$TMP/out" sd-subset.sdjwt
check_eq "present reveals given_name and address.locality with its address, no KB-JWT" \
  "exit $RC $(sdget sd-subset.sdjwt '[sorted(dec(x)[1] for x in p[1:-1]), p[-1]]' 2>&1)" \
  'exit 0 [["address", "given_name", "locality"], ""]' "$(err)"
expect_verify "the subset presentation verifies" 0 sdjwt.disclosures_valid --now "$(utc_now)" sd-subset.sdjwt
check_eq "... and its credential holds only the revealed claims (no birthdate, one role)" \
  "$(jget "$TMP/out" '[d["credential"].get("given_name"), sorted(d["credential"].get("address", {}).items()), "birthdate" in d["credential"], d["credential"].get("roles")]' 2>&1)" \
  '["Grace", [["locality", "Leeds"], ["postal_code", "LS1 3EX"]], false, ["Registered Nurse"]]'
run "$LANYARD" credential present --disclose middle_name sd-bound.sdjwt
check_eq "present of a claim the SD-JWT does not have" "exit $RC $(wc -c <"$TMP/out")" "exit 2 0" "$(err)"
expect_rc "present with --nonce but no --holder-key" 2 \
  "$LANYARD" credential present --disclose given_name --nonce nonce-1 sd-bound.sdjwt
expect_rc "present with --holder-key and --nonce but no --audience" 2 \
  "$LANYARD" credential present --disclose given_name --holder-key sd-holder.jwk --nonce nonce-1 sd-bound.sdjwt

run "$LANYARD" credential present --disclose given_name --holder-key sd-holder.jwk --nonce nonce-1 \
  --audience "$SD_AUD" sd-bound.sdjwt
presented_at=$(date +%s)
cp "$TMP/out" sd-kb.sdjwt
check_eq "present with --holder-key --nonce --audience appends a KB-JWT (typ kb+jwt, nonce, aud)" \
  "exit $RC $(sdget sd-kb.sdjwt '[len(p) - 2, hdr(p[-1])["typ"], pay(p[-1])["nonce"], pay(p[-1])["aud"]]' 2>&1)" \
  "exit 0 [1, \"kb+jwt\", \"nonce-1\", \"$SD_AUD\"]" "$(err)"

echo "# SD-JWT VC: verify"
expect_verify "the full issuance verifies" 0 sdjwt.disclosures_valid --now "$(utc_now)" sd-plain.sdjwt
check_eq "... with every claim of the payload in \"credential\"" \
  "$(jget "$TMP/out" 'json.dumps({k: v for k, v in d["credential"].items() if k not in ("iss", "iat", "exp")}, sort_keys=True)' 2>&1)" \
  "$(jget sd-payload.json 'json.dumps(d, sort_keys=True)')"
expect_verify "... and names its signer as the issuer" 0 issuer.is_signer --now "$(utc_now)" sd-plain.sdjwt
expect_verify "an Ed25519-signed SD-JWT VC verifies" 0 signature.valid --now "$(utc_now)" sd-ed.sdjwt
expect_verify "presentation with a KB-JWT and the matching --nonce/--audience" 0 sdjwt.key_bound \
  --now "$(utc_now)" --nonce nonce-1 --audience "$SD_AUD" sd-kb.sdjwt
expect_verify "... another nonce" 1 sdjwt.kb_nonce_mismatch \
  --now "$(utc_now)" --nonce nonce-2 --audience "$SD_AUD" sd-kb.sdjwt
expect_verify "... another audience" 1 sdjwt.kb_audience_mismatch \
  --now "$(utc_now)" --nonce nonce-1 --audience https://other.lanyard.example sd-kb.sdjwt
expect_verify "--nonce given, presentation without a KB-JWT" 1 sdjwt.kb_missing \
  --now "$(utc_now)" --nonce nonce-1 --audience "$SD_AUD" sd-subset.sdjwt
expect_verify "--now 20 minutes after presenting" 1 sdjwt.kb_too_old \
  --now "$(date -u -d "@$((presented_at + 1200))" +%Y-%m-%dT%H:%M:%SZ)" --nonce nonce-1 --audience "$SD_AUD" sd-kb.sdjwt
expect_verify "... accepted 20 minutes later with --kb-max-age 1800" 0 sdjwt.key_bound \
  --now "$(date -u -d "@$((presented_at + 1200))" +%Y-%m-%dT%H:%M:%SZ)" --kb-max-age 1800 \
  --nonce nonce-1 --audience "$SD_AUD" sd-kb.sdjwt
expect_verify "--now 30 s before presenting, with --kb-max-future 10" 1 sdjwt.kb_from_future \
  --now "$(date -u -d "@$((presented_at - 30))" +%Y-%m-%dT%H:%M:%SZ)" --kb-max-future 10 \
  --nonce nonce-1 --audience "$SD_AUD" sd-kb.sdjwt
expect_rc "--kb-max-age that is not a number of seconds" 2 \
  "$LANYARD" credential verify --kb-max-age soon sd-kb.sdjwt
# The KB-JWT covers the Disclosures sent: one more (already in the credential) breaks sd_hash.
"$LANYARD" credential present --disclose birthdate sd-bound.sdjwt >sd-birthdate.sdjwt 2>/dev/null || :
sdedit sd-kb.sdjwt sd-kb-extra.sdjwt \
  "p.insert(len(p) - 1, '$(sdget sd-birthdate.sdjwt 'p[1]' 2>/dev/null)')"
expect_verify "a Disclosure added after the KB-JWT was signed" 1 sdjwt.kb_sd_hash_mismatch \
  --now "$(utc_now)" --nonce nonce-1 --audience "$SD_AUD" sd-kb-extra.sdjwt

sdedit sd-plain.sdjwt sd-repeated.sdjwt 'p.insert(len(p) - 1, p[1])'
expect_verify "a repeated Disclosure" 1 sdjwt.disclosure_repeated --now "$(utc_now)" sd-repeated.sdjwt
run "$LANYARD" credential issue --key ec.jwk --format sd-jwt "${SD_DISCLOSE[@]}" --in sd-payload.json
cp "$TMP/out" sd-other.sdjwt
sdedit sd-plain.sdjwt sd-foreign.sdjwt "p.insert(len(p) - 1, '$(sdget sd-other.sdjwt 'p[1]' 2>/dev/null)')"
expect_verify "a Disclosure from another credential" 1 sdjwt.disclosure_unreferenced --now "$(utc_now)" sd-foreign.sdjwt
sdedit sd-plain.sdjwt sd-tampered.sdjwt \
  'j = p[0].split("."); c = pay(p[0]); c["family_name"] = "Smith"
j[1] = b64e(json.dumps(c).encode()); p[0] = ".".join(j)'
expect_verify "a changed issuer payload" 1 signature.invalid --now "$(utc_now)" sd-tampered.sdjwt
sdedit sd-plain.sdjwt sd-alg-none.sdjwt \
  'j = p[0].split("."); h = hdr(p[0]); h["alg"] = "none"
p[0] = b64e(json.dumps(h).encode()) + "." + j[1] + "."'
expect_verify "header alg none (unsigned)" 1 jws.alg_none --now "$(utc_now)" sd-alg-none.sdjwt
sdedit sd-plain.sdjwt sd-trailing.sdjwt 'p[-1] = "garbage"'
expect_verify "garbage after the last '~' (read as a KB-JWT)" 1 jws.malformed --now "$(utc_now)" sd-trailing.sdjwt

# Unusable input: exit 2.
python3 -c '
import sys
t = open(sys.argv[1]).read().strip()
open(sys.argv[2], "w").write(t + "A" * (3 * 1000 * 1000) + "~\n")' sd-plain.sdjwt sd-huge.sdjwt
expect_verify "a 3 MB SD-JWT" 2 input.too_large --now "$(utc_now)" sd-huge.sdjwt
sdedit sd-plain.sdjwt sd-1500.sdjwt 'p[1:-1] = [p[1]] * 1500'
expect_verify "1,500 Disclosures" 2 sdjwt.too_many_disclosures --now "$(utc_now)" sd-1500.sdjwt
sdedit sd-plain.sdjwt sd-1001.sdjwt 'p[1:-1] = [p[1]] * 1001'
expect_verify "1,001 Disclosures" 2 sdjwt.too_many_disclosures --now "$(utc_now)" sd-1001.sdjwt
sdedit sd-plain.sdjwt sd-1000.sdjwt 'p[1:-1] = [p[1]] * 1000'
expect_verify "1,000 Disclosures are read (then refused as repeated)" 1 sdjwt.disclosure_repeated \
  --now "$(utc_now)" sd-1000.sdjwt
sdedit sd-plain.sdjwt sd-not-b64.sdjwt 'p[0] = "e30*.e30*." + p[0].split(".")[2]'
expect_verify "an issuer JWT that is not base64url" 2 jws.malformed --now "$(utc_now)" sd-not-b64.sdjwt
printf 'hello' >hello.txt
expect_verify "\"hello\"" 2 input.unknown_format --now "$(utc_now)" hello.txt

finish
