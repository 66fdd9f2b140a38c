#!/usr/bin/env bash
# lanyard analytics: a synthetic trust generates deterministically; the report reads it with
# an extract and an event export beside it, writes every table, report.json and report.html,
# reports bad rows by file and line (exit 1), and refuses a folder it cannot read (exit 2).
#
# Usage: bash analytics_cli_test.sh PATH/TO/lanyard
set -euo pipefail

# shellcheck source=tests/harness.sh
source "$(dirname "$0")/harness.sh"
lanyard_binary "$@"
cd "$TMP"

expect_rc "analytics generate --scale trust" 0 \
  "$LANYARD" analytics generate --scale trust --years 3 --seed 5 --out a
"$LANYARD" analytics generate --scale trust --years 3 --seed 5 --out b >/dev/null
check_eq "the same seed writes the same files" "$(diff -r a b >/dev/null && echo same)" same
expect_rc "an unknown scale is a usage error" 2 \
  "$LANYARD" analytics generate --scale county --out c

expect_rc "analytics report on the generated trust" 0 "$LANYARD" analytics report --in a --out r
check_eq "it writes the tables, report.json and report.html" \
  "$(ls r/tables | wc -l) $(test -s r/report.json && echo json) $(test -s r/report.html && echo html)" \
  "12 json html"
check_eq "the class table counts the three classes apart" \
  "$(cut -d, -f1 r/tables/events_by_class.csv | tr '\n' ' ')" \
  "class organisation_change temporary_move shift "

# An extract with a bad row and an event export beside the generated files.
ods="$(sed -n 2p a/organisations.csv | cut -d, -f1)"
other="$(sed -n 3p a/organisations.csv | cut -d, -f1)"
{
  echo "person,home_ods,worked_ods,staff_group,role,shift_date,bank"
  echo "00000000000000d4,$ods,$other,support_to_clinical,hca,2025-05-02,collaborative"
  echo "00000000000000d4,$ods,NOWHERE,support_to_clinical,hca,2025-05-03,own"
} >a/shifts.csv
{
  echo "event,date,person,from_ods,to_ods,profile,movement,overall,reuse_count,reverify_count,repeat_count,override_count,days_to_report,credential_type"
  for i in 1 2 3 4 5 6; do
    echo "share.report,2026-08-05,p$i,$ods,$other,fy1,rotation_lead_employer,cleared,15,3,0,0,2,"
  done
} >a/events.csv
expect_rc "a rejected row makes the exit code 1" 1 "$LANYARD" analytics report --in a --out r2
check_eq "and is reported with its file and line" \
  "$(grep -c 'shifts.csv:3: unknown organisation "NOWHERE"' "$TMP/err")" 1
check_eq "the event export adds the measured table" \
  "$(sed -n 2p r2/tables/passport_measured.csv | cut -d, -f1,2)" "rotation_lead_employer,5"

echo "name,age" >a/other.csv
expect_rc "a file it does not know stops the report" 2 "$LANYARD" analytics report --in a --out r3
check_eq "naming the file" "$(grep -c 'other.csv' "$TMP/err")" 1
rm a/other.csv
echo '{"format":"lanyard-passport-scenario/1","scenarios":[{"name":"x","adoption":{"trust":2}}]}' >bad.json
expect_rc "a bad scenario file is a usage error" 2 \
  "$LANYARD" analytics report --in a --out r4 --scenario bad.json
check_eq "saying why" "$(grep -c 'analytics.invalid_scenario' "$TMP/err")" 1
head -c 2000000 /dev/zero | tr '\0' ' ' >big.json
expect_rc "a scenario file over 1 MB is refused before it is read" 2 \
  "$LANYARD" analytics report --in a --out r5 --scenario big.json
check_eq "as too large" "$(grep -c 'input.too_large' "$TMP/err")" 1

finish
