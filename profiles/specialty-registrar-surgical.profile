# Specialty registrar in a surgical specialty: as specialty-registrar, and the post involves
# exposure-prone procedures (EPP), whose occupational health clearance must be evidenced when
# moving between EPP posts.
#
# Training posts are often fixed-term contracts: a trust that matches on that copies this file
# with employment_type = fixed_term and a new id.

format = lanyard-profile/1
id = specialty-registrar-surgical
version = 1
organisation = *
staff_group = medical_dental
role = Specialty Registrar (Surgical)
employment_type = permanent

[identity]
required = true

[right_to_work]
required = true

[registration]
required = true
regulators = GMC
conditions_allowed = false

[employment_history]
required = true
reference_required = true

[dbs]
required = true
level = enhanced_barred
workforce = child_and_adult
adults_barred_list = true
childrens_barred_list = true

[work_health]
# EPP clearance (blood-borne virus screening) is part of the work health check for this post.
required = true
patient_contact = true
epp = true

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
resuscitation = 3
safeguarding_adults = 2
safeguarding_children = 3
