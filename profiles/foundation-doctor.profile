# Foundation doctor (FY1 and FY2): a resident doctor in the two-year Foundation Programme,
# rotating every four months (August, December, April), often under a lead employer. The most
# frequent mover the passport serves, so every check a new placement needs is named here.
#
# Training posts are often fixed-term contracts: a trust that matches on that copies this file
# with employment_type = fixed_term and a new id.

format = lanyard-profile/1
id = foundation-doctor
version = 1
organisation = *
staff_group = medical_dental
role = Foundation Doctor
employment_type = permanent

[identity]
required = true

[right_to_work]
required = true

[registration]
# FY1 doctors hold provisional registration with a licence to practise, FY2 full registration:
# both are GMC registration, always re-verified live against the register.
required = true
regulators = GMC
conditions_allowed = false

[employment_history]
required = true
reference_required = true

[dbs]
# Doctors work with adults and children across rotations (paediatrics, emergency medicine),
# which is regulated activity with both groups.
required = true
level = enhanced_barred
workforce = child_and_adult
adults_barred_list = true
childrens_barred_list = true
# No recheck_years: DBS certificates have no national age limit; a trust's interval is added
# as local policy.

[work_health]
# Patient contact without exposure-prone procedures; surgical posts that need EPP clearance use
# their own profile.
required = true
patient_contact = true
epp = false

[induction]
# Corporate induction done at a previous NHS organisation is recognised; local induction always
# happens.
required = true
recognise_previous = true

[training]
# All eleven subjects. Clinical subjects at level 2 (hands-on infection prevention, patient
# handling, resuscitation, safeguarding with direct care of adults and children); Prevent at
# level 3 for registered clinicians; the rest at the all-staff level 1.
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
