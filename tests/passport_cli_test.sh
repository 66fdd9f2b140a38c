#!/usr/bin/env bash
# The passport at the command line, checked on the built program:
#   lanyard passport issue --type TYPE (--key FILE | --store DIR --key-id ID) [--format di|sd-jwt]
#                          [--kid DID_URL] [--holder JWK] [--valid-until DATE]
#                          [--status-db FILE --status-list ID...] --in CLAIMS
#   lanyard passport present FILE [--disclose PATH...]
#   lanyard passport schema TYPE
#   lanyard credential verify FILE   (schema.valid / schema.invalid / schema.unknown)
# Every type is issued in both formats from examples/claims/ and verified; claims that break the
# type's schema are refused (exit 2) with the field named, before anything is signed.
# Needs python3 (standard library only) to read JSON and SD-JWTs.
#
# Usage: bash passport_cli_test.sh PATH/TO/lanyard
set -euo pipefail

# shellcheck source=tests/harness.sh
source "$(dirname "$0")/harness.sh"
lanyard_binary "$@"
require python3
CLAIMS="$(cd "$(dirname "$0")/../examples/claims" && pwd)"
TYPES=(identity right_to_work professional_registration dbs occupational_health
       core_skills_training corporate_induction employment_history factual_reference
       qualification)

cd "$TMP"

cat >"$TMP/j.py" <<'PY'
import base64, json, sys

def b64u(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

def sdjwt(path):
    """An SD-JWT as {"payload": the issuer JWT's payload, "disclosed": {name: value}}."""
    parts = open(path, encoding="utf-8").read().strip().split("~")
    payload = json.loads(b64u(parts[0].split(".")[1]))
    disclosed = {}
    for d in parts[1:]:
        if d:
            item = json.loads(b64u(d))
            if len(item) == 3:
                disclosed[item[1]] = item[2]
    return {"payload": payload, "disclosed": disclosed}

cmd = sys.argv[1]
if cmd == "get":      # get FILE EXPR: prints EXPR over the JSON document `d`
    d = json.load(open(sys.argv[2], encoding="utf-8"))
elif cmd == "sd":     # sd FILE EXPR: prints EXPR over `d`, the SD-JWT read by sdjwt()
    d = sdjwt(sys.argv[2])
elif cmd == "edit":   # edit IN OUT STATEMENTS: OUT = IN after STATEMENTS ran on `d`
    d = json.load(open(sys.argv[2], encoding="utf-8"))
    exec(sys.argv[4])
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        json.dump(d, f, indent=2)
    sys.exit(0)
else:
    sys.exit("j.py: unknown command " + cmd)
v = eval(sys.argv[3])
print(v if isinstance(v, str) else json.dumps(v))
PY
jget() { python3 "$TMP/j.py" get "$@"; }
sdget() { python3 "$TMP/j.py" sd "$@"; }
jedit() { python3 "$TMP/j.py" edit "$@"; }

# verify_json FILE: `credential verify --json FILE` into $TMP/out, exit code in $RC.
verify_json() { run "$LANYARD" credential verify --json "$1"; }
# has_check CODE passed|failed|warning: whether the last verify_json report has that check.
# (A warning is a passed check marked warning.)
has_check() {
  jget "$TMP/out" "any(c['code'] == '$1' and c['passed'] == ('$2' != 'failed') and c.get('warning', False) == ('$2' == 'warning') for c in d['checks'])" 2>/dev/null || echo false
}

expect_rc "key generate (the issuer's Ed25519 key)" 0 "$LANYARD" key generate --out issuer.jwk
expect_rc "key generate (the issuer's P-256 key)" 0 "$LANYARD" key generate --type p256 --out issuer-ec.jwk
expect_rc "key generate (the holder's key)" 0 "$LANYARD" key generate --out holder.jwk
ISSUER="$("$LANYARD" key did issuer.jwk)"
HOLDER="$("$LANYARD" key did holder.jwk)"

echo "# every type, Data Integrity"
for t in "${TYPES[@]}"; do
  run "$LANYARD" passport issue --type "$t" --key issuer.jwk --in "$CLAIMS/$t.json"
  cp "$TMP/out" "$t.di.json"
  check_eq "$t: passport issue --format di" "exit $RC" "exit 0" "$(err)"
  check_eq "$t: type, credentialSchema, issuer and the claims as credentialSubject" \
    "$(jget "$t.di.json" "[d['type'][0], d['type'][1].startswith('Lanyard'), d['credentialSchema'], d['issuer'], d['credentialSubject'] == json.load(open('$CLAIMS/$t.json'))]" 2>&1)" \
    "[\"VerifiableCredential\", true, {\"id\": \"https://lanyard.health/schemas/$t/v1.json\", \"type\": \"JsonSchema\"}, \"$ISSUER\", true]"
  verify_json "$t.di.json"
  check_eq "$t: verifies (exit 0) with schema.valid" "exit $RC $(has_check schema.valid passed)" \
    "exit 0 true" "$(jget "$TMP/out" "d['errors']" 2>&1)"
done

echo "# every type, SD-JWT VC"
for t in "${TYPES[@]}"; do
  run "$LANYARD" passport issue --type "$t" --format sd-jwt --key issuer.jwk --holder holder.jwk \
    --in "$CLAIMS/$t.json"
  cp "$TMP/out" "$t.sdjwt"
  check_eq "$t: passport issue --format sd-jwt" "exit $RC" "exit 0" "$(err)"
  check_eq "$t: iss, vct, cnf and every claim, plain or disclosed" \
    "$(sdget "$t.sdjwt" "[d['payload']['iss'], d['payload']['vct'], 'jwk' in d['payload']['cnf'], {**{k: v for k, v in d['payload'].items() if k not in ('iss', 'vct', 'iat', 'exp', 'cnf', '_sd', '_sd_alg')}, **d['disclosed']} == json.load(open('$CLAIMS/$t.json'))]" 2>&1)" \
    "[\"$ISSUER\", \"https://lanyard.health/vct/$t/v1\", true, true]"
  verify_json "$t.sdjwt"
  check_eq "$t: the SD-JWT VC verifies (exit 0)" "exit $RC" "exit 0" \
    "$(jget "$TMP/out" "d['errors']" 2>&1)"
done

echo "# disclosure"
check_eq "occupational health: every claim but recordType is selectively disclosable" \
  "$(sdget occupational_health.sdjwt "[sorted(k for k in d['payload'] if k not in ('iss', 'vct', 'iat', 'exp', 'cnf', '_sd', '_sd_alg')), sorted(d['disclosed'])]" 2>&1)" \
  '[["recordType"], ["assessmentDate", "clearanceOutcome", "eppCleared", "immunisations", "patientContact", "roleCategory", "tbScreenDate", "tbScreened"]]'
check_eq "identity: names, date of birth and document expiry are disclosures" \
  "$(sdget identity.sdjwt "sorted(d['disclosed'])" 2>&1)" \
  '["birthDate", "identityDocumentExpiryDate", "legalFirstName", "legalSurname", "middleNames"]'
run "$LANYARD" passport present occupational_health.sdjwt
cp "$TMP/out" oh-default.sdjwt
check_eq "occupational health: presented by default, only the clearance outcome is disclosed" \
  "exit $RC $(sdget oh-default.sdjwt "sorted(d['disclosed'])" 2>&1)" \
  'exit 0 ["assessmentDate", "clearanceOutcome", "eppCleared", "patientContact", "roleCategory"]' "$(err)"
verify_json oh-default.sdjwt
check_eq "... and a verifier reads the outcome, without immunisations or TB screening" \
  "exit $RC $(jget "$TMP/out" "sorted(k for k in d['credential'] if k not in ('iss', 'vct', 'iat', 'exp', 'cnf'))" 2>&1)" \
  'exit 0 ["assessmentDate", "clearanceOutcome", "eppCleared", "patientContact", "recordType", "roleCategory"]'
run "$LANYARD" passport present --disclose clearanceOutcome --disclose immunisations occupational_health.sdjwt
cp "$TMP/out" oh-chosen.sdjwt
check_eq "passport present --disclose reveals what the holder chose instead" \
  "exit $RC $(sdget oh-chosen.sdjwt "sorted(d['disclosed'])" 2>&1)" \
  'exit 0 ["clearanceOutcome", "immunisations"]' "$(err)"
echo '{"vct": "https://example.org/staff", "role": "Staff Nurse"}' >other-payload.json
"$LANYARD" credential issue --key issuer.jwk --format sd-jwt --disclose role --in other-payload.json \
  >other.sdjwt 2>/dev/null || :
run "$LANYARD" passport present other.sdjwt
check_eq "passport present of an SD-JWT VC that is not a passport credential" \
  "exit $RC $(grep -c 'not a Lanyard passport credential' "$TMP/err")" "exit 2 1" "$(err)"

echo "# refusals name the field, and nothing is signed"
# refuse NAME TYPE FORMAT EDIT WANT: the example of TYPE after EDIT is refused with WANT on stderr.
refuse() {
  local name="$1" type="$2" format="$3" edit="$4" want="$5"
  jedit "$CLAIMS/$type.json" "broken-$type.json" "$edit"
  run "$LANYARD" passport issue --type "$type" --format "$format" --key issuer.jwk --in "broken-$type.json"
  if [[ "$RC" == 2 && ! -s "$TMP/out" ]] && grep -qF -- "$want" "$TMP/err"; then
    pass "$name"
  else
    fail "$name" "exit $RC, $(wc -c <"$TMP/out") bytes out; want exit 2 and: $want" "$(err)"
  fi
}
for format in di sd-jwt; do
  refuse "$format: a value outside the DSP enum" dbs "$format" 'd["typeOfDbsCheck"] = "Enhanced"' \
    'lanyard: dbs claims refused: typeOfDbsCheck: must be one of "Basic check", "Standard check", "Enhanced check", "Enhanced with barred list(s) check"'
  refuse "$format: a missing required field" identity "$format" 'del d["birthDate"]' \
    'lanyard: identity claims refused: (root): missing required property "birthDate"'
  refuse "$format: the string \"true\" for a boolean" occupational_health "$format" 'd["eppCleared"] = "true"' \
    'lanyard: occupational_health claims refused: eppCleared: must be a boolean (true or false without quotes), not a string'
done
refuse "a DBS certificate number that is not 12 digits" dbs di 'd["certificateNumber"] = "1234567890"' \
  'certificateNumber: must match the pattern ^\d{12}$'
refuse "a date that does not exist" right_to_work di 'd["dateOfIdCheck"] = "2026-02-30"' \
  'dateOfIdCheck: must be a date written YYYY-MM-DD, and a day that exists'
refuse "an immunisation record with the DSP example's capitalisation" occupational_health di \
  'd["immunisations"][1]["interpretation"] = "Not Detected"' \
  'immunisations[1].interpretation: must be one of "Detected", "Not detected", "Equivocal"'
refuse "a claim the type does not have" factual_reference di 'd["credentialSubject"] = {}' \
  'credentialSubject: unknown property (not part of this record)'
refuse "claims of another type" qualification di 'd["recordType"] = "DBSCheckOutcome"' \
  'lanyard: qualification claims refused: recordType: must be "Qualification" (these are dbs claims)'
refuse "an ODS code in lower case" corporate_induction sd-jwt 'd["organisation"] = "r0a"' \
  'organisation: must match the pattern ^[A-Z0-9]{3,6}$'
echo '[1, 2]' >array.json
run "$LANYARD" passport issue --type dbs --key issuer.jwk --in array.json
check_eq "claims that are not a JSON object" "exit $RC $(grep -c 'must be a JSON object' "$TMP/err")" "exit 2 1" "$(err)"
run "$LANYARD" passport issue --type dbs_check --key issuer.jwk --in "$CLAIMS/dbs.json"
check_eq "an unknown --type lists the types" \
  "exit $RC $(grep -c 'the types are identity, right_to_work' "$TMP/err")" "exit 2 1" "$(err)"

echo "# what issue adds"
jedit "$CLAIMS/dbs.json" no-record-type.json 'del d["recordType"]'
run "$LANYARD" passport issue --type dbs --key issuer.jwk --in no-record-type.json
cp "$TMP/out" filled.json
check_eq "recordType is filled in when absent" \
  "exit $RC $(jget filled.json "d['credentialSubject']['recordType']" 2>&1)" "exit 0 DBSCheckOutcome" "$(err)"
run "$LANYARD" passport issue --type dbs --key issuer.jwk --holder holder.jwk --valid-until 2029-02-26 \
  --in "$CLAIMS/dbs.json"
cp "$TMP/out" held.json
check_eq "DI --holder sets credentialSubject.id to the holder's did:key; --valid-until a date is its end" \
  "exit $RC $(jget held.json "[d['credentialSubject']['id'], d['validUntil']]" 2>&1)" \
  "exit 0 [\"$HOLDER\", \"2029-02-26T23:59:59Z\"]" "$(err)"
verify_json held.json
check_eq "... and verifies with schema.valid" "exit $RC $(has_check schema.valid passed)" "exit 0 true"
run "$LANYARD" passport issue --type dbs --format sd-jwt --key issuer.jwk --valid-until 2029-02-26T12:00:00Z \
  --in "$CLAIMS/dbs.json"
cp "$TMP/out" exp.sdjwt
check_eq "SD-JWT --valid-until sets exp" "exit $RC $(sdget exp.sdjwt "d['payload']['exp']" 2>&1)" \
  "exit 0 1866801600" "$(err)"
expect_rc "--valid-until in the past" 2 \
  "$LANYARD" passport issue --type dbs --key issuer.jwk --valid-until 2020-01-01 --in "$CLAIMS/dbs.json"
expect_rc "--valid-until that is not a date" 2 \
  "$LANYARD" passport issue --type dbs --key issuer.jwk --valid-until soon --in "$CLAIMS/dbs.json"
run "$LANYARD" passport issue --type dbs --key issuer-ec.jwk --in "$CLAIMS/dbs.json"
cp "$TMP/out" ec.json
check_eq "a P-256 key signs with ecdsa-jcs-2019" \
  "exit $RC $(jget ec.json "d['proof']['cryptosuite']" 2>&1)" "exit 0 ecdsa-jcs-2019" "$(err)"
run "$LANYARD" passport issue --type dbs --key issuer.jwk --kid did:web:rr8.example#key-1 \
  --in "$CLAIMS/dbs.json"
cp "$TMP/out" kid.json
check_eq "--kid: the issuer is its DID, the proof names it" \
  "exit $RC $(jget kid.json "[d['issuer'], d['proof']['verificationMethod']]" 2>&1)" \
  'exit 0 ["did:web:rr8.example", "did:web:rr8.example#key-1"]' "$(err)"
expect_rc "--kid that is not a DID URL" 2 \
  "$LANYARD" passport issue --type dbs --key issuer.jwk --kid key-1 --in "$CLAIMS/dbs.json"
expect_rc "status list create (bitstring, this issuer)" 0 "$LANYARD" status list create --db status.db \
  --id revocation-1 --url "https://rr8.example/status/1" --key issuer.jwk
run "$LANYARD" passport issue --type dbs --key issuer.jwk --status-db status.db --status-list revocation-1 \
  --in "$CLAIMS/dbs.json"
cp "$TMP/out" listed.json
check_eq "--status-list enters the credential in the issuer's list" \
  "exit $RC $(jget listed.json "[d['id'][:9], d['credentialStatus']['statusListCredential']]" 2>&1)" \
  'exit 0 ["urn:uuid:", "https://rr8.example/status/1"]' "$(err)"

echo "# credential verify and the schema a credential names"
# Plain `credential issue` signs whatever it is given; the verifier is what checks the schema.
jedit dbs.di.json unsigned-bad.json \
  'del d["proof"]; del d["issuer"]; d["credentialSubject"]["workforceType"] = "Other"'
run "$LANYARD" credential issue --key issuer.jwk --in unsigned-bad.json
cp "$TMP/out" signed-bad.json
check_eq "credential issue does no schema check" "exit $RC" "exit 0" "$(err)"
verify_json signed-bad.json
check_eq "verify: a subject that breaks its schema fails with schema.invalid (exit 1), naming the field" \
  "exit $RC $(has_check schema.invalid failed) $(jget "$TMP/out" "[c['message'] for c in d['checks'] if c['code'] == 'schema.invalid'][0].count('workforceType: must be one of')" 2>&1)" \
  "exit 1 true 1"
jedit dbs.di.json unsigned-other.json \
  'del d["proof"]; del d["issuer"]; d["credentialSchema"] = {"id": "https://example.org/schemas/staff.json", "type": "JsonSchema"}'
run "$LANYARD" credential issue --key issuer.jwk --in unsigned-other.json
cp "$TMP/out" signed-other.json
verify_json signed-other.json
check_eq "verify: a schema Lanyard does not have is the warning schema.unknown (exit 0)" \
  "exit $RC $(has_check schema.unknown warning)" "exit 0 true"
run "$LANYARD" credential verify dbs.di.json
check_eq "verify (text) prints the schema check" \
  "exit $RC $(grep -c '^PASS schema.valid  credentialSchema: credentialSubject matches the dbs schema' "$TMP/out")" \
  "exit 0 1"

echo "# passport schema"
run bash -c 'cd / && exec "$0" passport schema occupational_health' "$LANYARD"
cp "$TMP/out" oh-schema.json
check_eq "passport schema prints the compiled-in schema, from any directory" \
  "exit $RC $(jget oh-schema.json "[d['\$id'], d['properties']['recordType']['const']]" 2>&1)" \
  'exit 0 ["https://lanyard.health/schemas/occupational_health/v1.json", "OccupationalHealthClearance"]' "$(err)"
expect_rc "passport schema of an unknown type" 2 "$LANYARD" passport schema vaccination

finish
