# Allied health professional (physiotherapist, occupational therapist, radiographer, dietitian
# and the other HCPC-registered professions) in an adult service.

format = lanyard-profile/1
id = allied-health-professional
version = 1
organisation = *
staff_group = allied_health_professionals
role = Allied Health Professional
employment_type = permanent

[identity]
required = true

[right_to_work]
required = true

[registration]
required = true
regulators = HCPC
conditions_allowed = false

[employment_history]
required = true
reference_required = true

[dbs]
# An enhanced check for the adult workforce, without a barred-list check: the default for an
# AHP post. A post in regulated activity with adults sets level = enhanced_barred and
# adults_barred_list = true.
required = true
level = enhanced
workforce = adult
adults_barred_list = false
childrens_barred_list = false

[work_health]
required = true
patient_contact = true
epp = false

[induction]
required = true
recognise_previous = true

[training]
conflict_resolution = 1
equality_diversity_human_rights = 1
fire_safety = 1
health_safety_welfare = 1
infection_prevention_control = 2
information_governance = 1
moving_handling = 2
preventing_radicalisation = 3
resuscitation = 2
safeguarding_adults = 2
safeguarding_children = 2
