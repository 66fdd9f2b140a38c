#!/usr/bin/env bash
# Self-test of the JavaScript status-list interop peer (status_peer.mjs) on its own: W3C
# Bitstring Status List credentials made, signed (eddsa-jcs-2022, did:key) and checked through
# @digitalbazaar/vc-bitstring-status-list, cross-checked with peer.mjs's own eddsa-jcs-2022 and
# with the spec example in tests/vectors/bitstring-status-list; IETF Token Status List JWTs made
# and decoded through @sd-jwt/jwt-status-list for 1, 2, 4 and 8 bits per status, signed and
# verified with jose, and checked against the draft's two example lists.
# Run `npm install` in this folder first (it installs the pinned packages).
#
# Usage: bash status_self_test.sh
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
VECTORS="$HERE/../vectors/bitstring-status-list"
PEER=(node "$HERE/status_peer.mjs")

for dep in @digitalbazaar/vc-bitstring-status-list @digitalbazaar/data-integrity \
  @digitalbazaar/eddsa-jcs-2022-cryptosuite @digitalbazaar/did-method-key @sd-jwt/jwt-status-list jose; do
  if [[ ! -d "$HERE/node_modules/$dep" ]]; then
    echo "status_self_test: run 'npm install' in $(basename "$HERE") first" >&2
    exit 2
  fi
done

# shellcheck source=tests/harness.sh
source "$HERE/../harness.sh"
# shellcheck source=tests/interop/json_tools.sh
source "$HERE/json_tools.sh"

# keygen ed25519|p256 FILE: a private JWK, generated straight to JWK (Node 20 can deadlock when
# a freshly generated KeyObject is exported).
keygen() {
  node -e 'const crypto = require("crypto");
    const [type, file] = process.argv.slice(1);
    const { privateKey } = crypto.generateKeyPairSync(type === "p256" ? "ec" : "ed25519", {
      ...(type === "p256" ? { namedCurve: "P-256" } : {}),
      publicKeyEncoding: { format: "jwk" }, privateKeyEncoding: { format: "jwk" } });
    require("fs").writeFileSync(file, JSON.stringify(privateKey) + "\n", { mode: 0o600 });' "$1" "$2"
}

# encoded_bytes FILE EXPR: evaluates EXPR over the decompressed bytes `b` (a Buffer) of the
# BitstringStatusListCredential in FILE (gzip, base64url after the multibase "u").
encoded_bytes() {
  node -e 'const zlib = require("zlib");
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const b = zlib.gunzipSync(Buffer.from(d.credentialSubject.encodedList.slice(1), "base64url"));
    const v = (0, eval)("(b) => " + process.argv[2])(b);
    process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));' "$1" "$2"
}

# credential FILE ISSUER ENTRY...: a credential whose credentialStatus holds the ENTRY objects
# (JSON, each completed with type and id); a single ENTRY is written as an object, not an array.
credential() {
  node -e 'const [file, issuer, ...entries] = process.argv.slice(1);
    const status = entries.map((e) => JSON.parse(e)).map((e) => ({
      id: `${e.statusListCredential}#${e.statusListIndex}`, type: "BitstringStatusListEntry", ...e }));
    const vc = { "@context": ["https://www.w3.org/ns/credentials/v2"], id: "urn:uuid:2f1d2c3e-0c1b-4c47-9f63-5b0c5b1e7a10",
      type: ["VerifiableCredential", "StaffPassport"], issuer, validFrom: "2025-01-01T09:30:00Z",
      credentialSubject: { id: "did:example:nurse-1", role: "Staff Nurse" },
      credentialStatus: status.length === 1 ? status[0] : status };
    require("fs").writeFileSync(file, JSON.stringify(vc, null, 2) + "\n");' "$@"
}

# entry URL PURPOSE INDEX: one status entry as JSON.
entry() {
  printf '{"statusPurpose":"%s","statusListIndex":"%s","statusListCredential":"%s"}' "$2" "$3" "$1"
}

# statuses: the entries of the last bitstring-check as PURPOSE:INDEX=STATUS words.
statuses() {
  json_get "$TMP/out" 'd.entries.map((e) => `${e.statusPurpose}:${e.statusListIndex}=${e.status}`).join(" ")'
}

REV=https://status.lanyard.example/lists/revocation/1
SUS=https://status.lanyard.example/lists/suspension/1
keygen ed25519 "$TMP/issuer.jwk"
keygen ed25519 "$TMP/other.jwk"
keygen p256 "$TMP/p256.jwk"

echo "# bitstring-make: the library's encoding"
expect_rc "make a 131072-entry revocation list with 5, 77, 131071 set" 0 \
  "${PEER[@]}" bitstring-make --size 131072 --set 5,77,131071 --purpose revocation --id "$REV" \
  --valid-from 2025-01-01T00:00:00Z --valid-until 2035-01-01T00:00:00Z
cp "$TMP/out" "$TMP/rev.json"
check_eq "unsigned BitstringStatusListCredential, VC 2.0 context, no issuer unless asked" \
  "$(json_get "$TMP/rev.json" '[d["@context"], d.type, d.issuer, d.credentialSubject.id,
     d.credentialSubject.type, d.credentialSubject.statusPurpose, d.credentialSubject.encodedList[0], d.proof]')" \
  "[[\"https://www.w3.org/ns/credentials/v2\"],[\"VerifiableCredential\",\"BitstringStatusListCredential\"],null,\"$REV#list\",\"BitstringStatusList\",\"revocation\",\"u\",null]"
check_eq "encodedList is gzip of 16384 bytes, bit 0 the most significant bit of byte 0" \
  "$(encoded_bytes "$TMP/rev.json" '[b.length, b[0], b[9], b[16383], b.reduce((n, x) => n + (x ? 1 : 0), 0)]')" \
  "[16384,4,4,1,3]"
expect_rc "bitstring-make --issuer" 0 \
  "${PEER[@]}" bitstring-make --size 131072 --set 0 --purpose suspension --id "$SUS" --issuer did:example:12345
check_eq "... sets issuer; bit 0 is 0x80 of byte 0" \
  "$(json_get "$TMP/out" 'd.issuer') $(encoded_bytes "$TMP/out" 'b[0]')" "did:example:12345 128"

echo "# bitstring-check without list verification (unsigned lists)"
credential "$TMP/vc-unsigned.json" did:example:lanyard "$(entry "$REV" revocation 5)" \
  "$(entry "$REV" revocation 6)" "$(entry "$REV" revocation 131071)"
json_edit "$TMP/rev.json" "$TMP/rev-unsigned.json" 'd.issuer = "did:example:lanyard";'
expect_rc "entries at 5, 6, 131071" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-unsigned.json" --list "$TMP/rev-unsigned.json" --no-verify-list
check_eq "... are set, unset, set" "$(statuses)" "revocation:5=true revocation:6=false revocation:131071=true"
check_eq "... verified, statusListCredential named" \
  "$(json_get "$TMP/out" "[d.verified, d.entries.every((e) => e.statusListCredential === '$REV')]")" "[true,true]"
expect_rc "an unsigned list is refused when list verification is on" 1 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-unsigned.json" --list "$TMP/rev-unsigned.json"
check_eq "... with the library's reason" "$(json_get "$TMP/out" 'd')" \
  '{"verified":false,"error":"\"BitstringStatusListCredential\" not verified; reason: Verification error(s). [No matching proofs found in the given document.]"}'
expect_rc "the spec example (one entry, index 94567) against the spec's all-clear list" 0 \
  "${PEER[@]}" bitstring-check --credential "$VECTORS/example-revocable-vc.json" \
  --list "$VECTORS/example-BitstringStatusListCredential.json" --no-verify-list
check_eq "... is not revoked" "$(statuses)" "revocation:94567=false"

echo "# bitstring-sign: eddsa-jcs-2022 by a did:key issuer"
expect_rc "sign the revocation list" 0 \
  "${PEER[@]}" bitstring-sign --list "$TMP/rev.json" --jwk "$TMP/issuer.jwk" --created 2025-01-01T00:00:00Z
cp "$TMP/out" "$TMP/rev-signed.json"
DID="$(json_get "$TMP/rev-signed.json" 'd.issuer')"
check_eq "issuer is the key's did:key, placed after type" \
  "$(json_get "$TMP/rev-signed.json" '[d.issuer.startsWith("did:key:z6Mk"), Object.keys(d).join()]')" \
  '[true,"@context,id,type,issuer,validFrom,validUntil,credentialSubject,proof"]'
check_eq "proof: DataIntegrityProof eddsa-jcs-2022, assertionMethod, did:key verification method, @context" \
  "$(json_get "$TMP/rev-signed.json" '[d.proof.type, d.proof.cryptosuite, d.proof.proofPurpose, d.proof.created,
     d.proof.verificationMethod === d.issuer + "#" + d.issuer.slice(8), d.proof["@context"], d.proof.proofValue[0]]')" \
  '["DataIntegrityProof","eddsa-jcs-2022","assertionMethod","2025-01-01T00:00:00Z",true,["https://www.w3.org/ns/credentials/v2"],"z"]'
expect_rc "peer.mjs (its own eddsa-jcs-2022) verifies the library's proof" 0 \
  node "$HERE/peer.mjs" verify "$TMP/rev-signed.json"
node "$HERE/peer.mjs" issue --key "$TMP/issuer.jwk" --suite eddsa-jcs-2022 --created 2025-01-01T00:00:00Z \
  --in <(json_get "$TMP/rev.json" "({ ...d, issuer: '$DID' })") >"$TMP/rev-peer-signed.json"

echo "# bitstring-check with list verification"
credential "$TMP/vc.json" "$DID" "$(entry "$REV" revocation 77)"
expect_rc "one entry object at a set index" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc.json" --list "$TMP/rev-signed.json"
check_eq "... is revoked, verified" "$(statuses) $(json_get "$TMP/out" d.verified)" "revocation:77=true true"
credential "$TMP/vc-78.json" "$DID" "$(entry "$REV" revocation 78)"
expect_rc "one entry object at an unset index" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-78.json" --list "$TMP/rev-signed.json"
check_eq "... is not revoked" "$(statuses)" "revocation:78=false"
expect_rc "the list signed by peer.mjs verifies in the library too" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc.json" --list "$TMP/rev-peer-signed.json"
check_eq "... same status" "$(statuses)" "revocation:77=true"

"${PEER[@]}" bitstring-make --size 131072 --set 1000,2000 --purpose suspension --id "$SUS" >"$TMP/sus.json"
"${PEER[@]}" bitstring-sign --list "$TMP/sus.json" --jwk "$TMP/issuer.jwk" >"$TMP/sus-signed.json"
credential "$TMP/vc-two.json" "$DID" "$(entry "$REV" revocation 131071)" "$(entry "$SUS" suspension 1000)" \
  "$(entry "$SUS" suspension 1001)" "$(entry "$REV" revocation 0)"
json_edit "$TMP/vc-two.json" "$TMP/vc-three.json" \
  'd.credentialStatus.push({ type: "TokenStatusListEntry", statusListIndex: "1" });'
expect_rc "an array of entries over two lists" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-two.json" --list "$TMP/rev-signed.json" --list "$TMP/sus-signed.json"
check_eq "... every entry checked, in order" "$(statuses)" \
  "revocation:131071=true suspension:1000=true suspension:1001=false revocation:0=false"
expect_rc "entries of another type are skipped" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-three.json" --list "$TMP/rev-signed.json" --list "$TMP/sus-signed.json"
check_eq "... leaving the four" "$(json_get "$TMP/out" 'd.entries.length')" "4"

echo "# refusals"
OTHER_LIST="$(json_get "$TMP/sus.json" 'd.credentialSubject.encodedList')" \
  json_edit "$TMP/rev-signed.json" "$TMP/rev-tampered.json" 'd.credentialSubject.encodedList = process.env.OTHER_LIST;'
expect_rc "a list whose encodedList was changed after signing" 1 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc.json" --list "$TMP/rev-tampered.json"
check_eq "... is not verified" "$(json_get "$TMP/out" 'd')" \
  '{"verified":false,"error":"\"BitstringStatusListCredential\" not verified; reason: Verification error(s). [Invalid signature.]"}'
json_edit "$TMP/rev-signed.json" "$TMP/rev-badsig.json" \
  'const v = d.proof.proofValue; d.proof.proofValue = v.slice(0, 10) + (v[10] === "A" ? "B" : "A") + v.slice(11);'
expect_rc "a changed proofValue" 1 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc.json" --list "$TMP/rev-badsig.json"
check_eq "... is an invalid signature" "$(json_get "$TMP/out" 'd.error.endsWith("[Invalid signature.]")')" "true"
json_edit "$TMP/rev.json" "$TMP/rev-claimed.json" "d.issuer = '$DID';"
"${PEER[@]}" bitstring-sign --list "$TMP/rev-claimed.json" --jwk "$TMP/other.jwk" >"$TMP/rev-other.json" 2>/dev/null
expect_rc "a list signed by another key than its issuer's" 1 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc.json" --list "$TMP/rev-other.json"
check_eq "... is refused for that" "$(json_get "$TMP/out" d.error)" \
  "\"BitstringStatusListCredential\" not verified; reason: Verification error(s). [Credential issuer must match the verification method controller.]"
json_edit "$TMP/rev-other.json" "$TMP/rev-other-vm.json" \
  "d.proof.verificationMethod = '$DID#' + '$DID'.slice(8);"
expect_rc "... and when its proof names the issuer's key" 1 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc.json" --list "$TMP/rev-other-vm.json"
check_eq "... the signature does not verify" "$(json_get "$TMP/out" 'd.error.endsWith("[Invalid signature.]")')" "true"
credential "$TMP/vc-other-issuer.json" did:example:someone-else "$(entry "$REV" revocation 77)"
expect_rc "a credential from another issuer than the list's" 1 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-other-issuer.json" --list "$TMP/rev-signed.json"
check_eq "... is refused for that" "$(json_get "$TMP/out" d.error)" \
  "Issuers of the status list credential and verifiable credential do not match."
expect_rc "... accepted with --no-matching-issuers" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-other-issuer.json" --list "$TMP/rev-signed.json" --no-matching-issuers
"${PEER[@]}" bitstring-make --size 131072 --purpose revocation --id "$REV" --valid-until 2020-01-01T00:00:00Z \
  >"$TMP/rev-old.json"
"${PEER[@]}" bitstring-sign --list "$TMP/rev-old.json" --jwk "$TMP/issuer.jwk" >"$TMP/rev-old-signed.json"
expect_rc "a list past its validUntil" 1 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc.json" --list "$TMP/rev-old-signed.json"
check_eq "... is refused for that" "$(json_get "$TMP/out" 'd.error.includes("is after \"validUntil\"")')" "true"
expect_rc "an entry whose list was not given" 1 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-two.json" --list "$TMP/rev-signed.json"
check_eq "... is not fetched" "$(json_get "$TMP/out" d.error)" \
  "Could not load \"BitstringStatusListCredential\"; reason: document not served offline: $SUS"
credential "$TMP/vc-purpose.json" "$DID" "$(entry "$REV" suspension 77)"
expect_rc "an entry whose statusPurpose is not the list's" 1 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-purpose.json" --list "$TMP/rev-signed.json"
credential "$TMP/vc-range.json" "$DID" "$(entry "$REV" revocation 131072)"
expect_rc "an index past the end of the list" 1 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-range.json" --list "$TMP/rev-signed.json"
check_eq "... is refused for that" "$(json_get "$TMP/out" d.error)" 'Position "131072" is out of range "0-131071".'
credential "$TMP/vc-bad-and-good.json" "$DID" "$(entry "$REV" revocation 77)" "$(entry "$REV" revocation -1)"
expect_rc "one bad entry among good ones fails the whole check" 1 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-bad-and-good.json" --list "$TMP/rev-signed.json"

echo "# library leniencies (pinned here so that a change in the library shows)"
"${PEER[@]}" bitstring-make --size 16 --set 3 --purpose revocation --id "$REV" >"$TMP/rev-short.json"
"${PEER[@]}" bitstring-sign --list "$TMP/rev-short.json" --jwk "$TMP/issuer.jwk" >"$TMP/rev-short-signed.json"
credential "$TMP/vc-3.json" "$DID" "$(entry "$REV" revocation 3)"
expect_rc "a 16-entry list (the spec's minimum is 131072) is accepted" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-3.json" --list "$TMP/rev-short-signed.json"
check_eq "... and read" "$(statuses)" "revocation:3=true"
credential "$TMP/vc-77abc.json" "$DID" "$(entry "$REV" revocation 77abc)"
expect_rc "statusListIndex \"77abc\" is read as 77 (parseInt)" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-77abc.json" --list "$TMP/rev-signed.json"
check_eq "... status of 77" "$(statuses)" "revocation:77abc=true"
json_edit "$TMP/vc.json" "$TMP/vc-number.json" 'd.credentialStatus.statusListIndex = 77;'
expect_rc "statusListIndex as a JSON number is accepted" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-number.json" --list "$TMP/rev-signed.json"
json_edit "$TMP/vc.json" "$TMP/vc-size.json" 'd.credentialStatus.statusSize = 2;'
expect_rc "statusSize is ignored (one bit is read)" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-size.json" --list "$TMP/rev-signed.json"
json_edit "$TMP/vc.json" "$TMP/vc-context.json" 'd["@context"] = "https://example.org/not-a-vc";'
expect_rc "the credential's @context is not looked at" 0 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc-context.json" --list "$TMP/rev-signed.json"

echo "# bitstring usage errors"
expect_rc "bitstring-check without --list" 2 "${PEER[@]}" bitstring-check --credential "$TMP/vc.json"
expect_rc "an unreadable credential" 2 \
  "${PEER[@]}" bitstring-check --credential "$TMP/missing.json" --list "$TMP/rev-signed.json"
json_edit "$TMP/rev-signed.json" "$TMP/rev-noid.json" 'delete d.id;'
expect_rc "a list without id" 2 "${PEER[@]}" bitstring-check --credential "$TMP/vc.json" --list "$TMP/rev-noid.json"
expect_rc "the same list twice" 2 \
  "${PEER[@]}" bitstring-check --credential "$TMP/vc.json" --list "$TMP/rev-signed.json" --list "$TMP/rev-signed.json"
expect_rc "a set index past --size" 2 \
  "${PEER[@]}" bitstring-make --size 131072 --set 131072 --purpose revocation --id "$REV"
expect_rc "bitstring-sign with a P-256 key" 2 \
  "${PEER[@]}" bitstring-sign --list "$TMP/rev.json" --jwk "$TMP/p256.jwk"

echo "# token-make / token-decode round trips"
SUB=https://status.lanyard.example/tokens/1
# set, the indexes to read back and the statuses expected there, per bits per status
declare -A SET=([1]="0=1,7=1,8=1,99=1" [2]="0=1,5=2,19=3,98=2" [4]="1=15,2=9,99=4" [8]="0=255,1=128,3=1,99=200")
declare -A WANT=([1]='{"0":1,"1":0,"7":1,"8":1,"98":0,"99":1}' [2]='{"0":1,"1":0,"5":2,"19":3,"98":2,"99":0}'
  [4]='{"0":0,"1":15,"2":9,"99":4}' [8]='{"0":255,"1":128,"2":0,"3":1,"99":200}')
# the decoded list is whole bytes: 100 entries of 1 bit read back as 104
declare -A SIZE=([1]=104 [2]=100 [4]=100 [8]=100)
for bits in 1 2 4 8; do
  for type in ed25519 p256; do
    K="$TMP/issuer.jwk"
    alg=EdDSA
    if [[ $type == p256 ]]; then K="$TMP/p256.jwk"; alg=ES256; fi
    T="$TMP/token-$bits-$type.jwt"
    expect_rc "bits $bits, $alg: token-make" 0 \
      "${PEER[@]}" token-make --bits "$bits" --size 100 --set "${SET[$bits]}" --sub "$SUB" --jwk "$K" \
      --kid key-1 --iat 1750000000 --exp 1750086400 --ttl 43200
    cp "$TMP/out" "$T"
    check_eq "bits $bits, $alg: header and payload" \
      "$(sd_get "$T" '[hdr(p[0]), { ...pay(p[0]), status_list: { ...pay(p[0]).status_list, lst: typeof pay(p[0]).status_list.lst } }]')" \
      "[{\"alg\":\"$alg\",\"typ\":\"statuslist+jwt\",\"kid\":\"key-1\"},{\"sub\":\"$SUB\",\"iat\":1750000000,\"exp\":1750086400,\"ttl\":43200,\"status_list\":{\"bits\":$bits,\"lst\":\"string\"}}]"
    IDX=()
    for i in $(node -e 'console.log(Object.keys(JSON.parse(process.argv[1])).join(" "))' "${WANT[$bits]}"); do
      IDX+=(--index "$i")
    done
    expect_rc "bits $bits, $alg: token-decode with the signature checked" 0 \
      "${PEER[@]}" token-decode --token "$T" "${IDX[@]}" --jwk "$K"
    check_eq "bits $bits, $alg: statuses and claims come back" "$(json_get "$TMP/out" d)" \
      "{\"bits\":$bits,\"size\":${SIZE[$bits]},\"statuses\":${WANT[$bits]},\"sub\":\"$SUB\",\"iat\":1750000000,\"exp\":1750086400,\"ttl\":43200,\"typ\":\"statuslist+jwt\",\"alg\":\"$alg\",\"kid\":\"key-1\",\"verified\":true}"
  done
done
check_eq "bits 2: lst is zlib, entry 0 in the low bits of byte 0" \
  "$(sd_get "$TMP/token-2-ed25519.jwt" \
     'require("zlib").inflateSync(Buffer.from(pay(p[0]).status_list.lst, "base64url")).subarray(0, 5).toString("hex")')" \
  "01080000c0"
check_eq "bits 1: lst holds 13 bytes (100 entries rounded up to whole bytes)" \
  "$(sd_get "$TMP/token-1-ed25519.jwt" \
     'require("zlib").inflateSync(Buffer.from(pay(p[0]).status_list.lst, "base64url")).toString("hex")')" \
  "81010000000000000000000008"
expect_rc "a token made without --iat / --exp / --ttl" 0 \
  "${PEER[@]}" token-make --bits 1 --size 8 --sub "$SUB" --jwk "$TMP/issuer.jwk"
cp "$TMP/out" "$TMP/token-plain.jwt"
expect_rc "... decodes" 0 "${PEER[@]}" token-decode --token "$TMP/token-plain.jwt" --index 7
check_eq "... iat now, no exp, ttl, kid" \
  "$(json_get "$TMP/out" '[Math.abs(d.iat - Date.now() / 1000) < 60, d.exp, d.ttl, d.kid, d.verified]')" \
  "[true,null,null,null,false]"

echo "# token-decode: the draft's example lists (unsigned tokens)"
# unsigned_token FILE STATUS_LIST_JSON: a compact JWS with alg none around a status list.
unsigned_token() {
  node -e 'const e = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
    require("fs").writeFileSync(process.argv[1], e({ alg: "none", typ: "statuslist+jwt" }) + "." +
      e({ sub: "https://example.com/statuslists/1", iat: 1686920170, status_list: JSON.parse(process.argv[2]) }) + ".\n");' \
    "$1" "$2"
}
INDEX_0_TO_15=()
for i in $(seq 0 15); do INDEX_0_TO_15+=(--index "$i"); done
INDEX_0_TO_11=("${INDEX_0_TO_15[@]:0:24}")
unsigned_token "$TMP/draft-1.jwt" '{"bits":1,"lst":"eNrbuRgAAhcBXQ"}'
expect_rc "1 bit: eNrbuRgAAhcBXQ" 0 "${PEER[@]}" token-decode --token "$TMP/draft-1.jwt" \
  "${INDEX_0_TO_15[@]}"
check_eq "... statuses 1 0 0 1 1 1 0 1 1 1 0 0 0 1 0 1" "$(json_get "$TMP/out" 'Object.values(d.statuses).join(" ")')" \
  "1 0 0 1 1 1 0 1 1 1 0 0 0 1 0 1"
unsigned_token "$TMP/draft-2.jwt" '{"bits":2,"lst":"eNo76fITAAPfAgc"}'
expect_rc "2 bits: eNo76fITAAPfAgc" 0 "${PEER[@]}" token-decode --token "$TMP/draft-2.jwt" \
  "${INDEX_0_TO_11[@]}"
check_eq "... statuses 1 2 0 3 0 1 0 1 1 2 3 3" "$(json_get "$TMP/out" 'Object.values(d.statuses).join(" ")')" \
  "1 2 0 3 0 1 0 1 1 2 3 3"
GZ="$(node -e 'process.stdout.write(require("zlib").gzipSync(Buffer.from("b9a3", "hex")).toString("base64url"))')"
unsigned_token "$TMP/gzip.jwt" "{\"bits\":1,\"lst\":\"$GZ\"}"
expect_rc "library leniency: a gzip (not zlib) lst is accepted" 0 \
  "${PEER[@]}" token-decode --token "$TMP/gzip.jwt" --index 0

echo "# token refusals and usage errors"
expect_rc "a token signed by one key is refused with another" 1 \
  "${PEER[@]}" token-decode --token "$TMP/token-2-ed25519.jwt" --index 0 --jwk "$TMP/other.jwk"
check_eq "... for its signature" "$(err)" "token-decode: signature not verified: signature verification failed"
tamper_sig "$TMP/token-2-p256.jwt" "$TMP/token-bad.jwt" 0
expect_rc "a changed signature is refused" 1 \
  "${PEER[@]}" token-decode --token "$TMP/token-bad.jwt" --index 0 --jwk "$TMP/p256.jwk"
expect_rc "an ES256 token against an Ed25519 key" 1 \
  "${PEER[@]}" token-decode --token "$TMP/token-2-p256.jwt" --index 0 --jwk "$TMP/issuer.jwk"
expect_rc "an index past the list" 1 "${PEER[@]}" token-decode --token "$TMP/token-2-p256.jwt" --index 100
expect_rc "not a JWS" 1 "${PEER[@]}" token-decode --token "$TMP/rev.json" --index 0
expect_rc "token-decode without --index" 2 "${PEER[@]}" token-decode --token "$TMP/token-2-p256.jwt"
expect_rc "a value too large for the bits" 2 \
  "${PEER[@]}" token-make --bits 2 --size 8 --set 0=4 --sub "$SUB" --jwk "$TMP/issuer.jwk"
expect_rc "bits 3" 2 "${PEER[@]}" token-make --bits 3 --size 8 --sub "$SUB" --jwk "$TMP/issuer.jwk"
json_edit "$TMP/issuer.jwk" "$TMP/issuer-public.jwk" 'delete d.d;'
expect_rc "a public key cannot sign" 2 \
  "${PEER[@]}" token-make --bits 1 --size 8 --sub "$SUB" --jwk "$TMP/issuer-public.jwk"
expect_rc "unknown command" 2 "${PEER[@]}" frobnicate

finish
