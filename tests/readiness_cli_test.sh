#!/usr/bin/env bash
# The readiness decision at the command line, end to end: credentials issued with
# `passport issue` for one nurse (and one for somebody else), the live-service simulator, and
#   lanyard readiness check --profile P --movement M --start D --from ODS --receiving ODS
#       [--live FILE] [--override CHECK=DECISION --reason R --by NAME] [--json] CREDENTIAL...
#   lanyard readiness batch --cohort FILE [--live FILE] [--json]
# Exit codes: 0 cleared (or subject to re-verification), 1 not cleared, 2 unusable input/usage.
#
# Usage: bash readiness_cli_test.sh PATH/TO/lanyard
set -euo pipefail

# shellcheck source=tests/harness.sh
source "$(dirname "$0")/harness.sh"
lanyard_binary "$@"
require python3
cd "$TMP"
jget() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

for k in trust oh lms nmc nurse somebody; do "$LANYARD" key generate --out "$k.jwk" 2>/dev/null; done
issue() {  # issue TYPE KEY HOLDER OUT CLAIMS-JSON
  printf '%s' "$5" >"$4.claims.json"
  "$LANYARD" passport issue --type "$1" --key "$2.jwk" --holder "$3.jwk" --in "$4.claims.json" >"$4"
}
P='"legalFirstName":"Amara","legalSurname":"Okafor","birthDate":"1990-04-12","identityVerified":true,"dateOfIdCheck":"2026-09-01"'
issue identity trust nurse id.json "{$P,\"verificationRoute\":\"in_person\",\"identityDocumentExpiryDate\":\"2031-05-01\"}"
issue right_to_work trust nurse rtw.json "{$P,\"checkMethod\":\"manual_document\",\"permissionType\":\"unlimited\"}"
issue professional_registration nmc nurse reg.json \
  '{"professionalBody":"Nursing and Midwifery Council","registrationNumber":"12A3456E","registrationStatus":"registered"}'
DBS='"applicantFirstName":"Amara","applicantMiddleNames":"Grace","applicantSurname":"Okafor","applicantDateOfBirth":"1990-04-12","typeOfDbsCheck":"Enhanced with barred list(s) check","adultsBarredListChecked":true,"childrensBarredListChecked":false,"certificateNumber":"001234567890","disclosureIssueDate":"2026-08-20","informationDisclosed":false,"workforceType":"Adult","registeredBodyNumber":"20012345678","registeredBodyName":"Example NHS Foundation Trust","updateServiceSubscribed":true,"originalCertificateSeen":true'
issue dbs trust nurse dbs.json "{$DBS}"
issue dbs trust somebody dbs-other.json "{$DBS}"
issue occupational_health oh nurse oh.json \
  '{"clearanceOutcome":"cleared","roleCategory":"clinical_patient_contact","eppCleared":false,"patientContact":true,"assessmentDate":"2026-08-25"}'
issue core_skills_training lms nurse resus.json \
  '{"competencyFramework":"CSTF","subjectName":"Resuscitation","competencyName":"Resuscitation Adult Immediate Life Support","subjectLevel":"2","attainmentStatus":"ACHIEVED","awardingOrganisation":"RGT","dateLastAwarded":"2026-11-01","subject":"resuscitation"}'
issue corporate_induction trust nurse ind.json \
  '{"organisation":"RGT","completedDate":"2026-09-03","elements":["values","policies","statutory_mandatory","it_security"]}'
issue employment_history trust nurse hist.json \
  '{"employerOds":"RGT","employerName":"Example NHS Foundation Trust","role":"Staff Nurse","staffGroup":"nursing_midwifery","startDate":"2026-09-01","contractType":"permanent"}'
cat >nurse.profile <<'PROFILE'
format = lanyard-profile/1
id = ward-nurse
version = 2
organisation = *
staff_group = nursing_midwifery
role = Registered Nurse
employment_type = permanent
[registration]
required = true
regulators = NMC
[employment_history]
required = true
[dbs]
required = true
level = enhanced_barred
workforce = adult
adults_barred_list = true
[work_health]
required = true
patient_contact = true
[training]
resuscitation = 2
PROFILE
cat >live.json <<'LIVE'
{"register": {"NMC:12A3456E": {"status": "registered"}},
 "dbs_update_service": {"001234567890": "BLANK_NO_NEW_INFO"},
 "home_office": {"OKAFOR|1990-04-12": {"result": "confirmed"}}}
LIVE
# The trust registry: who these keys belong to and what each may issue, as a signed bundle.
did() { "$LANYARD" key did "$1.jwk"; }
T='["LanyardIdentityCredential","LanyardRightToWorkCredential","LanyardDbsCheckCredential","LanyardCorporateInductionCredential","LanyardEmploymentHistoryCredential","LanyardFactualReferenceCredential"]'
cat >registry.json <<JSON
{"format":"lanyard-trust-registry/1","serial":1,"organisations":[
 {"ods":"RGT","name":"Sending trust","kinds":["trust"],"identifiers":["$(did trust)"]},
 {"ods":"R0A","name":"Receiving trust","kinds":["trust"],"identifiers":["$(did somebody)"]},
 {"ods":"OHS1","name":"OH service","kinds":["occupational_health"],"identifiers":["$(did oh)"]},
 {"ods":"LRN1","name":"Learning provider","kinds":["learning_provider"],"identifiers":["$(did lms)"]},
 {"ods":"NMC","name":"Nursing and Midwifery Council","kinds":["regulator"],"identifiers":["$(did nmc)"]}],
 "authorisations":[
 {"organisation":"RGT","credentialTypes":$T,"from":"2020-01-01T00:00:00Z"},
 {"organisation":"OHS1","credentialTypes":["LanyardOccupationalHealthClearanceCredential"],"from":"2020-01-01T00:00:00Z"},
 {"organisation":"LRN1","credentialTypes":["LanyardCoreSkillsTrainingCredential"],"from":"2020-01-01T00:00:00Z"},
 {"organisation":"NMC","credentialTypes":["LanyardProfessionalRegistrationCredential"],"from":"2020-01-01T00:00:00Z"}]}
JSON
"$LANYARD" key generate --out national.jwk 2>/dev/null
"$LANYARD" trust bundle build --registry registry.json --key national.jwk --out bundle.json 2>/dev/null
TRUST=(--trust bundle.json --trust-signer "$(did national)")

ALL=(id.json rtw.json reg.json dbs.json oh.json resus.json ind.json hist.json)
COMMON=(--profile nurse.profile --movement permanent_transfer --start 2027-01-04 --from RGT
        --receiving R0A --now 2026-12-01T09:00:00Z "${TRUST[@]}")

run "$LANYARD" readiness check "${COMMON[@]}" --live live.json --json "${ALL[@]}"
check_eq "a full passport with live confirmations: cleared subject to re-verification (exit 0)" \
  "exit $RC $(jget "$TMP/out" "d['overall']")" "exit 0 cleared_subject_to_reverification" "$(err)"
check_eq "the JSON has every check, the eleven subjects, warnings, overrides and savings" \
  "$(jget "$TMP/out" "[sorted(d), sorted(d['checks']), len(d['checks']['training'])]")" \
  "[['checks', 'overall', 'overrides', 'savings', 'warnings'], ['dbs', 'employment_history', 'identity', 'induction', 'registration', 'right_to_work', 'training', 'work_health'], 11]"
check_eq "decisions: DBS and registration re-verified live, OH and training reused" \
  "$(jget "$TMP/out" "[d['checks'][c]['decision'] for c in ['identity','right_to_work','registration','dbs','work_health','induction']] + [d['checks']['training']['resuscitation']['decision'], d['checks']['training']['fire_safety']['decision']]")" \
  "['reuse', 'reverify', 'reverify', 'reverify', 'reuse', 'reuse', 'reuse', 'not_required']"
check_eq "each decision names the credential it relied on" \
  "$(jget "$TMP/out" "d['checks']['dbs']['evidence']")" "['dbs.json']"

run "$LANYARD" readiness check "${COMMON[@]}" --json "${ALL[@]}"
check_eq "without live services the live checks stay reverify, with live.unavailable" \
  "exit $RC $(jget "$TMP/out" "[d['overall'], 'live.unavailable' in d['checks']['dbs']['reasons']]")" \
  "exit 0 ['cleared_subject_to_reverification', True]"

run "$LANYARD" readiness check "${COMMON[@]}" --live live.json --json id.json rtw.json reg.json \
  dbs-other.json oh.json resus.json ind.json hist.json
check_eq "somebody else's DBS check: repeat (subject.mismatch), not cleared (exit 1)" \
  "exit $RC $(jget "$TMP/out" "[d['overall'], d['checks']['dbs']['decision'], d['checks']['dbs']['reasons']]")" \
  "exit 1 ['not_cleared', 'repeat', ['subject.mismatch']]"

run "$LANYARD" readiness check "${COMMON[@]}" --live live.json --json \
  --override dbs=reuse --reason "urgent rota gap" --by "A. Patel, medical staffing" \
  id.json rtw.json reg.json dbs-other.json oh.json resus.json ind.json hist.json
check_eq "an override cannot count somebody else's credential: refused and recorded" \
  "exit $RC $(jget "$TMP/out" "[d['checks']['dbs']['decision'], [(o['check'], o['applied'], o['outcome'], o['by']) for o in d['overrides']]]")" \
  "exit 1 ['repeat', [('dbs', False, 'refused: override.credential_unusable', 'A. Patel, medical staffing')]]"

run "$LANYARD" readiness check "${COMMON[@]}" --live live.json --json \
  --override work_health=repeat --reason "new role on a renal unit" --by "OH nurse J. Bell" "${ALL[@]}"
check_eq "a stricter override is applied" \
  "exit $RC $(jget "$TMP/out" "[d['checks']['work_health']['decision'], d['overrides'][0]['outcome']]")" \
  "exit 1 ['repeat', 'applied']"

run "$LANYARD" readiness check "${COMMON[@]}" --live live.json "${ALL[@]}"
check_eq "the text report prints the verdict and a line per check" \
  "exit $RC $(grep -c '^Readiness: cleared_subject_to_reverification' "$TMP/out") $(grep -cE '^  (identity|dbs|resuscitation) ' "$TMP/out")" \
  "exit 0 1 3"

# A cohort at once: one cleared (subject to re-verification), one blocked on DBS.
cat >cohort.json <<'COHORT'
{"members": [
 {"person": "amara", "profile": "nurse.profile", "movement": "permanent_transfer", "from": "RGT",
  "receiving": "R0A", "start": "2027-01-04",
  "credentials": ["id.json", "rtw.json", "reg.json", "dbs.json", "oh.json", "resus.json", "ind.json", "hist.json"]},
 {"person": "amara-with-a-borrowed-dbs", "profile": "nurse.profile", "movement": "permanent_transfer",
  "from": "RGT", "receiving": "R0A", "start": "2027-01-04",
  "credentials": ["id.json", "rtw.json", "reg.json", "dbs-other.json", "oh.json", "resus.json", "ind.json", "hist.json"]}]}
COHORT
run "$LANYARD" readiness batch --cohort cohort.json --live live.json --now 2026-12-01T09:00:00Z "${TRUST[@]}" --json
check_eq "readiness batch: the dashboard counts each verdict and what blocks people" \
  "exit $RC $(jget "$TMP/out" "[d['summary']['people'], d['summary']['cleared_subject_to_reverification'], d['summary']['not_cleared'], d['summary']['blocked_on'], [p['repeat'] for p in d['people']]]")" \
  "exit 1 [2, 1, 1, {'dbs': 1}, [[], ['dbs']]]" "$(err)"
check_eq "readiness batch stays quiet on stderr when not at a terminal" "$(wc -c <"$TMP/err")" 0
run "$LANYARD" readiness batch --cohort cohort.json --live live.json --now 2026-12-01T09:00:00Z "${TRUST[@]}"
check_eq "readiness batch prints a dashboard" \
  "exit $RC $(grep -c '^Changeover: 2 people; 0 cleared, 1 cleared subject to re-verification, 1 not cleared' "$TMP/out") $(grep -c '^amara-with-a-borrowed-dbs  not_cleared  repeat: dbs' "$TMP/out")" \
  "exit 1 1 1"
printf '{"members": [{"person": "x"}]}' >bad-cohort.json
run "$LANYARD" readiness batch --cohort bad-cohort.json
check_eq "a malformed cohort is refused naming the member" \
  "exit $RC $(grep -c 'members\[0\]' "$TMP/err")" "exit 2 1"

run "$LANYARD" readiness check --profile nurse.profile --movement permanent_transfer \
  --start 2027-01-04 --from RGT --receiving R0A --now 2026-12-01T09:00:00Z --live live.json --json "${ALL[@]}"
check_eq "without a trust bundle nothing counts: every issuer is untrusted (exit 1)" \
  "exit $RC $(jget "$TMP/out" "[d['overall'], d['checks']['identity']['reasons']]")" \
  "exit 1 ['not_cleared', ['issuer.untrusted']]"
expect_rc "a trust bundle whose signer is not pinned is refused" 2 "$LANYARD" readiness check \
  --profile nurse.profile --movement permanent_transfer --start 2027-01-04 --from RGT \
  --receiving R0A --trust bundle.json "${ALL[@]}"

expect_rc "an override without --reason and --by" 2 "$LANYARD" readiness check "${COMMON[@]}" \
  --override dbs=repeat "${ALL[@]}"
expect_rc "an unknown movement" 2 "$LANYARD" readiness check --profile nurse.profile \
  --movement teleport --start 2027-01-04 --from RGT --receiving R0A "${ALL[@]}"
printf 'format = lanyard-profile/1\nid = x\nversion = 1\n[dbs]\nlevel = platinum\n' >bad.profile
run "$LANYARD" readiness check --profile bad.profile --movement bank --start 2027-01-04 \
  --from RGT --receiving RGT "${ALL[@]}"
check_eq "a malformed profile is refused with its line and field" \
  "exit $RC $(grep -c 'bad.profile:5: dbs.level' "$TMP/err")" "exit 2 1" "$(err)"
expect_rc "a missing credential file" 2 "$LANYARD" readiness check "${COMMON[@]}" no-such.json

finish
