#!/usr/bin/env bash
# Interoperability of Lanyard's SD-JWT VC and VC-JWT 1.1 support with the independent JavaScript
# peer (sdjwt_peer.mjs, on @sd-jwt/sd-jwt-vc and jose), for ES256 (P-256) and EdDSA (Ed25519)
# issuers, each with a P-256 and an Ed25519 holder:
#   - SD-JWT VCs issued by Lanyard (a nested claim, an array element and a recursive pair made
#     selectively disclosable) verify with the peer, which processes them to the same claims
#     as Lanyard's own `verify --json`;
#   - Lanyard's key-bound presentations of a subset verify with the peer and reveal exactly
#     that subset;
#   - SD-JWT VCs issued and presented (with key binding) by the peer, from a did:key issuer,
#     verify with Lanyard;
#   - each side refuses the other's presentation for a wrong nonce, and Lanyard refuses the
#     peer's presentation with a Disclosure dropped or with the issuer signature tampered;
#   - VC-JWT 1.1 tokens from the peer (EdDSA, ES256, ES256K) verify with Lanyard, tampered ones
#     do not, and a StatusList2021 credentialStatus fails closed (its list is not read).
# Needs Node.js and the npm packages of this folder (`npm install` or scripts/setup).
#
# Usage: bash sdjwt_interop_test.sh PATH/TO/lanyard
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"

# shellcheck source=tests/harness.sh
source "$HERE/../harness.sh"
lanyard_binary "$@"
require node
for dep in @sd-jwt/sd-jwt-vc @sd-jwt/core @sd-jwt/crypto-nodejs jose canonicalize; do
  if [[ ! -d "$HERE/node_modules/$dep" ]]; then
    echo "sdjwt_interop_test: run 'npm install' in $(basename "$HERE") first" >&2
    exit 2
  fi
done
PEER=(node "$HERE/sdjwt_peer.mjs")
# The Data Integrity peer, used here for its `did FILE` command only.
DI_PEER=(node "$HERE/peer.mjs")

# shellcheck source=tests/interop/json_tools.sh
source "$HERE/json_tools.sh"





# did_key JWK: the did:key of a public key (Ed25519, P-256 or secp256k1), derived here from
# the multicodec table: ed 01 / 80 24 / e7 01 followed by the raw or compressed key, base58btc.
did_key() {
  node -e 'const jwk = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
           const A = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
           const b58 = (b) => { let n = BigInt("0x" + b.toString("hex")), s = "";
             for (; n > 0n; n /= 58n) s = A[Number(n % 58n)] + s;
             for (const x of b) { if (x !== 0) break; s = "1" + s; } return s; };
           const x = Buffer.from(jwk.x, "base64url");
           const key = jwk.crv === "Ed25519" ? Buffer.concat([Buffer.from([0xed, 0x01]), x])
             : Buffer.concat([Buffer.from(jwk.crv === "P-256" ? [0x80, 0x24] : [0xe7, 0x01]),
                 Buffer.from([2 + (Buffer.from(jwk.y, "base64url")[31] & 1)]), x]);
           process.stdout.write("did:key:z" + b58(key));' "$1"
}

# report_summary: the failed codes and stderr of the last Lanyard verify, for FAIL lines.
report_summary() {
  local errors
  errors="$(json_get "$TMP/out" 'd.errors' 2>/dev/null || echo '(no JSON report)')"
  printf 'exit %s, errors %s\n%s' "$RC" "$errors" "$(err)"
}

# lanyard_verify NAME WANT_RC "CODE..." [VERIFY-ARGS...] FILE: `lanyard credential verify --json`
# exits WANT_RC, "verified" agrees, and every CODE is a check that passed (WANT_RC 0) or failed
# and is listed in "errors" (otherwise). The report stays in $TMP/out.
lanyard_verify() {
  local name="$1" want="$2" codes="$3"
  shift 3
  run "$LANYARD" credential verify --json "$@"
  local verified=false outcome=false code cond=""
  [[ "$want" == 0 ]] && verified=true && outcome=true
  for code in $codes; do
    cond+=" && d.checks.some((c) => c.code === '$code' && c.passed === $outcome)"
    [[ "$want" == 0 ]] || cond+=" && d.errors.includes('$code')"
  done
  local ok
  ok="$(json_get "$TMP/out" "d.verified === $verified $cond" 2>/dev/null || echo false)"
  if [[ "$RC" == "$want" && "$ok" == true ]]; then
    pass "$name"
  else
    fail "$name" "wanted exit $want with $codes passed=$outcome; got $(report_summary)"
  fi
}

# peer_verify NAME WANT_RC [PEER-VERIFY-ARGS...]: the peer's SD-JWT VC verify exits WANT_RC; its
# processed claims stay in $TMP/out.
peer_verify() {
  local name="$1" want="$2"
  shift 2
  run "${PEER[@]}" verify "$@"
  check_eq "$name" "exit $RC" "exit $want" "$(err)"
}

# public_jwk IN OUT: OUT = the JWK IN without its private member.
public_jwk() { json_edit "$1" "$2" 'delete d.d;'; }

# The staff passport both sides issue: plain and disclosable claims, a nested object with an
# array, and an address whose locality is disclosable inside the disclosable address.
cat >"$TMP/payload.json" <<'EOF'
{
  "vct": "https://lanyard.example/vct/staff-passport",
  "given_name": "Amara",
  "family_name": "Okafor",
  "birthdate": "1988-04-12",
  "nationalities": ["GB", "NG"],
  "address": { "street_address": "14 Infirmary Row", "locality": "Leeds", "postal_code": "LS1 3EX" },
  "dbs": { "level": "enhanced", "barred_lists": ["adults", "children"] },
  "role": "Staff Nurse"
}
EOF
# Disclosable: top-level claims, a nested claim (dbs.level), array elements and the recursive
# pair address / address.locality.
DISCLOSE=(--disclose given_name --disclose family_name --disclose birthdate --disclose 'nationalities[1]'
  --disclose address --disclose address.locality --disclose dbs.level --disclose 'dbs.barred_lists[1]')
# A presentation reveals given_name, the locality (with its enclosing address) and the second
# barred list; family_name, birthdate, the second nationality and dbs.level stay hidden.
PRESENT=(--disclose given_name --disclose address.locality --disclose 'dbs.barred_lists[1]')
# The claims such a presentation yields, leaving out iss, iat, exp and cnf (checked apart).
PRESENTED='{"address":{"locality":"Leeds","postal_code":"LS1 3EX","street_address":"14 Infirmary Row"},"dbs":{"barred_lists":["adults","children"]},"given_name":"Amara","nationalities":["GB"],"role":"Staff Nurse","vct":"https://lanyard.example/vct/staff-passport"}'
WITHOUT_BOUND='({ ...d, iss: undefined, iat: undefined, exp: undefined, cnf: undefined })'
AUD=https://verifier.lanyard.example

for itype in p256 ed25519; do
  alg=$([[ $itype == p256 ]] && echo ES256 || echo EdDSA)
  for htype in p256 ed25519; do
    C="$alg/$([[ $htype == p256 ]] && echo P-256 || echo Ed25519) holder"
    S="$TMP/$itype-$htype"
    echo "# $C"

    # --- Lanyard issues and presents, the peer verifies.
    "$LANYARD" key generate --type "$itype" --out "$S-l-issuer.jwk" 2>/dev/null
    "$LANYARD" key generate --type "$htype" --out "$S-l-holder.jwk" 2>/dev/null
    public_jwk "$S-l-issuer.jwk" "$S-l-issuer.pub.jwk"
    L_DID="$("$LANYARD" key did "$S-l-issuer.jwk")"
    run "$LANYARD" credential issue --key "$S-l-issuer.jwk" --format sd-jwt --holder "$S-l-holder.jwk" \
      "${DISCLOSE[@]}" --in "$TMP/payload.json"
    cp "$TMP/out" "$S-l.sdjwt"
    check_eq "$C: Lanyard issues (alg, typ, kid = its DID URL, 8 Disclosures)" \
      "exit $RC $(sd_get "$S-l.sdjwt" '[hdr(p[0]).alg, hdr(p[0]).typ, hdr(p[0]).kid, p.length - 2]' 2>&1)" \
      "exit 0 [\"$alg\",\"dc+sd-jwt\",\"$L_DID#${L_DID#did:key:}\",8]" "$(err)"
    check_eq "$C: ... bound to the holder's public key (cnf.jwk)" \
      "$(sd_get "$S-l.sdjwt" 'srt(pay(p[0]).cnf)' 2>&1)" "$(json_sorted "$S-l-holder.jwk" '({ jwk: { ...d, d: undefined } })')"

    peer_verify "$C: the peer verifies Lanyard's SD-JWT VC with the issuer's public JWK" 0 \
      --in "$S-l.sdjwt" --issuer-key "$S-l-issuer.pub.jwk"
    cp "$TMP/out" "$S-l.peer-claims.json"
    check_eq "$C: ... and gets back every claim of the payload" \
      "$(json_sorted "$S-l.peer-claims.json" "$WITHOUT_BOUND" 2>&1)" "$(json_sorted "$TMP/payload.json" d)"
    lanyard_verify "$C: Lanyard verifies its own SD-JWT VC" 0 "signature.valid issuer.is_signer" "$S-l.sdjwt"
    check_eq "$C: the peer's processed claims equal Lanyard's \"credential\"" \
      "$(json_sorted "$S-l.peer-claims.json" d 2>&1)" "$(json_sorted "$TMP/out" d.credential 2>&1)"

    NONCE="n-$itype-$htype-$RANDOM"
    run "$LANYARD" credential present "${PRESENT[@]}" --holder-key "$S-l-holder.jwk" --nonce "$NONCE" \
      --audience "$AUD" "$S-l.sdjwt"
    cp "$TMP/out" "$S-l.presented"
    check_eq "$C: Lanyard presents a subset with a KB-JWT (4 Disclosures, kb+jwt)" \
      "exit $RC $(sd_get "$S-l.presented" '[p.length - 2, hdr(p.at(-1)).typ]' 2>&1)" 'exit 0 [4,"kb+jwt"]' "$(err)"
    peer_verify "$C: the peer verifies Lanyard's presentation with the same nonce and audience" 0 \
      --in "$S-l.presented" --issuer-key "$S-l-issuer.pub.jwk" --nonce "$NONCE" --audience "$AUD"
    check_eq "$C: ... which reveals exactly the chosen claims (no birthdate, family_name, dbs.level)" \
      "$(json_sorted "$TMP/out" "$WITHOUT_BOUND" 2>&1)" "$PRESENTED"
    check_eq "$C: ... from Lanyard's issuer, bound to the holder" \
      "$(json_sorted "$TMP/out" '[d.iss, d.cnf]' 2>&1)" \
      "$(json_sorted "$S-l-holder.jwk" "['$L_DID', { jwk: { ...d, d: undefined } }]")"
    peer_verify "$C: the peer refuses Lanyard's presentation for another nonce" 1 \
      --in "$S-l.presented" --issuer-key "$S-l-issuer.pub.jwk" --nonce "$NONCE-other" --audience "$AUD"
    check_eq "$C: ... for the nonce" "$(grep -ci nonce "$TMP/err")" 1 "$(err)"

    # --- The peer issues (as a did:key issuer) and presents, Lanyard verifies.
    "${PEER[@]}" keygen --type "$itype" --out "$S-p-issuer.jwk"
    "${PEER[@]}" keygen --type "$htype" --out "$S-p-holder.jwk"
    P_DID="$("${DI_PEER[@]}" did "$S-p-issuer.jwk")"
    json_edit "$TMP/payload.json" "$S-p-payload.json" "d.iss = '$P_DID';"
    run "${PEER[@]}" issue --key "$S-p-issuer.jwk" --in "$S-p-payload.json" --holder "$S-p-holder.jwk" \
      --kid "$P_DID#${P_DID#did:key:}" "${DISCLOSE[@]}"
    cp "$TMP/out" "$S-p.sdjwt"
    check_eq "$C: the peer issues with iss = its did:key and kid = the DID URL" \
      "exit $RC $(sd_get "$S-p.sdjwt" '[hdr(p[0]).kid, pay(p[0]).iss]' 2>&1)" \
      "exit 0 [\"$P_DID#${P_DID#did:key:}\",\"$P_DID\"]" "$(err)"
    peer_verify "$C: the peer verifies its own SD-JWT VC" 0 --in "$S-p.sdjwt" --issuer-key "$S-p-issuer.jwk"
    cp "$TMP/out" "$S-p.peer-claims.json"
    lanyard_verify "$C: Lanyard verifies the peer's SD-JWT VC" 0 "signature.valid issuer.is_signer" "$S-p.sdjwt"
    check_eq "$C: ... and its \"credential\" equals the peer's processed claims" \
      "$(json_sorted "$TMP/out" d.credential 2>&1)" "$(json_sorted "$S-p.peer-claims.json" d 2>&1)"

    run "${PEER[@]}" present --in "$S-p.sdjwt" "${PRESENT[@]}" --holder-key "$S-p-holder.jwk" \
      --nonce "$NONCE" --audience "$AUD"
    cp "$TMP/out" "$S-p.presented"
    check_eq "$C: the peer presents the subset with a KB-JWT" \
      "exit $RC $(sd_get "$S-p.presented" '[p.length - 2, hdr(p.at(-1)).typ]' 2>&1)" 'exit 0 [4,"kb+jwt"]' "$(err)"
    lanyard_verify "$C: Lanyard verifies the peer's presentation (issuer.is_signer, sdjwt.key_bound)" 0 \
      "issuer.is_signer sdjwt.key_bound signature.valid" --nonce "$NONCE" --audience "$AUD" "$S-p.presented"
    cp "$TMP/out" "$S-p.lanyard-report.json"
    check_eq "$C: ... revealing exactly the chosen claims in \"credential\"" \
      "$(json_sorted "$S-p.lanyard-report.json" "(d => $WITHOUT_BOUND)(d.credential)" 2>&1)" "$PRESENTED"
    check_eq "$C: ... from the peer's issuer, bound to the peer's holder key" \
      "$(json_sorted "$S-p.lanyard-report.json" '[d.credential.iss, d.credential.cnf]' 2>&1)" \
      "$(json_sorted "$S-p-holder.jwk" "['$P_DID', { jwk: { ...d, d: undefined } }]")"
    lanyard_verify "$C: Lanyard refuses the peer's presentation for another nonce" 1 sdjwt.kb_nonce_mismatch \
      --nonce "$NONCE-other" --audience "$AUD" "$S-p.presented"

    # The library's own present() (object paths only: its array handling is the known bug).
    run "${PEER[@]}" present --library --in "$S-p.sdjwt" --disclose given_name --disclose dbs.level \
      --holder-key "$S-p-holder.jwk" --nonce "$NONCE" --audience "$AUD"
    cp "$TMP/out" "$S-p.library-presented"
    check_eq "$C: @sd-jwt's present() makes a key-bound presentation" \
      "exit $RC $(sd_get "$S-p.library-presented" 'hdr(p.at(-1)).typ' 2>&1)" 'exit 0 kb+jwt' "$(err)"
    lanyard_verify "$C: Lanyard verifies the presentation @sd-jwt's present() made" 0 \
      "issuer.is_signer sdjwt.key_bound" --nonce "$NONCE" --audience "$AUD" "$S-p.library-presented"
    check_eq "$C: ... revealing given_name and dbs.level and not birthdate" \
      "$(json_get "$TMP/out" '[d.credential.given_name !== undefined, d.credential.dbs.level, "birthdate" in d.credential]' 2>&1)" \
      '[true,"enhanced",false]'

    # Dropping given_name leaves every other Disclosure referenced: only sd_hash no longer fits.
    sd_edit "$S-p.presented" "$S-p.dropped" \
      'const i = p.findIndex((x, k) => k > 0 && k < p.length - 1 && dec(x)[1] === "given_name");
       if (i < 0) throw new Error("no given_name Disclosure"); p.splice(i, 1);'
    lanyard_verify "$C: Lanyard refuses the peer's presentation with a Disclosure dropped (sd_hash)" 1 \
      sdjwt.kb_sd_hash_mismatch --nonce "$NONCE" --audience "$AUD" "$S-p.dropped"
    tamper_sig "$S-p.presented" "$S-p.bad-sig" 0
    lanyard_verify "$C: Lanyard refuses the peer's presentation with the issuer signature tampered" 1 \
      signature.invalid --nonce "$NONCE" --audience "$AUD" "$S-p.bad-sig"
  done
done

echo "# VC-JWT 1.1 from the peer"
# Every VC-JWT check runs at this instant: inside the credential's validity period.
VC_NOW=2026-06-01T00:00:00Z
cat >"$TMP/vc.json" <<'EOF'
{
  "@context": ["https://www.w3.org/2018/credentials/v1"],
  "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
  "type": ["VerifiableCredential", "StaffPassport"],
  "issuanceDate": "2025-01-01T09:30:00Z",
  "expirationDate": "2035-01-01T09:30:00Z",
  "credentialSubject": { "id": "did:example:nurse-1", "role": "Staff Nurse" }
}
EOF
for type in ed25519 p256 secp256k1; do
  case $type in ed25519) alg=EdDSA ;; p256) alg=ES256 ;; secp256k1) alg=ES256K ;; esac
  K="$TMP/vc-$type.jwk"
  "${PEER[@]}" keygen --type "$type" --out "$K"
  DID="$(did_key "$K")"
  if [[ $type != secp256k1 ]]; then
    check_eq "$alg: the did:key derived here is the Data Integrity peer's" "$DID" "$("${DI_PEER[@]}" did "$K" 2>&1)"
  fi
  json_edit "$TMP/vc.json" "$TMP/vc-$type.json" "d.issuer = '$DID';"
  run "${PEER[@]}" vcjwt-issue --key "$K" --in "$TMP/vc-$type.json" --kid "$DID#${DID#did:key:}"
  cp "$TMP/out" "$TMP/vc-$type.jwt"
  check_eq "$alg: the peer issues a VC-JWT (iss = did:key)" \
    "exit $RC $(sd_get "$TMP/vc-$type.jwt" '[hdr(p[0]).alg, pay(p[0]).iss]' 2>&1)" "exit 0 [\"$alg\",\"$DID\"]" "$(err)"
  lanyard_verify "$alg: Lanyard verifies it (signature.valid, issuer.is_signer, jwt.time_valid)" 0 \
    "signature.valid issuer.is_signer jwt.time_valid" --now "$VC_NOW" "$TMP/vc-$type.jwt"
  tamper_sig "$TMP/vc-$type.jwt" "$TMP/vc-$type.bad" 0
  lanyard_verify "$alg: Lanyard refuses it with the signature tampered" 1 signature.invalid \
    --now "$VC_NOW" "$TMP/vc-$type.bad"
done

# A kid of another did:key than iss.
OTHER="$(did_key "$TMP/vc-ed25519.jwk")"
run "${PEER[@]}" vcjwt-issue --key "$TMP/vc-p256.jwk" --in "$TMP/vc-p256.json" --kid "$OTHER#${OTHER#did:key:}"
cp "$TMP/out" "$TMP/vc-other-kid.jwt"
lanyard_verify "ES256: Lanyard refuses a VC-JWT whose kid is not the issuer's" 1 vcjwt.kid_not_of_issuer \
  --now "$VC_NOW" "$TMP/vc-other-kid.jwt"

json_edit "$TMP/vc-p256.json" "$TMP/vc-status.json" 'd.credentialStatus = {
  id: "https://status.lanyard.example/lists/1#94567", type: "StatusList2021Entry",
  statusPurpose: "revocation", statusListIndex: "94567",
  statusListCredential: "https://status.lanyard.example/lists/1" };'
P256_DID="$(did_key "$TMP/vc-p256.jwk")"
run "${PEER[@]}" vcjwt-issue --key "$TMP/vc-p256.jwk" --in "$TMP/vc-status.json" --kid "$P256_DID#${P256_DID#did:key:}"
cp "$TMP/out" "$TMP/vc-status.jwt"
lanyard_verify "ES256: a VC-JWT with a StatusList2021Entry fails closed: its list is not read" 1 \
  status.unavailable --now "$VC_NOW" "$TMP/vc-status.jwt"
check_eq "... and the only error is status.unavailable" \
  "$(json_get "$TMP/out" 'd.errors' 2>&1)" '["status.unavailable"]'

finish
