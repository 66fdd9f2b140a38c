#!/usr/bin/env bash
# Status lists between Lanyard and independent JavaScript implementations, both ways:
#   - Bitstring Status List: lists Lanyard publishes (signed eddsa-jcs-2022 by a did:key issuer)
#     are verified and read by @digitalbazaar/vc-bitstring-status-list's checkStatus (with a
#     static document loader, no network) for Lanyard's credentials, revoked and not; a list the
#     library builds and signs with the issuer's key is read by Lanyard's verifier;
#   - IETF Token Status List: tokens Lanyard publishes are decoded (and their signatures checked)
#     by @sd-jwt/jwt-status-list 0.19.0 + jose; a token the library builds is read by Lanyard.
# Lists travel to Lanyard over HTTP from a loopback server, as in production.
# Needs Node.js, python3 and the npm packages of this folder (scripts/setup).
#
# Usage: bash status_interop_test.sh PATH/TO/lanyard
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=tests/harness.sh
source "$HERE/../harness.sh"
lanyard_binary "$@"
require node
require python3
for dep in @digitalbazaar/vc-bitstring-status-list @sd-jwt/jwt-status-list jose; do
  if [[ ! -d "$HERE/node_modules/$dep" ]]; then
    echo "status_interop_test: run 'npm install' in $(basename "$HERE") first" >&2
    exit 2
  fi
done
PEER=(node "$HERE/status_peer.mjs")
cd "$TMP"

mkdir -p www
start_web_server www

jget() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }
"$LANYARD" key generate --out issuer.jwk 2>/dev/null
python3 -c 'import json; k = json.load(open("issuer.jwk")); k.pop("d"); json.dump(k, open("issuer.pub.jwk", "w"))'
ISSUER="$("$LANYARD" key did issuer.jwk)"
KID="$ISSUER#${ISSUER#did:key:}"

# ----- Lanyard publishes, the library reads
"$LANYARD" status list create --db st.db --id r1 --url "$BASE/r1" --key issuer.jwk >/dev/null
"$LANYARD" status list create --db st.db --id s1 --purpose suspension --url "$BASE/s1" \
  --key issuer.jwk >/dev/null
printf '{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
  "validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"did:example:nurse"}}' >vc.json
for n in 1 2; do
  "$LANYARD" credential issue --key issuer.jwk --status-db st.db --status-list r1 \
    --status-list s1 --in vc.json >"vc$n.json"
done
R1="$(jget vc1.json "d['credentialStatus'][0]['statusListIndex']")"
S2="$(jget vc2.json "d['credentialStatus'][1]['statusListIndex']")"
"$LANYARD" status list revoke --db st.db --id r1 --index "$R1" --reason "fraud" >/dev/null
"$LANYARD" status list suspend --db st.db --id s1 --index "$S2" --reason "interim order" >/dev/null
for l in r1 s1; do "$LANYARD" status list publish --db st.db --id "$l" --key issuer.jwk --out "$l.json"; done

peer_check() {  # peer_check NAME CREDENTIAL WANT_STATUSES
  run "${PEER[@]}" bitstring-check --credential "$2" --list r1.json --list s1.json
  check_eq "$1" "exit $RC $(jget "$TMP/out" "[d['verified'], [e['status'] for e in d['entries']]]" 2>&1)" \
    "exit 0 [True, $3]" "$(err)"
}
peer_check "the library verifies Lanyard's lists and reads vc1 as revoked, not suspended" vc1.json "[True, False]"
peer_check "... and vc2 as not revoked, suspended" vc2.json "[False, True]"
python3 -c 'import json; d = json.load(open("r1.json")); d["validUntil"] = "2099-01-01T00:00:00Z"; json.dump(d, open("r1-forged.json", "w"))'
run "${PEER[@]}" bitstring-check --credential vc1.json --list r1-forged.json --list s1.json
check_eq "the library refuses Lanyard's list once tampered" "exit $RC" "exit 1"

# ----- The library publishes, Lanyard reads (over HTTP, as a verifier would)
"$LANYARD" status list create --db peer.db --id p1 --url "$BASE/p1" --key issuer.jwk >/dev/null
"$LANYARD" credential issue --key issuer.jwk --status-db peer.db --status-list p1 --in vc.json >vc3.json
P1="$(jget vc3.json "d['credentialStatus']['statusListIndex']")"
OTHER=$(( (P1 + 1) % 131072 ))
make_peer_list() {  # make_peer_list SET_INDEXES
  "${PEER[@]}" bitstring-make --size 131072 --set "$1" --purpose revocation --id "$BASE/p1" \
    --issuer "$ISSUER" --valid-from "$(date -u -d '-1 min' +%FT%TZ)" \
    --valid-until "$(date -u -d '+1 day' +%FT%TZ)" >p1-unsigned.json
  "${PEER[@]}" bitstring-sign --list p1-unsigned.json --jwk issuer.jwk >www/p1
}
make_peer_list "$OTHER"
run "$LANYARD" credential verify --json vc3.json
check_eq "Lanyard reads the library's list (signed by the issuer): vc3 current" \
  "exit $RC $(jget "$TMP/out" "d['errors']" 2>&1)" "exit 0 []" "$(err)"
make_peer_list "$OTHER,$P1"
run "$LANYARD" credential verify --json vc3.json
check_eq "... and revoked once the library sets its bit" \
  "exit $RC $(jget "$TMP/out" "d['errors']" 2>&1)" "exit 1 ['status.revoked']" "$(err)"
"${PEER[@]}" bitstring-make --size 16 --set 1 --purpose revocation --id "$BASE/p1" --issuer "$ISSUER" \
  --valid-from "$(date -u -d '-1 min' +%FT%TZ)" >p1-short.json
"${PEER[@]}" bitstring-sign --list p1-short.json --jwk issuer.jwk >www/p1
run "$LANYARD" credential verify --json vc3.json
check_eq "a 16-entry list (which the library accepts) is refused by Lanyard" \
  "exit $RC $(jget "$TMP/out" "d['errors']" 2>&1)" "exit 1 ['status.list_too_short']" "$(err)"

# ----- Token Status List, both ways
"$LANYARD" status list create --db st.db --id t1 --format token --size 4096 --url "$BASE/t1" \
  --key issuer.jwk >/dev/null
printf '{"iss":"%s","vct":"https://lanyard.example/vct/dbs","dbsLevel":"enhanced"}' "$ISSUER" >payload.json
for n in 1 2; do
  "$LANYARD" credential issue --format sd-jwt --key issuer.jwk --kid "$KID" --status-db st.db \
    --status-list t1 --in payload.json >"sd$n.txt"
done
idx() { python3 -c 'import base64, json, sys; p = open(sys.argv[1]).read().split("~")[0].split(".")[1]
print(json.loads(base64.urlsafe_b64decode(p + "==="))["status"]["status_list"]["idx"])' "$1"; }
T1="$(idx sd1.txt)"
T2="$(idx sd2.txt)"
"$LANYARD" status list suspend --db st.db --id t1 --index "$T1" --reason "OH review" >/dev/null
"$LANYARD" status list revoke --db st.db --id t1 --index "$T2" --reason "left" >/dev/null
"$LANYARD" status list publish --db st.db --id t1 --key issuer.jwk --out t1.jwt
run "${PEER[@]}" token-decode --token t1.jwt --index "$T1" --index "$T2" --jwk issuer.pub.jwk
check_eq "@sd-jwt/jwt-status-list decodes Lanyard's token: suspended 2, revoked 1, signature valid" \
  "exit $RC $(jget "$TMP/out" "[d['bits'], d['statuses']['$T1'], d['statuses']['$T2'], d['verified'], d['typ'], d['sub']]" 2>&1)" \
  "exit 0 [2, 2, 1, True, 'statuslist+jwt', '$BASE/t1']" "$(err)"

# The library's token, signed with the issuer's key, served where sd1 points.
peer_token() {  # peer_token SETS
  "${PEER[@]}" token-make --bits 2 --size 4096 --set "$1" --sub "$BASE/t1" --jwk issuer.jwk \
    --kid "$KID" --exp "$(( $(date +%s) + 3600 ))" --ttl 60 >www/t1
}
peer_token "$T1=0"
run "$LANYARD" credential verify --json sd1.txt
check_eq "Lanyard reads the library's token: current" \
  "exit $RC $(jget "$TMP/out" "d['errors']" 2>&1)" "exit 0 []" "$(err)"
peer_token "$T1=2"
run "$LANYARD" credential verify --json sd1.txt
check_eq "... suspended (2)" "exit $RC $(jget "$TMP/out" "d['errors']" 2>&1)" "exit 1 ['status.suspended']" "$(err)"
peer_token "$T1=1"
run "$LANYARD" credential verify --json sd1.txt
check_eq "... revoked (1)" "exit $RC $(jget "$TMP/out" "d['errors']" 2>&1)" "exit 1 ['status.revoked']" "$(err)"

finish
