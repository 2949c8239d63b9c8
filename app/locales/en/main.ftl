## General
app-name = Fuhua
app-subtitle = Incubation carrier platform
nav-main = Main navigation
nav-overview = Overview
nav-carriers = Carrier registry
switch-language = 中文
switch-language-label = Change language
skip-to-content = Skip to content
footer-text = Fuhua · the platform for technology business incubation carriers
loading = Loading…
not-available = —

## Overview
overview-title = Incubation carriers at a glance
overview-lead = How the city's registered carriers (archived ones excluded) are distributed.
overview-total = Registered carriers
overview-by-kind = By kind
overview-by-level = By accreditation level
overview-by-model = By operating model
overview-by-district = By district
overview-district = District
overview-count = Carriers
overview-see-registry = Open the carrier registry

## Carrier registry
carriers-title = Carrier registry
carriers-new = Register a carrier
carriers-filters = Filters
carriers-search = Search
carriers-search-hint = Name, operating organisation or address
carriers-any = All
carriers-include-archived = Include archived
carriers-sort = Sort by
carriers-sort-name = Name
carriers-sort-opened = Opening date
carriers-sort-level = Accreditation level
carriers-sort-district = District
carriers-sort-updated = Last updated
carriers-direction = Order
carriers-ascending = Ascending
carriers-descending = Descending
carriers-apply = Apply
carriers-reset = Clear filters
carriers-found = { $count ->
    [one] 1 carrier
   *[other] { $count } carriers
}
carriers-empty = No carrier matches these filters.
carriers-archived-badge = Archived
carriers-page = Page { $page } of { $pages }
carriers-previous = Previous
carriers-next = Next
carriers-pagination = Pagination

## Carrier fields
field-name = Name
field-kind = Kind
field-level = Accreditation level
field-level-year = Year accredited
field-level-year-hint = The year the level was granted; leave empty if not accredited.
field-district = District
field-operator-org = Operating organisation
field-model = Operating model
field-address = Address
field-opened-on = Opening date
field-industries = Focus industries
field-industries-hint = Tick all that apply.
field-contact-name = Contact person
field-contact-phone = Contact phone
field-contact-phone-hint = A mobile number, or a landline with its area code (e.g. 0539-8123456).
field-contact-email = Email
field-optional = (optional)
field-created-at = Registered
field-updated-at = Last updated
field-choose = Choose…
accreditation-granted = { $level } (accredited { $year })

## Carrier page and form
carrier-edit = Edit
carrier-archive = Archive
carrier-restore = Restore
carrier-archived-note = This carrier is archived and left out of the city's figures. Archiving deletes nothing; it can be restored at any time.
carrier-back = Back to the registry
carrier-new-title = Register a carrier
carrier-edit-title = Edit carrier
carrier-save = Save
carrier-saving = Saving…
carrier-cancel = Cancel
carrier-form-errors = { $count ->
    [one] There is 1 problem with the form. Please correct it and save again.
   *[other] There are { $count } problems with the form. Please correct them and save again.
}
carrier-section-basic = Registration
carrier-section-operation = Operation
carrier-section-contact = Contact

## Carrier kinds
kind-incubator = Technology business incubator
kind-maker-space = Maker space
kind-accelerator = Accelerator
kind-university-science-park = University science park

## Accreditation levels
level-national = National
level-provincial = Provincial
level-municipal = Municipal
level-none = Not accredited

## Operating models
model-landlord = Landlord
model-landlord-shareholder = Landlord plus shareholder

## Focus industries
industry-new-generation-it = New-generation IT
industry-high-end-equipment = High-end equipment
industry-new-materials = New materials
industry-biomedicine = Biomedicine
industry-new-energy = New energy
industry-new-energy-vehicles = New-energy vehicles
industry-energy-saving-environmental = Energy saving and environmental protection
industry-digital-creative = Digital creative
industry-modern-agriculture = Modern agriculture
industry-modern-services = Modern services
industry-other = Other

## District kinds
district-kind-district = District
district-kind-county = County
district-kind-zone = Development zone

## Input problems
problem-required = This field is required.
problem-too-short = Enter at least { $min } characters.
problem-too-long = Enter at most { $max } characters.
problem-not-a-choice = Choose one of the options.
problem-not-a-number = Enter a whole number.
problem-year-out-of-range = Enter a year from { $min } to { $max }.
problem-year-before-opening = The accreditation year cannot be before the opening year.
problem-year-without-level = Leave the year empty for a carrier that is not accredited.
problem-not-a-date = Enter a real date as YYYY-MM-DD.
problem-date-in-future = The date cannot be later than today.
problem-date-too-early = The date cannot be earlier than { $min }.
problem-invalid-phone = Enter a mobile number, or a landline number with its area code.
problem-invalid-email = Enter a valid email address.
problem-none-chosen = Choose at least one.
problem-unknown-district = That district does not exist; choose another.
problem-name-taken = A carrier with this name is already registered.

## Errors
error-title = Something went wrong
error-not-found-title = Page not found
error-not-found = What you are looking for does not exist, or the link is wrong.
error-invalid = The submission has problems; please correct them.
error-stale = Someone else changed this record. Reload the page to see their change before editing, so that it is not overwritten.
error-bad-request = The request could not be understood. Please check it and try again.
error-internal = Something went wrong on our side; it has been logged (reference { $reference }). Please try again later.
error-unreachable = The server cannot be reached. Check the connection and try again.
error-home = Back to the overview

## Accounts and sign-in
nav-login = Sign in
nav-register = Register a startup
nav-logout = Sign out
nav-my-carriers = My carriers
nav-accounts = Accounts
nav-audit = Audit trail
overview-title-operator = The carriers I operate
overview-lead-operator = The carriers you operate (archived ones excluded).
login-title = Sign in
login-submit = Sign in
login-forgot = Forgot your password? Ask the platform administrator for a reset link.
login-new-startup = A startup without an account?
field-email = Email
field-password = Password
field-new-password = New password
field-confirm-password = New password again
field-current-password = Current password
field-display-name = Name
field-startup-name = Company name
field-role = Role
field-carrier = Carrier
password-policy = At least 12 characters; Chinese, letters, digits and spaces all count. Avoid common passwords and your own name or email.
register-title = Register a startup
register-lead = With a company account you can apply for space in a carrier and follow your lease and cap table.
register-submit = Register
invite-title = Accept the invitation
invite-lead = { $email } is invited to join { $place } as { $role }.
invite-existing = This email already has an account. Enter its password to confirm; the new role is added to it.
invite-submit = Accept
reset-title = Set a new password
reset-lead = Set a new password for { $email }. Every other sign-in of this account ends.
reset-submit = Save the new password
account-title = My account
account-roles = Roles
account-change-password = Change password
account-password-changed = Your password has been changed. Your sign-ins on other devices have ended.
accounts-title = Accounts
accounts-list = All accounts
accounts-invite = Invite staff
accounts-invite-hint = Creates a one-time invitation link, valid for 7 days. Pass it on through a safe channel.
accounts-create-invitation = Create invitation link
accounts-no-carrier = Not applicable (bureau or admin)
accounts-link = One-time link
accounts-link-once = This link is shown only once and is valid until { $expires }:
accounts-status = Status
accounts-actions = Actions
accounts-active = Active
accounts-pending = Password not set yet
accounts-deactivated = Deactivated
accounts-reset-link = Create password-reset link
accounts-deactivate = Deactivate
accounts-activate = Activate
role-admin = Platform administrator
role-bureau = Science and technology bureau
role-operator = Carrier operator
role-startup = Startup
audit-title = Audit trail
audit-found = { $count ->
    [one] 1 entry
   *[other] { $count } entries
}
audit-entity = Record type
audit-entity-carrier = Carrier
audit-entity-user = Account
audit-entity-startup = Startup
audit-entity-invitation = Invitation
audit-entity-membership = Role
audit-actor = By
audit-from = From
audit-to = To
audit-at = When
audit-action = Action
audit-change = Change
audit-show-values = Show values
audit-before = Before
audit-after = After
audit-carrier-link = carrier
startup-registered = Registered
startup-members = Members
error-forbidden-title = Access denied
error-unauthenticated = Please sign in first.
error-forbidden = You are not allowed to see or do this.
error-invalid-credentials = The email or the password is not right.
error-too-many-attempts = Too many failed sign-ins. Try again in { $minutes } minutes.
error-link-expired = This link is invalid, used or expired. Ask whoever sent it for a new one.
error-cross-site = This request came from another site and was refused.
problem-password-common = This password is too common and easy to guess; choose another.
problem-password-personal = The password must not contain your name or email.
problem-password-mismatch = The two passwords differ.
problem-email-taken = This email is already registered.
problem-password-wrong = The password is not right.

## Spaces and area
carrier-spaces = Spaces and area
spaces-title = Spaces and area
spaces-on-day = As on
spaces-show = Show
spaces-export-csv = Export CSV
spaces-export-xlsx = Export Excel
spaces-import = Import units
spaces-total-gross = Gross area in service
spaces-total-usable = Usable area in service
spaces-units-desks = Units / desks
spaces-tenant-share = Share used by tenants (public services included)
spaces-share-meets = Meets the 75 % national accreditation asks for
spaces-share-below = Below the 75 % national accreditation asks for
spaces-category = Use
spaces-gross = Gross area
spaces-usable = Usable area
spaces-out-of-service = Out of service (not counted)
spaces-chart-title = Gross area in service (month end)
spaces-month = Month
spaces-places = Sites, buildings and floors
spaces-no-sites = No site registered yet.
spaces-floor-summary = { $units ->
    [one] 1 unit
   *[other] { $units } units
}, { $area }
spaces-new-floor = New floor
spaces-new-building = New building
spaces-new-site = New site
spaces-site-name = Site name
spaces-add = Add
spaces-history = Changes
spaces-no-history = No change yet.
spaces-effective = Effective date
spaces-unit = Unit
spaces-change = Change
spaces-reason = Reason
spaces-floor-title = Floor
spaces-floor-totals = { $units } units in service, { $area } gross, { $desks } desks
spaces-legend = Legend
spaces-no-units = No unit on this floor yet.
spaces-desks = { $desks ->
    [one] 1 desk
   *[other] { $desks } desks
}
spaces-change-unit = Change
spaces-kind = Unit kind
spaces-gross-m2 = Gross area (m²)
spaces-usable-m2 = Usable area (m²)
spaces-desk-capacity = Desks
spaces-list-rent = List rent (yuan a month)
spaces-rent-basis = Rent per
spaces-new-unit = New unit
spaces-unit-code = Unit code
spaces-reason-new = New unit
spaces-add-unit = Add unit
spaces-change-title = Change unit
spaces-unit-now = Now: { $kind }, { $area }, { $status }
spaces-change-saved = The change is saved and counts in the area figures from its effective date.
spaces-new-values = The unit after the change
spaces-new-values-hint = Used for "change area, use or rent" only; other changes keep the current values.
spaces-import-title = Import units
spaces-import-lead = Upload a CSV or Excel (.xlsx) file whose first row names the columns below. If any row is wrong, nothing of the file is imported and every problem is listed by row and column. Existing units are updated from the file; units with the same data are left alone.
spaces-import-error-type = Upload a .csv or .xlsx file.
spaces-import-error-size = The file is too large (5 MB at most).
spaces-import-error-read = The file cannot be read; check its format.
spaces-import-file = File
spaces-import-submit = Import
spaces-import-columns = Columns
spaces-import-report = Import result
spaces-import-failed = The file has { $rows } rows and { $count } problems; nothing was imported. Correct them and import again.
spaces-import-row = Row
spaces-import-column = Column
spaces-import-message = Problem
spaces-import-again = Import again
spaces-import-done = Imported: { $added } units added, { $changed } updated, { $unchanged } unchanged.
unit-kind-private-office = Private office
unit-kind-open-workstations = Open workstation area
unit-kind-lab-workshop = Lab or workshop
unit-kind-meeting-room = Meeting room
unit-kind-public-service = Public-service area
unit-kind-operator-office = Operator office
unit-kind-other = Other
use-tenant = Tenant use
use-public-service = Public service
use-operator = Operator
use-other = Other
rent-per-m2 = yuan per m² per month
rent-per-desk = yuan per desk per month
status-vacant = Vacant
status-leased = Leased
status-reserved = Reserved
status-out-of-service = Out of service
change-added = Added
change-resized = Resized
change-recategorised = Re-categorised
change-edited = Edited
change-out-of-service = Out of service
change-back-in-service = Back in service
change-removed = Removed
action-update = Change area, use or rent
action-out-of-service = Take out of service
action-back-in-service = Bring back into service
action-remove = Remove the unit
column-site = Site name
column-building = Building name
column-floor = Floor (e.g. 3F, B1)
column-unit = Unit code
column-kind = Kind code: private_office, open_workstations, lab_workshop, meeting_room, public_service, operator_office, other
column-gross = Gross area, m², at most two decimals
column-usable = Usable area, m², no more than the gross area
column-use = Use code: tenant, public_service, operator, other
column-desks = Desks (required for open workstation areas)
column-rent = List rent, yuan a month; may be empty
column-basis = Rent per: per_m2 or per_desk
column-status = in_service (the default) or out_of_service
problem-invalid-code = Use letters, digits, Chinese characters and - _ . only.
problem-not-positive = Must be more than zero.
problem-too-many-decimals = At most two decimals.
problem-too-large = The value is too large.
problem-usable-exceeds-gross = The usable area cannot exceed the gross area.
problem-per-desk-without-desks = A rent per desk needs the number of desks.
problem-code-taken = This code or name is already in use.
problem-date-before-unit = The date is before the unit existed.
problem-unit-removed = The unit has been removed and changes no more.
problem-no-change = The change would leave everything as it was.
problem-unexpected-column = This column should be { $expected }.
