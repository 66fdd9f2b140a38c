#!/usr/bin/env bash
# Makes the X.509 test certificates in this folder with the `openssl` command line.
#
# GENERATED TEST KEYS: every key and certificate here was made by this script for Lanyard's tests
# and is published with them. They protect nothing; never use them, or trust these roots, for
# real credentials.
#
# Validity windows are fixed (the tests check them at fixed instants, never the wall clock):
#   2025-01-01T00:00:00Z .. 2045-01-01T00:00:00Z   roots, intermediate and every leaf not below
#   2025-01-01T00:00:00Z .. 2025-07-01T00:00:00Z   leaf-expired.pem
#   2040-01-01T00:00:00Z .. 2045-01-01T00:00:00Z   leaf-future.pem
# `openssl ca` sets them (-startdate/-enddate), because `openssl req`/`x509` take explicit dates
# only from OpenSSL 3.4 on.
#
# Outputs (all PEM unless named otherwise; every leaf but other-leaf.pem is issued by the
# intermediate, which the root issues):
#   root.pem                      root CA, P-256
#   intermediate.pem              intermediate CA, P-256, pathlen 0
#   leaf.pem                      issuer certificate, P-256, SAN DNS:issuer.trust.example and
#                                 URI:https://issuer.trust.example, keyUsage digitalSignature
#   leaf-key.pem, leaf-key.jwk.json    its private key (the JWK carries x, y and d)
#   leaf-ed25519.pem              as leaf.pem with an Ed25519 key
#   leaf-ed25519-key.jwk.json     its private key as a JWK (x and d)
#   leaf-expired.pem, leaf-future.pem  as leaf.pem, valid only in the windows above
#   leaf-ca.pem                   as leaf.pem but basicConstraints CA:TRUE
#   leaf-key-agreement.pem        as leaf.pem but keyUsage keyAgreement only
#   leaf-p384.pem                 as leaf.pem with a P-384 key (a type Lanyard does not take)
#   other-root.pem, other-leaf.pem     an unrelated root and a leaf it issues directly
#   chain.x5c.json                ["<leaf.pem>", "<intermediate.pem>"] as x5c: standard base64 DER
#
# Usage: tests/vectors/x509/make.sh   (rewrites the outputs in place; needs bash and openssl)
set -euo pipefail

out="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

start=20250101000000Z
end=20450101000000Z
san='subjectAltName = DNS:issuer.trust.example, URI:https://issuer.trust.example'

cat > ca.cnf <<EOF
[ ca ]
default_ca = unused

[ signer ]
dir = .
database = \$dir/index.txt
new_certs_dir = \$dir/issued
serial = \$dir/serial
default_md = sha256
policy = any_name
unique_subject = no
copy_extensions = none
preserve = yes
email_in_dn = no

[ any_name ]
commonName = supplied
organizationName = optional

[ req ]
distinguished_name = req_name
prompt = no
[ req_name ]
CN = unused

[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ v3_intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ v3_leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$san

[ v3_leaf_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$san

[ v3_leaf_key_agreement ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyAgreement
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$san
EOF
mkdir issued
: > index.txt
echo 1000 > serial

p256() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
p384() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1"; }
ed25519() { openssl genpkey -algorithm ED25519 -out "$1"; }

# issue NAME SUBJECT_CN KEY ISSUER_CERT ISSUER_KEY EXTENSIONS START END -> NAME.pem
issue() {
  local name=$1 cn=$2 key=$3 ca_cert=$4 ca_key=$5 ext=$6 from=$7 until=$8
  openssl req -new -config ca.cnf -key "$key" -subj "/O=Lanyard test/CN=$cn" -out "$name.csr"
  local self=()
  if [[ "$ca_cert" == self ]]; then self=(-selfsign); else self=(-cert "$ca_cert"); fi
  openssl ca -batch -config ca.cnf -name signer "${self[@]}" -keyfile "$ca_key" \
    -in "$name.csr" -out "$name.pem" -extensions "$ext" -startdate "$from" -enddate "$until" \
    -notext 2> "$name.log" || { cat "$name.log" >&2; exit 1; }
}

# Base64url without padding of stdin.
b64url() { basenc --base64url -w0 | tr -d '='; }

p256 root-key.pem
issue root "Lanyard Test Root CA" root-key.pem self root-key.pem v3_root "$start" "$end"
p256 intermediate-key.pem
issue intermediate "Lanyard Test Issuing CA" intermediate-key.pem root.pem root-key.pem \
  v3_intermediate "$start" "$end"

leaf() {  # leaf NAME KEY EXTENSIONS START END
  issue "$1" issuer.trust.example "$2" intermediate.pem intermediate-key.pem "$3" "$4" "$5"
}
p256 leaf-key.pem
leaf leaf leaf-key.pem v3_leaf "$start" "$end"
leaf leaf-expired leaf-key.pem v3_leaf "$start" 20250701000000Z
leaf leaf-future leaf-key.pem v3_leaf 20400101000000Z "$end"
leaf leaf-ca leaf-key.pem v3_leaf_ca "$start" "$end"
leaf leaf-key-agreement leaf-key.pem v3_leaf_key_agreement "$start" "$end"
ed25519 leaf-ed25519-key.pem
leaf leaf-ed25519 leaf-ed25519-key.pem v3_leaf "$start" "$end"
p384 leaf-p384-key.pem
leaf leaf-p384 leaf-p384-key.pem v3_leaf "$start" "$end"

p256 other-root-key.pem
issue other-root "Unrelated Test Root CA" other-root-key.pem self other-root-key.pem v3_root \
  "$start" "$end"
p256 other-leaf-key.pem
issue other-leaf issuer.trust.example other-leaf-key.pem other-root.pem other-root-key.pem \
  v3_leaf "$start" "$end"

# P-256 JWK from the SEC1 DER private key: 30 77 02 01 01 04 20 <d:32> a0 0a <oid> a1 44 03 42
# 00 04 <x:32> <y:32>, 121 bytes. The layout is checked rather than assumed.
openssl ec -in leaf-key.pem -outform DER -out leaf-key.der 2> /dev/null
[[ "$(head -c 7 leaf-key.der | xxd -p)" == 30770201010420 && "$(wc -c < leaf-key.der)" == 121 &&
   "$(tail -c 65 leaf-key.der | head -c 1 | xxd -p)" == 04 ]] || {
  echo "unexpected SEC1 layout for leaf-key.pem" >&2; exit 1; }
d=$(head -c 39 leaf-key.der | tail -c 32 | b64url)
x=$(tail -c 64 leaf-key.der | head -c 32 | b64url)
y=$(tail -c 32 leaf-key.der | b64url)
printf '{\n  "kty": "EC",\n  "crv": "P-256",\n  "x": "%s",\n  "y": "%s",\n  "d": "%s"\n}\n' \
  "$x" "$y" "$d" > leaf-key.jwk.json

# Ed25519 JWK: the seed is the last 32 bytes of the 48-byte PKCS#8 DER, the public key the last
# 32 of the 44-byte SubjectPublicKeyInfo.
openssl pkey -in leaf-ed25519-key.pem -outform DER -out ed-priv.der
openssl pkey -in leaf-ed25519-key.pem -pubout -outform DER -out ed-pub.der
[[ "$(wc -c < ed-priv.der)" == 48 && "$(wc -c < ed-pub.der)" == 44 ]] || {
  echo "unexpected DER layout for leaf-ed25519-key.pem" >&2; exit 1; }
printf '{\n  "kty": "OKP",\n  "crv": "Ed25519",\n  "x": "%s",\n  "d": "%s"\n}\n' \
  "$(tail -c 32 ed-pub.der | b64url)" "$(tail -c 32 ed-priv.der | b64url)" \
  > leaf-ed25519-key.jwk.json

der64() { openssl x509 -in "$1" -outform DER | basenc --base64 -w0; }
printf '[\n  "%s",\n  "%s"\n]\n' "$(der64 leaf.pem)" "$(der64 intermediate.pem)" > chain.x5c.json

for f in root intermediate leaf leaf-expired leaf-future leaf-ca leaf-key-agreement leaf-ed25519 \
         leaf-p384 other-root other-leaf; do
  cp "$f.pem" "$out/$f.pem"
done
cp leaf-key.pem leaf-key.jwk.json leaf-ed25519-key.jwk.json chain.x5c.json "$out/"

# Sanity: the good chains verify with the openssl command line at a fixed instant (2030).
at=$(date -u -d 2030-01-01T00:00:00Z +%s)
openssl verify -x509_strict -attime "$at" -CAfile "$out/root.pem" \
  -untrusted "$out/intermediate.pem" "$out/leaf.pem" "$out/leaf-ed25519.pem" > /dev/null
echo "wrote the test certificates to $out"
