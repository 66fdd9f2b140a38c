#!/usr/bin/env bash
# Interoperability of Lanyard with the independent JavaScript peer (peer.mjs), for both
# cryptosuites (eddsa-jcs-2022 with Ed25519 keys, ecdsa-jcs-2019 with P-256 keys):
#   - keys: each side uses the other's private JWKs and derives the same did:key;
#   - credentials issued by one side verify with the other, including hard documents
#     (astral and private-use characters, an empty key, UTF-16 key order, awkward numbers,
#     every JSON escape, deep nesting), also when the proof is put back onto the document
#     exactly as it was written (so each verifier canonicalizes the original spellings);
#   - tampering is refused by both sides;
#   - proof sets made by both sides verify on both sides.
# Needs Node.js and the npm packages of this folder (`npm install` or scripts/setup).
#
# Usage: bash interop_test.sh PATH/TO/lanyard
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"

# shellcheck source=tests/harness.sh
source "$HERE/../harness.sh"
lanyard_binary "$@"
require node
if [[ ! -d "$HERE/node_modules/canonicalize" ]]; then
  echo "interop_test: run 'npm install' in $(basename "$HERE") first" >&2
  exit 2
fi
PEER=(node "$HERE/peer.mjs")

# Every time check runs at this instant: inside the validity period of the documents below.
NOW=2026-06-01T00:00:00Z

# shellcheck source=tests/interop/json_tools.sh
source "$HERE/json_tools.sh"

# splice RAW SIGNED OUT: OUT = the text of RAW, untouched, followed by the members that SIGNED
# has and RAW lacks (issuer, proof). The signatures cover values, not spellings, so OUT must
# verify exactly as SIGNED does.
splice() {
  node -e 'const fs = require("fs");
           const raw = fs.readFileSync(process.argv[1], "utf8");
           const have = JSON.parse(raw), signed = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
           const extra = Object.keys(signed).filter((k) => !(k in have))
             .map((k) => JSON.stringify(k) + ": " + JSON.stringify(signed[k])).join(", ");
           const end = raw.lastIndexOf("}");
           fs.writeFileSync(process.argv[3], raw.slice(0, end) + ", " + extra + "}\n");' "$1" "$2" "$3" ||
    : >"$3"
}

# with_issuer RAW DID OUT: OUT = the text of RAW with "issuer": DID added as its first member.
with_issuer() {
  node -e 'const fs = require("fs");
           const raw = fs.readFileSync(process.argv[1], "utf8");
           const start = raw.indexOf("{") + 1;
           fs.writeFileSync(process.argv[3],
             raw.slice(0, start) + "\"issuer\": " + JSON.stringify(process.argv[2]) + ", " + raw.slice(start));' \
    "$1" "$2" "$3" || : >"$3"
}

# Replaces the 11th character of proof number I's proofValue by another base58 character.
tamper_proof() {
  json_edit "$1" "$2" "const ps = Array.isArray(d.proof) ? d.proof : [d.proof]; const p = ps[$3];
    const v = p.proofValue; p.proofValue = v.slice(0, 10) + (v[10] === 'A' ? 'B' : 'A') + v.slice(11);"
}

# report_summary: the failed codes and stderr of the last Lanyard verify, for FAIL lines.
report_summary() {
  local errors
  errors="$(json_get "$TMP/out" 'd.errors' 2>/dev/null || echo '(no JSON report)')"
  printf 'exit %s, errors %s\n%s' "$RC" "$errors" "$(err)"
}

# lanyard_verify NAME WANT_RC CODE FILE: Lanyard verifies FILE (--json, at $NOW); wants exit
# WANT_RC and a check CODE that passed (WANT_RC 0) or failed (otherwise).
lanyard_verify() {
  local name="$1" want="$2" code="$3" file="$4"
  run "$LANYARD" credential verify --json --now "$NOW" "$file"
  local passed_want=false
  [[ "$want" == 0 ]] && passed_want=true
  local found
  found="$(json_get "$TMP/out" "d.checks.some((c) => c.code === '$code' && c.passed === $passed_want) &&
                                 d.verified === $passed_want" 2>/dev/null || echo false)"
  if [[ "$RC" == "$want" && "$found" == true ]]; then
    pass "$name"
  else
    fail "$name" "wanted exit $want with $code passed=$passed_want; got $(report_summary)"
  fi
}

# peer_verify NAME WANT_RC FILE: the peer verifies FILE (with its issuer binding check).
peer_verify() {
  local name="$1" want="$2" file="$3"
  run "${PEER[@]}" verify "$file"
  if [[ "$RC" == "$want" ]]; then
    pass "$name"
  else
    fail "$name" "peer verify: exit $RC, wanted $want" "$(err)"
  fi
}

# lanyard_issue KEY SUITE IN OUT / peer_issue KEY SUITE IN OUT: sign, or return non-zero
# leaving the signer's stderr in $TMP/err.
lanyard_issue() {
  run "$LANYARD" credential issue --key "$1" --suite "$2" --in "$3"
  [[ "$RC" == 0 ]] && cp "$TMP/out" "$4"
}
peer_issue() {
  run "${PEER[@]}" issue --key "$1" --suite "$2" --in "$3"
  [[ "$RC" == 0 ]] && cp "$TMP/out" "$4"
}

# The plain credential both sides start from; Lanyard sets the issuer, the peer does not.
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
    "employer": "St Elsewhere Hospital"
  }
}
EOF

# Hard documents: valid VC 2.0 credentials whose subjects are written with awkward spellings.
mkdir -p "$TMP/hard"
hard_doc() {
  printf '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "EmploymentCredential"], "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z",\n "credentialSubject": %s}\n' \
    "$2" >"$TMP/hard/$1.json"
}
# Astral-plane keys and values, escaped as surrogate pairs and written as UTF-8.
hard_doc astral '{"id": "did:example:staff-4711", "\ud83d\ude00": "\ud83d\ude00 grinning", "🧑": "🧑‍⚕️ health worker", "\ud83e\uddd1\u200d\u2695\ufe0f": ["\ud800\udc00", "\udbff\udfff", "𐀀"]}'
# Private-use keys and values, escaped and as UTF-8.
hard_doc private-use '{"id": "did:example:staff-4711", "\ue000": "\ue000 first", "\uf8ff": "\uf8ff last", "": "U+E000 and U+F8FF as UTF-8"}'
# The empty key, at several places.
hard_doc empty-key '{"": "empty key", "id": "did:example:staff-4711", "nested": {"": {"": ""}}, "list": ["", {"": []}]}'
# Keys whose order differs between UTF-16 code units (RFC 8785) and UTF-8 bytes or code
# points: U+1F600 (D83D DE00) sorts before U+E000 in UTF-16, after it in UTF-8.
hard_doc sort-order '{"\ue000": "private use", "\ud83d\ude00": "astral", "id": "did:example:staff-4711", "\ufb01": "ligature", "\u00e9": "e acute", "e": 1, "E": 2, "\u0080": 3, "aa": 4, "a": 5, "b": {"\ue000": 1, "😀": 2, "\uffff": 3, "\u007f": 4}}'
# Numbers whose shortest ECMAScript spelling differs from how they are written, or which
# are not exactly representable as IEEE 754 doubles.
hard_doc numbers '{"id": "did:example:staff-4711", "n": [1e21, 1e-7, -0, 0.1, 123456789012345678901, 9007199254740993, 5e-324], "more": [1E+2, 100e-2, 4.50, -1e-7, 1e20, 0.000001, 1.7976931348623157e308, 2.2250738585072014e-308, 333333333.33333329, -0.0, 0e5]}'
# Every JSON escape, in values and in a key.
hard_doc escapes '{"id": "did:example:staff-4711", "all": "\b\f\n\r\t\"\\\/\u0000\u001f\u007f\u2028", "each": ["\b", "\f", "\n", "\r", "\t", "\"", "\\", "\/", "\u0000", "\u001f", "\u007f", "\u2028", "\u2029", "\u00E9", "\u0041"], "\u0000\b\"\\\/": "escaped key"}'
# 100 levels of alternating objects and arrays inside the subject: 102 with the credential
# and the subject, within Lanyard's limit of 128.
deep='"bottom"'
for ((i = 0; i < 100; i++)); do
  if ((i % 2)); then deep="[$deep]"; else deep="{\"d\": $deep}"; fi
done
hard_doc deep "{\"id\": \"did:example:staff-4711\", \"deep\": $deep}"
HARD=(astral private-use empty-key sort-order numbers escapes deep)

for suite in eddsa-jcs-2022 ecdsa-jcs-2019; do
  if [[ "$suite" == eddsa-jcs-2022 ]]; then type=ed25519; other=ecdsa-jcs-2019; other_type=p256
  else type=p256; other=eddsa-jcs-2022; other_type=ed25519; fi
  S="$TMP/$suite"
  mkdir -p "$S"
  echo "# $suite: keys"

  run "$LANYARD" key generate --type "$type" --out "$S/lanyard.jwk"
  check_eq "$suite: lanyard key generate --type $type" "$RC" 0 "$(err)"
  run "${PEER[@]}" keygen --type "$type" --out "$S/peer.jwk"
  check_eq "$suite: peer keygen --type $type" "$RC" 0 "$(err)"
  run "${PEER[@]}" keygen --type "$other_type" --out "$S/peer-other.jwk"
  check_eq "$suite: peer keygen --type $other_type" "$RC" 0 "$(err)"

  L_DID="$("$LANYARD" key did "$S/lanyard.jwk" 2>/dev/null || true)"
  P_DID="$("${PEER[@]}" did "$S/peer.jwk" 2>/dev/null || true)"
  got="$("${PEER[@]}" did "$S/lanyard.jwk" 2>&1 || true)"
  check_eq "$suite: peer derives Lanyard's did:key from Lanyard's JWK" "$got" "${L_DID:-(none)}"
  got="$("$LANYARD" key did "$S/peer.jwk" 2>&1 || true)"
  check_eq "$suite: Lanyard derives the peer's did:key from the peer's JWK" "$got" "${P_DID:-(none)}"

  echo "# $suite: plain credential"
  if lanyard_issue "$S/lanyard.jwk" "$suite" "$TMP/nurse.json" "$S/l.json"; then
    peer_verify "$suite: Lanyard issues, peer verifies" 0 "$S/l.json"
  else
    fail "$suite: Lanyard issues, peer verifies" "lanyard issue: exit $RC" "$(err)"
  fi
  with_issuer "$TMP/nurse.json" "$P_DID" "$S/nurse-p.json"
  if peer_issue "$S/peer.jwk" "$suite" "$S/nurse-p.json" "$S/p.json"; then
    lanyard_verify "$suite: peer issues, Lanyard verifies (issuer.is_signer)" 0 issuer.is_signer "$S/p.json"
  else
    fail "$suite: peer issues, Lanyard verifies (issuer.is_signer)" "peer issue: exit $RC" "$(err)"
  fi

  echo "# $suite: each side signs with the other's key"
  with_issuer "$TMP/nurse.json" "$L_DID" "$S/nurse-l.json"
  if peer_issue "$S/lanyard.jwk" "$suite" "$S/nurse-l.json" "$S/pl.json"; then
    lanyard_verify "$suite: peer signs with Lanyard's key, Lanyard verifies" 0 issuer.is_signer "$S/pl.json"
    peer_verify "$suite: peer signs with Lanyard's key, peer verifies" 0 "$S/pl.json"
  else
    fail "$suite: peer signs with Lanyard's key" "peer issue: exit $RC" "$(err)"
  fi
  if lanyard_issue "$S/peer.jwk" "$suite" "$TMP/nurse.json" "$S/lp.json"; then
    got="$(json_get "$S/lp.json" d.issuer 2>&1 || true)"
    check_eq "$suite: Lanyard signing with the peer's key sets the peer's did as issuer" "$got" "$P_DID"
    peer_verify "$suite: Lanyard signs with the peer's key, peer verifies" 0 "$S/lp.json"
    lanyard_verify "$suite: Lanyard signs with the peer's key, Lanyard verifies" 0 issuer.is_signer "$S/lp.json"
  else
    fail "$suite: Lanyard signs with the peer's key" "lanyard issue: exit $RC" "$(err)"
  fi

  echo "# $suite: hard documents"
  for h in "${HARD[@]}"; do
    raw="$TMP/hard/$h.json"
    if lanyard_issue "$S/lanyard.jwk" "$suite" "$raw" "$S/l-$h.json"; then
      peer_verify "$suite $h: Lanyard issues, peer verifies" 0 "$S/l-$h.json"
      splice "$raw" "$S/l-$h.json" "$S/l-$h-raw.json"
      peer_verify "$suite $h: Lanyard's proof on the original text, peer verifies" 0 "$S/l-$h-raw.json"
      lanyard_verify "$suite $h: Lanyard's proof on the original text, Lanyard verifies" 0 signature.valid \
        "$S/l-$h-raw.json"
    else
      fail "$suite $h: Lanyard issues" "lanyard issue: exit $RC" "$(err)"
    fi
    with_issuer "$raw" "$P_DID" "$S/hard-$h-p.json"
    if peer_issue "$S/peer.jwk" "$suite" "$S/hard-$h-p.json" "$S/p-$h.json"; then
      lanyard_verify "$suite $h: peer issues, Lanyard verifies" 0 issuer.is_signer "$S/p-$h.json"
      splice "$S/hard-$h-p.json" "$S/p-$h.json" "$S/p-$h-raw.json"
      lanyard_verify "$suite $h: peer's proof on the original text, Lanyard verifies" 0 signature.valid \
        "$S/p-$h-raw.json"
    else
      fail "$suite $h: peer issues" "peer issue: exit $RC" "$(err)"
    fi
  done

  # Other spellings of the same doubles are the same document; another double is not.
  if [[ -f "$S/l-numbers-raw.json" && -f "$S/p-numbers-raw.json" ]]; then
    for side in l p; do
      sed -e 's/1e21, 1e-7, -0, 0.1/1E+21, 100e-9, 0, 1e-1/' -e 's/9007199254740993/9007199254740992/' \
        "$S/$side-numbers-raw.json" >"$S/$side-numbers-respelt.json"
      # An unchanged file would make the respelling checks below pass for nothing.
      if cmp -s "$S/$side-numbers-raw.json" "$S/$side-numbers-respelt.json"; then
        echo '{}' >"$S/$side-numbers-respelt.json"
      fi
    done
    peer_verify "$suite numbers: other spellings of the same values still verify (peer, Lanyard's proof)" 0 \
      "$S/l-numbers-respelt.json"
    lanyard_verify "$suite numbers: other spellings of the same values still verify (Lanyard, peer's proof)" 0 \
      signature.valid "$S/p-numbers-respelt.json"
    for side in l p; do
      sed 's/5e-324\]/1e-323]/' "$S/$side-numbers-raw.json" >"$S/$side-numbers-changed.json"
    done
    peer_verify "$suite numbers: 5e-324 changed to 1e-323 is refused (peer, Lanyard's proof)" 1 \
      "$S/l-numbers-changed.json"
    lanyard_verify "$suite numbers: 5e-324 changed to 1e-323 is refused (Lanyard, peer's proof)" 1 \
      signature.invalid "$S/p-numbers-changed.json"
  else
    fail "$suite numbers: respelling and changing numbers" "(the signed numbers documents are missing)"
  fi

  echo "# $suite: tampering"
  if [[ -f "$S/l.json" && -f "$S/p.json" ]]; then
    json_edit "$S/l.json" "$S/l-tampered.json" 'd.credentialSubject.role = "Consultant Surgeon";'
    json_edit "$S/p.json" "$S/p-tampered.json" 'd.credentialSubject.role = "Consultant Surgeon";'
    peer_verify "$suite: peer refuses a Lanyard credential with the subject changed" 1 "$S/l-tampered.json"
    lanyard_verify "$suite: Lanyard refuses a peer credential with the subject changed" 1 signature.invalid \
      "$S/p-tampered.json"
    tamper_proof "$S/l.json" "$S/l-badsig.json" 0
    tamper_proof "$S/p.json" "$S/p-badsig.json" 0
    peer_verify "$suite: peer refuses a Lanyard credential with a proofValue character changed" 1 \
      "$S/l-badsig.json"
    lanyard_verify "$suite: Lanyard refuses a peer credential with a proofValue character changed" 1 \
      signature.invalid "$S/p-badsig.json"
  else
    fail "$suite: tampering" "(the signed plain credentials are missing)"
  fi

  echo "# $suite: proof sets"
  if [[ -f "$S/l.json" && -f "$S/p.json" ]]; then
    # Lanyard first (issuer = Lanyard's did), then the peer adds a proof of the same suite.
    if peer_issue "$S/peer.jwk" "$suite" "$S/l.json" "$S/set-lp.json"; then
      got="$(json_get "$S/set-lp.json" 'Array.isArray(d.proof) && d.proof.length' 2>&1 || true)"
      check_eq "$suite: the peer adds a second proof to Lanyard's" "$got" 2
      lanyard_verify "$suite: Lanyard verifies the set Lanyard+peer" 0 issuer.is_signer "$S/set-lp.json"
      got="$(json_get "$TMP/out" "d.checks.filter((c) => c.code === 'signature.valid' && c.passed).length" \
             2>/dev/null || true)"
      check_eq "$suite: Lanyard checks both signatures of the set Lanyard+peer" "$got" 2
      peer_verify "$suite: peer verifies the set Lanyard+peer" 0 "$S/set-lp.json"
      tamper_proof "$S/set-lp.json" "$S/set-lp-bad.json" 1
      lanyard_verify "$suite: Lanyard refuses the set Lanyard+peer with the peer's proof broken" 1 \
        signature.invalid "$S/set-lp-bad.json"
    else
      fail "$suite: the peer adds a second proof to Lanyard's" "peer issue: exit $RC" "$(err)"
    fi
    # The peer first (issuer = the peer's did), then Lanyard adds a proof of the same suite.
    if lanyard_issue "$S/lanyard.jwk" "$suite" "$S/p.json" "$S/set-pl.json"; then
      got="$(json_get "$S/set-pl.json" 'Array.isArray(d.proof) && d.proof.length + " " + d.issuer' 2>&1 || true)"
      check_eq "$suite: Lanyard adds a second proof to the peer's, issuer kept" "$got" "2 $P_DID"
      peer_verify "$suite: peer verifies the set peer+Lanyard" 0 "$S/set-pl.json"
      lanyard_verify "$suite: Lanyard verifies the set peer+Lanyard" 0 issuer.is_signer "$S/set-pl.json"
      tamper_proof "$S/set-pl.json" "$S/set-pl-bad.json" 1
      peer_verify "$suite: peer refuses the set peer+Lanyard with Lanyard's proof broken" 1 "$S/set-pl-bad.json"
    else
      fail "$suite: Lanyard adds a second proof to the peer's" "lanyard issue: exit $RC" "$(err)"
    fi
    # Mixed suites: the peer adds a proof of the other suite to Lanyard's.
    if peer_issue "$S/peer-other.jwk" "$other" "$S/l.json" "$S/set-mixed.json"; then
      lanyard_verify "$suite: Lanyard verifies the set Lanyard $suite + peer $other" 0 issuer.is_signer \
        "$S/set-mixed.json"
      peer_verify "$suite: peer verifies the set Lanyard $suite + peer $other" 0 "$S/set-mixed.json"
    else
      fail "$suite: mixed proof set" "peer issue: exit $RC" "$(err)"
    fi
  else
    fail "$suite: proof sets" "(the signed plain credentials are missing)"
  fi
done

finish
