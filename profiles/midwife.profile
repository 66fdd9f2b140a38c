# Registered midwife: NMC registration, care of mothers and newborn babies.

format = lanyard-profile/1
id = midwife
version = 1
organisation = *
staff_group = nursing_midwifery
role = Midwife
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
# Midwives care for mothers and babies: regulated activity with adults and children.
required = true
level = enhanced_barred
workforce = child_and_adult
adults_barred_list = true
childrens_barred_list = true

[work_health]
# Patient contact; the default midwife post is not an EPP post (a trust that classes some
# midwifery procedures as exposure-prone sets epp = true locally).
required = true
patient_contact = true
epp = false

[induction]
required = true
recognise_previous = true

[training]
# Safeguarding children at level 3: midwives assess and act on concerns about unborn and
# newborn children.
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
safeguarding_children = 3
