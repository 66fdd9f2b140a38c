#!/usr/bin/env node
// Independent JavaScript peer for Lanyard's interoperability tests.
//
// Implements the W3C Data Integrity cryptosuites eddsa-jcs-2022 (Ed25519) and
// ecdsa-jcs-2019 (P-256 with SHA-256) on top of node:crypto, plus offline
// did:key resolution, so that credentials issued by Lanyard can be checked by
// code that shares nothing with it, and the other way round. JCS (RFC 8785)
// comes from the `canonicalize` package; base58btc, base64url and P-256 point
// decompression are written out here.
//
// Exit codes: 0 success / valid, 1 invalid, 2 bad usage or unreadable input.
// Diagnostics go to stderr. Run `node peer.mjs help` for the commands.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import canonicalize from 'canonicalize';

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

const USAGE = `usage:
  node peer.mjs keygen --type ed25519|p256 --out FILE
  node peer.mjs did FILE
  node peer.mjs jwk-from-multikey (--secret zMULTIBASE | --keypair FILE) --out FILE
  node peer.mjs issue (--key JWKFILE | --multikey-secret zMULTIBASE)
                      --suite eddsa-jcs-2022|ecdsa-jcs-2019
                      [--created RFC3339] [--in FILE]
  node peer.mjs verify [--no-issuer-binding] FILE|-
  node peer.mjs canon            (newline-separated JSON texts on stdin)
  node peer.mjs bench --key JWKFILE --suite SUITE --in FILE [--seconds N]`;

// ---------------------------------------------------------------------------
// base58btc (Bitcoin alphabet)

const B58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B58_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B58_ALPHABET.length; i++) B58_INDEX[B58_ALPHABET.charCodeAt(i)] = i;

function base58Encode(bytes) {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  // Base-58 digits, least significant first; repeated multiply-and-add.
  const digits = [];
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i];
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j] * 256;
      digits[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = '1'.repeat(zeros);
  for (let i = digits.length - 1; i >= 0; i--) out += B58_ALPHABET[digits[i]];
  return out;
}

function base58Decode(text) {
  if (typeof text !== 'string') throw new Error('base58: not a string');
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const bytes = []; // base-256 digits, least significant first
  for (let i = zeros; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B58_INDEX[c] : -1;
    if (v < 0) throw new Error(`base58: invalid character at offset ${i}`);
    let carry = v;
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j] * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let i = 0; i < bytes.length; i++) out[out.length - 1 - i] = bytes[i];
  return out;
}

function multibaseEncode(bytes) {
  return 'z' + base58Encode(bytes);
}

function multibaseDecode(text) {
  if (typeof text !== 'string' || text.length < 2 || text[0] !== 'z') {
    throw new Error('multibase value must be a base58btc string starting with "z"');
  }
  return base58Decode(text.slice(1));
}

// ---------------------------------------------------------------------------
// base64url without padding (RFC 4648 section 5), strict on decode

const B64U_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64U_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64U_ALPHABET.length; i++) B64U_INDEX[B64U_ALPHABET.charCodeAt(i)] = i;

function base64urlEncode(bytes) {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64U_ALPHABET[(n >> 18) & 63] + B64U_ALPHABET[(n >> 12) & 63] +
      B64U_ALPHABET[(n >> 6) & 63] + B64U_ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64U_ALPHABET[(n >> 18) & 63] + B64U_ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64U_ALPHABET[(n >> 18) & 63] + B64U_ALPHABET[(n >> 12) & 63] +
      B64U_ALPHABET[(n >> 6) & 63];
  }
  return out;
}

function base64urlDecode(text) {
  if (typeof text !== 'string') throw new Error('base64url: not a string');
  if (text.length % 4 === 1) throw new Error('base64url: impossible length');
  const vals = new Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64U_INDEX[c] : -1;
    if (v < 0) throw new Error(`base64url: invalid character at offset ${i}`);
    vals[i] = v;
  }
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 4 <= vals.length; i += 4) {
    const n = (vals[i] << 18) | (vals[i + 1] << 12) | (vals[i + 2] << 6) | vals[i + 3];
    out[o++] = (n >> 16) & 0xff;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rest = vals.length - i;
  if (rest === 2) {
    if (vals[i + 1] & 0x0f) throw new Error('base64url: non-zero padding bits');
    out[o++] = (vals[i] << 2) | (vals[i + 1] >> 4);
  } else if (rest === 3) {
    if (vals[i + 2] & 0x03) throw new Error('base64url: non-zero padding bits');
    const n = (vals[i] << 18) | (vals[i + 1] << 12) | (vals[i + 2] << 6);
    out[o++] = (n >> 16) & 0xff;
    out[o++] = (n >> 8) & 0xff;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Small byte helpers

function concatBytes(...parts) {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function startsWith(bytes, prefix) {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function bytesToBigInt(bytes) {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function bigIntToBytes(n, len) {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  if (n !== 0n) throw new Error('integer does not fit');
  return out;
}

// ---------------------------------------------------------------------------
// P-256 point compression / decompression (SEC 1, section 2.3.3 / 2.3.4)

const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function modPow(base, exp, mod) {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

function p256Compress(xBytes, yBytes) {
  const y = bytesToBigInt(yBytes);
  return concatBytes(Uint8Array.of(y & 1n ? 0x03 : 0x02), xBytes);
}

function p256Decompress(point) {
  if (point.length !== 33 || (point[0] !== 0x02 && point[0] !== 0x03)) {
    throw new Error('P-256 key must be a 33-byte compressed point (0x02/0x03 prefix)');
  }
  const x = bytesToBigInt(point.subarray(1));
  if (x >= P256_P) throw new Error('P-256 x coordinate out of range');
  // y^2 = x^3 - 3x + b (mod p)
  const rhs = ((((x * x) % P256_P) * x - 3n * x + P256_B) % P256_P + P256_P) % P256_P;
  // p = 3 (mod 4), so a square root is rhs^((p+1)/4).
  let y = modPow(rhs, (P256_P + 1n) / 4n, P256_P);
  if ((y * y) % P256_P !== rhs) throw new Error('P-256 point is not on the curve');
  const wantOdd = point[0] === 0x03;
  if ((y & 1n) === 1n) {
    if (!wantOdd) y = P256_P - y;
  } else if (wantOdd) {
    y = P256_P - y;
  }
  if (y === 0n && wantOdd) throw new Error('P-256 point has no odd y');
  return { x: point.subarray(1), y: bigIntToBytes(y, 32) };
}

// ---------------------------------------------------------------------------
// Keys, Multikey and did:key

// Multicodec varint prefixes.
const MC_ED25519_PUB = Uint8Array.of(0xed, 0x01);
const MC_P256_PUB = Uint8Array.of(0x80, 0x24);
const MC_P384_PUB = Uint8Array.of(0x81, 0x24);
const MC_ED25519_PRIV = Uint8Array.of(0x80, 0x26);
const MC_P256_PRIV = Uint8Array.of(0x86, 0x26);

// PKCS#8 DER headers for a bare 32-byte private key.
const PKCS8_ED25519_HEADER = Uint8Array.from(
  Buffer.from('302e020100300506032b657004220420', 'hex'));
const PKCS8_P256_HEADER = Uint8Array.from(Buffer.from(
  '3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420', 'hex'));

const SUITES = {
  'eddsa-jcs-2022': { keyType: 'ed25519' },
  'ecdsa-jcs-2019': { keyType: 'p256' },
};

function multikeyPublic(keyType, raw) {
  if (keyType === 'ed25519') return multibaseEncode(concatBytes(MC_ED25519_PUB, raw));
  return multibaseEncode(concatBytes(MC_P256_PUB, raw));
}

// Builds a signer from a private KeyObject: raw public key, did, VM id.
function signerFromPrivateKey(privateKey) {
  const jwk = privateKey.export({ format: 'jwk' });
  let keyType;
  let raw;
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    keyType = 'ed25519';
    raw = base64urlDecode(jwk.x);
  } else if (jwk.kty === 'EC' && jwk.crv === 'P-256') {
    keyType = 'p256';
    raw = p256Compress(base64urlDecode(jwk.x), base64urlDecode(jwk.y));
  } else {
    throw new Error(`unsupported key type ${jwk.kty}/${jwk.crv}`);
  }
  const mk = multikeyPublic(keyType, raw);
  const did = `did:key:${mk}`;
  return { keyType, privateKey, publicKey: crypto.createPublicKey(privateKey), did,
    verificationMethod: `${did}#${mk}`, jwk };
}

function loadJwkFile(file) {
  let jwk;
  try {
    jwk = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read JWK file ${file}: ${e.message}`);
  }
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) {
    throw new UsageError(`${file}: JWK must be a JSON object`);
  }
  return signerFromJwk(jwk, file);
}

function signerFromJwk(jwk, label) {
  const need = (name, len) => {
    if (typeof jwk[name] !== 'string') throw new UsageError(`${label}: JWK member "${name}" missing`);
    let bytes;
    try {
      bytes = base64urlDecode(jwk[name]);
    } catch (e) {
      throw new UsageError(`${label}: JWK member "${name}": ${e.message}`);
    }
    if (bytes.length !== len) throw new UsageError(`${label}: JWK member "${name}" must be ${len} bytes`);
    return bytes;
  };
  let privateKey;
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    const d = need('d', 32);
    const x = need('x', 32);
    privateKey = crypto.createPrivateKey({
      key: Buffer.from(concatBytes(PKCS8_ED25519_HEADER, d)), format: 'der', type: 'pkcs8' });
    const derivedX = base64urlDecode(privateKey.export({ format: 'jwk' }).x);
    if (Buffer.compare(Buffer.from(derivedX), Buffer.from(x)) !== 0) {
      throw new UsageError(`${label}: JWK "x" does not match "d"`);
    }
  } else if (jwk.kty === 'EC' && jwk.crv === 'P-256') {
    const d = need('d', 32);
    const x = need('x', 32);
    const y = need('y', 32);
    try {
      privateKey = crypto.createPrivateKey({
        key: Buffer.from(concatBytes(PKCS8_P256_HEADER, d)), format: 'der', type: 'pkcs8' });
    } catch (e) {
      throw new UsageError(`${label}: invalid P-256 private scalar: ${e.message}`);
    }
    const derived = privateKey.export({ format: 'jwk' });
    if (derived.x !== base64urlEncode(x) || derived.y !== base64urlEncode(y)) {
      throw new UsageError(`${label}: JWK "x"/"y" do not match "d"`);
    }
  } else {
    throw new UsageError(`${label}: unsupported JWK (need kty OKP crv Ed25519, or kty EC crv P-256)`);
  }
  return signerFromPrivateKey(privateKey);
}

function signerFromMultikeySecret(secret) {
  let bytes;
  try {
    bytes = multibaseDecode(secret);
  } catch (e) {
    throw new UsageError(`secret key multibase: ${e.message}`);
  }
  let privateKey;
  if (startsWith(bytes, MC_ED25519_PRIV) && bytes.length === 34) {
    privateKey = crypto.createPrivateKey({
      key: Buffer.from(concatBytes(PKCS8_ED25519_HEADER, bytes.subarray(2))),
      format: 'der', type: 'pkcs8' });
  } else if (startsWith(bytes, MC_P256_PRIV) && bytes.length === 34) {
    try {
      privateKey = crypto.createPrivateKey({
        key: Buffer.from(concatBytes(PKCS8_P256_HEADER, bytes.subarray(2))),
        format: 'der', type: 'pkcs8' });
    } catch (e) {
      throw new UsageError(`invalid P-256 private scalar: ${e.message}`);
    }
  } else {
    throw new UsageError('secret key multibase must be ed25519-priv (0x1300) or p256-priv (0x1306) with 32 key bytes');
  }
  return signerFromPrivateKey(privateKey);
}

// Resolves a did:key verification method URL offline to a public KeyObject.
// Throws with a reason when the URL is not a usable did:key VM.
function resolveDidKeyVm(vm) {
  if (typeof vm !== 'string') throw new Error('verificationMethod must be a string');
  const hash = vm.indexOf('#');
  if (hash < 0) throw new Error('verificationMethod has no fragment');
  const did = vm.slice(0, hash);
  const fragment = vm.slice(hash + 1);
  if (!did.startsWith('did:key:')) throw new Error(`verificationMethod is not a did:key: ${did}`);
  const mk = did.slice('did:key:'.length);
  if (fragment !== mk) throw new Error('did:key verificationMethod fragment must equal the key identifier');
  const bytes = multibaseDecode(mk);
  if (startsWith(bytes, MC_ED25519_PUB)) {
    if (bytes.length !== 34) throw new Error('did:key Ed25519 key must be 32 bytes');
    const publicKey = crypto.createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(bytes.subarray(2)) }, format: 'jwk' });
    return { did, keyType: 'ed25519', publicKey };
  }
  if (startsWith(bytes, MC_P256_PUB)) {
    const { x, y } = p256Decompress(bytes.subarray(2));
    const publicKey = crypto.createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: base64urlEncode(x), y: base64urlEncode(y) }, format: 'jwk' });
    return { did, keyType: 'p256', publicKey };
  }
  if (startsWith(bytes, MC_P384_PUB)) throw new Error('did:key P-384 keys are not supported');
  throw new Error('did:key uses an unsupported multicodec');
}

// ---------------------------------------------------------------------------
// Data Integrity: eddsa-jcs-2022 / ecdsa-jcs-2019

// RFC 3339 date-time (used for --created).
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
// XML Schema 1.1 dateTime (what the cryptosuites require of "created").
const XSD_DATETIME_RE = /^-?(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/;

function validDateParts(m) {
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || minute > 59 || second > 60) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (day > days) return false;
  if (hour > 24 || (hour === 24 && (minute !== 0 || second !== 0))) return false;
  if (m[9] !== undefined && (Number(m[9]) > 14 || Number(m[10]) > 59)) return false;
  return true;
}

function isRfc3339(text) {
  const m = RFC3339_RE.exec(text);
  return m !== null && validDateParts(m) && Number(m[4]) < 24 && Number(m[6]) < 60;
}

function isXsdDateTime(text) {
  const m = XSD_DATETIME_RE.exec(text);
  return m !== null && validDateParts(m) && Number(m[6]) < 60;
}

function sha256(text) {
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}

// hashData = SHA-256(JCS(proofConfig)) || SHA-256(JCS(unsecuredDocument))
function hashData(proofConfig, unsecuredDocument) {
  return concatBytes(sha256(canonicalize(proofConfig)), sha256(canonicalize(unsecuredDocument)));
}

function signBytes(keyType, privateKey, data) {
  if (keyType === 'ed25519') return crypto.sign(null, data, privateKey);
  return crypto.sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

function verifyBytes(keyType, publicKey, data, signature) {
  if (keyType === 'ed25519') return crypto.verify(null, data, publicKey, signature);
  return crypto.verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
}

function withoutProof(document) {
  const { proof: _ignored, ...rest } = document;
  return rest;
}

function nowSeconds() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// Returns a new document carrying an additional proof by `signer`.
function issue(document, signer, suite, created) {
  if (!isPlainObject(document)) throw new Error('credential must be a JSON object');
  const suiteInfo = SUITES[suite];
  if (!suiteInfo) throw new Error(`unknown cryptosuite ${suite}`);
  if (suiteInfo.keyType !== signer.keyType) {
    throw new Error(`cryptosuite ${suite} needs a ${suiteInfo.keyType} key, got ${signer.keyType}`);
  }
  const unsecured = withoutProof(document);
  const proofConfig = {
    type: 'DataIntegrityProof',
    cryptosuite: suite,
    created: created ?? nowSeconds(),
    verificationMethod: signer.verificationMethod,
    proofPurpose: 'assertionMethod',
  };
  if (Object.prototype.hasOwnProperty.call(unsecured, '@context')) {
    proofConfig['@context'] = unsecured['@context'];
  }
  const signature = signBytes(signer.keyType, signer.privateKey, hashData(proofConfig, unsecured));
  const proof = { ...proofConfig, proofValue: multibaseEncode(signature) };
  const out = { ...document };
  if (!Object.prototype.hasOwnProperty.call(document, 'proof')) {
    out.proof = proof;
  } else if (Array.isArray(document.proof)) {
    out.proof = [...document.proof, proof];
  } else {
    out.proof = [document.proof, proof];
  }
  return out;
}

function asContextList(ctx) {
  return Array.isArray(ctx) ? ctx : [ctx];
}

function sameJson(a, b) {
  try {
    return canonicalize(a) === canonicalize(b);
  } catch {
    return false;
  }
}

// Verifies one proof against the document; returns null or a reason.
function verifyOneProof(document, proof) {
  if (!isPlainObject(proof)) return 'proof is not an object';
  if (proof.type !== 'DataIntegrityProof') return `proof type is ${JSON.stringify(proof.type)}, expected DataIntegrityProof`;
  const suiteInfo = SUITES[proof.cryptosuite];
  if (!suiteInfo) return `unknown cryptosuite ${JSON.stringify(proof.cryptosuite)}`;
  if (proof.proofPurpose !== 'assertionMethod') {
    return `proofPurpose is ${JSON.stringify(proof.proofPurpose)}, expected assertionMethod`;
  }
  if (Object.prototype.hasOwnProperty.call(proof, 'previousProof')) {
    return 'proof chains (previousProof) are not supported';
  }
  if (Object.prototype.hasOwnProperty.call(proof, 'created') &&
      (typeof proof.created !== 'string' || !isXsdDateTime(proof.created))) {
    return `created is not a valid dateTime: ${JSON.stringify(proof.created)}`;
  }
  if (typeof proof.proofValue !== 'string') return 'proofValue missing or not a string';
  let signature;
  try {
    signature = multibaseDecode(proof.proofValue);
  } catch (e) {
    return `proofValue: ${e.message}`;
  }
  if (signature.length !== 64) return `signature is ${signature.length} bytes, expected 64`;

  let key;
  try {
    key = resolveDidKeyVm(proof.verificationMethod);
  } catch (e) {
    return `verificationMethod: ${e.message}`;
  }
  if (key.keyType !== suiteInfo.keyType) {
    return `cryptosuite ${proof.cryptosuite} cannot use a ${key.keyType} key`;
  }

  const { proofValue: _pv, ...proofOptions } = proof;
  const unsecured = withoutProof(document);
  if (Object.prototype.hasOwnProperty.call(proofOptions, '@context')) {
    const want = asContextList(proofOptions['@context']);
    const have = Object.prototype.hasOwnProperty.call(document, '@context')
      ? asContextList(document['@context']) : [];
    if (have.length < want.length || !want.every((c, i) => sameJson(c, have[i]))) {
      return 'document @context does not start with the proof @context';
    }
    unsecured['@context'] = proofOptions['@context'];
  }

  let data;
  try {
    data = hashData(proofOptions, unsecured);
  } catch (e) {
    return `cannot canonicalize: ${e.message}`;
  }
  let ok;
  try {
    ok = verifyBytes(key.keyType, key.publicKey, data, signature);
  } catch (e) {
    return `signature check failed: ${e.message}`;
  }
  return ok ? null : 'signature does not verify';
}

// Returns the list of reasons the credential is not valid (empty = valid).
function verifyCredential(document, { issuerBinding = true } = {}) {
  if (!isPlainObject(document)) return ['credential is not a JSON object'];
  if (!Object.prototype.hasOwnProperty.call(document, 'proof')) return ['credential has no proof'];
  const proofs = Array.isArray(document.proof) ? document.proof : [document.proof];
  if (proofs.length === 0) return ['credential has an empty proof set'];
  const reasons = [];
  const dids = new Set();
  proofs.forEach((proof, i) => {
    const reason = verifyOneProof(document, proof);
    const label = proofs.length > 1 ? `proof[${i}]: ` : 'proof: ';
    if (reason !== null) reasons.push(label + reason);
    if (isPlainObject(proof) && typeof proof.verificationMethod === 'string') {
      dids.add(proof.verificationMethod.split('#')[0]);
    }
  });
  if (issuerBinding) {
    const issuer = document.issuer;
    const issuerId = typeof issuer === 'string' ? issuer : isPlainObject(issuer) ? issuer.id : undefined;
    if (typeof issuerId !== 'string') {
      reasons.push('issuer missing (need a string or an object with a string id)');
    } else if (!dids.has(issuerId)) {
      reasons.push(`issuer ${issuerId} is not the DID of any proof's verificationMethod`);
    }
  }
  return reasons;
}

// ---------------------------------------------------------------------------
// Command line

// Reads `--name value`, `--name=value` and `--flag` options. spec: { name: 'value' | 'multi' |
// 'flag' }; 'multi' options collect into an array. Other arguments are positional, refused unless
// `allowPositional`. Shared by every peer in this folder.
function parseCommandLine(argv, spec, allowPositional = false) {
  const opts = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      if (!allowPositional) throw new UsageError(`unexpected argument ${a}`);
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === 'flag') {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      opts[name] = true;
      continue;
    }
    let value;
    if (eq >= 0) value = a.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new UsageError(`option --${name} needs a value`);
    if (kind === 'multi') {
      (opts[name] ??= []).push(value);
    } else {
      if (Object.prototype.hasOwnProperty.call(opts, name)) throw new UsageError(`option --${name} given twice`);
      opts[name] = value;
    }
  }
  return { opts, positional };
}

function parseArgs(argv, spec) {
  return parseCommandLine(argv, spec, true);
}

function readInputText(file) {
  try {
    return fs.readFileSync(file === undefined || file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file ?? 'stdin'}: ${e.message}`);
  }
}

function parseJsonText(text, label) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${label}: not JSON: ${e.message}`);
  }
}

function writePrivateJwk(file, jwk) {
  const text = JSON.stringify(jwk, null, 2) + '\n';
  try {
    fs.writeFileSync(file, text, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${e.message}`);
  }
}

function orderedJwk(jwk) {
  return jwk.kty === 'OKP'
    ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }
    : { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d };
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

function cmdKeygen(argv) {
  const { opts, positional } = parseArgs(argv, { type: 'value', out: 'value' });
  if (positional.length || !opts.type || !opts.out) throw new UsageError('keygen needs --type and --out');
  let pair;
  if (opts.type === 'ed25519') pair = generateJwkPair('ed25519', {});
  else if (opts.type === 'p256') pair = generateJwkPair('ec', { namedCurve: 'P-256' });
  else throw new UsageError(`unknown key type ${opts.type} (ed25519 or p256)`);
  writePrivateJwk(opts.out, orderedJwk(pair.privateKey));
  return EXIT_OK;
}

function cmdDid(argv) {
  const { positional } = parseArgs(argv, {});
  if (positional.length !== 1) throw new UsageError('did needs exactly one JWK file');
  process.stdout.write(loadJwkFile(positional[0]).did + '\n');
  return EXIT_OK;
}

function cmdJwkFromMultikey(argv) {
  const { opts, positional } = parseArgs(argv, { secret: 'value', keypair: 'value', out: 'value' });
  if (positional.length || !opts.out || (opts.secret === undefined) === (opts.keypair === undefined)) {
    throw new UsageError('jwk-from-multikey needs --out and exactly one of --secret, --keypair');
  }
  let secret = opts.secret;
  let expectPublic;
  if (opts.keypair !== undefined) {
    const kp = parseJsonText(readInputText(opts.keypair), opts.keypair);
    secret = kp?.privateKeyMultibase ?? kp?.secretKeyMultibase;
    if (typeof secret !== 'string') {
      throw new UsageError(`${opts.keypair}: no privateKeyMultibase / secretKeyMultibase`);
    }
    expectPublic = kp.publicKeyMultibase;
  }
  const signer = signerFromMultikeySecret(secret);
  if (expectPublic !== undefined && `did:key:${expectPublic}` !== signer.did) {
    throw new UsageError(`${opts.keypair}: publicKeyMultibase does not match the secret key`);
  }
  writePrivateJwk(opts.out, orderedJwk(signer.jwk));
  return EXIT_OK;
}

function signerFromOpts(opts) {
  if ((opts.key === undefined) === (opts['multikey-secret'] === undefined)) {
    throw new UsageError('give exactly one of --key, --multikey-secret');
  }
  return opts.key !== undefined ? loadJwkFile(opts.key) : signerFromMultikeySecret(opts['multikey-secret']);
}

function cmdIssue(argv) {
  const { opts, positional } = parseArgs(argv, {
    key: 'value', 'multikey-secret': 'value', suite: 'value', created: 'value', in: 'value' });
  if (positional.length) throw new UsageError(`unexpected argument ${positional[0]}`);
  if (!opts.suite) throw new UsageError('issue needs --suite');
  if (!SUITES[opts.suite]) throw new UsageError(`unknown suite ${opts.suite}`);
  if (opts.created !== undefined && !isRfc3339(opts.created)) {
    throw new UsageError(`--created is not an RFC 3339 date-time: ${opts.created}`);
  }
  const signer = signerFromOpts(opts);
  if (SUITES[opts.suite].keyType !== signer.keyType) {
    throw new UsageError(`suite ${opts.suite} needs a ${SUITES[opts.suite].keyType} key`);
  }
  const label = opts.in ?? 'stdin';
  const document = parseJsonText(readInputText(opts.in), label);
  if (!isPlainObject(document)) throw new UsageError(`${label}: credential must be a JSON object`);
  let signed;
  try {
    signed = issue(document, signer, opts.suite, opts.created);
  } catch (e) {
    process.stderr.write(`issue failed: ${e.message}\n`);
    return EXIT_INVALID;
  }
  process.stdout.write(JSON.stringify(signed, null, 2) + '\n');
  return EXIT_OK;
}

function cmdVerify(argv) {
  const { opts, positional } = parseArgs(argv, { 'no-issuer-binding': 'flag' });
  if (positional.length !== 1) throw new UsageError('verify needs exactly one FILE (or - for stdin)');
  const label = positional[0] === '-' ? 'stdin' : positional[0];
  const document = parseJsonText(readInputText(positional[0]), label);
  const reasons = verifyCredential(document, { issuerBinding: !opts['no-issuer-binding'] });
  if (reasons.length === 0) {
    process.stdout.write('valid\n');
    return EXIT_OK;
  }
  process.stdout.write('invalid\n');
  for (const r of reasons) process.stderr.write(`invalid: ${r}\n`);
  return EXIT_INVALID;
}

// Streams stdin line by line ("\n" only); one output line per input line.
async function cmdCanon(argv) {
  const { positional } = parseArgs(argv, {});
  if (positional.length) throw new UsageError('canon reads stdin and takes no arguments');
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const out = process.stdout;
  let pending = [];
  let pendingLen = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    pendingLen = 0;
    if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
  };
  const handleLine = (bytes) => {
    let line;
    try {
      line = canonicalize(JSON.parse(decoder.decode(bytes)));
    } catch {
      line = '!error';
    }
    if (line === undefined) line = '!error';
    pending.push(line, '\n');
    pendingLen += line.length + 1;
  };
  let carry = null;
  for await (const chunk of process.stdin) {
    let buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) break;
      handleLine(buf.subarray(start, nl));
      start = nl + 1;
    }
    carry = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
    if (pendingLen >= 1 << 16) await flush();
  }
  if (carry) handleLine(carry);
  await flush();
  return EXIT_OK;
}

function rate(fn, seconds) {
  // Warm up briefly, then run for `seconds` and report operations per second.
  const warmEnd = process.hrtime.bigint() + 200_000_000n;
  while (process.hrtime.bigint() < warmEnd) fn();
  const budget = BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let n = 0;
  let now = start;
  do {
    for (let i = 0; i < 16; i++) fn();
    n += 16;
    now = process.hrtime.bigint();
  } while (now - start < budget);
  return Math.round((n * 1e9) / Number(now - start));
}

function cmdBench(argv) {
  const { opts, positional } = parseArgs(argv, {
    key: 'value', suite: 'value', in: 'value', seconds: 'value' });
  if (positional.length || !opts.key || !opts.suite || !opts.in) {
    throw new UsageError('bench needs --key, --suite and --in');
  }
  if (!SUITES[opts.suite]) throw new UsageError(`unknown suite ${opts.suite}`);
  const seconds = opts.seconds === undefined ? 3 : Number(opts.seconds);
  if (!(seconds > 0 && seconds <= 600)) throw new UsageError('--seconds must be in (0, 600]');
  const signer = loadJwkFile(opts.key);
  if (SUITES[opts.suite].keyType !== signer.keyType) {
    throw new UsageError(`suite ${opts.suite} needs a ${SUITES[opts.suite].keyType} key`);
  }
  const text = readInputText(opts.in);
  parseJsonText(text, opts.in);
  const created = nowSeconds();

  // The credential names this key as issuer so the full verification passes.
  const base = JSON.parse(text);
  const signedText = JSON.stringify(issue({ ...withoutProof(base), issuer: signer.did },
    signer, opts.suite, created));
  const check = verifyCredential(JSON.parse(signedText));
  if (check.length) throw new Error(`bench self-check failed: ${check.join('; ')}`);

  let sink = 0;
  const issuePerS = rate(() => {
    const signed = issue(JSON.parse(text), signer, opts.suite, created);
    sink += JSON.stringify(signed).length;
  }, seconds);
  const verifyPerS = rate(() => {
    if (verifyCredential(JSON.parse(signedText)).length) throw new Error('verify failed in bench');
  }, seconds);

  const msg = crypto.randomBytes(64);
  const sig = signBytes(signer.keyType, signer.privateKey, msg);
  const rawSignPerS = rate(() => {
    sink += signBytes(signer.keyType, signer.privateKey, msg).length;
  }, seconds);
  const rawVerifyPerS = rate(() => {
    if (!verifyBytes(signer.keyType, signer.publicKey, msg, sig)) throw new Error('raw verify failed');
  }, seconds);
  if (sink < 0) process.stderr.write('');
  process.stdout.write(JSON.stringify({
    suite: opts.suite,
    issue_per_s: issuePerS,
    verify_per_s: verifyPerS,
    raw_sign_per_s: rawSignPerS,
    raw_verify_per_s: rawVerifyPerS,
  }) + '\n');
  return EXIT_OK;
}

const COMMANDS = {
  keygen: cmdKeygen,
  did: cmdDid,
  'jwk-from-multikey': cmdJwkFromMultikey,
  issue: cmdIssue,
  verify: cmdVerify,
  canon: cmdCanon,
  bench: cmdBench,
};

// Runs one command of a peer's table: exit 0/1/2 as the peers' contract says. Shared by every
// peer in this folder; `isUsageError` tells usage mistakes (2) from invalid input (1).
async function runCommand(commands, usage, argv, isUsageError) {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(usage + '\n');
    return EXIT_OK;
  }
  const fn = commands[command];
  if (!fn) {
    process.stderr.write(`${command === undefined ? 'no command' : `unknown command ${command}`}\n${usage}\n`);
    return EXIT_USAGE;
  }
  try {
    return await fn(rest);
  } catch (e) {
    process.stderr.write(`${command}: ${e.message}\n`);
    return isUsageError(e) ? EXIT_USAGE : EXIT_INVALID;
  }
}

// Runs `argv` as a command when `moduleUrl` is the script node was started with, so that a
// peer can also be imported for its functions.
async function runIfMain(moduleUrl, run) {
  if (process.argv[1] && moduleUrl === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
    process.exitCode = await run(process.argv.slice(2));
  }
}

export {
  UsageError, parseCommandLine,
  base58Encode, base58Decode, base64urlEncode, base64urlDecode, p256Compress, p256Decompress,
  resolveDidKeyVm, signerFromJwk, signerFromMultikeySecret, issue, verifyCredential, hashData,
  runCommand, runIfMain,
};

await runIfMain(import.meta.url,
  (argv) => runCommand(COMMANDS, USAGE, argv, (e) => e instanceof UsageError));
