#!/usr/bin/env bash
# Self-test of the JavaScript interop peer (peer.mjs) on its own, against the
# published W3C Data Integrity and RFC 8785 vectors in tests/vectors/.
# Run `npm install` in this folder first (it installs the pinned `canonicalize`).
#
# Usage: bash self_test.sh
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
VECTORS="$HERE/../vectors"
PEER=(node "$HERE/peer.mjs")
EDDSA="$VECTORS/w3c-vc-di-eddsa"
ECDSA="$VECTORS/w3c-vc-di-ecdsa"

if [[ ! -d "$HERE/node_modules/canonicalize" ]]; then
  echo "self_test: run 'npm install' in $(basename "$HERE") first" >&2
  exit 2
fi

# shellcheck source=tests/harness.sh
source "$HERE/../harness.sh"
# shellcheck source=tests/interop/json_tools.sh
source "$HERE/json_tools.sh"

# expect_eq NAME GOT WANT
expect_eq() { check_eq "$@"; }

# Replaces one character of every proofValue (the 11th) with another base58 character.
TAMPER_PROOF='const ps = Array.isArray(d.proof) ? d.proof : [d.proof];
  for (const p of ps) { const v = p.proofValue; const c = v[10] === "A" ? "B" : "A";
                        p.proofValue = v.slice(0, 10) + c + v.slice(11); }'

echo "# helpers"
expect_rc "base58btc / base64url / P-256 point round trips" 0 \
  env PEER_MODULE="$HERE/peer.mjs" node --input-type=module -e '
    import crypto from "node:crypto";
    import { pathToFileURL } from "node:url";
    const P = await import(pathToFileURL(process.env.PEER_MODULE).href);
    const hex = (b) => Buffer.from(b).toString("hex");
    if (P.base58Encode(Buffer.from("Hello World!")) !== "2NEpo7TZRRrLZSi2U") throw new Error("b58 known");
    if (P.base58Encode(Buffer.from("00000000287fb4cd", "hex")) !== "1111233QC4") throw new Error("b58 zeros");
    for (let i = 0; i < 500; i++) {
      const b = crypto.randomBytes(i % 67);
      if (i % 7 === 0 && b.length > 1) b[0] = 0;
      if (hex(P.base58Decode(P.base58Encode(b))) !== hex(b)) throw new Error("b58 round trip");
      if (P.base64urlEncode(b) !== b.toString("base64url")) throw new Error("b64u encode");
      if (hex(P.base64urlDecode(P.base64urlEncode(b))) !== hex(b)) throw new Error("b64u round trip");
    }
    for (const bad of ["A", "AB", "AA=", "A+", "0OIl"]) {
      let threw = false;
      try { bad === "0OIl" ? P.base58Decode(bad) : P.base64urlDecode(bad); } catch { threw = true; }
      if (!threw) throw new Error("accepted bad encoding " + bad);
    }
    for (let i = 0; i < 100; i++) {
      // JWK straight from the generation: exporting a fresh KeyObject can deadlock Node.js 20.
      const j = crypto.generateKeyPairSync("ec", { namedCurve: "P-256",
        publicKeyEncoding: { format: "jwk" }, privateKeyEncoding: { format: "jwk" } }).publicKey;
      const c = P.p256Compress(Buffer.from(j.x, "base64url"), Buffer.from(j.y, "base64url"));
      const { x, y } = P.p256Decompress(c);
      if (P.base64urlEncode(x) !== j.x || P.base64urlEncode(y) !== j.y) throw new Error("decompress");
    }
  '

echo "# W3C vectors: verify"
SIGNED_ED="$EDDSA/eddsa-jcs-2022/signedJCS.json"
SIGNED_EC="$ECDSA/ecdsa-jcs-2019-p256/signedJCSECDSAP256.json"
expect_rc "verify eddsa-jcs-2022 vector" 0 "${PEER[@]}" verify --no-issuer-binding "$SIGNED_ED"
expect_rc "verify ecdsa-jcs-2019 P-256 vector" 0 "${PEER[@]}" verify --no-issuer-binding "$SIGNED_EC"
# The vectors' issuer is an example URL, not the signing did:key.
expect_rc "eddsa vector fails issuer binding" 1 "${PEER[@]}" verify "$SIGNED_ED"
expect_rc "ecdsa vector fails issuer binding" 1 "${PEER[@]}" verify "$SIGNED_EC"

json_edit "$SIGNED_ED" "$TMP/ed-tampered-sig.json" "$TAMPER_PROOF"
json_edit "$SIGNED_EC" "$TMP/ec-tampered-sig.json" "$TAMPER_PROOF"
json_edit "$SIGNED_ED" "$TMP/ed-tampered-doc.json" 'd.name += "!";'
json_edit "$SIGNED_EC" "$TMP/ec-tampered-doc.json" 'd.credentialSubject.alumniOf += "!";'
json_edit "$SIGNED_ED" "$TMP/ed-tampered-created.json" 'd.proof.created = "2023-02-24T23:36:39Z";'
json_edit "$SIGNED_ED" "$TMP/ed-bad-context.json" 'd["@context"].reverse();'
json_edit "$SIGNED_ED" "$TMP/ed-bad-purpose.json" 'd.proof.proofPurpose = "authentication";'
expect_rc "reject eddsa vector with a proofValue character changed" 1 \
  "${PEER[@]}" verify --no-issuer-binding "$TMP/ed-tampered-sig.json"
expect_rc "reject ecdsa vector with a proofValue character changed" 1 \
  "${PEER[@]}" verify --no-issuer-binding "$TMP/ec-tampered-sig.json"
expect_rc "reject eddsa vector with the document changed" 1 \
  "${PEER[@]}" verify --no-issuer-binding "$TMP/ed-tampered-doc.json"
expect_rc "reject ecdsa vector with the document changed" 1 \
  "${PEER[@]}" verify --no-issuer-binding "$TMP/ec-tampered-doc.json"
expect_rc "reject eddsa vector with proof created changed" 1 \
  "${PEER[@]}" verify --no-issuer-binding "$TMP/ed-tampered-created.json"
expect_rc "reject document @context not starting with the proof @context" 1 \
  "${PEER[@]}" verify --no-issuer-binding "$TMP/ed-bad-context.json"
expect_rc "reject proofPurpose other than assertionMethod" 1 \
  "${PEER[@]}" verify --no-issuer-binding "$TMP/ed-bad-purpose.json"

echo "# W3C vectors: issue"
expect_rc "jwk-from-multikey (Ed25519 key pair)" 0 \
  "${PEER[@]}" jwk-from-multikey --keypair "$EDDSA/keyPair.json" --out "$TMP/vec-ed.jwk"
expect_rc "jwk-from-multikey (P-256 key pair)" 0 \
  "${PEER[@]}" jwk-from-multikey --keypair "$ECDSA/p256KeyPair.json" --out "$TMP/vec-ec.jwk"
expect_eq "did of the Ed25519 vector key" "$("${PEER[@]}" did "$TMP/vec-ed.jwk")" \
  "did:key:$(json_get "$EDDSA/keyPair.json" d.publicKeyMultibase)"
expect_eq "did of the P-256 vector key" "$("${PEER[@]}" did "$TMP/vec-ec.jwk")" \
  "did:key:$(json_get "$ECDSA/p256KeyPair.json" d.publicKeyMultibase)"

CREATED=2023-02-24T23:36:38Z
"${PEER[@]}" issue --key "$TMP/vec-ed.jwk" --suite eddsa-jcs-2022 --created "$CREATED" \
  --in "$EDDSA/unsigned.json" >"$TMP/ed-issued.json"
expect_eq "eddsa-jcs-2022 proofValue reproduces the vector" \
  "$(json_get "$TMP/ed-issued.json" d.proof.proofValue)" \
  "$(cat "$EDDSA/eddsa-jcs-2022/sigBTC58JCS.txt")"
expect_eq "eddsa-jcs-2022 signed credential equals the vector" \
  "$(json_get "$TMP/ed-issued.json" d)" "$(json_get "$SIGNED_ED" d)"
expect_eq "issue leaves issuer unchanged" \
  "$(json_get "$TMP/ed-issued.json" d.issuer)" "$(json_get "$EDDSA/unsigned.json" d.issuer)"
SECRET="$(json_get "$EDDSA/keyPair.json" d.privateKeyMultibase)"
expect_eq "issue --multikey-secret gives the same proofValue" \
  "$("${PEER[@]}" issue --multikey-secret "$SECRET" --suite eddsa-jcs-2022 --created "$CREATED" \
      <"$EDDSA/unsigned.json" | json_get /dev/stdin d.proof.proofValue)" \
  "$(cat "$EDDSA/eddsa-jcs-2022/sigBTC58JCS.txt")"

# ECDSA signatures are randomised: compare everything but proofValue, then verify.
"${PEER[@]}" issue --key "$TMP/vec-ec.jwk" --suite ecdsa-jcs-2019 --created "$CREATED" \
  --in "$ECDSA/unsigned.json" >"$TMP/ec-issued.json"
expect_eq "ecdsa-jcs-2019 proof options match the vector" \
  "$(json_get "$TMP/ec-issued.json" '({ ...d, proof: { ...d.proof, proofValue: 0 } })')" \
  "$(json_get "$SIGNED_EC" '({ ...d, proof: { ...d.proof, proofValue: 0 } })')"
expect_rc "ecdsa-jcs-2019 issued with the vector key verifies" 0 \
  "${PEER[@]}" verify --no-issuer-binding "$TMP/ec-issued.json"

echo "# fresh keys, issuer binding, proof sets"
expect_rc "keygen ed25519" 0 "${PEER[@]}" keygen --type ed25519 --out "$TMP/ed.jwk"
expect_rc "keygen p256" 0 "${PEER[@]}" keygen --type p256 --out "$TMP/ec.jwk"
expect_eq "keygen writes mode 0600" "$(stat -c %a "$TMP/ed.jwk") $(stat -c %a "$TMP/ec.jwk")" "600 600"
expect_eq "Ed25519 JWK members" "$(json_get "$TMP/ed.jwk" 'Object.keys(d).join()')" "kty,crv,x,d"
expect_eq "P-256 JWK members" "$(json_get "$TMP/ec.jwk" 'Object.keys(d).join()')" "kty,crv,x,y,d"
DID_ED="$("${PEER[@]}" did "$TMP/ed.jwk")"
DID_EC="$("${PEER[@]}" did "$TMP/ec.jwk")"
expect_eq "did:key prefixes (z6Mk / zDn)" "${DID_ED:0:12} ${DID_EC:0:11}" "did:key:z6Mk did:key:zDn"

json_edit "$EDDSA/unsigned.json" "$TMP/u-ed.json" "d.issuer = \"$DID_ED\";"
json_edit "$EDDSA/unsigned.json" "$TMP/u-ec.json" "d.issuer = { id: \"$DID_EC\", name: \"Example\" };"
"${PEER[@]}" issue --key "$TMP/ed.jwk" --suite eddsa-jcs-2022 --in "$TMP/u-ed.json" >"$TMP/s-ed.json"
"${PEER[@]}" issue --key "$TMP/ec.jwk" --suite ecdsa-jcs-2019 <"$TMP/u-ec.json" >"$TMP/s-ec.json"
expect_rc "Ed25519 credential with issuer = did verifies" 0 "${PEER[@]}" verify "$TMP/s-ed.json"
expect_rc "P-256 credential with issuer.id = did verifies" 0 "${PEER[@]}" verify "$TMP/s-ec.json"
STDIN="$TMP/s-ed.json" expect_rc "verify reads stdin with -" 0 "${PEER[@]}" verify -
json_edit "$TMP/u-ed.json" "$TMP/u-ed-otherissuer.json" "d.issuer = \"$DID_EC\";"
"${PEER[@]}" issue --key "$TMP/ed.jwk" --suite eddsa-jcs-2022 --in "$TMP/u-ed-otherissuer.json" \
  >"$TMP/s-ed-otherissuer.json"
expect_rc "issuer that is not the proof's DID is reported" 1 \
  "${PEER[@]}" verify "$TMP/s-ed-otherissuer.json"
expect_eq "issuer binding is the only reason" "$(cat "$TMP/err")" \
  "invalid: issuer $DID_EC is not the DID of any proof's verificationMethod"

"${PEER[@]}" issue --key "$TMP/ec.jwk" --suite ecdsa-jcs-2019 --in "$TMP/s-ed.json" >"$TMP/set.json"
expect_eq "second proof makes a proof set" "$(json_get "$TMP/set.json" \
  'd.proof.map((p) => p.cryptosuite).join()')" "eddsa-jcs-2022,ecdsa-jcs-2019"
expect_rc "proof set verifies" 0 "${PEER[@]}" verify "$TMP/set.json"
json_edit "$TMP/set.json" "$TMP/set-bad.json" \
  'const v = d.proof[1].proofValue; d.proof[1].proofValue = v.slice(0, 10) + (v[10] === "A" ? "B" : "A") + v.slice(11);'
expect_rc "proof set with one bad proof is rejected" 1 "${PEER[@]}" verify "$TMP/set-bad.json"

echo "# usage errors"
expect_rc "suite / key type mismatch" 2 \
  "${PEER[@]}" issue --key "$TMP/ed.jwk" --suite ecdsa-jcs-2019 --in "$TMP/u-ed.json"
expect_rc "bad --created" 2 \
  "${PEER[@]}" issue --key "$TMP/ed.jwk" --suite eddsa-jcs-2022 --created 2023-02-30T00:00:00Z --in "$TMP/u-ed.json"
expect_rc "unreadable input" 2 "${PEER[@]}" verify "$TMP/does-not-exist.json"
expect_rc "input that is not JSON" 2 "${PEER[@]}" verify "$HERE/self_test.sh"
expect_rc "unknown command" 2 "${PEER[@]}" frobnicate

echo "# canon (RFC 8785)"
JCS="$VECTORS/rfc8785-jcs"
for f in "$JCS"/input/*.json; do
  name="$(basename "$f")"
  got="$(node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))) + "\n")' "$f" \
    | "${PEER[@]}" canon)"
  expect_eq "canon $name" "$got" "$(cat "$JCS/output/$name")"
done

# Appendix B: every IEEE 754 value written with 21 significant digits must come out
# in its shortest ECMAScript form; the must-reject values (NaN, Infinity) have no JSON
# spelling, so an overflowing literal stands in for them.
node -e '
  const fs = require("fs");
  const rows = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => l.split(","));
  const lines = rows.map(([hex]) => {
    const v = Buffer.from(hex, "hex").readDoubleBE(0);
    return Object.is(v, -0) ? "-0.0" : v.toExponential(20);
  });
  process.stdout.write(lines.join("\n") + "\n1e400\n-1e400\n");
  fs.writeFileSync(process.argv[2], rows.map((r) => r[1]).join("\n") + "\n!error\n!error\n");
' "$JCS/appendix-b-numbers.txt" "$TMP/numbers.want" >"$TMP/numbers.in"
"${PEER[@]}" canon <"$TMP/numbers.in" >"$TMP/numbers.got"
if cmp -s "$TMP/numbers.got" "$TMP/numbers.want"; then
  pass "canon RFC 8785 appendix B numbers and rejects"
else
  fail "canon RFC 8785 appendix B numbers and rejects"
  diff "$TMP/numbers.want" "$TMP/numbers.got" >&2 || true
fi

printf '%s\n' '{"b":[-0,1.0,1E2],"a":"\u00e9\u2028"}' '"\ud800"' '{"\udc00":1}' '' 'nul' '"\ud83d\ude00"' \
  >"$TMP/edge.in"
printf '[1]' >>"$TMP/edge.in"   # last line without a newline still counts
printf '%s\n' "{\"a\":\"é$(printf '\u2028')\",\"b\":[0,1,100]}" '!error' '!error' '!error' '!error' \
  "\"$(printf '\U0001F600')\"" '[1]' >"$TMP/edge.want"
"${PEER[@]}" canon <"$TMP/edge.in" >"$TMP/edge.got"
if cmp -s "$TMP/edge.got" "$TMP/edge.want"; then
  pass "canon edge cases (-0, raw U+2028, lone surrogates, empty line, no final newline)"
else
  fail "canon edge cases"
  diff "$TMP/edge.want" "$TMP/edge.got" >&2 || true
fi

node -e '
  const out = [];
  for (let i = 0; i < 100000; i++) out.push(JSON.stringify({ z: i, a: [i / 7, "s" + i], m: { y: true, x: null } }));
  process.stdout.write(out.join("\n") + "\n");
' >"$TMP/many.in"
start=$(date +%s%N)
"${PEER[@]}" canon <"$TMP/many.in" >"$TMP/many.out"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "canon streams 100000 lines (${ms} ms)" "$(wc -l <"$TMP/many.out") $(grep -c '^{"a":' "$TMP/many.out")" \
  "100000 100000"

echo "# bench"
expect_rc "bench runs (eddsa-jcs-2022)" 0 \
  "${PEER[@]}" bench --key "$TMP/ed.jwk" --suite eddsa-jcs-2022 --in "$EDDSA/unsigned.json" --seconds 0.2
expect_eq "bench prints one JSON line with the rates" \
  "$(json_get "$TMP/out" 'Object.keys(d).join() + " " + Object.values(d).slice(1).every((n) => n > 0)')" \
  "suite,issue_per_s,verify_per_s,raw_sign_per_s,raw_verify_per_s true"
expect_rc "bench runs (ecdsa-jcs-2019)" 0 \
  "${PEER[@]}" bench --key "$TMP/ec.jwk" --suite ecdsa-jcs-2019 --in "$ECDSA/unsigned.json" --seconds 0.2

finish
