# Registered nurse on an adult ward: NMC registration, patient contact with adults.

format = lanyard-profile/1
id = registered-nurse
version = 1
organisation = *
staff_group = nursing_midwifery
role = Registered Nurse
employment_type = permanent

[identity]
required = true

[right_to_work]
required = true

[registration]
required = true
regulators = NMC
conditions_allowed = false

[employment_history]
required = true
reference_required = true

[dbs]
# Nursing care of adults is regulated activity with adults: the adults' barred list only.
# Children's nursing posts need their own profile (child workforce, children's barred list).
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
# Clinical subjects at level 2; Prevent at level 3 for registered clinicians; safeguarding
# children at level 2, as for every clinician who may meet children and families.
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
