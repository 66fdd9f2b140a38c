#!/usr/bin/env node
// Lanyard's browser tests: the web pages in a real browser (Debian's Chromium, driven by
// playwright-core), against a real `lanyard serve` on a fresh deployment.
//
// usage: node tests/e2e/run.mjs LANYARD_BINARY WEB_ROOT [SUITE...]
//
// Makes a deployment in a temporary folder with the `lanyard` administration commands (as
// tests/http/harness.py does), serves it on a free loopback port with WEB_ROOT (web/dist, made
// by scripts/build-web) as its assets, then runs each suite: the files named in SUITES below,
// then every tests/e2e/journeys/*.mjs in name order (SUITE... picks some by name). A suite
// exports `default async function (t)`; t holds the browser, the deployment and its users.
//
// Prints one "ok NAME" / "FAIL NAME" line per check, screenshots into E2E_ARTEFACTS (default
// build/e2e-artefacts/), and exits 1 when any check failed. The server is stopped at the end,
// on failure too. E2E_KEEP=1 keeps the deployment folder.

import { accessSync, constants, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  CHROMIUM, Deployment, PASSWORD, artefactsDir, check, counts, freePort, launchBrowser,
} from './lib.mjs';

const SUITES = ['public_pages.mjs', 'session.mjs'];
const SUITE_TIMEOUT_MS = 180_000;

const here = new URL('.', import.meta.url).pathname;

function usage(message) {
  console.error(`run.mjs: ${message}\nusage: node tests/e2e/run.mjs LANYARD_BINARY WEB_ROOT [SUITE...]`);
  process.exit(2);
}

function suiteFiles(only) {
  const files = SUITES.map((f) => join(here, f));
  const journeys = join(here, 'journeys');
  if (existsSync(journeys)) {
    for (const f of readdirSync(journeys).filter((n) => n.endsWith('.mjs')).sort()) {
      files.push(join(journeys, f));
    }
  }
  if (!only.length) return files;
  const picked = files.filter((f) => only.includes(basename(f, '.mjs')) || only.includes(basename(f)));
  if (picked.length !== only.length) usage(`no such suite among: ${files.map((f) => basename(f, '.mjs')).join(' ')}`);
  return picked;
}

// The deployment every suite starts from: a national administrator, two trusts, and in each an
// HR issuer, a verifier and an organisation administrator (password PASSWORD; they enrol TOTP
// at first sign-in), plus an API token per role; and a published movement report (one trust's
// synthetic workforce over two years) for the research pages.
function setUp(deployment) {
  const research = join(deployment.workdir, 'research');
  for (const args of [
    ['analytics', 'generate', '--scale', 'trust', '--years', '2', '--seed', '11', '--out', join(research, 'input')],
    ['analytics', 'report', '--in', join(research, 'input'), '--out', join(research, 'report')],
  ]) {
    const r = spawnSync(deployment.lanyard, args, { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`lanyard ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  deployment.bootstrap('root@nhs.example', 'Root');
  const users = { admin: { email: 'root@nhs.example', name: 'Root' } };
  const tokens = {};
  // RGT runs its own occupational health service, as many trusts do.
  for (const [ods, name, kinds] of [['RGT', 'RGT NHS Trust', 'trust,occupational_health'],
    ['R1H', 'R1H NHS Trust', 'trust']]) {
    deployment.addOrg(ods, name, kinds);
    for (const role of ['hr_issuer', 'verifier', 'org_admin']) {
      const email = `${role.replace('_', '-')}@${ods.toLowerCase()}.example`;
      const person = `${ods} ${role.replace('_', ' ')}`;
      deployment.addUser({ org: ods, email, name: person, roles: role });
      users[`${ods}.${role}`] = { email, name: person, org: ods };
      tokens[`${ods}.${role}`] = deployment.createToken(ods, role);
    }
  }
  return { users, tokens, researchReport: join(research, 'report') };
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function main() {
  const [binaryArg, webRootArg, ...only] = process.argv.slice(2);
  if (!binaryArg || !webRootArg) usage('LANYARD_BINARY and WEB_ROOT are needed');
  const binary = resolve(binaryArg);
  const webRoot = resolve(webRootArg);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    usage(`${binary} is not an executable (build it first)`);
  }
  if (!existsSync(join(webRoot, 'lanyard.css'))) usage(`${webRoot} has no lanyard.css: run scripts/build-web`);
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    usage(`no Chromium at ${CHROMIUM}: run scripts/setup (Debian package chromium)`);
  }
  const files = suiteFiles(only);

  const workdir = mkdtempSync(join(tmpdir(), 'lanyard-e2e-'));
  const deployment = new Deployment(binary, workdir, await freePort());
  const killServer = () => deployment.killNow();
  process.on('exit', killServer);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      killServer();
      process.exit(130);
    });
  }

  let browser;
  let crashed = false;
  try {
    const { users, tokens, researchReport } = setUp(deployment);
    await deployment.start('--web-root', webRoot, '--research-report', researchReport);
    browser = await launchBrowser();
    console.log(`# ${browser.version()} against ${deployment.base}; screenshots in ${artefactsDir()}`);
    const t = {
      browser, deployment, base: deployment.base, origin: deployment.base, users, tokens,
      password: PASSWORD, totpSecrets: new Map(),
    };
    for (const file of files) {
      const name = basename(file, '.mjs');
      console.log(`# ${name}`);
      try {
        const suite = await import(pathToFileURL(file).href);
        await withTimeout(suite.default(t), SUITE_TIMEOUT_MS, name);
      } catch (error) {
        check(`${name} ran to its end`, false, error?.stack ?? String(error));
      }
    }
  } catch (error) {
    crashed = true;
    check('the deployment and browser started', false, error?.stack ?? String(error));
  } finally {
    if (browser) await browser.close().catch(() => {});
    await deployment.stop();
  }

  const { passed, failed } = counts();
  if (failed || crashed) {
    console.log(`server.log (tail):\n${deployment.logTail()}`);
  }
  if (process.env.E2E_KEEP) {
    console.log(`# deployment kept in ${workdir}`);
  } else {
    rmSync(workdir, { recursive: true, force: true });
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed || crashed ? 1 : 0;
}

await main();
