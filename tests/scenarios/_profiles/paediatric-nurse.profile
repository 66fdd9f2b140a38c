# A children's nurse: the DBS check must cover the child workforce and the children's barred list.
format = lanyard-profile/1
id = scenario-paediatric-nurse
version = 1
organisation = *
staff_group = nursing_midwifery
role = Registered Nurse (children's ward)
employment_type = permanent

[identity]
required = true
[right_to_work]
required = true
[registration]
required = true
regulators = NMC
[employment_history]
required = true
reference_required = false
[dbs]
required = true
level = enhanced_barred
workforce = child
adults_barred_list = false
childrens_barred_list = true
[work_health]
required = true
patient_contact = true
epp = false
[induction]
required = true
recognise_previous = true
[training]
safeguarding_children = 3
