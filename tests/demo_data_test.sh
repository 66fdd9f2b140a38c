#!/usr/bin/env bash
# lanyard demo-data: the synthetic workforce is deterministic (same seed, same bytes), every
# credential verifies offline exactly as its manifest entry says (valid, or invalid for the revoked
# and altered ones), and the cohort runs through readiness batch.
#
# Usage: bash demo_data_test.sh PATH/TO/lanyard
set -euo pipefail

# shellcheck source=tests/harness.sh
source "$(dirname "$0")/harness.sh"
lanyard_binary "$@"
require python3
cd "$TMP"

expect_rc "demo-data --staff 25 --seed 11" 0 "$LANYARD" demo-data --staff 25 --seed 11 --out a
"$LANYARD" demo-data --staff 25 --seed 11 --out b 2>/dev/null
check_eq "the same seed writes the same files, byte for byte" "$(diff -r a b >/dev/null && echo same)" same
"$LANYARD" demo-data --staff 25 --seed 12 --out c 2>/dev/null
check_eq "another seed writes other people" "$(diff -q a/cohort.json c/cohort.json >/dev/null || echo differ)" differ

cd a
cat >"$TMP/check_manifest.py" <<'PY'
import json, subprocess, sys
lanyard = sys.argv[1]
manifest = json.load(open("manifest.json"))
wrong, counts = [], {}
for entry in manifest:
    rc = subprocess.run([lanyard, "credential", "verify"] + entry["args"] + [entry["file"]],
                        capture_output=True).returncode
    got = {0: "valid", 1: "invalid"}.get(rc, "exit %d" % rc)
    counts[got] = counts.get(got, 0) + 1
    if got != entry["expect"]:
        wrong.append("%s: want %s, got %s" % (entry["file"], entry["expect"], got))
print(len(manifest), sorted(counts), len(wrong))
print("\n".join(wrong[:5]))
PY
run python3 "$TMP/check_manifest.py" "$LANYARD"
check_eq "every manifest entry verifies offline as it says (valid and invalid both present)" \
  "$(head -1 "$TMP/out")" "$(python3 -c 'import json; print(len(json.load(open("manifest.json"))))') ['invalid', 'valid'] 0" \
  "$(cat "$TMP/out")"

SIGNER="$(python3 -c 'import json; print(json.load(open("manifest.json"))[0]["args"][4])')"
run "$LANYARD" readiness batch --cohort cohort.json --live live.json --offline --trust bundle.json \
  --trust-signer "$SIGNER" --status-cache status-cache --now 2027-07-20T09:00:00Z --json
check_eq "the cohort runs through readiness batch offline (25 people decided)" \
  "$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); s = d["summary"]; print(s["people"], s["cleared"] + s["cleared_subject_to_reverification"] + s["not_cleared"])' "$TMP/out")" \
  "25 25" "$(err)"

finish
