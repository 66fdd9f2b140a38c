// Every journey of the web pages, end to end, as the people who use them: an HR officer at RGT
// invites a nurse and issues her DBS check (through the schema's form, errors first) and a file
// of credentials in bulk; the nurse signs up, sees her passport, and answers a share request from
// R1H, where she is moving (the cross-organisation move); R1H's medical staffing officer reads
// the readiness report, records an override and follows the changeover dashboard; the issuer
// suspends the credential; the nurse withdraws, reads her history and exports her passport; an
// administrator manages users, tokens, the signing key and role profiles. Every page is checked
// with axe and photographed; one journey is done by keyboard alone, and the staff member's pages
// are done again with JavaScript switched off.

import { readFileSync } from 'node:fs';

import {
  PASSWORD, check, checkNoExternalRequests, checkPage, newContext, newContextWithoutJavaScript,
  newPage, pressEnter, tabTo, totp, totpSecret,
} from '../lib.mjs';

const STEP_MS = 30_000;
const lastStep = new Map(); // email -> the TOTP step last used, which the service will not take twice

// A TOTP code of a step after the last one used for this person (waiting for it when needed).
async function freshCode(email, secret) {
  let step = Math.floor(Date.now() / STEP_MS);
  const last = lastStep.get(email) ?? -1;
  if (step <= last) {
    await new Promise((r) => setTimeout(r, (last + 1) * STEP_MS - Date.now() + 200));
    step = Math.floor(Date.now() / STEP_MS);
  }
  lastStep.set(email, step);
  return totp(secret, step * STEP_MS + 1000);
}

// Submits a form (or follows a link) and waits for the page it leads to.
async function submit(page, selector = 'main form button[type=submit]') {
  await Promise.all([
    page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }),
    page.locator(selector).first().click(),
  ]);
  await page.waitForLoadState('load');
}

// Signs an organisation user in through the pages, setting up their authenticator app the
// first time (the set-up key is read off the page, as a person would type it into an app).
async function signIn(page, t, user) {
  await page.goto(`${t.base}/sign-in`);
  await page.fill('#email', user.email);
  await page.fill('#password', t.password);
  await submit(page);
  if (page.url().includes('/sign-in/authenticator')) {
    const secret = (await page.textContent('#totp-secret')).trim();
    t.totpSecrets.set(user.email, secret);
    await page.fill('#code', await freshCode(user.email, secret));
    await submit(page);
  } else if (page.url().includes('/sign-in/code')) {
    await page.fill('#code', await freshCode(user.email, t.totpSecrets.get(user.email)));
    await submit(page);
  }
}

function text(page, selector) {
  return page.textContent(selector).then((s) => (s ?? '').trim());
}

export default async function journeys(t) {
  // A new issuer, who sets up an authenticator app at the first sign-in through the pages.
  const hrUser = { email: 'harriet.rowe@rgt.example', name: 'Harriet Rowe' };
  t.deployment.addUser({ org: 'RGT', email: hrUser.email, name: hrUser.name,
    roles: 'hr_issuer,oh_issuer,training_issuer' });
  const verifierUser = t.users['R1H.verifier'];
  const adminUser = t.users['RGT.org_admin'];
  const nurse = { email: 'sam.patel@nhs.example', name: 'Sam Patel' };

  const hr = await newContext(t.browser, t.origin);
  const staff = await newContext(t.browser, t.origin);
  const verifier = await newContext(t.browser, t.origin);
  const admin = await newContext(t.browser, t.origin);
  const noScript = await newContextWithoutJavaScript(t.browser, t.origin);
  try {
    // --- sign-in pages, the error state first ---
    const hrPage = await newPage(hr);
    await hrPage.goto(`${t.base}/sign-in`);
    await checkPage(hrPage, 'sign-in');
    await hrPage.fill('#email', hrUser.email);
    await hrPage.fill('#password', 'not the password');
    await submit(hrPage);
    check('a wrong password shows the error summary, naming no account',
      (await text(hrPage, '.nhsuk-error-summary')).includes('Enter a correct email address and password'));
    await checkPage(hrPage, 'sign-in with an error');
    await hrPage.fill('#email', hrUser.email);
    await hrPage.fill('#password', t.password);
    await submit(hrPage);
    check('an organisation user is asked to set up an authenticator app',
      hrPage.url().endsWith('/sign-in/authenticator'), hrPage.url());
    await checkPage(hrPage, 'authenticator set-up');
    const hrSecret = (await text(hrPage, '#totp-secret'));
    t.totpSecrets.set(hrUser.email, hrSecret);
    await hrPage.fill('#code', await freshCode(hrUser.email, hrSecret));
    await submit(hrPage);
    check('after the first code, the issuer starts at the issue page',
      new URL(hrPage.url()).pathname === '/issue', hrPage.url());
    await checkPage(hrPage, 'issue: choose a type');

    // --- HR invites the nurse; she signs up ---
    await hrPage.goto(`${t.base}/staff/invite`);
    await hrPage.fill('#display_name', nurse.name);
    await hrPage.fill('#email', nurse.email);
    await hrPage.fill('#staff_number', 'E1001');
    await submit(hrPage);
    const invitation = await text(hrPage, '#invitation-code');
    check('an invitation code is shown once', invitation.startsWith('lyi_'), invitation);
    await checkPage(hrPage, 'invitation created');

    const staffPage = await newPage(staff);
    await staffPage.goto(`${t.base}/`);
    await checkPage(staffPage, 'start page');
    await staffPage.goto(`${t.base}/sign-up`);
    await submit(staffPage);
    check('an empty sign-up form names each missing field',
      (await staffPage.locator('.nhsuk-error-summary__list li').count()) === 4);
    await checkPage(staffPage, 'sign-up with errors');
    await staffPage.fill('#invitation', invitation);
    await staffPage.fill('#display_name', nurse.name);
    await staffPage.fill('#email', nurse.email);
    await staffPage.fill('#password', t.password);
    await submit(staffPage);
    check('sign-up leads to my passport, empty', new URL(staffPage.url()).pathname === '/passport' &&
      (await text(staffPage, 'main')).includes('Your passport is empty'), staffPage.url());
    await checkPage(staffPage, 'my passport (empty)');

    // --- HR issues her DBS check through the schema's form ---
    await hrPage.goto(`${t.base}/issue/dbs`);
    await checkPage(hrPage, 'issue form: DBS');
    await hrPage.fill('#staff_email', nurse.email);
    await hrPage.fill('#certificateNumber', '12');
    await submit(hrPage);
    const summary = await text(hrPage, '.nhsuk-error-summary');
    check('the schema form names each field in error',
      summary.includes('Enter applicant first name') && summary.includes('Certificate number is not in the right format'),
      summary);
    check('a field in error shows its own message',
      (await text(hrPage, '#certificateNumber-error')).includes('not in the right format'));
    await checkPage(hrPage, 'issue form: DBS with errors');
    const fill = {
      '#applicantFirstName': 'Sam', '#applicantSurname': 'Patel', '#applicantDateOfBirth': '1990-02-03',
      '#certificateNumber': '001234567890', '#disclosureIssueDate': '2026-01-10',
      '#registeredBodyNumber': '20001234567', '#registeredBodyName': 'RGT NHS Trust',
    };
    for (const [selector, value] of Object.entries(fill)) await hrPage.fill(selector, value);
    await hrPage.check('#typeOfDbsCheck-4'); // Enhanced with barred list(s) check
    for (const id of ['adultsBarredListChecked', 'childrensBarredListChecked', 'updateServiceSubscribed']) {
      await hrPage.check(`#${id}`); // the first option: Yes
    }
    await hrPage.check('#informationDisclosed-2'); // No: a clear certificate
    await hrPage.check('#workforceType-3');
    await hrPage.check('#format');
    await submit(hrPage);
    check('the DBS credential is issued', (await text(hrPage, 'main')).includes('Credential issued'),
      await text(hrPage, 'main'));
    await checkPage(hrPage, 'issued credential');
    const credentialPath = new URL(hrPage.url()).pathname;

    // --- occupational health: a clearance with its immunisation records, a group of rows ---
    await hrPage.goto(`${t.base}/issue/occupational_health`);
    await hrPage.fill('#staff_email', nurse.email);
    await hrPage.check('#clearanceOutcome'); // cleared
    await hrPage.fill('#roleCategory', 'clinical_patient_contact');
    await hrPage.check('#eppCleared-2'); // No
    await hrPage.check('#patientContact'); // Yes
    await hrPage.fill('#assessmentDate', '2026-02-24');
    await hrPage.check('#immunisations-0-recordType'); // Vaccination
    await hrPage.fill('#immunisations-0-code', 'HEPB001');
    await hrPage.fill('#immunisations-0-description', 'Hepatitis B Vaccine');
    await hrPage.fill('#immunisations-0-date', '2019-10');
    await submit(hrPage, 'button[name="add_row"]');
    check('"Add another record" keeps what was entered and adds a row',
      (await hrPage.inputValue('#immunisations-0-code')) === 'HEPB001' &&
      (await hrPage.locator('#immunisations-1-code').count()) === 1);
    await hrPage.check('#immunisations-1-recordType-2'); // Clinical test
    await hrPage.fill('#immunisations-1-code', 'HEPB002');
    await hrPage.fill('#immunisations-1-description', 'Hepatitis B Surface Antibody Test');
    await hrPage.fill('#immunisations-1-date', '2020-01-15');
    await submit(hrPage, 'main form button[type=submit]:not([name])');
    check('a record in error is named at its own field',
      (await text(hrPage, '#immunisations-1-interpretation-error')).includes('Enter the interpretation of record 2'),
      await text(hrPage, '.nhsuk-error-summary'));
    await checkPage(hrPage, 'issue form: occupational health with a record in error');
    await hrPage.check('#immunisations-1-interpretation'); // Detected
    await hrPage.fill('#immunisations-1-result', '78 IU/mL');
    await submit(hrPage, 'main form button[type=submit]:not([name])');
    check('the clearance is issued', (await text(hrPage, 'main')).includes('Credential issued'),
      await text(hrPage, 'main'));

    await staffPage.goto(`${t.base}/passport`);
    check('my passport lists the DBS check as valid',
      (await text(staffPage, 'main table')).includes('DBS check outcome') &&
      (await text(staffPage, 'main table')).includes('Valid'));
    await checkPage(staffPage, 'my passport');
    await submit(staffPage, 'text=DBS check outcome');
    check('a credential shows what it says', (await text(staffPage, 'main')).includes('001234567890'));
    await checkPage(staffPage, 'a credential in my passport');
    await staffPage.goto(`${t.base}/passport`);
    await submit(staffPage, 'text=Occupational health clearance');
    check('the clearance carries both immunisation records',
      (await text(staffPage, 'main')).includes('HEPB001') && (await text(staffPage, 'main')).includes('78 IU/mL'),
      await text(staffPage, 'main'));

    // --- bulk upload: one good row and one bad ---
    await hrPage.goto(`${t.base}/bulk-upload`);
    await checkPage(hrPage, 'bulk upload');
    const csv = 'email,credential_type,organisation,completedDate,elements\n' +
      `${nurse.email},corporate_induction,RGT,2026-09-01,fire_safety;information_governance\n` +
      'nobody@nhs.example,corporate_induction,RGT,2026-09-01,fire_safety\n';
    await hrPage.setInputFiles('#file', { name: 'esr.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await submit(hrPage);
    check('an upload leads to its progress page', /\/bulk-upload\/[^/]+$/.test(new URL(hrPage.url()).pathname),
      hrPage.url());
    for (let i = 0; i < 40 && !(await text(hrPage, 'main')).includes('Upload finished'); i += 1) {
      await hrPage.waitForTimeout(250);
      await hrPage.reload();
    }
    check('the upload finishes with one issued and one row reported',
      (await text(hrPage, '#job-issued')) === '1' && (await text(hrPage, '#job-failed')) === '1',
      await text(hrPage, 'main'));
    const [download] = await Promise.all([
      hrPage.waitForEvent('download'), hrPage.click('text=Download the error report (CSV)')]);
    const report = readFileSync(await download.path(), 'utf8');
    check('the error report names the failing line', report.includes('3') && report.includes('unknown_email'), report);
    await checkPage(hrPage, 'bulk upload finished');

    // --- a large upload: its page follows the job live, then shows the result by itself ---
    // 10,000 rows for a second staff member (signed up through the API) keep the job running
    // for a few seconds, long after its page has loaded.
    const api = async (path, body, token) => {
      const r = await fetch(`${t.base}${path}`, {
        method: 'POST', body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      });
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.json();
    };
    const bank = { email: 'bank.worker@nhs.example', name: 'Bank Worker' };
    const { invitation: bankInvitation } = await api('/orgs/RGT/invitations', { email: bank.email, displayName: bank.name },
      t.tokens['RGT.hr_issuer']);
    await api('/auth/signup', { invitation: bankInvitation, email: bank.email, displayName: bank.name, password: t.password });
    let bigCsv = 'email,credential_type,organisation,completedDate,elements\n';
    for (let i = 0; i < 10_000; i += 1) bigCsv += `${bank.email},corporate_induction,RGT,2026-09-01,fire_safety\n`;
    await hrPage.goto(`${t.base}/bulk-upload`);
    await hrPage.setInputFiles('#file', { name: 'esr-large.csv', mimeType: 'text/csv', buffer: Buffer.from(bigCsv) });
    await submit(hrPage);
    check('a large upload opens on its live progress page', (await text(hrPage, 'h1')) === 'Upload in progress',
      await text(hrPage, 'main'));
    const progressSeen = new Set();
    const jobPage = hrPage.url();
    for (let i = 0; i < 600 && (await text(hrPage, 'h1').catch(() => '')) !== 'Upload finished'; i += 1) {
      const value = await hrPage.locator('#job-progress').getAttribute('value').catch(() => null);
      if (value !== null) progressSeen.add(value);
      await hrPage.waitForTimeout(100);
    }
    check('without being reloaded by hand, the page follows the job and then shows its result',
      hrPage.url() === jobPage && (await text(hrPage, '#job-issued')) === '10000', await text(hrPage, 'main'));
    check('the progress bar moved while the job ran', progressSeen.size >= 2, [...progressSeen].join(', '));

    // --- R1H asks for her passport (the cross-organisation move) ---
    const verifierPage = await newPage(verifier);
    await signIn(verifierPage, t, verifierUser);
    check('a verifier starts at the changeover dashboard', new URL(verifierPage.url()).pathname === '/requests');
    await verifierPage.goto(`${t.base}/requests/new`);
    await checkPage(verifierPage, 'new share request');
    await verifierPage.selectOption('#profile', 'registered-nurse');
    await verifierPage.check('#movement');
    await verifierPage.fill('#start_date', '2027-01-04');
    await verifierPage.fill('#from_ods', 'RGT');
    await submit(verifierPage);
    const link = await verifierPage.getAttribute('#share-link', 'href');
    check('the share request gives a link and a QR code',
      link.includes('/share?code=lyl_') && (await verifierPage.locator('svg.lanyard-qr path').count()) === 1, link);
    await checkPage(verifierPage, 'share request created');

    // She opens the link by keyboard alone, and consents.
    await staffPage.goto(link);
    await checkPage(staffPage, 'open a share request');
    await tabTo(staffPage, 'main button[type=submit]');
    await pressEnter(staffPage);
    check('opening the link shows exactly what would be disclosed',
      (await text(staffPage, 'h1')).includes('R1H NHS Trust asks to see your passport') &&
      (await text(staffPage, 'main')).includes('Certificate number'), await text(staffPage, 'main'));
    await checkPage(staffPage, 'share request: what would be disclosed');
    await tabTo(staffPage, '#confirm');
    await staffPage.keyboard.type(PASSWORD);
    await tabTo(staffPage, 'main form[action$="/consent"] button');
    await pressEnter(staffPage);
    check('after consent, the request is shared', (await text(staffPage, '#share-state')) === 'Shared');
    const reportLink = await staffPage.getAttribute('#report-link', 'href');
    check('she can show the report address as a link and QR code',
      reportLink.includes('/requests/') && (await staffPage.locator('svg.lanyard-qr').count()) === 1, reportLink);
    await checkPage(staffPage, 'share request: shared');

    // R1H reads the readiness report and records an override.
    await verifierPage.goto(reportLink);
    const rows = await verifierPage.locator('table.lanyard-report tbody tr').count();
    check('the readiness report has one row per check standard, induction and core-skills subject',
      rows === 18, `${rows} rows`);
    check('the DBS row carries its evidence',
      (await text(verifierPage, 'table.lanyard-report')).includes('verifiableCredential'));
    await checkPage(verifierPage, 'readiness report');
    await verifierPage.emulateMedia({ media: 'print' });
    const pdf = await verifierPage.pdf({ format: 'A4',
      path: `${process.env.E2E_ARTEFACTS || 'build/e2e-artefacts'}/readiness-report.pdf` });
    const pages = Number((pdf.toString('latin1').match(/\/Count (\d+)/) || [])[1]);
    check('the readiness report prints on one A4 page', pages === 1, `${pages} pages`);
    await verifierPage.emulateMedia({ media: 'screen' });
    await verifierPage.selectOption('#check', 'dbs');
    await verifierPage.check('#decision');
    await verifierPage.fill('#reason', 'Certificate seen again at interview: repeat to be safe');
    await submit(verifierPage, 'form[action$="/override"] button');
    check('the override is recorded with its reason',
      (await text(verifierPage, 'main')).includes('Certificate seen again at interview'));
    await verifierPage.goto(`${t.base}/requests`);
    check('the changeover dashboard lists her, not cleared, with what to repeat',
      (await text(verifierPage, 'main table')).includes(nurse.name) &&
      (await text(verifierPage, 'main table')).includes('Not cleared'), await text(verifierPage, 'main'));
    await checkPage(verifierPage, 'changeover dashboard');

    // --- the issuer suspends the DBS check ---
    await hrPage.goto(`${t.base}${credentialPath}`);
    await hrPage.check('#action');
    await hrPage.fill('#reason', 'Update Service shows a new certificate is needed');
    await submit(hrPage);
    check('the credential is suspended', (await text(hrPage, '#credential-state')) === 'Suspended');
    await checkPage(hrPage, 'credential suspended');
    await staffPage.goto(`${t.base}/passport`);
    check('her passport says so in plain English', (await text(staffPage, 'main table')).includes('Suspended'));

    // --- she withdraws, reads her history, exports ---
    await staffPage.goto(reportLink.replace('/requests/', '/passport/shares/'));
    await submit(staffPage, 'form[action$="/withdraw"] button');
    check('consent withdrawn', (await text(staffPage, '#share-state')) === 'You withdrew consent');
    await staffPage.goto(`${t.base}/passport/history`);
    check('the history shows sharing and withdrawal',
      (await text(staffPage, 'main')).includes('You shared your passport') &&
      (await text(staffPage, 'main')).includes('You withdrew your consent'));
    await checkPage(staffPage, 'passport history');
    await staffPage.goto(`${t.base}/passport/export`);
    await checkPage(staffPage, 'export');
    await staffPage.fill('#confirm', t.password);
    const [file] = await Promise.all([staffPage.waitForEvent('download'), staffPage.click('main form button')]);
    const exported = JSON.parse(readFileSync(await file.path(), 'utf8'));
    check('the export is a file of her credentials', file.suggestedFilename() === 'lanyard-passport.json' &&
      exported.credentials.length === 3, JSON.stringify(exported).slice(0, 300));
    await staffPage.goto(`${t.base}/account`);
    await checkPage(staffPage, 'account');
    await submit(staffPage, 'header button:has-text("Sign out")');
    check('signing out ends the session', (await text(staffPage, 'h1')) === 'You have signed out');
    await checkPage(staffPage, 'signed out');

    // --- the staff pages with JavaScript switched off ---
    const plain = await newPage(noScript);
    await plain.goto(`${t.base}/passport`);
    check('without JavaScript, a protected page sends her to sign in', plain.url().includes('/sign-in'));
    await plain.fill('#email', nurse.email);
    await plain.fill('#password', t.password);
    await submit(plain);
    check('without JavaScript she signs in and returns to her passport',
      new URL(plain.url()).pathname === '/passport', plain.url());
    await checkPage(plain, 'my passport without JavaScript');
    await plain.goto(`${t.base}/passport/shares`);
    await checkPage(plain, 'share requests without JavaScript');

    // --- the organisation administrator ---
    const adminPage = await newPage(admin);
    await signIn(adminPage, t, adminUser);
    await adminPage.goto(`${t.base}/organisation/users`);
    await adminPage.fill('#display_name', 'Olu Training');
    await adminPage.fill('#email', 'olu@rgt.example');
    await adminPage.fill('#password', 'a long temporary password');
    await adminPage.check('#roles-training_issuer');
    await submit(adminPage);
    check('an administrator adds a user with a role', (await text(adminPage, 'main table')).includes('olu@rgt.example'));
    await checkPage(adminPage, 'users');
    await adminPage.goto(`${t.base}/organisation/tokens`);
    await adminPage.fill('#label', 'ESR nightly upload');
    await adminPage.selectOption('#role', 'hr_issuer');
    await submit(adminPage, 'form[action="/organisation/tokens"] button');
    check('a new API token is shown once', (await text(adminPage, '#new-token')).startsWith('lyt_'));
    await checkPage(adminPage, 'API tokens');
    await adminPage.goto(`${t.base}/organisation/profiles`);
    await adminPage.setInputFiles('#file', { name: 'nurse.profile', mimeType: 'text/plain',
      buffer: readFileSync(new URL('../../../profiles/registered-nurse.profile', import.meta.url)) });
    await submit(adminPage);
    check('a role profile file is checked and previewed', (await text(adminPage, '#profile-preview')).includes('The profile is valid'));
    check('the preview says what it would change for people already shared with',
      (await text(adminPage, '#profile-effect-summary')).length > 0);
    await checkPage(adminPage, 'role profiles: a checked file');
    await submit(adminPage, 'form[action="/organisation/profiles"] button');
    check('a checked profile is stored as the organisation\'s own',
      (await text(adminPage, 'main')).includes('is stored. New share requests for this role use it') &&
      (await text(adminPage, 'main')).includes('Your organisation\'s, version'), await text(adminPage, 'main'));
    await checkPage(adminPage, 'role profiles');
    await adminPage.goto(`${t.base}/organisation/keys`);
    await adminPage.fill('#reason', 'annual rotation');
    await adminPage.fill('#confirm', await freshCode(adminUser.email, t.totpSecrets.get(adminUser.email)));
    await submit(adminPage);
    check('the signing key is rotated after a fresh code, the old one retired',
      (await text(adminPage, 'main table')).includes('Retired'), await text(adminPage, 'main'));
    await checkPage(adminPage, 'signing keys');

    // --- research: the published movement report ---
    await adminPage.goto(`${t.base}/research`);
    await checkPage(adminPage, 'research');
    await submit(adminPage, 'a[href="/research/report"]');
    check('the movement report shows its flow diagram and tables',
      (await adminPage.locator('svg[aria-label="Organisation changes between regions"]').count()) === 1 &&
      (await adminPage.locator('main table').count()) >= 10, await text(adminPage, 'h1'));
    const reportCounts = await adminPage.locator('main td.n').allTextContents();
    check('the report shows hidden counts as <5, never a count below 5',
      reportCounts.includes('<5') && !reportCounts.some((c) => /^[1-4]$/.test(c.trim())),
      `${reportCounts.length} cells`);
    await checkPage(adminPage, 'movement report');
    const [tableFile] = await Promise.all([adminPage.waitForEvent('download'),
      adminPage.click('a[href="/research/tables/corridors_org.csv"]')]);
    const tableCsv = readFileSync(await tableFile.path(), 'utf8');
    check('each table downloads as its CSV file', tableFile.suggestedFilename() === 'corridors_org.csv' &&
      tableCsv.startsWith('from_ods,to_ods,'), tableCsv.slice(0, 80));

    // --- the error pages ---
    await adminPage.goto(`${t.base}/requests`);
    check('a page outside one\'s roles is refused clearly', (await text(adminPage, 'h1')) === 'You cannot do this');
    await checkPage(adminPage, 'error: not allowed');
    const missing = await hrPage.goto(`${t.base}/issued/urn:uuid:00000000-0000-7000-8000-000000000000`);
    check('an unknown credential is a 404 page', missing.status() === 404 && (await text(hrPage, 'h1')) === 'Page not found',
      `${missing.status()} ${await text(hrPage, 'h1')}`);
    await checkPage(hrPage, 'error: not found');

    for (const [context, name] of [[hr, 'issuer'], [staff, 'staff'], [verifier, 'verifier'], [admin, 'administrator'],
      [noScript, 'without JavaScript']]) {
      checkNoExternalRequests(context, `journeys (${name}): no request left the origin`);
    }
  } finally {
    for (const c of [hr, staff, verifier, admin, noScript]) await c.close();
  }
}
