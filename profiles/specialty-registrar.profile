# Specialty registrar (ST3 and above) in a non-surgical specialty: a resident doctor in a
# specialty training programme, rotating every six months (August, February) in many
# programmes. No exposure-prone procedures: surgical registrars use
# specialty-registrar-surgical.
#
# Training posts are often fixed-term contracts: a trust that matches on that copies this file
# with employment_type = fixed_term and a new id.

format = lanyard-profile/1
id = specialty-registrar
version = 1
organisation = *
staff_group = medical_dental
role = Specialty Registrar
employment_type = permanent

[identity]
required = true

[right_to_work]
required = true

[registration]
# Full GMC registration with a licence to practise, re-verified live.
required = true
regulators = GMC
conditions_allowed = false

[employment_history]
required = true
reference_required = true

[dbs]
# Regulated activity with adults and children: both barred lists.
required = true
level = enhanced_barred
workforce = child_and_adult
adults_barred_list = true
childrens_barred_list = true

[work_health]
required = true
patient_contact = true
epp = false

[induction]
required = true
recognise_previous = true

[training]
# As a foundation doctor, with resuscitation and safeguarding children one level higher:
# registrars lead resuscitation teams and take part in child protection assessments.
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
