// Shared pieces of Lanyard's browser tests: a deployment made with the `lanyard` command and a
// `lanyard serve` process on a free loopback port, Debian's Chromium driven by playwright-core
// (no browser is ever downloaded), one "ok NAME" / "FAIL NAME" line per check, and the checks
// every page gets (axe, page weight, screenshot, no request leaving the origin, keyboard).

import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

export const PASSWORD = 'correct horse battery staple';
export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
export const PAGE_BUDGET_BYTES = 300 * 1024;
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// ---------------------------------------------------------------------------------------------
// Results

const results = { passed: 0, failed: 0 };

export function check(name, condition, detail = '') {
  if (condition) {
    results.passed += 1;
    console.log(`ok ${name}`);
  } else {
    results.failed += 1;
    console.log(`FAIL ${name}`);
    const text = typeof detail === 'string' ? detail : JSON.stringify(detail, null, 1);
    for (const line of String(text ?? '').slice(0, 3000).split('\n')) {
      if (line) console.log(`     | ${line}`);
    }
  }
  return Boolean(condition);
}

export function counts() {
  return { ...results };
}

// ---------------------------------------------------------------------------------------------
// The deployment and its server

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// One deployment directory and its `lanyard serve` process, as tests/http/harness.py has it:
// the administration commands run against the database directly; the server is started on
// 127.0.0.1:PORT with base URL http://127.0.0.1:PORT.
export class Deployment {
  constructor(lanyard, workdir, port) {
    this.lanyard = lanyard;
    this.workdir = workdir;
    this.db = join(workdir, 'lanyard.db');
    this.port = port;
    this.base = `http://127.0.0.1:${port}`;
    this.log = join(workdir, 'server.log');
    this.proc = null;
  }

  // Runs `lanyard ARGS... --db DB --base-url BASE`; the password, if any, on standard input.
  admin(args, { password } = {}) {
    const r = spawnSync(this.lanyard, [...args, '--db', this.db, '--base-url', this.base], {
      input: password ? `${password}\n` : '',
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
  }

  // Like admin(), failing the run when the command fails.
  must(args, options) {
    const r = this.admin(args, options);
    if (r.status !== 0) {
      throw new Error(`lanyard ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
    }
    return r.stdout.trim();
  }

  bootstrap(email, name, password = PASSWORD) {
    return this.must(['admin', 'bootstrap', '--email', email, '--name', name], { password });
  }

  addOrg(ods, name, kinds = 'trust') {
    return this.must(['admin', 'org', 'add', '--ods', ods, '--name', name, '--kinds', kinds]);
  }

  // An organisation user (they enrol an authenticator app at their first sign-in).
  addUser({ org, email, name, roles, password = PASSWORD }) {
    return this.must(['admin', 'user', 'add', '--org', org, '--email', email, '--name', name,
      '--roles', roles], { password });
  }

  createToken(org, role) {
    return this.must(['admin', 'token', 'create', '--org', org, '--role', role]);
  }

  async start(...extra) {
    const out = createWriteStream(this.log, { flags: 'a' });
    await new Promise((resolve) => out.on('open', resolve));
    this.proc = spawn(this.lanyard, ['serve', '--db', this.db, '--base-url', this.base,
      '--listen', `127.0.0.1:${this.port}`, ...extra], { stdio: ['ignore', out, out] });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve(code ?? signal)));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) break;
      try {
        const r = await fetch(`${this.base}/healthz`);
        if (r.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`the server did not start (see ${this.log}):\n${this.logTail()}`);
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }

  // For process exit handlers: no waiting.
  killNow() {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGKILL');
    }
  }

  logTail(bytes = 3000) {
    try {
      return readFileSync(this.log, 'utf8').slice(-bytes);
    } catch {
      return '';
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The browser

// Debian's Chromium with a fresh profile each launch (playwright's temporary one).
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60_000,
  });
}

const watched = new WeakMap(); // context -> { origin, outside: [] }

// A browser context whose every request is watched: any request to another origin is recorded
// (for checkNoExternalRequests) and aborted, so nothing leaves this machine either way.
export async function newContext(browser, origin, options = {}) {
  const context = await browser.newContext({ locale: 'en-GB', ...options });
  context.setDefaultTimeout(15_000);
  const state = { origin, outside: [], javaScriptEnabled: options.javaScriptEnabled !== false };
  watched.set(context, state);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (sameOrigin(url, origin)) return route.continue();
    state.outside.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => {
    const url = request.url();
    if (!sameOrigin(url, origin) && !state.outside.includes(url)) state.outside.push(url);
  });
  return context;
}

// The same, with JavaScript disabled: what a page is without its scripts.
export function newContextWithoutJavaScript(browser, origin, options = {}) {
  return newContext(browser, origin, { ...options, javaScriptEnabled: false });
}

function sameOrigin(url, origin) {
  if (url.startsWith('data:') || url.startsWith('about:') || url.startsWith('blob:')) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

export function checkNoExternalRequests(context, name = 'no request left the origin') {
  const state = watched.get(context);
  if (!state) throw new Error('checkNoExternalRequests: make the context with newContext()');
  return check(name, state.outside.length === 0, state.outside.join('\n'));
}

// A page that counts the bytes it transferred (Chrome's encodedDataLength: headers and the body
// as sent, compressed or not) from its last top-level navigation, with the browser cache off so
// every page is weighed as on a first visit. Also records the page's script errors.
export async function newPage(context) {
  const page = await context.newPage();
  const meter = { bytes: 0, inflight: new Set(), errors: [] };
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const { frameTree } = await cdp.send('Page.getFrameTree');
  cdp.on('Network.requestWillBeSent', (e) => {
    // A new top-level document starts a new count.
    if (e.type === 'Document' && e.frameId === frameTree.frame.id && e.loaderId === e.requestId) {
      meter.bytes = 0;
    }
    meter.inflight.add(e.requestId);
  });
  cdp.on('Network.loadingFinished', (e) => {
    meter.bytes += e.encodedDataLength;
    meter.inflight.delete(e.requestId);
  });
  cdp.on('Network.loadingFailed', (e) => meter.inflight.delete(e.requestId));
  page.on('pageerror', (error) => meter.errors.push(String(error)));
  meters.set(page, meter);
  return page;
}

const meters = new WeakMap();

// Bytes the page's current document and everything it loaded have transferred so far.
export async function transferredBytes(page) {
  const meter = meters.get(page);
  if (!meter) throw new Error('transferredBytes: make the page with newPage()');
  const deadline = Date.now() + 5_000;
  await page.waitForLoadState('load');
  while (meter.inflight.size > 0 && Date.now() < deadline) await sleep(50);
  return meter.bytes;
}

export function pageErrors(page) {
  return meters.get(page)?.errors ?? [];
}

// ---------------------------------------------------------------------------------------------
// The checks every page gets

export function artefactsDir() {
  const dir = process.env.E2E_ARTEFACTS ||
    join(new URL('../..', import.meta.url).pathname, 'build', 'e2e-artefacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function fileName(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'page';
}

// axe (WCAG 2.0/2.1/2.2 A and AA), a full-page screenshot into the artefacts folder, the page's
// weight (at most 300 KB transferred), and every control reached by the Tab key. Returns the
// axe violations.
export async function checkPage(page, name) {
  const bytes = await transferredBytes(page);
  const shot = join(artefactsDir(), `${fileName(name)}.png`);
  await page.screenshot({ path: shot, fullPage: true });

  const axeViolations = await runAxe(page);
  const violations = axeViolations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `   ${n.target.join(' ')}`).join('\n')}`);
  check(`${name}: no accessibility violations (axe, WCAG 2.2 AA)`, violations.length === 0,
    violations.join('\n'));
  check(`${name}: weighs ${Math.round(bytes / 1024)} KB, within 300 KB`, bytes > 0 && bytes <= PAGE_BUDGET_BYTES,
    `${bytes} bytes`);
  const errors = pageErrors(page);
  check(`${name}: no script errors`, errors.length === 0, errors.join('\n'));
  await checkKeyboardReach(page, name);
  return axeViolations;
}

// Every control on the page (links, buttons, fields, summaries; a radio group counts once) takes
// the focus from the Tab key, so nothing can be reached only with a pointer. Tab is pressed
// twice as many times as there are controls, so the cycle is complete from wherever the focus
// starts; the focus is recorded by a listener, and the page is not changed. Pages without
// JavaScript have the same markup, checked with it on.
async function checkKeyboardReach(page, name) {
  const state = watched.get(page.context());
  if (state && !state.javaScriptEnabled) return;
  const controls = await page.evaluate(() => {
    window.lanyardFocused = new Set();
    document.addEventListener('focusin', (event) => window.lanyardFocused.add(event.target), true);
    return document.querySelectorAll('a[href], button, input, select, textarea, summary').length;
  });
  for (let i = 0; i < 2 * controls + 4; i += 1) await page.keyboard.press('Tab');
  const missed = await page.evaluate(() => {
    const focused = window.lanyardFocused;
    const groups = new Map(); // radio group name -> reached
    const out = [];
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
      if (el.disabled || el.type === 'hidden' || !el.checkVisibility()) continue;
      if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
      if (el.type === 'radio') {
        groups.set(el.name, (groups.get(el.name) ?? false) || focused.has(el));
        continue;
      }
      if (!focused.has(el)) {
        const label = (el.getAttribute('aria-label') || el.innerText || el.name || el.id || '').trim();
        out.push(`${el.tagName.toLowerCase()} "${label.slice(0, 40)}"`);
      }
    }
    for (const [group, reached] of groups) if (!reached) out.push(`radios "${group}"`);
    return out;
  });
  check(`${name}: every control is reached with the Tab key`, missed.length === 0, missed.join(', '));
}

// axe on the page as it is. Without JavaScript, timers never fire in the page and axe cannot
// finish there, so the same document (its DOM as the browser parsed it, served at the same URL)
// is checked in a context with JavaScript on where no script may load: the same markup and
// styles, untouched by any script of the page.
async function runAxe(page) {
  const state = watched.get(page.context());
  if (!state || state.javaScriptEnabled) {
    return (await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze()).violations;
  }
  const url = page.url();
  const html = await page.content();
  const helper = await page.context().browser().newContext({
    locale: 'en-GB', viewport: page.viewportSize() ?? undefined,
  });
  try {
    await helper.route('**/*', (route) => {
      const request = route.request();
      if (request.isNavigationRequest() && request.url() === url) {
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      }
      if (request.resourceType() === 'script' || !sameOrigin(request.url(), state.origin)) {
        return route.abort('blockedbyclient');
      }
      return route.continue();
    });
    const copy = await helper.newPage();
    await copy.goto(url);
    return (await new AxeBuilder({ page: copy }).withTags(AXE_TAGS).analyze()).violations;
  } finally {
    await helper.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The keyboard

// Presses Tab until the focused element matches: a CSS selector, or else (a string that is not
// a selector, or { text }) an element whose visible text, label or value contains the text.
// At most `max` presses; throws when the element is not reached. Returns the presses taken.
export async function tabTo(page, target, { max = 50 } = {}) {
  const want = typeof target === 'string' ? { selector: target, text: target } : target;
  const seen = [];
  for (let presses = 1; presses <= max; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(({ selector, text }) => {
      const el = document.activeElement;
      if (!el || el === document.body) return { match: false, label: '(body)' };
      let bySelector = false;
      if (selector) {
        try {
          bySelector = el.matches(selector);
        } catch {
          bySelector = false; // not a selector: the text decides
        }
      }
      const label = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim()
        .replace(/\s+/g, ' ');
      const byText = Boolean(text) && label.toLowerCase().includes(text.toLowerCase());
      return { match: bySelector || byText, label: `${el.tagName.toLowerCase()} "${label.slice(0, 40)}"` };
    }, want);
    seen.push(focused.label);
    if (focused.match) return presses;
  }
  throw new Error(`tabTo: ${JSON.stringify(target)} not reached in ${max} presses; focus went ` +
    `through: ${seen.join(', ')}`);
}

// Presses Enter on the focused control. By default waits for the navigation it starts (a link,
// a form's submission, a fragment) and for the new page to load; { navigates: false } for a
// control that changes the page in place.
export async function pressEnter(page, { navigates = true, timeout = 15_000 } = {}) {
  if (!navigates) {
    await page.keyboard.press('Enter');
    return;
  }
  await Promise.all([
    page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout }),
    page.keyboard.press('Enter'),
  ]);
  await page.waitForLoadState('load');
}

// ---------------------------------------------------------------------------------------------
// TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps) for organisation users, who enrol an
// authenticator app at their first sign-in.

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`base32: unexpected ${JSON.stringify(ch)}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// The secret of an otpauth://totp/... URI, or the base32 secret itself.
export function totpSecret(uriOrSecret) {
  if (!uriOrSecret.startsWith('otpauth://')) return uriOrSecret;
  const secret = new URL(uriOrSecret).searchParams.get('secret');
  if (!secret) throw new Error('the otpauth URI has no secret');
  return secret;
}

export function totp(uriOrSecret, at = Date.now(), { step = 30, digits = 6 } = {}) {
  const key = base32Decode(totpSecret(uriOrSecret));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / step)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, '0');
}

// ---------------------------------------------------------------------------------------------
// Signing in without the sign-in pages (for journeys that start past them): the JSON API
// called from inside the page, so the browser itself receives and keeps the session cookie.
// Enrols an authenticator app when the account has none yet. Returns { csrf, secret, me }.

export async function signInThroughApi(page, email, password = PASSWORD, secrets = new Map()) {
  const call = (method, path, body, csrf) => page.evaluate(async ({ method, path, body, csrf }) => {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (csrf) headers['X-CSRF-Token'] = csrf;
    const r = await fetch(path, { method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { json = text; }
    return { status: r.status, json };
  }, { method, path, body, csrf });

  const login = await call('POST', '/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`sign-in of ${email}: ${login.status} ${JSON.stringify(login.json)}`);
  const csrf = login.json.csrfToken;
  let secret = secrets.get(email);
  if (login.json.totpEnrolmentRequired) {
    const enrol = await call('POST', '/me/totp/enrol', {}, csrf);
    if (enrol.status !== 200) throw new Error(`TOTP enrolment of ${email}: ${enrol.status} ${JSON.stringify(enrol.json)}`);
    secret = totpSecret(enrol.json.otpauthUri);
    secrets.set(email, secret);
    const confirm = await call('POST', '/me/totp/confirm', { code: totp(secret) }, csrf);
    if (confirm.status !== 200) throw new Error(`TOTP confirmation of ${email}: ${confirm.status} ${JSON.stringify(confirm.json)}`);
  } else if (login.json.secondFactorRequired) {
    if (!secret) throw new Error(`${email} needs a TOTP code and no secret is known`);
    // The code of the next step: the current one may have been spent at enrolment.
    const done = await call('POST', '/auth/totp', { code: totp(secret, Date.now() + 30_000) }, csrf);
    if (done.status !== 200) throw new Error(`TOTP sign-in of ${email}: ${done.status} ${JSON.stringify(done.json)}`);
  }
  const me = await call('GET', '/me');
  return { csrf, secret, me };
}
