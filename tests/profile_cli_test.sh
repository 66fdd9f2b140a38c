#!/usr/bin/env bash
# Role requirement profiles at the command line:
#   lanyard profile validate FILE     exit 0 and a one-line summary; exit 2 and
#                                     "<file>:<line>: <field>: <why>" on stderr for a bad file
#   lanyard profile show NAME|FILE    the profile in the file format (NAME: a built-in id)
# Every profile shipped in profiles/ must validate; each broken profile is refused with its
# line and field.
#
# Usage: bash profile_cli_test.sh PATH/TO/lanyard
set -euo pipefail

# shellcheck source=tests/harness.sh
source "$(dirname "$0")/harness.sh"
lanyard_binary "$@"
PROFILES="$(cd "$(dirname "$0")/../profiles" && pwd)"
cd "$TMP"

# Every shipped profile validates, and its summary names its id (the file name).
shipped=0
for file in "$PROFILES"/*.profile; do
  shipped=$((shipped + 1))
  id="$(basename "$file" .profile)"
  expect_rc "validate profiles/$id.profile" 0 "$LANYARD" profile validate "$file"
  summary="$(cat "$TMP/out")"
  [[ "$summary" == "$id version "*" requirements" && "$(wc -l <"$TMP/out")" == 1 ]] &&
    pass "one-line summary for $id" || fail "one-line summary for $id" "$summary"
  # The built-in copy is the same profile as the file.
  run "$LANYARD" profile show "$file"
  cp "$TMP/out" from-file
  run "$LANYARD" profile show "$id"
  cmp -s from-file "$TMP/out" && pass "built-in $id is the shipped file" ||
    fail "built-in $id is the shipped file" "$(diff from-file "$TMP/out" || true)"
done
[[ "$shipped" -ge 9 ]] && pass "profiles/ holds the default profiles ($shipped)" ||
  fail "profiles/ holds the default profiles" "found $shipped"

# show prints a built-in profile from any directory, and what it prints validates again.
expect_rc "show registered-nurse" 0 "$LANYARD" profile show registered-nurse
cp "$TMP/out" nurse.profile
grep -qx "id = registered-nurse" nurse.profile && grep -qx "regulators = NMC" nurse.profile &&
  grep -qx "workforce = adult" nurse.profile && pass "show prints the nurse's requirements" ||
  fail "show prints the nurse's requirements" "$(cat nurse.profile)"
expect_rc "what show prints validates" 0 "$LANYARD" profile validate nurse.profile
STDIN=nurse.profile expect_rc "validate reads stdin" 0 "$LANYARD" profile validate -
expect_rc "show of an unknown name" 2 "$LANYARD" profile show nurse
grep -q 'no built-in profile "nurse" (built in: .*registered-nurse' "$TMP/err" &&
  pass "the refusal lists the built-in profiles" || fail "the refusal lists the built-in profiles" "$(err)"
expect_rc "validate of a missing file" 2 "$LANYARD" profile validate no-such.profile
expect_rc "validate without a file" 2 "$LANYARD" profile validate

# broken NAME LINE FIELD: a copy of the nurse's profile edited by the sed script on stdin is
# refused with exit 2 and "broken.profile:LINE: FIELD: " on stderr.
broken() {
  local name="$1" line="$2" field="$3"
  sed -f /dev/stdin nurse.profile >broken.profile
  run "$LANYARD" profile validate broken.profile
  if [[ "$RC" == 2 ]] && grep -q "^lanyard: broken.profile:$line: $field: " "$TMP/err"; then
    pass "$name"
  else
    fail "$name" "exit $RC, want 2 and broken.profile:$line: $field:" "$(err)"
  fi
}
# nurse.profile as show writes it: line 1 format, 2 id, 3 version, ... 15 [registration],
# 16 required, 17 regulators, 24 [dbs], 25 required, 26 level, 27 workforce, 28 adults_barred_list,
# 29 childrens_barred_list, 40 [training], 41 conflict_resolution ... 49 resuscitation.
sed -n '1p;2p;15p;17p;26p;27p;28p;40p;49p' nurse.profile >lines
check_eq "the line numbers below are the nurse profile's" "$(tr '\n' '|' <lines)" \
  "format = lanyard-profile/1|id = registered-nurse|[registration]|regulators = NMC|level = enhanced_barred|workforce = adult|adults_barred_list = true|[training]|resuscitation = 2|"

broken "unknown section" 24 dbss <<<'24s/.*/[dbss]/'
broken "unknown key" 26 dbs.levle <<<'26s/level/levle/'
broken "key given twice" 27 dbs.level <<<'27s/.*/level = enhanced/'
broken "boolean other than true/false" 28 dbs.adults_barred_list <<<'28s/true/yes/'
broken "unknown DBS level" 26 dbs.level <<<'26s/enhanced_barred/enhanced_plus/'
broken "training subject outside the eleven" 49 training.resus <<<'49s/resuscitation/resus/'
broken "training level 5" 49 training.resuscitation <<<'49s/2/5/'
broken "training level 0" 49 training.resuscitation <<<'49s/2/0/'
broken "recheck_years 11" 30 dbs.recheck_years <<<'29a\
recheck_years = 11'
broken "refresher months 121" 54 refresher_months.fire_safety <<<'$a\
\
[refresher_months]\
fire_safety = 121'
broken "unknown regulator" 17 registration.regulators <<<'17s/NMC/NMC, RCN/'
broken "missing id" 0 id <<<'2d'
broken "missing format" 0 format <<<'1d'
broken "unsupported format" 1 format <<<'1s/1$/2/'
broken "version not a whole number" 3 version <<<'3s/1/1.5/'
broken "a line that is no key = value" 25 dbs <<<'25s/.*/required true/'
broken "a barred list below enhanced_barred" 28 dbs.adults_barred_list <<<'26s/enhanced_barred/enhanced/'
broken "the children's list for the adult workforce" 29 dbs.childrens_barred_list <<<'29s/false/true/'
broken "a required registration without regulators" 15 registration.regulators <<<'17d'
broken "a top-level key inside a section" 25 dbs.role <<<'25s/.*/role = Nurse/'

# A file over 64 KiB is refused whole, before any line is read.
{ cat nurse.profile; for _ in $(seq 2200); do echo "# thirty bytes of comment here"; done; } >big.profile
run "$LANYARD" profile validate big.profile
[[ "$RC" == 2 ]] && grep -q "^lanyard: big.profile:0: profile: larger than 65536 bytes" "$TMP/err" &&
  pass "a file over 64 KiB" || fail "a file over 64 KiB" "exit $RC" "$(err)"

finish
