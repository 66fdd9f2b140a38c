#!/usr/bin/env node
// Independent JavaScript peer for Lanyard's status-list interoperability tests.
//
// W3C Bitstring Status List: status checks go through @digitalbazaar/vc-bitstring-status-list
// (checkStatus, createList, createCredential). The list credential's eddsa-jcs-2022 Data
// Integrity proof is verified by that library too (it calls @digitalbazaar/vc's
// verifyCredential with a DataIntegrityProof suite built from @digitalbazaar/data-integrity and
// @digitalbazaar/eddsa-jcs-2022-cryptosuite); did:key issuers are resolved offline with
// @digitalbazaar/did-method-key and @digitalbazaar/ed25519-multikey. The document loader serves
// only the list credentials given on the command line, did:key documents and the W3C
// credentials contexts bundled in @digitalbazaar/credentials-context (with a JCS cryptosuite no
// context is actually dereferenced); anything else is refused. This process makes no network
// request: outgoing connections are refused outright, so a loader mistake fails loudly instead
// of fetching.
//
// IETF Token Status List: encoding and decoding go through @sd-jwt/jwt-status-list (StatusList,
// createHeaderAndPayload, getListFromStatusListJWT); JWS signing and verification use `jose`.
//
// This peer reports what the libraries decide, leniencies included (status_self_test.sh pins
// them): vc-bitstring-status-list 2.0.1 accepts lists shorter than 131072 entries, reads
// statusListIndex with parseInt ("77abc" is 77, a JSON number is fine), ignores statusSize, does
// not look at the credential's @context, checks the list's validFrom / validUntil only when it
// verifies the list (against the real clock) and fails the whole check when any one entry
// fails. jwt-status-list 0.19.0 inflates a gzip lst as readily as a zlib one, and range-checks
// no status value on setStatus, so token-make checks values itself.
//
// Exit codes: 0 success (a status that is set is still a success), 1 invalid (a library
// refusal, a bad signature), 2 bad usage or unreadable input. JSON results go to stdout,
// diagnostics to stderr. Run `node status_peer.mjs help` for the commands.

import fs from 'node:fs';
import net from 'node:net';
import * as vc from '@digitalbazaar/vc';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as didKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {
  createSignCryptosuite, createVerifyCryptosuite,
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {
  checkStatus, createCredential, createList,
} from '@digitalbazaar/vc-bitstring-status-list';
import {
  StatusList, createHeaderAndPayload, getListFromStatusListJWT,
} from '@sd-jwt/jwt-status-list';
import * as jose from 'jose';
import { parseCommandLine, runCommand, runIfMain, UsageError } from './peer.mjs';

const EXIT_OK = 0;
const EXIT_INVALID = 1;

class InvalidError extends Error {}

const USAGE = `usage:
  node status_peer.mjs bitstring-check --credential CRED.json --list LIST.json [--list LIST.json ...]
                                       [--no-verify-list] [--no-matching-issuers]
  node status_peer.mjs bitstring-make --size N --set I,J,... --purpose PURPOSE --id URL
                                      [--issuer DID] [--valid-from DATE] [--valid-until DATE]
  node status_peer.mjs bitstring-sign --list LIST.json --jwk PRIVATE.jwk.json [--created DATE]
  node status_peer.mjs token-decode --token TOKEN.jwt --index N [--index M ...] [--jwk PUBLIC.jwk.json]
  node status_peer.mjs token-make --bits 1|2|4|8 --size N [--set I=V,J=V,...] --sub URI
                                  --jwk PRIVATE.jwk.json [--kid KID]
                                  [--iat SECONDS] [--exp SECONDS] [--ttl SECONDS]

bitstring-check verifies each list credential's eddsa-jcs-2022 proof (did:key issuer) and that
its issuer is the credential's issuer, unless told not to. bitstring-make prints an unsigned
BitstringStatusListCredential; bitstring-sign adds an eddsa-jcs-2022 proof to one (issuer set
to the key's did:key when absent). token-decode checks the JWS signature only when --jwk is
given (signature only: not exp, not typ). token-make prints the compact JWT, signed EdDSA for
an Ed25519 key or ES256 for a P-256 key. FILE arguments may be - for stdin.`;

// ---------------------------------------------------------------------------
// No network: every document this peer needs is local.

function refuseNetwork() {
  const refuse = () => {
    throw new Error('status_peer makes no network requests');
  };
  globalThis.fetch = async () => refuse();
  net.Socket.prototype.connect = refuse;
}

// ---------------------------------------------------------------------------
// Command line

function parseArgs(argv, spec) {
  return parseCommandLine(argv, spec).opts;
}

function requireOpts(opts, ...names) {
  for (const n of names) {
    if (opts[n] === undefined) throw new UsageError(`--${n} is required`);
  }
}

function readText(file) {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e.message}`);
  }
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function readJsonObject(file, label) {
  let value;
  try {
    value = JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${label} ${file}: not JSON: ${e.message}`);
  }
  if (!isPlainObject(value)) throw new UsageError(`${label} ${file}: not a JSON object`);
  return value;
}

// A decimal integer in [min, max] (no sign, no exponent, no fraction).
function parseInteger(text, label, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  if (typeof text !== 'string' || !/^[0-9]+$/.test(text)) {
    throw new UsageError(`${label}: not a non-negative decimal integer: ${text}`);
  }
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${label}: ${text} is outside [${min}, ${max}]`);
  }
  return n;
}

function parseDate(text, label) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) ||
      Number.isNaN(Date.parse(text))) {
    throw new UsageError(`${label}: not an RFC 3339 date-time: ${text}`);
  }
  return text;
}

function printJson(value) {
  process.stdout.write(JSON.stringify(value) + '\n');
}

// ---------------------------------------------------------------------------
// Keys

// Reads a JWK file: Ed25519 (OKP) or P-256 (EC), public or private.
function readJwk(file, label, { requirePrivate = false } = {}) {
  const jwk = readJsonObject(file, label);
  let alg;
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') alg = 'EdDSA';
  else if (jwk.kty === 'EC' && jwk.crv === 'P-256') alg = 'ES256';
  else throw new UsageError(`${label} ${file}: need an Ed25519 (OKP) or P-256 (EC) JWK`);
  if (requirePrivate && typeof jwk.d !== 'string') {
    throw new UsageError(`${label} ${file}: JWK has no private member "d"`);
  }
  return { jwk, alg };
}

async function importJoseKey({ jwk, alg }, label, { usePrivate }) {
  const material = { ...jwk };
  if (!usePrivate) delete material.d;
  delete material.alg;
  delete material.key_ops;
  delete material.use;
  try {
    return await jose.importJWK(material, alg);
  } catch (e) {
    throw new UsageError(`${label}: ${e.message}`);
  }
}

// ---------------------------------------------------------------------------
// Bitstring Status List: offline document loader

const DID_KEY_ED25519_HEADER = 'z6Mk';

function makeDocumentLoader(listCredentials = new Map()) {
  const contexts = new Map(credentialsContexts);
  const didResolver = didKey.driver();
  didResolver.use({ multibaseMultikeyHeader: DID_KEY_ED25519_HEADER, fromMultibase: Ed25519Multikey.from });
  const answer = (url, document) => ({ contextUrl: null, documentUrl: url, document: structuredClone(document) });
  return async (url) => {
    if (contexts.has(url)) return answer(url, contexts.get(url));
    if (listCredentials.has(url)) return answer(url, listCredentials.get(url));
    if (typeof url === 'string' && url.startsWith('did:key:')) {
      return answer(url, await didResolver.get({ url }));
    }
    throw new Error(`document not served offline: ${url}`);
  };
}

// ---------------------------------------------------------------------------
// Bitstring Status List commands

// The library's message, followed by the messages of the errors behind it in brackets: a proof
// that fails says only "Verification error(s)." at the top, the reason is one level down.
function errorText(error) {
  const top = String(error?.message ?? error);
  const seen = new Set();
  const inner = [];
  const walk = (e) => {
    if (!e || typeof e !== 'object' || seen.has(e)) return;
    seen.add(e);
    const m = typeof e.message === 'string' ? e.message : '';
    if (e !== error && m && !inner.includes(m) && !top.includes(m)) inner.push(m);
    walk(e.cause);
    for (const sub of Array.isArray(e.errors) ? e.errors : []) walk(sub);
  };
  walk(error);
  return inner.length ? `${top} [${inner.join('; ')}]` : top;
}

async function cmdBitstringCheck(argv) {
  const opts = parseArgs(argv, {
    credential: 'value', list: 'multi', 'no-verify-list': 'flag', 'no-matching-issuers': 'flag',
  });
  requireOpts(opts, 'credential', 'list');
  const credential = readJsonObject(opts.credential, '--credential');
  const lists = new Map();
  for (const file of opts.list) {
    const list = readJsonObject(file, '--list');
    if (typeof list.id !== 'string') throw new UsageError(`--list ${file}: the list credential has no "id"`);
    if (lists.has(list.id)) throw new UsageError(`--list ${file}: a second list with id ${list.id}`);
    lists.set(list.id, list);
  }
  const verifyList = !opts['no-verify-list'];
  // checkStatus takes the whole credential and checks every BitstringStatusListEntry in
  // credentialStatus (one object or an array); entries of other types are skipped by it.
  const result = await checkStatus({
    credential,
    documentLoader: makeDocumentLoader(lists),
    suite: verifyList ? new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() }) : undefined,
    verifyBitstringStatusListCredential: verifyList,
    // Lanyard issues a credential and its status lists under the same did:key.
    verifyMatchingIssuers: !opts['no-matching-issuers'],
  });
  if (!result.verified) {
    const errors = result.error ? [result.error] : (result.results ?? []).map((r) => r.error);
    const message = errors.filter(Boolean).map(errorText).join('; ');
    printJson({ verified: false, error: message || 'not verified' });
    return EXIT_INVALID;
  }
  printJson({
    entries: result.results.map(({ credentialStatus: cs, status }) => ({
      statusPurpose: cs.statusPurpose,
      statusListIndex: cs.statusListIndex,
      statusListCredential: cs.statusListCredential,
      status,
    })),
    verified: true,
  });
  return EXIT_OK;
}

async function cmdBitstringMake(argv) {
  const opts = parseArgs(argv, {
    size: 'value', set: 'value', purpose: 'value', id: 'value', issuer: 'value',
    'valid-from': 'value', 'valid-until': 'value',
  });
  requireOpts(opts, 'size', 'purpose', 'id');
  const size = parseInteger(opts.size, '--size', { min: 1, max: 1 << 30 });
  const set = (opts.set ?? '').split(',').filter((s) => s !== '')
    .map((s) => parseInteger(s, '--set', { max: size - 1 }));
  const list = await createList({ length: size });
  for (const i of set) list.setStatus(i, true);
  const unsigned = await createCredential({ id: opts.id, list, statusPurpose: opts.purpose });
  // createCredential leaves out issuer and the validity period; put them in the usual place.
  const { credentialSubject, ...head } = unsigned;
  const credential = { ...head };
  if (opts.issuer !== undefined) credential.issuer = opts.issuer;
  if (opts['valid-from'] !== undefined) credential.validFrom = parseDate(opts['valid-from'], '--valid-from');
  if (opts['valid-until'] !== undefined) credential.validUntil = parseDate(opts['valid-until'], '--valid-until');
  credential.credentialSubject = credentialSubject;
  printJson(credential);
  return EXIT_OK;
}

async function cmdBitstringSign(argv) {
  const opts = parseArgs(argv, { list: 'value', jwk: 'value', created: 'value' });
  requireOpts(opts, 'list', 'jwk');
  const credential = readJsonObject(opts.list, '--list');
  const key = readJwk(opts.jwk, '--jwk', { requirePrivate: true });
  if (key.alg !== 'EdDSA') throw new UsageError('--jwk: eddsa-jcs-2022 needs an Ed25519 key');
  const created = opts.created === undefined ? undefined : parseDate(opts.created, '--created');
  let keyPair;
  try {
    const bare = await Ed25519Multikey.fromJwk({ jwk: key.jwk, secretKey: true });
    const did = `did:key:${bare.publicKeyMultibase}`;
    keyPair = await Ed25519Multikey.fromJwk({
      jwk: key.jwk, secretKey: true, id: `${did}#${bare.publicKeyMultibase}`, controller: did,
    });
  } catch (e) {
    throw new UsageError(`--jwk: ${e.message}`);
  }
  if (credential.issuer === undefined) {
    // Put issuer after type, where credentials usually have it.
    const { credentialSubject, validFrom, validUntil, ...head } = credential;
    for (const k of Object.keys(credential)) delete credential[k];
    Object.assign(credential, head, { issuer: keyPair.controller });
    if (validFrom !== undefined) credential.validFrom = validFrom;
    if (validUntil !== undefined) credential.validUntil = validUntil;
    if (credentialSubject !== undefined) credential.credentialSubject = credentialSubject;
  } else if ((credential.issuer?.id ?? credential.issuer) !== keyPair.controller) {
    process.stderr.write(`note: issuer is not the signing key's DID ${keyPair.controller}\n`);
  }
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(), cryptosuite: createSignCryptosuite(), date: created,
  });
  let signed;
  try {
    signed = await vc.issue({ credential, suite, documentLoader: makeDocumentLoader() });
  } catch (e) {
    throw new InvalidError(e.message);
  }
  printJson(signed);
  return EXIT_OK;
}

// ---------------------------------------------------------------------------
// Token Status List commands

const TOKEN_BITS = [1, 2, 4, 8];

function decodeJwsPart(part, what) {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch (e) {
    throw new InvalidError(`${what} is not base64url JSON: ${e.message}`);
  }
}

async function cmdTokenDecode(argv) {
  const opts = parseArgs(argv, { token: 'value', index: 'multi', jwk: 'value' });
  requireOpts(opts, 'token', 'index');
  const token = readText(opts.token).trim();
  const indexes = opts.index.map((s) => parseInteger(s, '--index'));
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidError('not a compact JWS (three dot-separated parts)');
  const header = decodeJwsPart(parts[0], 'JWS header');
  const payload = decodeJwsPart(parts[1], 'JWT payload');
  if (opts.jwk !== undefined) {
    const key = readJwk(opts.jwk, '--jwk');
    if (header.alg !== key.alg) {
      throw new InvalidError(`header alg ${header.alg} does not fit the --jwk key (${key.alg})`);
    }
    try {
      await jose.compactVerify(token, await importJoseKey(key, '--jwk', { usePrivate: false }),
        { algorithms: [key.alg] });
    } catch (e) {
      throw new InvalidError(`signature not verified: ${e.message}`);
    }
  }
  if (!isPlainObject(payload?.status_list)) throw new InvalidError('payload has no status_list object');
  let list;
  try {
    list = getListFromStatusListJWT(token);
  } catch (e) {
    throw new InvalidError(`status list not decoded: ${e.message}`);
  }
  const statuses = {};
  for (const i of indexes) {
    try {
      statuses[i] = list.getStatus(i);
    } catch (e) {
      throw new InvalidError(`index ${i}: ${e.message} (the list has ${list.statusList.length} entries)`);
    }
  }
  printJson({
    bits: list.getBitsPerStatus(),
    size: list.statusList.length,
    statuses,
    sub: payload.sub ?? null,
    iat: payload.iat ?? null,
    exp: payload.exp ?? null,
    ttl: payload.ttl ?? null,
    typ: header.typ ?? null,
    alg: header.alg ?? null,
    kid: header.kid ?? null,
    verified: opts.jwk !== undefined,
  });
  return EXIT_OK;
}

async function cmdTokenMake(argv) {
  const opts = parseArgs(argv, {
    bits: 'value', size: 'value', set: 'value', sub: 'value', jwk: 'value', kid: 'value',
    iat: 'value', exp: 'value', ttl: 'value',
  });
  requireOpts(opts, 'bits', 'size', 'sub', 'jwk');
  const bits = parseInteger(opts.bits, '--bits');
  if (!TOKEN_BITS.includes(bits)) throw new UsageError('--bits must be 1, 2, 4 or 8');
  const size = parseInteger(opts.size, '--size', { min: 1, max: 1 << 27 });
  const key = readJwk(opts.jwk, '--jwk', { requirePrivate: true });
  const list = new StatusList(new Array(size).fill(0), bits);
  for (const item of (opts.set ?? '').split(',').filter((s) => s !== '')) {
    const m = /^([^=]+)=([^=]+)$/.exec(item);
    if (!m) throw new UsageError(`--set: expected INDEX=VALUE, got ${item}`);
    // Range checks are done here: the library's constructor lets 2^bits through and setStatus
    // checks no value at all.
    list.setStatus(parseInteger(m[1], '--set index', { max: size - 1 }),
      parseInteger(m[2], '--set value', { max: 2 ** bits - 1 }));
  }
  const payload = { sub: opts.sub, iat: opts.iat === undefined ? Math.floor(Date.now() / 1000) : parseInteger(opts.iat, '--iat', { min: 1 }) };
  if (opts.exp !== undefined) payload.exp = parseInteger(opts.exp, '--exp');
  if (opts.ttl !== undefined) payload.ttl = parseInteger(opts.ttl, '--ttl');
  const header0 = { alg: key.alg, typ: 'statuslist+jwt' };
  if (opts.kid !== undefined) header0.kid = opts.kid;
  const { header, payload: claims } = createHeaderAndPayload(list, payload, header0);
  const jwt = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header)
    .sign(await importJoseKey(key, '--jwk', { usePrivate: true }));
  process.stdout.write(jwt + '\n');
  return EXIT_OK;
}

const COMMANDS = {
  'bitstring-check': cmdBitstringCheck,
  'bitstring-make': cmdBitstringMake,
  'bitstring-sign': cmdBitstringSign,
  'token-decode': cmdTokenDecode,
  'token-make': cmdTokenMake,
};

export { makeDocumentLoader };

await runIfMain(import.meta.url, (argv) => {
  refuseNetwork();
  return runCommand(COMMANDS, USAGE, argv, (e) => e instanceof UsageError);
});
