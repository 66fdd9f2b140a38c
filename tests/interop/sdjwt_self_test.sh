#!/usr/bin/env bash
# Self-test of the JavaScript SD-JWT / VC-JWT interop peer (sdjwt_peer.mjs) on its own: the
# RFC 9901 section 5 example in tests/vectors/sd-jwt, SD-JWT VC round trips with key binding
# (ES256 and EdDSA), the refusals a verifier owes, VC-JWT 1.1 tokens (EdDSA, ES256, ES256K)
# and the benchmark command.
# Run `npm install` in this folder first (it installs the pinned @sd-jwt packages and jose).
#
# Usage: bash sdjwt_self_test.sh
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
VECTORS="$HERE/../vectors/sd-jwt"
RFC="$VECTORS/rfc9901-section5-simple"
PEER=(node "$HERE/sdjwt_peer.mjs")

for dep in @sd-jwt/sd-jwt-vc @sd-jwt/core @sd-jwt/crypto-nodejs jose canonicalize; do
  if [[ ! -d "$HERE/node_modules/$dep" ]]; then
    echo "sdjwt_self_test: run 'npm install' in $(basename "$HERE") first" >&2
    exit 2
  fi
done

# shellcheck source=tests/harness.sh
source "$HERE/../harness.sh"
# shellcheck source=tests/interop/json_tools.sh
source "$HERE/json_tools.sh"





ISSUER_KEY="$VECTORS/issuer-key.jwk.json"
HOLDER_KEY="$VECTORS/holder-key.jwk.json"
NONCE=1234567890
AUD=https://verifier.example.org
IAT=1748537244
KB_NOW=$((IAT + 5))

echo "# RFC 9901 section 5 example (plain SD-JWT: typ example+sd-jwt, so --core)"
expect_rc "issuance verifies with the issuer key" 0 \
  "${PEER[@]}" verify --core --in "$RFC/sd-jwt-issuance.txt" --issuer-key "$ISSUER_KEY" --now "$KB_NOW"
check_eq "issuance: processed claims are the example's claims" \
  "$(json_sorted "$TMP/out" d)" \
  "$(json_sorted "$RFC/expected.json" '({ ...d.user_claims_input, iss: d.issuer_jwt_payload.iss,
      iat: d.issuer_jwt_payload.iat, exp: d.issuer_jwt_payload.exp, cnf: d.issuer_jwt_payload.cnf })')"

KB=(--nonce "$NONCE" --audience "$AUD")
expect_rc "KB presentation verifies (nonce, aud, time near iat)" 0 \
  "${PEER[@]}" verify --core --in "$RFC/sd-jwt-kb-presentation.txt" --issuer-key "$ISSUER_KEY" \
  "${KB[@]}" --now "$KB_NOW"
check_eq "KB presentation: processed claims match the example" \
  "$(json_sorted "$TMP/out" d)" "$(json_sorted "$RFC/expected.json" d.processed_payload_after_presentation)"

"${PEER[@]}" present --in "$RFC/sd-jwt-issuance.txt" --disclose family_name --disclose address \
  --disclose given_name --disclose 'nationalities[0]' --holder-key "$HOLDER_KEY" "${KB[@]}" --iat "$IAT" \
  >"$TMP/rfc-presented.txt"
check_eq "present reproduces the example presentation up to the KB-JWT" \
  "$(sd_get "$TMP/rfc-presented.txt" 'p.slice(0, -1).join("~")')" \
  "$(sd_get "$RFC/sd-jwt-kb-presentation.txt" 'p.slice(0, -1).join("~")')"
check_eq "present reproduces the example KB-JWT header and payload (sd_hash included)" \
  "$(sd_get "$TMP/rfc-presented.txt" '[hdr(p.at(-1)), pay(p.at(-1))]')" \
  "$(sd_get "$RFC/sd-jwt-kb-presentation.txt" '[hdr(p.at(-1)), pay(p.at(-1))]')"
check_eq "sd_hash is the example's" "$(sd_get "$TMP/rfc-presented.txt" 'pay(p.at(-1)).sd_hash')" \
  "$(json_get "$RFC/expected.json" d.key_binding.sd_hash)"
expect_rc "the re-made presentation verifies" 0 \
  "${PEER[@]}" verify --core --in "$TMP/rfc-presented.txt" --issuer-key "$ISSUER_KEY" "${KB[@]}" --now "$KB_NOW"

P="$RFC/sd-jwt-kb-presentation.txt"
expect_rc "wrong nonce is refused" 1 \
  "${PEER[@]}" verify --core --in "$P" --issuer-key "$ISSUER_KEY" --nonce 1234567891 --audience "$AUD" --now "$KB_NOW"
expect_rc "wrong audience is refused" 1 \
  "${PEER[@]}" verify --core --in "$P" --issuer-key "$ISSUER_KEY" --nonce "$NONCE" \
  --audience https://other.example.org --now "$KB_NOW"
expect_rc "KB-JWT an hour old is refused" 1 \
  "${PEER[@]}" verify --core --in "$P" --issuer-key "$ISSUER_KEY" "${KB[@]}" --now $((IAT + 3600))
expect_rc "KB-JWT an hour in the future is refused" 1 \
  "${PEER[@]}" verify --core --in "$P" --issuer-key "$ISSUER_KEY" "${KB[@]}" --now $((IAT - 3600))
sd_edit "$P" "$TMP/rfc-dropped.txt" 'p.splice(3, 1);'
expect_rc "a dropped Disclosure is refused" 1 \
  "${PEER[@]}" verify --core --in "$TMP/rfc-dropped.txt" --issuer-key "$ISSUER_KEY" "${KB[@]}" --now "$KB_NOW"
check_eq "dropped Disclosure: refused for sd_hash" "$(err)" "invalid: Invalid sd_hash in Key Binding JWT"
sd_edit "$P" "$TMP/rfc-reordered.txt" '[p[1], p[2]] = [p[2], p[1]];'
expect_rc "reordered Disclosures are refused" 1 \
  "${PEER[@]}" verify --core --in "$TMP/rfc-reordered.txt" --issuer-key "$ISSUER_KEY" "${KB[@]}" --now "$KB_NOW"
check_eq "reordered Disclosures: refused for sd_hash" "$(err)" "invalid: Invalid sd_hash in Key Binding JWT"
tamper_sig "$P" "$TMP/rfc-bad-issuer-sig.txt" 0
expect_rc "tampered issuer signature is refused" 1 \
  "${PEER[@]}" verify --core --in "$TMP/rfc-bad-issuer-sig.txt" --issuer-key "$ISSUER_KEY" "${KB[@]}" --now "$KB_NOW"
tamper_sig "$P" "$TMP/rfc-bad-kb-sig.txt" 5
expect_rc "tampered KB-JWT signature is refused" 1 \
  "${PEER[@]}" verify --core --in "$TMP/rfc-bad-kb-sig.txt" --issuer-key "$ISSUER_KEY" "${KB[@]}" --now "$KB_NOW"
expect_rc "the holder key is not the issuer key" 1 \
  "${PEER[@]}" verify --core --in "$P" --issuer-key "$HOLDER_KEY" "${KB[@]}" --now "$KB_NOW"
expect_rc "the SD-JWT VC profile refuses typ example+sd-jwt" 1 \
  "${PEER[@]}" verify --in "$P" --issuer-key "$ISSUER_KEY" --now "$KB_NOW"
expect_rc "without --nonce the KB-JWT is left unchecked" 0 \
  "${PEER[@]}" verify --core --in "$P" --issuer-key "$ISSUER_KEY" --now "$KB_NOW"
check_eq "... and that is said on stderr" "$(err)" \
  "note: a KB-JWT is present but was not checked (no --nonce / --audience)"
expect_rc "a JWT without '~' is not an SD-JWT" 1 \
  "${PEER[@]}" verify --core --in "$RFC/issuer-signed-jwt.txt" --issuer-key "$ISSUER_KEY" --now "$KB_NOW"
EXTRA="$(node -e 'process.stdout.write(Buffer.from(JSON.stringify(["c2FsdHNhbHRzYWx0", "extra", 1])).toString("base64url"))')"
sd_edit "$RFC/sd-jwt-issuance.txt" "$TMP/rfc-stray.txt" "p.splice(1, 0, '$EXTRA');"
expect_rc "a Disclosure no digest refers to is refused" 1 \
  "${PEER[@]}" verify --core --in "$TMP/rfc-stray.txt" --issuer-key "$ISSUER_KEY" --now "$KB_NOW"
check_eq "stray Disclosure: the reason" "$(err)" "invalid: Disclosure 1 is not referenced by any digest"
sd_edit "$RFC/sd-jwt-issuance.txt" "$TMP/rfc-twice.txt" 'p.splice(2, 0, p[1]);'
expect_rc "the same Disclosure twice is refused" 1 \
  "${PEER[@]}" verify --core --in "$TMP/rfc-twice.txt" --issuer-key "$ISSUER_KEY" --now "$KB_NOW"
expect_rc "--nonce without --audience is a usage error" 2 \
  "${PEER[@]}" verify --core --in "$P" --issuer-key "$ISSUER_KEY" --nonce "$NONCE"

echo "# SD-JWT VC round trips with key binding"
"${PEER[@]}" bench-payload >"$TMP/payload.json"
DISCLOSE=()
for p in $("${PEER[@]}" bench-disclose) address.locality 'dbs.barred_lists[0]'; do DISCLOSE+=(--disclose "$p"); done
NOW=$(date +%s)
for type in p256 ed25519; do
  alg=$([[ $type == p256 ]] && echo ES256 || echo EdDSA)
  I="$TMP/$type-issuer.jwk"
  H="$TMP/$type-holder.jwk"
  expect_rc "$alg: keygen issuer" 0 "${PEER[@]}" keygen --type "$type" --out "$I"
  expect_rc "$alg: keygen holder" 0 "${PEER[@]}" keygen --type "$type" --out "$H"
  check_eq "$alg: keys are mode 0600" "$(stat -c %a "$I") $(stat -c %a "$H")" "600 600"

  SD="$TMP/$type.sdjwt"
  expect_rc "$alg: issue" 0 "${PEER[@]}" issue --key "$I" --in "$TMP/payload.json" --holder "$H" \
    --kid issuer-key-1 --decoys 2 "${DISCLOSE[@]}"
  cp "$TMP/out" "$SD"
  check_eq "$alg: header" "$(sd_get "$SD" 'hdr(p[0])')" "{\"typ\":\"dc+sd-jwt\",\"kid\":\"issuer-key-1\",\"alg\":\"$alg\"}"
  check_eq "$alg: cnf.jwk is the holder's public key" "$(sd_get "$SD" 'pay(p[0]).cnf')" \
    "$(json_get "$H" '({ jwk: { ...d, d: undefined } })')"
  check_eq "$alg: vct, iss plain; _sd_alg sha-256; 10 + 2 decoy digests; 12 Disclosures; ends with ~" \
    "$(sd_get "$SD" '[pay(p[0]).vct, pay(p[0]).iss, pay(p[0])._sd_alg, pay(p[0])._sd.length, p.length - 2, p.at(-1)]')" \
    '["https://lanyard.example/vct/staff-passport","https://issuer.lanyard.example","sha-256",12,12,""]'
  expect_rc "$alg: issued SD-JWT VC verifies" 0 "${PEER[@]}" verify --in "$SD" --issuer-key "$I"
  check_eq "$alg: all claims come back" "$(json_sorted "$TMP/out" d)" \
    "$(json_sorted "$TMP/payload.json" "({ ...d, cnf: $(sd_get "$SD" 'pay(p[0]).cnf') })")"

  PR="$TMP/$type.presented"
  expect_rc "$alg: present given_name and dbs.barred_lists[0] with key binding" 0 \
    "${PEER[@]}" present --in "$SD" --disclose given_name --disclose 'dbs.barred_lists[0]' \
    --holder-key "$H" --nonce n-42 --audience https://verifier.lanyard.example
  cp "$TMP/out" "$PR"
  check_eq "$alg: 3 Disclosures (given_name, dbs, the array element) and a kb+jwt" \
    "$(sd_get "$PR" '[p.slice(1, -1).map((d) => dec(d).slice(1, -1).join() || "[]"), hdr(p.at(-1)).typ]')" \
    '[["given_name","dbs","[]"],"kb+jwt"]'
  VKB=(--issuer-key "$I" --nonce n-42 --audience https://verifier.lanyard.example)
  expect_rc "$alg: presentation verifies" 0 "${PEER[@]}" verify --in "$PR" "${VKB[@]}"
  check_eq "$alg: only the presented claims are disclosed" \
    "$(json_get "$TMP/out" '[Object.keys(d).sort().join(), d.given_name, d.dbs.barred_lists]')" \
    '["cnf,dbs,given_name,iss,vct","Amara",["adults"]]'
  expect_rc "$alg: wrong nonce is refused" 1 \
    "${PEER[@]}" verify --in "$PR" --issuer-key "$I" --nonce n-43 --audience https://verifier.lanyard.example
  expect_rc "$alg: wrong audience is refused" 1 \
    "${PEER[@]}" verify --in "$PR" --issuer-key "$I" --nonce n-42 --audience https://verifier.other.example
  expect_rc "$alg: stale KB-JWT is refused" 1 "${PEER[@]}" verify --in "$PR" "${VKB[@]}" --now $((NOW + 3600))
  sd_edit "$PR" "$TMP/$type.dropped" 'p.splice(3, 1);'
  expect_rc "$alg: dropped Disclosure (the array element) is refused" 1 \
    "${PEER[@]}" verify --in "$TMP/$type.dropped" "${VKB[@]}"
  check_eq "$alg: ... for sd_hash" "$(err)" "invalid: Invalid sd_hash in Key Binding JWT"
  sd_edit "$PR" "$TMP/$type.parentless" 'p.splice(2, 1);'
  expect_rc "$alg: dropping dbs leaves its array element unreferenced" 1 \
    "${PEER[@]}" verify --in "$TMP/$type.parentless" "${VKB[@]}"
  check_eq "$alg: ... and that is the reason" "$(err)" "invalid: Disclosure 2 is not referenced by any digest"
  sd_edit "$PR" "$TMP/$type.reordered" '[p[1], p[2]] = [p[2], p[1]];'
  expect_rc "$alg: reordered Disclosures are refused" 1 "${PEER[@]}" verify --in "$TMP/$type.reordered" "${VKB[@]}"
  check_eq "$alg: ... for sd_hash" "$(err)" "invalid: Invalid sd_hash in Key Binding JWT"
  tamper_sig "$PR" "$TMP/$type.bad-sig" 0
  expect_rc "$alg: tampered issuer signature is refused" 1 "${PEER[@]}" verify --in "$TMP/$type.bad-sig" "${VKB[@]}"
  tamper_sig "$PR" "$TMP/$type.bad-kb" 4
  expect_rc "$alg: tampered KB-JWT signature is refused" 1 "${PEER[@]}" verify --in "$TMP/$type.bad-kb" "${VKB[@]}"
  "${PEER[@]}" present --in "$SD" --disclose given_name --holder-key "$I" --nonce n-42 \
    --audience https://verifier.lanyard.example >"$TMP/$type.other-holder"
  expect_rc "$alg: KB-JWT signed by a key other than cnf is refused" 1 \
    "${PEER[@]}" verify --in "$TMP/$type.other-holder" "${VKB[@]}"
  "${PEER[@]}" present --in "$SD" --disclose given_name >"$TMP/$type.no-kb"
  expect_rc "$alg: presentation without a KB-JWT is refused when key binding is asked for" 1 \
    "${PEER[@]}" verify --in "$TMP/$type.no-kb" "${VKB[@]}"
  expect_rc "$alg: ... and verifies without key binding" 0 \
    "${PEER[@]}" verify --in "$TMP/$type.no-kb" --issuer-key "$I"
  expect_rc "$alg: present address.locality" 0 "${PEER[@]}" present --in "$SD" --disclose address.locality
  cp "$TMP/out" "$TMP/$type.locality"
  expect_rc "$alg: ... verifies" 0 "${PEER[@]}" verify --in "$TMP/$type.locality" --issuer-key "$I"
  check_eq "$alg: ... revealing the address object with its locality" \
    "$(json_get "$TMP/out" 'd.address')" \
    '{"street_address":"14 Infirmary Row","postal_code":"LS1 3EX","locality":"Leeds"}'
done

echo "# issue / present usage"
I="$TMP/p256-issuer.jwk"
expect_rc "vct cannot be made disclosable" 2 \
  "${PEER[@]}" issue --key "$I" --in "$TMP/payload.json" --disclose vct
expect_rc "a path that is not in the payload" 2 \
  "${PEER[@]}" issue --key "$I" --in "$TMP/payload.json" --disclose 'dbs.barred_lists[3]'
expect_rc "a malformed path" 2 "${PEER[@]}" issue --key "$I" --in "$TMP/payload.json" --disclose 'dbs..level'
"${PEER[@]}" keygen --type secp256k1 --out "$TMP/k1.jwk"
expect_rc "secp256k1 keys do not issue SD-JWTs" 2 "${PEER[@]}" issue --key "$TMP/k1.jwk" --in "$TMP/payload.json"
expect_rc "present a claim the SD-JWT does not have" 2 \
  "${PEER[@]}" present --in "$TMP/p256.sdjwt" --disclose middle_name
expect_rc "present from a presentation that has a KB-JWT" 2 \
  "${PEER[@]}" present --in "$TMP/p256.presented" --disclose given_name

echo "# @sd-jwt 0.19.0 present() (why the peer assembles presentations itself)"
expect_rc "library present() with key binding drops dbs.barred_lists[0] inside the recursive dbs" 0 \
  env SDJWT="$TMP/p256.sdjwt" HOLDER="$TMP/p256-holder.jwk" bash -c 'cd "$1" && node --input-type=module -e "$2"' _ "$HERE" '
    import fs from "node:fs";
    import crypto from "node:crypto";
    import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
    import { digest } from "@sd-jwt/crypto-nodejs";
    const key = crypto.createPrivateKey({ key: JSON.parse(fs.readFileSync(process.env.HOLDER, "utf8")), format: "jwk" });
    const kbSigner = async (d) => crypto.sign("sha256", Buffer.from(d), { key, dsaEncoding: "ieee-p1363" }).toString("base64url");
    const lib = new SDJwtVcInstance({ hasher: digest, kbSigner, kbSignAlg: "ES256" });
    const sdjwt = fs.readFileSync(process.env.SDJWT, "utf8").trim();
    const frame = { dbs: { barred_lists: { 0: true } } };
    const plain = await lib.present(sdjwt, frame);
    const bound = await lib.present(sdjwt, frame, { kb: { payload: { iat: 1, aud: "a", nonce: "n" } } });
    const count = (s) => s.split("~").length - 2;
    if (count(plain) !== 2 || count(bound) !== 1) throw new Error(`counts ${count(plain)} ${count(bound)}`);
  '

echo "# VC-JWT 1.1 (jwt_vc_json)"
cat >"$TMP/vc.json" <<'EOF'
{
  "@context": ["https://www.w3.org/2018/credentials/v1"],
  "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
  "type": ["VerifiableCredential", "StaffPassport"],
  "issuer": "did:web:issuer.lanyard.example",
  "issuanceDate": "2025-01-01T09:30:00Z",
  "expirationDate": "2035-01-01T09:30:00Z",
  "credentialSubject": { "id": "did:example:nurse-1", "role": "Staff Nurse" },
  "proof": { "type": "DataIntegrityProof", "proofValue": "z111" }
}
EOF
KID="did:web:issuer.lanyard.example#key-1"
for type in ed25519 p256 secp256k1; do
  case $type in ed25519) alg=EdDSA ;; p256) alg=ES256 ;; secp256k1) alg=ES256K ;; esac
  K="$TMP/vc-$type.jwk"
  "${PEER[@]}" keygen --type "$type" --out "$K"
  expect_rc "$alg: vcjwt-issue" 0 "${PEER[@]}" vcjwt-issue --key "$K" --in "$TMP/vc.json" --kid "$KID"
  cp "$TMP/out" "$TMP/vc-$type.jwt"
  check_eq "$alg: header" "$(sd_get "$TMP/vc-$type.jwt" 'hdr(p[0])')" \
    "{\"alg\":\"$alg\",\"typ\":\"JWT\",\"kid\":\"$KID\"}"
  check_eq "$alg: iss sub nbf exp jti, vc without proof" \
    "$(sd_get "$TMP/vc-$type.jwt" '({ ...pay(p[0]), vc: Object.keys(pay(p[0]).vc).join() })')" \
    '{"iss":"did:web:issuer.lanyard.example","sub":"did:example:nurse-1","nbf":1735723800,"exp":2051256600,"jti":"urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5","vc":"@context,id,type,issuer,issuanceDate,expirationDate,credentialSubject"}'
  expect_rc "$alg: verifies ($([[ $type == secp256k1 ]] && echo node:crypto || echo jose))" 0 \
    "${PEER[@]}" vcjwt-verify --key "$K" --in "$TMP/vc-$type.jwt"
  tamper_sig "$TMP/vc-$type.jwt" "$TMP/vc-$type.bad" 0
  expect_rc "$alg: tampered signature is refused" 1 "${PEER[@]}" vcjwt-verify --key "$K" --in "$TMP/vc-$type.bad"
  "${PEER[@]}" keygen --type "$type" --out "$TMP/vc-$type-other.jwk"
  expect_rc "$alg: another key is refused" 1 \
    "${PEER[@]}" vcjwt-verify --key "$TMP/vc-$type-other.jwk" --in "$TMP/vc-$type.jwt"
  expect_rc "$alg: refused after exp" 1 "${PEER[@]}" vcjwt-verify --key "$K" --in "$TMP/vc-$type.jwt" --now 2051256600
  expect_rc "$alg: refused before nbf" 1 "${PEER[@]}" vcjwt-verify --key "$K" --in "$TMP/vc-$type.jwt" --now 1735723799
done
expect_rc "ES256K signature is 64 bytes with low S, and node:crypto verifies it" 0 \
  env JWT="$TMP/vc-secp256k1.jwt" KEY="$TMP/vc-secp256k1.jwk" node -e '
    const fs = require("fs");
    const crypto = require("crypto");
    const [h, p, s] = fs.readFileSync(process.env.JWT, "utf8").trim().split(".");
    const sig = Buffer.from(s, "base64url");
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    if (sig.length !== 64 || BigInt("0x" + sig.subarray(32).toString("hex")) > n / 2n) throw new Error("not low-S");
    const jwk = JSON.parse(fs.readFileSync(process.env.KEY, "utf8"));
    delete jwk.d;
    const key = crypto.createPublicKey({ key: jwk, format: "jwk" });
    if (!crypto.verify("sha256", Buffer.from(h + "." + p), { key, dsaEncoding: "ieee-p1363" }, sig)) throw new Error("bad");
  '
json_edit "$TMP/vc.json" "$TMP/vc2.json" \
  'delete d.issuanceDate; delete d.expirationDate; delete d.proof; d.validFrom = "2025-06-01T00:00:00.5Z"; d.validUntil = "2026-06-01T00:00:00+01:00";'
"${PEER[@]}" vcjwt-issue --key "$TMP/vc-p256.jwk" --in "$TMP/vc2.json" --iss did:web:other.example >"$TMP/vc2.jwt"
check_eq "validFrom / validUntil give nbf / exp; --iss sets iss" \
  "$(sd_get "$TMP/vc2.jwt" '[pay(p[0]).nbf, pay(p[0]).exp, pay(p[0]).iss, hdr(p[0]).kid === undefined]')" \
  '[1748736000,1780268400,"did:web:other.example",true]'
expect_rc "iss that differs from vc.issuer is refused" 1 \
  "${PEER[@]}" vcjwt-verify --key "$TMP/vc-p256.jwk" --in "$TMP/vc2.jwt" --now 1750000000
json_edit "$TMP/vc.json" "$TMP/vc3.json" 'delete d.issuer;'
expect_rc "no issuer and no --iss is a usage error" 2 "${PEER[@]}" vcjwt-issue --key "$TMP/vc-p256.jwk" --in "$TMP/vc3.json"

echo "# bench"
check_eq "bench-payload: vct, iss and the ten disclosable claims" \
  "$(json_get "$TMP/payload.json" 'Object.keys(d).join()')" \
  "vct,iss,given_name,family_name,birthdate,nationality,address,professional_registration,dbs,right_to_work,employer,role"
check_eq "bench-disclose lists the ten top-level claims after vct, iss" \
  "$("${PEER[@]}" bench-disclose | paste -sd,)" "$(json_get "$TMP/payload.json" 'Object.keys(d).slice(2).join()')"
check_eq "bench-disclose --presented lists five of them" \
  "$("${PEER[@]}" bench-disclose --presented | paste -sd,)" \
  "given_name,family_name,professional_registration,dbs,right_to_work"
# A bounded run: a stuck benchmark fails here instead of holding the whole test run.
expect_rc "bench runs" 0 timeout 120 \
  "${PEER[@]}" bench --key "$TMP/p256-issuer.jwk" --holder "$TMP/p256-holder.jwk" --seconds 0.2
check_eq "bench prints one JSON line with four positive rates" \
  "$(wc -l <"$TMP/out") $(json_get "$TMP/out" 'Object.keys(d).join() + " " + Object.values(d).every((n) => n > 0)')" \
  "1 issue_per_s,verify_per_s,raw_sign_per_s,raw_verify_per_s true"
echo "   $(cat "$TMP/out")"
expect_rc "bench needs a P-256 issuer key" 2 \
  "${PEER[@]}" bench --key "$TMP/ed25519-issuer.jwk" --holder "$TMP/p256-holder.jwk" --seconds 0.2

echo "# usage errors"
expect_rc "unknown command" 2 "${PEER[@]}" frobnicate
expect_rc "unreadable input" 2 "${PEER[@]}" verify --in "$TMP/does-not-exist" --issuer-key "$ISSUER_KEY"
expect_rc "unknown key type" 2 "${PEER[@]}" keygen --type rsa --out "$TMP/rsa.jwk"
expect_rc "issue without --key" 2 "${PEER[@]}" issue --in "$TMP/payload.json"
json_edit "$ISSUER_KEY" "$TMP/issuer-public.jwk" 'delete d.d;'
expect_rc "a public key cannot issue" 2 "${PEER[@]}" issue --key "$TMP/issuer-public.jwk" --in "$TMP/payload.json"
expect_rc "a missing holder key file" 2 \
  "${PEER[@]}" issue --key "$ISSUER_KEY" --in "$TMP/payload.json" --holder "$TMP/missing.jwk"

finish
