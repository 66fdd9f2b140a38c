#!/usr/bin/env bash
# Trust and lifecycle at the command line, against a real HTTP server on loopback that plays an
# NHS trust's web site (its did:web DID document and its published status lists):
#   lanyard key did-document --did DID --key FILE
#   lanyard status list create|revoke|suspend|reinstate|publish|show --db FILE ...
#   lanyard credential issue ... --kid DID_URL --status-db FILE --status-list ID...
#   lanyard trust bundle build --registry FILE --key FILE --out BUNDLE
#   lanyard credential verify [--trust BUNDLE --trust-signer DID] [--require-trust]
#                             [--status-cache DIR] [--offline] FILE
# Status is checked by default and fails closed; each outcome is asserted by exit code and code.
# Needs python3 (its http.server plays the web site; its json module reads reports).
#
# Usage: bash lifecycle_cli_test.sh PATH/TO/lanyard
set -euo pipefail

# shellcheck source=tests/harness.sh
source "$(dirname "$0")/harness.sh"
lanyard_binary "$@"
require python3
cd "$TMP"

# The web site: a python http.server on a free loopback port, stopped on exit.
mkdir -p www/orgs/rgt www/status
start_web_server www
ORG="did:web:127.0.0.1%3A$PORT:orgs:rgt"

jget() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

# expect_verify NAME WANT_RC CODES ARGS...: verify --json exits WANT_RC, and each code in CODES
# is among the failures (WANT_RC 1) or among the passed checks, warnings included (WANT_RC 0).
expect_verify() {
  local name="$1" want="$2" codes="$3"
  shift 3
  run "$LANYARD" credential verify --json "$@"
  local missing=""
  for code in $codes; do
    if [[ "$want" == 1 ]]; then
      jget "$TMP/out" "'$code' in d['errors']" 2>/dev/null | grep -q True || missing+=" $code"
    else
      jget "$TMP/out" "any(c['code'] == '$code' and c['passed'] for c in d['checks'])" 2>/dev/null |
        grep -q True || missing+=" $code"
    fi
  done
  if [[ "$RC" == "$want" && -z "$missing" ]]; then
    pass "$name"
  else
    fail "$name" "exit $RC (want $want); missing:$missing" \
      "$(jget "$TMP/out" "d['errors']" 2>/dev/null)" "$(err)"
  fi
}

# The organisation's key and DID document (Multikey), served at /orgs/rgt/did.json.
expect_rc "key generate (the trust's key)" 0 "$LANYARD" key generate --out org.jwk
run "$LANYARD" key did-document --did "$ORG" --key org.jwk
cp "$TMP/out" www/orgs/rgt/did.json
check_eq "key did-document publishes the public key only, for assertionMethod" \
  "exit $RC $(jget www/orgs/rgt/did.json "[d['assertionMethod'], sorted(d['verificationMethod'][0]), d['verificationMethod'][0]['publicKeyMultibase'][:4]]")" \
  "exit 0 [['$ORG#key-1'], ['controller', 'id', 'publicKeyMultibase', 'type'], 'z6Mk']"

# ----- Issuer side: lists, issuing into them, publishing
expect_rc "status list create (revocation)" 0 "$LANYARD" status list create --db st.db --id r1 \
  --url "$BASE/status/r1" --issuer "$ORG"
expect_rc "status list create (suspension)" 0 "$LANYARD" status list create --db st.db --id s1 \
  --purpose suspension --url "$BASE/status/s1" --issuer "$ORG"
expect_rc "status list create (token, for SD-JWT VC)" 0 "$LANYARD" status list create --db st.db \
  --id t1 --format token --size 4096 --url "$BASE/status/t1" --issuer "$ORG"
run "$LANYARD" status list create --db st.db --id r1 --url "$BASE/x" --issuer "$ORG"
check_eq "status list create with a name already used" "exit $RC $(grep -c 'already exists' "$TMP/err")" "exit 2 1"
run "$LANYARD" status list create --db st.db --id tiny --size 1024 --url "$BASE/x" --issuer "$ORG"
check_eq "a Bitstring list under 131,072 entries is refused" "exit $RC $(grep -c '131,072' "$TMP/err")" "exit 2 1"

cat >dbs.json <<JSON
{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","DBSCheckCredential"],
 "issuer":"$ORG","validFrom":"2026-01-01T00:00:00Z","validUntil":"2036-01-01T00:00:00Z",
 "credentialSubject":{"id":"did:example:nurse","dbsLevel":"enhanced"}}
JSON
issue() {  # issue OUT: a DBS credential in both bitstring lists
  "$LANYARD" credential issue --key org.jwk --kid "$ORG#key-1" --status-db st.db \
    --status-list r1 --status-list s1 --in dbs.json >"$1"
}
issue vc1.json && issue vc2.json
check_eq "issued credentials carry a revocation and a suspension entry" \
  "$(jget vc1.json "[e['statusPurpose'] for e in d['credentialStatus']]")" "['revocation', 'suspension']"
check_eq "two credentials get different (random) indexes" \
  "$(jget vc1.json "d['credentialStatus'][0]['statusListIndex'] != '$(jget vc2.json "d['credentialStatus'][0]['statusListIndex']")'")" True
R1="$(jget vc1.json "d['credentialStatus'][0]['statusListIndex']")"
S2="$(jget vc2.json "d['credentialStatus'][1]['statusListIndex']")"
publish() {
  for l in r1 s1 t1; do "$LANYARD" status list publish --db st.db --id "$l" --key org.jwk \
    --kid "$ORG#key-1" --out "www/status/$l"; done
}
publish

# ----- Verifier side
expect_verify "a current credential: both entries checked over HTTP" 0 "status.current signature.valid" vc1.json
check_eq "... and trust is reported as not checked (a warning, never trusted)" \
  "$(jget "$TMP/out" "d['warnings']")" "['trust.not_checked']"
expect_verify "--require-trust without a registry" 1 trust.not_checked --require-trust vc1.json

cat >registry.json <<JSON
{"format":"lanyard-trust-registry/1","serial":12,"issued":"2026-11-01T00:00:00Z",
 "organisations":[{"ods":"RGT","name":"Cambridge University Hospitals","kinds":["trust"],
   "region":"Y61","ics":"QUE","identifiers":["$ORG"],"keys":[{"id":"$ORG#key-1","status":"active"}]}],
 "authorisations":[{"organisation":"RGT","credentialTypes":["DBSCheckCredential"],"from":"2026-01-01T00:00:00Z"}],
 "agreements":[]}
JSON
expect_rc "key generate (the bundle signer)" 0 "$LANYARD" key generate --out bundle.jwk
BUNDLE_SIGNER="$("$LANYARD" key did bundle.jwk)"
expect_rc "trust bundle build (fetches the did:web document)" 0 \
  "$LANYARD" trust bundle build --registry registry.json --key bundle.jwk --out bundle.json
check_eq "the bundle carries the registry and the organisation's DID document" \
  "$(jget bundle.json "[d['credentialSubject']['registry']['serial'], [x['id'] for x in d['credentialSubject']['didDocuments']]]")" \
  "[12, ['$ORG']]"
expect_verify "with the trust bundle: trusted, authorised, current key" 0 \
  "issuer.trusted issuer.authorised_for_type issuer.key_current" \
  --trust bundle.json --trust-signer "$BUNDLE_SIGNER" --require-trust vc1.json
expect_rc "a bundle pinned to another signer is refused" 2 \
  "$LANYARD" credential verify --trust bundle.json --trust-signer "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK" vc1.json
sed 's/Cambridge/Cambridgf/' bundle.json >bundle-tampered.json
expect_rc "a tampered bundle is refused" 2 "$LANYARD" credential verify --trust bundle-tampered.json vc1.json
sed 's/DBSCheckCredential/OccupationalHealthClearance/' registry.json >registry-oh.json
"$LANYARD" trust bundle build --registry registry-oh.json --key bundle.jwk --out bundle-oh.json 2>/dev/null
expect_verify "an issuer not authorised for the type" 1 issuer.not_authorised_for_type \
  --trust bundle-oh.json vc1.json
printf '{"format":"lanyard-trust-registry/1","serial":1,"organisations":[{"ods":"X","name":"x","kinds":["hospital"],"identifiers":["y"]}]}' >bad-registry.json
run "$LANYARD" trust bundle build --registry bad-registry.json --key bundle.jwk
check_eq "a malformed registry is refused, naming the member" \
  "exit $RC $(grep -c 'organisations\[0\].kinds\[0\]' "$TMP/err")" "exit 2 1"

# Revocation, suspension and reinstatement, each published and seen by a fresh verifier.
expect_rc "status list revoke" 0 "$LANYARD" status list revoke --db st.db --id r1 --index "$R1" \
  --reason "registration removed by the regulator"
publish
expect_verify "a revoked credential" 1 status.revoked vc1.json
run "$LANYARD" status list show --db st.db --id r1 --index "$R1"
check_eq "status list show gives the entry's history with its reason" \
  "exit $RC $(grep -c 'revoked  registration removed by the regulator' "$TMP/out")" "exit 0 1"
run "$LANYARD" status list reinstate --db st.db --id r1 --index "$R1" --reason "mistake"
check_eq "a revocation cannot be lifted" "exit $RC $(grep -c 'final' "$TMP/err")" "exit 2 1"
expect_rc "status list suspend" 0 "$LANYARD" status list suspend --db st.db --id s1 --index "$S2" \
  --reason "interim order"
publish
expect_verify "a suspended credential" 1 status.suspended vc2.json
expect_rc "status list reinstate" 0 "$LANYARD" status list reinstate --db st.db --id s1 \
  --index "$S2" --reason "order lifted"
publish
expect_verify "reinstated: valid again" 0 status.current vc2.json
expect_rc "an index never allocated" 2 "$LANYARD" status list suspend --db st.db --id s1 \
  --index 1 --reason x

# SD-JWT VC with an IETF Token Status List.
printf '{"iss":"%s","vct":"https://lanyard.example/vct/dbs","dbsLevel":"enhanced"}' "$ORG" >dbs-payload.json
"$LANYARD" credential issue --format sd-jwt --key org.jwk --kid "$ORG#key-1" --status-db st.db \
  --status-list t1 --in dbs-payload.json >sd.txt
T1="$(python3 -c 'import base64, json, sys; p = open("sd.txt").read().split("~")[0].split(".")[1]
print(json.loads(base64.urlsafe_b64decode(p + "==="))["status"]["status_list"]["idx"])')"
publish
expect_verify "an SD-JWT VC with a current token status" 0 status.current sd.txt
"$LANYARD" status list suspend --db st.db --id t1 --index "$T1" --reason "OH review" >/dev/null
publish
expect_verify "an SD-JWT VC suspended in its token list" 1 status.suspended sd.txt
run "$LANYARD" credential issue --format sd-jwt --key org.jwk --kid "$ORG#key-1" --status-db st.db \
  --status-list r1 --in dbs-payload.json
check_eq "a Bitstring list for an SD-JWT VC is refused" "exit $RC $(grep -c 'Bitstring lists are for Data Integrity' "$TMP/err")" "exit 2 1"

# Fail closed: the web site down, then offline with and without a cache.
expect_verify "online, keeping a status cache" 0 status.current --status-cache cache vc2.json
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
expect_verify "the list server is down: status unavailable" 1 status.unavailable \
  --trust bundle.json vc2.json
expect_verify "--offline with the cache and the bundle (DID document from the bundle)" 0 \
  "status.current issuer.trusted" --offline --status-cache cache --trust bundle.json vc2.json
expect_verify "--offline without a cache fails closed" 1 status.unavailable --offline --trust bundle.json vc2.json

finish
