# Non-clinical administrator (clerical and office roles) with no patient contact.

format = lanyard-profile/1
id = non-clinical-administrator
version = 1
organisation = *
staff_group = administrative_clerical
role = Non-Clinical Administrator
employment_type = permanent

[identity]
required = true

[right_to_work]
required = true

[registration]
required = false
conditions_allowed = false

[employment_history]
required = true
reference_required = true

[dbs]
# Not regulated activity: a basic check, which names no workforce. A post eligible for a
# standard check under the Exceptions Order sets level = standard.
required = true
level = basic
workforce = other
adults_barred_list = false
childrens_barred_list = false

[work_health]
# A health assessment for the post, without patient contact (no TB screening or EPP).
required = true
patient_contact = false
epp = false

[induction]
required = true
recognise_previous = true

[training]
# Every subject at the all-staff level 1, except conflict resolution, which is for staff who
# face patients and the public.
equality_diversity_human_rights = 1
fire_safety = 1
health_safety_welfare = 1
infection_prevention_control = 1
information_governance = 1
moving_handling = 1
preventing_radicalisation = 1
resuscitation = 1
safeguarding_adults = 1
safeguarding_children = 1
