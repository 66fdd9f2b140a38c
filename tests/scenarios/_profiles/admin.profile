# A non-clinical administrator: no registration, a basic DBS check, no patient contact.
format = lanyard-profile/1
id = scenario-admin
version = 1
organisation = *
staff_group = administrative_clerical
role = Ward Administrator
employment_type = permanent

[identity]
required = true
[right_to_work]
required = true
[registration]
required = false
[employment_history]
required = true
reference_required = false
[dbs]
required = true
level = basic
workforce = other
[work_health]
required = false
[induction]
required = true
recognise_previous = true
[training]
information_governance = 1
fire_safety = 1
