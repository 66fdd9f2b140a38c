# A registered nurse on an adult ward at a trust that renews fire safety training every year (the CSTF default is two).
format = lanyard-profile/1
id = scenario-nurse-fire-yearly
version = 1
organisation = *
staff_group = nursing_midwifery
role = Registered Nurse (adult ward)
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
fire_safety = 1
resuscitation = 2
[refresher_months]
fire_safety = 12
