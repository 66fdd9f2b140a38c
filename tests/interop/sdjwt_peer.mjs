#!/usr/bin/env node
// Independent JavaScript peer for Lanyard's SD-JWT interoperability tests.
//
// Issues, presents and verifies SD-JWT VCs (RFC 9901 selective disclosure with the SD-JWT VC
// profile: header typ "dc+sd-jwt", key binding with a "kb+jwt" KB-JWT), and issues and verifies
// VC-JWT 1.1 tokens (format jwt_vc_json). Issuance and verification of SD-JWTs go through the
// @sd-jwt libraries (SDJwtVcInstance, and SDJwtInstance for plain SD-JWTs such as the RFC 9901
// example); JWS signatures use node:crypto; KB-JWTs and the EdDSA / ES256 VC-JWTs use `jose`;
// ES256K (secp256k1) VC-JWTs use node:crypto because jose has no secp256k1.
//
// Where @sd-jwt 0.19 leaves a gap, this peer does the work itself rather than trust it:
//  * Presentations are assembled here (select the Disclosures, then sign the KB-JWT with jose).
//    The library's present() unpacks the same Disclosure objects twice and mutates their values
//    on the first pass, so an array-element Disclosure nested in a recursively disclosed object
//    is dropped from the returned presentation while sd_hash was computed over the first one.
//  * Verification checks, after the library has passed the credential: the KB-JWT "aud" and the
//    freshness of its "iat" (the library checks neither), that every Disclosure is referenced
//    exactly once and of the right kind (the library ignores stray Disclosures), that claims
//    reserved by SD-JWT VC are not selectively disclosed, the header typ and alg, and that the
//    library's processed claims equal an independent processing done here.
//  * Salts are 128 random bits (the crypto-nodejs salt generator yields 16 hex digits, 64 bits).
//
// Exit codes: 0 success / valid, 1 invalid, 2 bad usage or unreadable input.
// Diagnostics go to stderr. Run `node sdjwt_peer.mjs help` for the commands.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { SDJwtInstance } from '@sd-jwt/core';
import { digest as sdHasher } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import canonicalize from 'canonicalize';
import * as jose from 'jose';
import { base64urlDecode, parseCommandLine, runCommand, runIfMain, UsageError } from './peer.mjs';

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;

class InvalidError extends Error {}

const USAGE = `usage:
  node sdjwt_peer.mjs keygen --type p256|ed25519|secp256k1 --out FILE
  node sdjwt_peer.mjs issue --key JWK --in PAYLOAD.json [--disclose PATH ...] [--holder JWK]
                            [--typ TYP] [--kid KID] [--decoys N]
  node sdjwt_peer.mjs present --in SDJWT [--disclose PATH ...]
                              [--holder-key JWK --nonce N --audience A [--iat SECONDS]]
                              [--library]   (use @sd-jwt's own present(); object paths only)
  node sdjwt_peer.mjs verify --in FILE --issuer-key JWK [--nonce N --audience A]
                             [--now SECONDS] [--core] [--typ TYP]
  node sdjwt_peer.mjs vcjwt-issue --key JWK --in VC.json [--kid KID] [--iss ISS]
  node sdjwt_peer.mjs vcjwt-verify --key JWK --in TOKEN [--now SECONDS]
  node sdjwt_peer.mjs bench --key JWK --holder JWK [--seconds N]
  node sdjwt_peer.mjs bench-payload
  node sdjwt_peer.mjs bench-disclose [--presented]

PATH names a claim: a.b, roles[0], a.b[2].c (array indexes count every element the issuer
wrote, hidden ones included). FILE arguments may be - for stdin.`;

// A KB-JWT is accepted when its iat is at most this far in the future or in the past.
const KB_FUTURE_SKEW_S = 60;
const KB_MAX_AGE_S = 300;

// Claims SD-JWT VC does not allow to be selectively disclosable.
const VC_RESERVED_CLAIMS = ['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status'];

// _sd_alg values accepted, with their node:crypto names.
const SD_HASHES = { 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' };

// ---------------------------------------------------------------------------
// The fixed credential used by `bench` (and by Lanyard's own benchmark): a nurse's staff
// passport with ten selectively disclosable top-level claims; presentations reveal five.

const BENCH_PAYLOAD = {
  vct: 'https://lanyard.example/vct/staff-passport',
  iss: 'https://issuer.lanyard.example',
  given_name: 'Amara',
  family_name: 'Okafor',
  birthdate: '1988-04-12',
  nationality: 'GB',
  address: {
    street_address: '14 Infirmary Row',
    locality: 'Leeds',
    postal_code: 'LS1 3EX',
  },
  professional_registration: {
    body: 'NMC',
    number: '09A1234E',
    status: 'registered',
  },
  dbs: {
    level: 'enhanced',
    barred_lists: ['adults'],
    update_service: true,
  },
  right_to_work: {
    status: 'unlimited',
  },
  employer: 'Northbridge General Hospital NHS Trust',
  role: 'Staff Nurse',
};

const BENCH_DISCLOSE = [
  'given_name', 'family_name', 'birthdate', 'nationality', 'address',
  'professional_registration', 'dbs', 'right_to_work', 'employer', 'role',
];
const BENCH_PRESENT = ['given_name', 'family_name', 'professional_registration', 'dbs', 'right_to_work'];
const BENCH_HOLDERS = 200;
const BENCH_NONCE = 'bench-nonce-5f1c0b7e';
const BENCH_AUDIENCE = 'https://verifier.lanyard.example';

// ---------------------------------------------------------------------------
// Small helpers

const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Decodes base64url (strict) holding UTF-8 JSON; throws InvalidError naming `what`.
function decodeB64uJson(text, what) {
  let value;
  try {
    value = JSON.parse(UTF8.decode(base64urlDecode(text)));
  } catch (e) {
    throw new InvalidError(`${what}: ${e.message}`);
  }
  return value;
}

function b64u(bytes) {
  return Buffer.from(bytes).toString('base64url');
}

// ---------------------------------------------------------------------------
// Keys (JWK) and JWS signatures

const KEY_TYPES = {
  p256: { kty: 'EC', crv: 'P-256', alg: 'ES256', gen: ['ec', { namedCurve: 'P-256' }] },
  ed25519: { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', gen: ['ed25519'] },
  secp256k1: { kty: 'EC', crv: 'secp256k1', alg: 'ES256K', gen: ['ec', { namedCurve: 'secp256k1' }] },
};

function keyTypeOfJwk(jwk) {
  for (const [name, t] of Object.entries(KEY_TYPES)) {
    if (jwk.kty === t.kty && jwk.crv === t.crv) return name;
  }
  return null;
}

function orderedJwk(jwk) {
  return jwk.kty === 'OKP'
    ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.d !== undefined ? { d: jwk.d } : {}) }
    : { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, ...(jwk.d !== undefined ? { d: jwk.d } : {}) };
}

// Turns a JWK (public, or private with "d") into { type, alg, privateKey, publicKey, publicJwk }.
function keyFromJwk(jwk, label, { requirePrivate = false, ErrorType = UsageError } = {}) {
  if (!isPlainObject(jwk)) throw new ErrorType(`${label}: JWK must be a JSON object`);
  const type = keyTypeOfJwk(jwk);
  if (!type) {
    throw new ErrorType(`${label}: unsupported JWK (need kty EC with crv P-256 or secp256k1, ` +
      'or kty OKP with crv Ed25519)');
  }
  const info = KEY_TYPES[type];
  const members = info.kty === 'EC' ? ['x', 'y'] : ['x'];
  if (jwk.d !== undefined) members.push('d');
  for (const m of members) {
    if (typeof jwk[m] !== 'string') throw new ErrorType(`${label}: JWK member "${m}" missing`);
    let bytes;
    try {
      bytes = base64urlDecode(jwk[m]);
    } catch (e) {
      throw new ErrorType(`${label}: JWK member "${m}": ${e.message}`);
    }
    if (bytes.length !== 32) throw new ErrorType(`${label}: JWK member "${m}" must be 32 bytes`);
  }
  if (requirePrivate && jwk.d === undefined) throw new ErrorType(`${label}: JWK has no private member "d"`);
  const publicJwk = orderedJwk({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
  let publicKey;
  let privateKey = null;
  try {
    publicKey = crypto.createPublicKey({ key: publicJwk, format: 'jwk' });
  } catch (e) {
    throw new ErrorType(`${label}: not a valid ${info.crv} public key: ${e.message}`);
  }
  if (jwk.d !== undefined) {
    try {
      privateKey = crypto.createPrivateKey({ key: { ...publicJwk, d: jwk.d }, format: 'jwk' });
    } catch (e) {
      throw new ErrorType(`${label}: not a valid ${info.crv} private key: ${e.message}`);
    }
    const derived = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
    if (derived.x !== publicJwk.x || (info.kty === 'EC' && derived.y !== publicJwk.y)) {
      throw new ErrorType(`${label}: JWK public members do not match "d"`);
    }
  }
  return { type, alg: info.alg, privateKey, publicKey, publicJwk };
}

function loadKeyFile(file, label, opts = {}) {
  if (file === undefined) throw new UsageError(`${label} is required`);
  let jwk;
  try {
    jwk = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read JWK file ${file}: ${e.message}`);
  }
  return keyFromJwk(jwk, file, opts);
}

// Node.js 20 can deadlock when a freshly generated KeyObject is exported to JWK while the
// garbage collector finalises its generation job (the export holds the key's lock and
// allocates; the job's destructor takes the same lock). Asking the generation itself for JWK
// output means no KeyObject is ever exported.
function generateJwkPair(kind, options) {
  return crypto.generateKeyPairSync(kind, {
    ...options,
    publicKeyEncoding: { format: 'jwk' },
    privateKeyEncoding: { format: 'jwk' },
  });
}

function generateKey(type) {
  const [kind, options] = KEY_TYPES[type].gen;
  return keyFromJwk(generateJwkPair(kind, options).privateKey, `generated ${type} key`);
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

// secp256k1 signatures are given the low-S form (s <= n/2), which every verifier accepts.
function lowS(sig) {
  const s = BigInt('0x' + sig.subarray(32).toString('hex'));
  if (s <= SECP256K1_N / 2n) return sig;
  const out = Buffer.from(sig);
  Buffer.from((SECP256K1_N - s).toString(16).padStart(64, '0'), 'hex').copy(out, 32);
  return out;
}

function signBytes(key, data) {
  if (key.type === 'ed25519') return crypto.sign(null, data, key.privateKey);
  const sig = crypto.sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return key.type === 'secp256k1' ? lowS(sig) : sig;
}

function verifyBytes(key, data, sig) {
  try {
    if (key.type === 'ed25519') return crypto.verify(null, data, key.publicKey, sig);
    if (sig.length !== 64) return false;
    return crypto.verify('sha256', data, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    return false;
  }
}

// JWS signer / verifier in the shape the @sd-jwt libraries call: (signingInput[, signature]).
function jwsSigner(key) {
  return async (data) => b64u(signBytes(key, Buffer.from(data, 'utf8')));
}

function verifyJwsSignature(key, signingInput, signatureB64u) {
  let sig;
  try {
    sig = base64urlDecode(signatureB64u);
  } catch {
    return false;
  }
  return verifyBytes(key, Buffer.from(signingInput, 'utf8'), sig);
}

// Splits a compact JWS into its decoded header and payload, the signing input and signature.
function decodeJws(compact, what) {
  const parts = compact.split('.');
  if (parts.length !== 3) throw new InvalidError(`${what}: not a compact JWS (need 3 parts)`);
  const header = decodeB64uJson(parts[0], `${what} header`);
  const payload = decodeB64uJson(parts[1], `${what} payload`);
  if (!isPlainObject(header)) throw new InvalidError(`${what}: header is not a JSON object`);
  if (!isPlainObject(payload)) throw new InvalidError(`${what}: payload is not a JSON object`);
  return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: parts[2] };
}

// ---------------------------------------------------------------------------
// Claim paths: a.b, roles[0], a.b[2].c

function parseClaimPath(text) {
  if (typeof text !== 'string' || text === '') throw new UsageError('empty claim path');
  const segs = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '[') {
      const j = text.indexOf(']', i);
      const n = j < 0 ? '' : text.slice(i + 1, j);
      if (!/^(0|[1-9][0-9]{0,8})$/.test(n)) throw new UsageError(`bad array index in claim path ${text}`);
      segs.push(Number(n));
      i = j + 1;
      continue;
    }
    if (segs.length > 0) {
      if (text[i] !== '.') throw new UsageError(`bad claim path ${text}`);
      i++;
    }
    let j = i;
    while (j < text.length && !'.[]'.includes(text[j])) j++;
    if (j === i) throw new UsageError(`bad claim path ${text}`);
    const name = text.slice(i, j);
    if (name === '_sd' || name === '...' || name === '_sd_alg' || name === '_sd_decoy') {
      throw new UsageError(`claim path ${text} names a reserved SD-JWT member`);
    }
    segs.push(name);
    i = j;
  }
  return segs;
}

function formatPath(segs) {
  let out = '';
  for (const s of segs) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out === '' ? '(top level)' : out;
}

const pathKey = (segs) => JSON.stringify(segs);

// ---------------------------------------------------------------------------
// Independent SD-JWT processing (RFC 9901 section 7.1, step 3)

function sdHashName(sdAlg) {
  const name = SD_HASHES[sdAlg];
  if (!name) throw new InvalidError(`unsupported _sd_alg ${JSON.stringify(sdAlg)}`);
  return name;
}

function sdDigest(text, sdAlg) {
  return crypto.createHash(sdHashName(sdAlg)).update(text, 'ascii').digest('base64url');
}

function decodeDisclosure(encoded, sdAlg, index) {
  const what = `Disclosure ${index + 1}`;
  const arr = decodeB64uJson(encoded, what);
  if (!Array.isArray(arr) || (arr.length !== 2 && arr.length !== 3)) {
    throw new InvalidError(`${what}: not a JSON array of 2 or 3 elements`);
  }
  if (typeof arr[0] !== 'string') throw new InvalidError(`${what}: salt is not a string`);
  const name = arr.length === 3 ? arr[1] : null;
  if (arr.length === 3) {
    if (typeof name !== 'string') throw new InvalidError(`${what}: claim name is not a string`);
    if (name === '_sd' || name === '...') throw new InvalidError(`${what}: claim name ${name} is not allowed`);
  }
  return {
    index, encoded, digest: sdDigest(encoded, sdAlg), name, isArrayElement: arr.length === 2,
    value: arr[arr.length - 1], path: null, ancestors: null,
  };
}

// Processes the issuer payload with the Disclosures. Returns the processed claims, the decoded
// Disclosures (each with its claim path and the indexes of the Disclosures enclosing it), and
// for every claim path the Disclosures needed to reveal it. Throws InvalidError.
function processSdJwt(payload, encodedDisclosures) {
  if (!isPlainObject(payload)) throw new InvalidError('issuer JWT payload is not an object');
  const sdAlg = has(payload, '_sd_alg') ? payload._sd_alg : 'sha-256';
  sdHashName(sdAlg);
  const discs = encodedDisclosures.map((e, i) => decodeDisclosure(e, sdAlg, i));
  const byDigest = new Map();
  for (const d of discs) {
    if (byDigest.has(d.digest)) throw new InvalidError(`Disclosure ${d.index + 1} appears twice`);
    byDigest.set(d.digest, d);
  }
  const seen = new Set();
  const noteDigest = (dg, segs) => {
    if (typeof dg !== 'string') throw new InvalidError(`non-string digest at ${formatPath(segs)}`);
    if (seen.has(dg)) throw new InvalidError(`digest ${dg} appears more than once`);
    seen.add(dg);
  };
  const nodes = new Map();

  const visit = (value, segs, chain) => {
    if (Array.isArray(value)) {
      const out = [];
      value.forEach((el, i) => {
        const p = [...segs, i];
        if (isPlainObject(el) && has(el, '...')) {
          if (Object.keys(el).length !== 1) {
            throw new InvalidError(`array element ${formatPath(p)} has "..." and other members`);
          }
          noteDigest(el['...'], p);
          const d = byDigest.get(el['...']);
          if (!d) return; // not disclosed, or a decoy
          if (!d.isArrayElement) {
            throw new InvalidError(`Disclosure ${d.index + 1} (claim "${d.name}") is referenced from array element ${formatPath(p)}`);
          }
          d.path = p;
          d.ancestors = chain;
          const c = [...chain, d.index];
          nodes.set(pathKey(p), c);
          out.push(visit(d.value, p, c));
        } else {
          nodes.set(pathKey(p), chain);
          out.push(visit(el, p, chain));
        }
      });
      return out;
    }
    if (!isPlainObject(value)) return value;
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '_sd' || (k === '_sd_alg' && segs.length === 0)) continue;
      if (k === '...') throw new InvalidError(`"..." member outside an array at ${formatPath(segs)}`);
      const p = [...segs, k];
      nodes.set(pathKey(p), chain);
      out[k] = visit(v, p, chain);
    }
    if (has(value, '_sd')) {
      if (!Array.isArray(value._sd)) throw new InvalidError(`_sd at ${formatPath(segs)} is not an array`);
      for (const dg of value._sd) {
        noteDigest(dg, segs);
        const d = byDigest.get(dg);
        if (!d) continue;
        if (d.isArrayElement) {
          throw new InvalidError(`array-element Disclosure ${d.index + 1} is referenced from _sd at ${formatPath(segs)}`);
        }
        const p = [...segs, d.name];
        if (has(out, d.name)) throw new InvalidError(`claim ${formatPath(p)} is disclosed twice or also plain`);
        d.path = p;
        d.ancestors = chain;
        const c = [...chain, d.index];
        nodes.set(pathKey(p), c);
        out[d.name] = visit(d.value, p, c);
      }
    }
    return out;
  };

  const claims = visit(payload, [], []);
  const stray = discs.find((d) => d.path === null);
  if (stray) throw new InvalidError(`Disclosure ${stray.index + 1} is not referenced by any digest`);
  return { claims, discs, nodes, sdAlg };
}

// Splits "JWT~D1~...~Dn~[KB-JWT]".
function splitSdJwt(text) {
  if (!text.includes('~')) throw new InvalidError('not an SD-JWT (no "~" separator)');
  const parts = text.split('~');
  const disclosures = parts.slice(1, -1);
  if (disclosures.includes('')) throw new InvalidError('empty Disclosure (two "~" in a row)');
  const last = parts[parts.length - 1];
  return { jwt: parts[0], disclosures, kbJwt: last === '' ? null : last };
}

// ---------------------------------------------------------------------------
// Issuance

function newSalt() {
  return crypto.randomBytes(16).toString('base64url');
}

// Builds an @sd-jwt disclosure frame from claim paths, checking that every path exists.
function buildFrame(payload, paths, decoys) {
  const frame = {};
  for (const segs of paths) {
    let node = payload;
    let f = frame;
    segs.forEach((s, k) => {
      const ok = typeof s === 'number'
        ? Array.isArray(node) && s < node.length
        : isPlainObject(node) && has(node, s);
      if (!ok) throw new UsageError(`no claim at ${formatPath(segs.slice(0, k + 1))} in the payload`);
      if (k === segs.length - 1) {
        f._sd ??= [];
        if (!f._sd.includes(s)) f._sd.push(s);
      } else {
        f[s] ??= {};
        f = f[s];
      }
      node = node[s];
    });
  }
  if (decoys > 0) frame._sd_decoy = decoys;
  return frame;
}

function sdJwtIssuer(issuer) {
  if (issuer.type === 'secp256k1') throw new UsageError('SD-JWT issuing needs a P-256 (ES256) or Ed25519 (EdDSA) key');
  return new SDJwtVcInstance({
    signer: jwsSigner(issuer), signAlg: issuer.alg, hasher: sdHasher, hashAlg: 'sha-256',
    saltGenerator: newSalt,
  });
}

// Issues with fresh copies of payload and frame, so nothing the caller holds is shared.
function issueWith(instance, payload, frame, { typ = 'dc+sd-jwt', kid } = {}) {
  const header = kid === undefined ? { typ } : { typ, kid };
  return instance.issue(structuredClone(payload), frame && structuredClone(frame), { header });
}

// ---------------------------------------------------------------------------
// Presentation

function sdHashOf(presentationWithoutKb, sdAlg) {
  return sdDigest(presentationWithoutKb, sdAlg);
}

function isPrefix(prefix, segs) {
  return prefix.length <= segs.length && prefix.every((s, i) => s === segs[i]);
}

// Presents the claims at `paths` (each with its enclosing and enclosed Disclosures), in the
// order the paths are given; with a holder key appends a KB-JWT signed with jose.
async function presentSdJwt(text, paths, holder, { nonce, audience, iat } = {}) {
  let parsed;
  let proc;
  try {
    parsed = splitSdJwt(text);
    proc = processSdJwt(decodeJws(parsed.jwt, 'issuer-signed JWT').payload, parsed.disclosures);
  } catch (e) {
    if (e instanceof InvalidError) throw new UsageError(`input is not a usable SD-JWT: ${e.message}`);
    throw e;
  }
  if (parsed.kbJwt !== null) throw new UsageError('input already ends with a KB-JWT');
  const picked = [];
  const add = (i) => {
    if (!picked.includes(i)) picked.push(i);
  };
  for (const segs of paths) {
    const chain = proc.nodes.get(pathKey(segs));
    if (chain === undefined) throw new UsageError(`no claim at ${formatPath(segs)} in the SD-JWT`);
    chain.forEach(add);
    proc.discs
      .filter((d) => d.path.length > segs.length && isPrefix(segs, d.path))
      .sort((a, b) => a.path.length - b.path.length || a.index - b.index)
      .forEach((d) => {
        d.ancestors.forEach(add);
        add(d.index);
      });
  }
  const presentation = [parsed.jwt, ...picked.map((i) => proc.discs[i].encoded)].join('~') + '~';
  if (!holder) return presentation;
  const kb = await new jose.SignJWT({ nonce, aud: audience, iat, sd_hash: sdHashOf(presentation, proc.sdAlg) })
    .setProtectedHeader({ alg: holder.alg, typ: 'kb+jwt' })
    .sign(holder.privateKey);
  return presentation + kb;
}

// ---------------------------------------------------------------------------
// Verification

function refuseStatusFetch(uri) {
  throw new Error(`status list ${uri} not fetched (this peer works offline)`);
}

// Verifies an SD-JWT (profile 'vc': SD-JWT VC; 'core': plain SD-JWT) with the library, then the
// checks listed at the top of this file. Returns { claims, header, kb, notes }; throws
// InvalidError with the reason.
async function verifySdJwt(text, { issuerKey, nonce, audience, now, profile = 'vc', typ }) {
  const { jwt, disclosures, kbJwt } = splitSdJwt(text);
  const issuerJws = decodeJws(jwt, 'issuer-signed JWT');
  if (issuerJws.header.alg !== issuerKey.alg) {
    throw new InvalidError(`issuer JWT alg ${JSON.stringify(issuerJws.header.alg)} does not fit the issuer key (${issuerKey.alg})`);
  }
  const wantTyp = typ ?? (profile === 'vc' ? 'dc+sd-jwt' : undefined);
  if (wantTyp !== undefined && issuerJws.header.typ !== wantTyp) {
    throw new InvalidError(`issuer JWT typ ${JSON.stringify(issuerJws.header.typ)}, expected ${wantTyp}`);
  }
  const proc = processSdJwt(issuerJws.payload, disclosures);
  if (profile === 'vc') {
    const reserved = proc.discs.find((d) => d.path.length === 1 && VC_RESERVED_CLAIMS.includes(d.name));
    if (reserved) throw new InvalidError(`claim ${reserved.name} must not be selectively disclosable`);
    if (typeof proc.claims.vct !== 'string') throw new InvalidError('SD-JWT VC has no string vct');
  }

  const config = {
    hasher: sdHasher,
    verifier: async (data, sig) => verifyJwsSignature(issuerKey, data, sig),
    kbVerifier: async (data, sig, claims) => {
      const jwk = claims?.cnf?.jwk;
      if (!isPlainObject(jwk)) throw new InvalidError('the credential has no cnf.jwk for key binding');
      if (has(jwk, 'd')) throw new InvalidError('cnf.jwk holds a private key');
      const holder = keyFromJwk(jwk, 'cnf.jwk', { ErrorType: InvalidError });
      const header = decodeB64uJson(data.split('.')[0], 'KB-JWT header');
      if (header.alg !== holder.alg) {
        throw new InvalidError(`KB-JWT alg ${JSON.stringify(header.alg)} does not fit cnf.jwk (${holder.alg})`);
      }
      return verifyJwsSignature(holder, data, sig);
    },
    statusListFetcher: async (uri) => refuseStatusFetch(uri),
  };
  const instance = profile === 'vc' ? new SDJwtVcInstance(config) : new SDJwtInstance(config);
  const options = { currentDate: now };
  if (nonce !== undefined) options.keyBindingNonce = nonce;
  let result;
  try {
    result = await instance.verify(text, options);
  } catch (e) {
    throw new InvalidError(e.message);
  }

  const notes = [];
  if (nonce !== undefined) {
    const kb = result.kb;
    if (!kb) throw new InvalidError('no KB-JWT was checked');
    if (kb.payload.aud !== audience) {
      throw new InvalidError(`KB-JWT aud ${JSON.stringify(kb.payload.aud)}, expected ${JSON.stringify(audience)}`);
    }
    const iat = kb.payload.iat;
    if (!Number.isInteger(iat)) throw new InvalidError('KB-JWT iat is not an integer');
    if (iat > now + KB_FUTURE_SKEW_S) throw new InvalidError(`KB-JWT iat ${iat} is in the future (now ${now})`);
    if (iat < now - KB_MAX_AGE_S) throw new InvalidError(`KB-JWT iat ${iat} is older than ${KB_MAX_AGE_S} s (now ${now})`);
    const want = sdHashOf(text.slice(0, text.lastIndexOf('~') + 1), proc.sdAlg);
    if (kb.payload.sd_hash !== want) throw new InvalidError('KB-JWT sd_hash does not match the presentation');
  } else if (kbJwt !== null) {
    notes.push('a KB-JWT is present but was not checked (no --nonce / --audience)');
  }
  if (canonicalize(result.payload) !== canonicalize(proc.claims)) {
    throw new InvalidError('the library and the independent processing disagree on the claims');
  }
  return { claims: result.payload, header: result.header, kb: result.kb, notes };
}

// ---------------------------------------------------------------------------
// VC-JWT 1.1 (jwt_vc_json)

const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function dateToSeconds(value, member) {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' && RFC3339_RE.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`${member} is not an RFC 3339 date-time: ${JSON.stringify(value)}`);
  return Math.floor(ms / 1000);
}

function issuerIdOf(vc) {
  if (typeof vc.issuer === 'string') return vc.issuer;
  return isPlainObject(vc.issuer) && typeof vc.issuer.id === 'string' ? vc.issuer.id : undefined;
}

function subjectIdOf(vc) {
  let cs = vc.credentialSubject;
  if (Array.isArray(cs)) cs = cs.length === 1 ? cs[0] : undefined;
  return isPlainObject(cs) && typeof cs.id === 'string' ? cs.id : undefined;
}

async function issueVcJwt(key, vc, { kid, iss } = {}) {
  const { proof: _proof, ...credential } = vc;
  const claims = {
    iss: iss ?? issuerIdOf(vc),
    sub: subjectIdOf(vc),
    nbf: dateToSeconds(vc.validFrom ?? vc.issuanceDate, vc.validFrom !== undefined ? 'validFrom' : 'issuanceDate'),
    exp: dateToSeconds(vc.validUntil ?? vc.expirationDate, vc.validUntil !== undefined ? 'validUntil' : 'expirationDate'),
    jti: typeof vc.id === 'string' ? vc.id : undefined,
    vc: credential,
  };
  if (typeof claims.iss !== 'string') throw new UsageError('no issuer: give --iss or an issuer in the credential');
  const payload = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  const header = kid === undefined ? { alg: key.alg, typ: 'JWT' } : { alg: key.alg, typ: 'JWT', kid };
  if (key.type === 'secp256k1') {
    const input = `${b64u(Buffer.from(JSON.stringify(header)))}.${b64u(Buffer.from(JSON.stringify(payload)))}`;
    return `${input}.${b64u(signBytes(key, Buffer.from(input, 'ascii')))}`;
  }
  return new jose.SignJWT(payload).setProtectedHeader(header).sign(key.privateKey);
}

async function verifyVcJwt(token, key, now) {
  const jws = decodeJws(token, 'VC-JWT');
  if (jws.header.alg !== key.alg) {
    throw new InvalidError(`VC-JWT alg ${JSON.stringify(jws.header.alg)} does not fit the key (${key.alg})`);
  }
  if (has(jws.header, 'typ') && jws.header.typ !== 'JWT') {
    throw new InvalidError(`VC-JWT typ ${JSON.stringify(jws.header.typ)}, expected JWT`);
  }
  let payload;
  if (key.type === 'secp256k1') {
    if (!verifyJwsSignature(key, jws.signingInput, jws.signature)) throw new InvalidError('signature does not verify');
    payload = jws.payload;
    for (const c of ['nbf', 'exp']) {
      if (has(payload, c) && !Number.isFinite(payload[c])) throw new InvalidError(`${c} is not a number`);
    }
    if (has(payload, 'nbf') && payload.nbf > now) throw new InvalidError('VC-JWT is not yet valid (nbf)');
    if (has(payload, 'exp') && payload.exp <= now) throw new InvalidError('VC-JWT has expired (exp)');
  } else {
    try {
      ({ payload } = await jose.jwtVerify(token, key.publicKey, {
        algorithms: [key.alg], currentDate: new Date(now * 1000) }));
    } catch (e) {
      throw new InvalidError(`${e.code ?? 'jose'}: ${e.message}`);
    }
  }
  const vc = payload.vc;
  if (!isPlainObject(vc)) throw new InvalidError('VC-JWT has no vc object');
  if (has(payload, 'jti') && typeof vc.id === 'string' && vc.id !== payload.jti) {
    throw new InvalidError('jti differs from vc.id');
  }
  const subject = subjectIdOf(vc);
  if (has(payload, 'sub') && subject !== undefined && subject !== payload.sub) {
    throw new InvalidError('sub differs from vc.credentialSubject.id');
  }
  const issuer = issuerIdOf(vc);
  if (typeof payload.iss !== 'string') throw new InvalidError('VC-JWT has no string iss');
  if (issuer !== undefined && issuer !== payload.iss) throw new InvalidError('iss differs from vc.issuer');
  return { header: jws.header, payload };
}

// ---------------------------------------------------------------------------
// Command line

function parseArgs(argv, spec) {
  return parseCommandLine(argv, spec).opts;
}

function require_(opts, ...names) {
  for (const n of names) if (opts[n] === undefined) throw new UsageError(`--${n} is required`);
}

function readInputText(file) {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file === '-' ? 'stdin' : file}: ${e.message}`);
  }
}

function readJsonObject(file) {
  let value;
  try {
    value = JSON.parse(readInputText(file));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: not JSON: ${e.message}`);
  }
  if (!isPlainObject(value)) throw new UsageError(`${file}: must hold a JSON object`);
  return value;
}

function parseSeconds(text, name) {
  if (!/^(0|[1-9][0-9]{0,11})$/.test(text)) throw new UsageError(`--${name} must be whole seconds since 1970`);
  return Number(text);
}

function cmdKeygen(argv) {
  const opts = parseArgs(argv, { type: 'value', out: 'value' });
  require_(opts, 'type', 'out');
  if (!KEY_TYPES[opts.type]) throw new UsageError(`unknown key type ${opts.type} (p256, ed25519 or secp256k1)`);
  const [kind, options] = KEY_TYPES[opts.type].gen;
  const text = JSON.stringify(orderedJwk(generateJwkPair(kind, options).privateKey), null, 2) + '\n';
  try {
    fs.writeFileSync(opts.out, text, { mode: 0o600 });
    fs.chmodSync(opts.out, 0o600);
  } catch (e) {
    throw new UsageError(`cannot write ${opts.out}: ${e.message}`);
  }
  return EXIT_OK;
}

async function cmdIssue(argv) {
  const opts = parseArgs(argv, {
    key: 'value', in: 'value', disclose: 'multi', holder: 'value', typ: 'value', kid: 'value', decoys: 'value' });
  require_(opts, 'key', 'in');
  const issuer = loadKeyFile(opts.key, '--key', { requirePrivate: true });
  const instance = sdJwtIssuer(issuer);
  const payload = readJsonObject(opts.in);
  for (const k of ['_sd', '_sd_alg', '...']) {
    if (has(payload, k)) throw new UsageError(`${opts.in}: payload must not contain ${k}`);
  }
  if (typeof payload.vct !== 'string') process.stderr.write('issue: note: the payload has no string vct\n');
  if (opts.holder !== undefined) {
    if (has(payload, 'cnf')) throw new UsageError(`${opts.in} already has cnf; drop --holder or cnf`);
    payload.cnf = { jwk: loadKeyFile(opts.holder, '--holder').publicJwk };
  }
  const decoys = opts.decoys === undefined ? 0 : Number(opts.decoys);
  if (!Number.isInteger(decoys) || decoys < 0 || decoys > 100) throw new UsageError('--decoys must be 0..100');
  const paths = (opts.disclose ?? []).map(parseClaimPath);
  for (const segs of paths) {
    if (segs.length === 1 && VC_RESERVED_CLAIMS.includes(segs[0])) {
      throw new UsageError(`${segs[0]} must not be selectively disclosable in an SD-JWT VC`);
    }
  }
  const frame = paths.length > 0 || decoys > 0 ? buildFrame(payload, paths, decoys) : undefined;
  const sdjwt = await issueWith(instance, payload, frame, { typ: opts.typ ?? 'dc+sd-jwt', kid: opts.kid });
  process.stdout.write(sdjwt + '\n');
  return EXIT_OK;
}

async function cmdPresent(argv) {
  const opts = parseArgs(argv, {
    in: 'value', disclose: 'multi', 'holder-key': 'value', nonce: 'value', audience: 'value', iat: 'value',
    library: 'flag' });
  require_(opts, 'in');
  const text = readInputText(opts.in).trim();
  const paths = (opts.disclose ?? []).map(parseClaimPath);
  let holder = null;
  const kb = {};
  if (opts['holder-key'] !== undefined) {
    require_(opts, 'nonce', 'audience');
    holder = loadKeyFile(opts['holder-key'], '--holder-key', { requirePrivate: true });
    if (holder.type === 'secp256k1') throw new UsageError('the holder key must be P-256 or Ed25519');
    kb.nonce = opts.nonce;
    kb.audience = opts.audience;
    kb.iat = opts.iat === undefined ? nowSeconds() : parseSeconds(opts.iat, 'iat');
  } else if (opts.nonce !== undefined || opts.audience !== undefined || opts.iat !== undefined) {
    throw new UsageError('--nonce, --audience and --iat need --holder-key');
  }
  const out = opts.library ? await libraryPresent(text, paths, holder, kb)
    : await presentSdJwt(text, paths, holder, kb);
  process.stdout.write(out + '\n');
  return EXIT_OK;
}

// The library's own present(), for credentials it handles correctly: object paths only (its
// 0.19 present() loses array-element disclosures inside recursive ones, see the self-test).
async function libraryPresent(text, paths, holder, kb) {
  const frame = {};
  for (const segs of paths) {
    if (segs.some((s) => typeof s === 'number')) {
      throw new UsageError('--library presents object paths only');
    }
    let node = frame;
    segs.forEach((s, i) => {
      if (i === segs.length - 1) node[s] = true;
      else node = node[s] = typeof node[s] === 'object' ? node[s] : {};
    });
  }
  const options = { hasher: sdHasher };
  if (holder) {
    options.kbSigner = jwsSigner(holder);
    options.kbSignAlg = holder.alg;
  }
  const lib = new SDJwtVcInstance(options);
  return lib.present(text, frame, holder
    ? { kb: { payload: { iat: kb.iat, aud: kb.audience, nonce: kb.nonce } } } : undefined);
}

async function cmdVerify(argv) {
  const opts = parseArgs(argv, {
    in: 'value', 'issuer-key': 'value', nonce: 'value', audience: 'value', now: 'value', core: 'flag', typ: 'value' });
  require_(opts, 'in', 'issuer-key');
  if ((opts.nonce === undefined) !== (opts.audience === undefined)) {
    throw new UsageError('give --nonce and --audience together');
  }
  const issuerKey = loadKeyFile(opts['issuer-key'], '--issuer-key');
  if (issuerKey.type === 'secp256k1') throw new UsageError('SD-JWT issuer keys are P-256 or Ed25519');
  const now = opts.now === undefined ? nowSeconds() : parseSeconds(opts.now, 'now');
  const text = readInputText(opts.in).trim();
  let result;
  try {
    result = await verifySdJwt(text, {
      issuerKey, nonce: opts.nonce, audience: opts.audience, now,
      profile: opts.core ? 'core' : 'vc', typ: opts.typ });
  } catch (e) {
    if (!(e instanceof InvalidError)) throw e;
    process.stderr.write(`invalid: ${e.message}\n`);
    return EXIT_INVALID;
  }
  for (const n of result.notes) process.stderr.write(`note: ${n}\n`);
  process.stdout.write(JSON.stringify(result.claims, null, 2) + '\n');
  return EXIT_OK;
}

async function cmdVcjwtIssue(argv) {
  const opts = parseArgs(argv, { key: 'value', in: 'value', kid: 'value', iss: 'value' });
  require_(opts, 'key', 'in');
  const key = loadKeyFile(opts.key, '--key', { requirePrivate: true });
  const vc = readJsonObject(opts.in);
  process.stdout.write(await issueVcJwt(key, vc, { kid: opts.kid, iss: opts.iss }) + '\n');
  return EXIT_OK;
}

async function cmdVcjwtVerify(argv) {
  const opts = parseArgs(argv, { key: 'value', in: 'value', now: 'value' });
  require_(opts, 'key', 'in');
  const key = loadKeyFile(opts.key, '--key');
  const now = opts.now === undefined ? nowSeconds() : parseSeconds(opts.now, 'now');
  const token = readInputText(opts.in).trim();
  let result;
  try {
    result = await verifyVcJwt(token, key, now);
  } catch (e) {
    if (!(e instanceof InvalidError)) throw e;
    process.stderr.write(`invalid: ${e.message}\n`);
    return EXIT_INVALID;
  }
  process.stdout.write(JSON.stringify(result.payload, null, 2) + '\n');
  return EXIT_OK;
}

function cmdBenchPayload(argv) {
  parseArgs(argv, {});
  process.stdout.write(JSON.stringify(BENCH_PAYLOAD, null, 2) + '\n');
  return EXIT_OK;
}

function cmdBenchDisclose(argv) {
  const opts = parseArgs(argv, { presented: 'flag' });
  process.stdout.write((opts.presented ? BENCH_PRESENT : BENCH_DISCLOSE).join('\n') + '\n');
  return EXIT_OK;
}

// Operations per second of an async operation: a short warm-up, then `seconds` of work.
async function asyncRate(fn, seconds) {
  const warmEnd = process.hrtime.bigint() + BigInt(Math.round(Math.min(seconds, 0.2) * 1e9));
  while (process.hrtime.bigint() < warmEnd) await fn();
  const budget = BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let n = 0;
  let now = start;
  do {
    for (let i = 0; i < 8; i++) await fn();
    n += 8;
    now = process.hrtime.bigint();
  } while (now - start < budget);
  return Math.round((n * 1e9) / Number(now - start));
}

async function cmdBench(argv) {
  const opts = parseArgs(argv, { key: 'value', holder: 'value', seconds: 'value' });
  require_(opts, 'key', 'holder');
  const seconds = opts.seconds === undefined ? 3 : Number(opts.seconds);
  if (!(seconds > 0 && seconds <= 600)) throw new UsageError('--seconds must be in (0, 600]');
  const issuer = loadKeyFile(opts.key, '--key', { requirePrivate: true });
  if (issuer.type !== 'p256') throw new UsageError('bench needs a P-256 issuer key (ES256)');
  const holder0 = loadKeyFile(opts.holder, '--holder', { requirePrivate: true });
  if (holder0.type !== 'p256') throw new UsageError('bench needs a P-256 holder key');
  const instance = sdJwtIssuer(issuer);
  const frame = buildFrame(BENCH_PAYLOAD, BENCH_DISCLOSE.map(parseClaimPath), 0);
  const presentPaths = BENCH_PRESENT.map(parseClaimPath);
  const withHolder = (h) => ({ ...BENCH_PAYLOAD, cnf: { jwk: h.publicJwk } });

  // Distinct holders, each with its own credential and presentation; verification may cache
  // only the issuer key (the holder key is imported from cnf.jwk every time).
  const now = nowSeconds();
  const holders = [holder0];
  while (holders.length < BENCH_HOLDERS) holders.push(generateKey('p256'));
  const presentations = [];
  for (const h of holders) {
    const sdjwt = await issueWith(instance, withHolder(h), frame);
    presentations.push(await presentSdJwt(sdjwt, presentPaths, h,
      { nonce: BENCH_NONCE, audience: BENCH_AUDIENCE, iat: now }));
  }
  const verifyOpts = { issuerKey: issuer, nonce: BENCH_NONCE, audience: BENCH_AUDIENCE, now, profile: 'vc' };
  for (const p of presentations) {
    const { claims } = await verifySdJwt(p, verifyOpts);
    if (Object.keys(claims).filter((k) => BENCH_DISCLOSE.includes(k)).length !== BENCH_PRESENT.length) {
      throw new Error('bench self-check: wrong claims revealed');
    }
  }

  let sink = 0;
  const issuePerS = await asyncRate(async () => {
    sink += (await issueWith(instance, withHolder(holder0), frame)).length;
  }, seconds);
  let next = 0;
  const verifyPerS = await asyncRate(async () => {
    await verifySdJwt(presentations[next], verifyOpts);
    next = (next + 1) % presentations.length;
  }, seconds);

  const msg = crypto.randomBytes(64);
  const sig = signBytes(issuer, msg);
  const rawSignPerS = await asyncRate(async () => {
    sink += signBytes(issuer, msg).length;
  }, seconds);
  const rawVerifyPerS = await asyncRate(async () => {
    if (!verifyBytes(issuer, msg, sig)) throw new Error('raw verify failed');
  }, seconds);
  if (sink < 0) process.stderr.write('');
  process.stdout.write(JSON.stringify({
    issue_per_s: issuePerS,
    verify_per_s: verifyPerS,
    raw_sign_per_s: rawSignPerS,
    raw_verify_per_s: rawVerifyPerS,
  }) + '\n');
  return EXIT_OK;
}

const COMMANDS = {
  keygen: cmdKeygen,
  issue: cmdIssue,
  present: cmdPresent,
  verify: cmdVerify,
  'vcjwt-issue': cmdVcjwtIssue,
  'vcjwt-verify': cmdVcjwtVerify,
  bench: cmdBench,
  'bench-payload': cmdBenchPayload,
  'bench-disclose': cmdBenchDisclose,
};

export {
  BENCH_PAYLOAD, BENCH_DISCLOSE, BENCH_PRESENT, parseClaimPath, formatPath, processSdJwt,
  presentSdJwt, verifySdJwt, issueVcJwt, verifyVcJwt, keyFromJwk,
};

await runIfMain(import.meta.url,
  (argv) => runCommand(COMMANDS, USAGE, argv, (e) => e instanceof UsageError));
