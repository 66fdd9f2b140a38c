# Bank healthcare assistant: a member of an organisation's own staff bank, working shifts on
# adult wards. The bank's organisation is the employer and its checks stand for shifts there;
# joining another organisation's bank is a new employer unless the two share a collaborative
# bank.

format = lanyard-profile/1
id = bank-worker
version = 1
organisation = *
staff_group = additional_clinical_services
role = Bank Healthcare Assistant
employment_type = bank

[identity]
required = true

[right_to_work]
# Bank shifts are where a student visa's 20 hours a week in term time is breached across
# employers: the check and its restrictions matter here as much as for a permanent post.
required = true

[registration]
required = false
conditions_allowed = false

[employment_history]
required = true
reference_required = true

[dbs]
# As a healthcare support worker: personal care of adults, the adults' barred list.
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
# The same training as a healthcare support worker: bank shifts are the same work.
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
