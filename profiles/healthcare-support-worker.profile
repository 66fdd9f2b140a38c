# Healthcare support worker (healthcare assistant) on an adult ward: no professional
# registration, direct personal care of adults.

format = lanyard-profile/1
id = healthcare-support-worker
version = 1
organisation = *
staff_group = additional_clinical_services
role = Healthcare Support Worker
employment_type = permanent

[identity]
required = true

[right_to_work]
required = true

[registration]
# Support workers are not regulated professionals.
required = false
conditions_allowed = false

[employment_history]
required = true
reference_required = true

[dbs]
# Personal care of adults is regulated activity with adults: the adults' barred list.
required = true
level = enhanced_barred
workforce = adult
adults_barred_list = true
childrens_barred_list = false

[work_health]
required = true
patient_contact = true
epp = false

[induction]
required = true
recognise_previous = true

[training]
# Hands-on subjects at level 2 (infection prevention, moving and handling, basic life support,
# safeguarding in direct care); Prevent basic awareness at level 2.
conflict_resolution = 1
equality_diversity_human_rights = 1
fire_safety = 1
health_safety_welfare = 1
infection_prevention_control = 2
information_governance = 1
moving_handling = 2
preventing_radicalisation = 2
resuscitation = 2
safeguarding_adults = 2
safeguarding_children = 2
