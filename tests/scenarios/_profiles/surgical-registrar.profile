# A surgical specialty registrar: GMC, an exposure-prone-procedure post.
format = lanyard-profile/1
id = scenario-surgical-registrar
version = 1
organisation = *
staff_group = medical_dental
role = Specialty Registrar (general surgery)
employment_type = fixed_term

[identity]
required = true
[right_to_work]
required = true
[registration]
required = true
regulators = GMC
[employment_history]
required = true
reference_required = false
[dbs]
required = true
level = enhanced_barred
workforce = child_and_adult
adults_barred_list = true
childrens_barred_list = true
[work_health]
required = true
patient_contact = true
epp = true
[induction]
required = true
recognise_previous = true
[training]
resuscitation = 3
infection_prevention_control = 2
