#!/bin/sh
# Regenerates the provider test fixtures with the openssl CLI (run once; the
# outputs are committed). One CA per key type signs one leaf of the same type,
# SAN DNS:localhost + IP:127.0.0.1, leaf keys as PKCS#8 plus PKCS#1/SEC1 copies.
set -eu
cd "$(dirname "$0")"
days=36500
cat > leaf.ext <<'X'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
X
gen() { # name, genpkey args..., digest
  name=$1; shift; dgst=$1; shift
  openssl genpkey "$@" -out "$name-ca.key"
  openssl req -x509 -new -key "$name-ca.key" -subj "/CN=puressl provider test CA $name" \
    -days $days $dgst -out "$name-ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  openssl genpkey "$@" -out "$name.key"
  openssl req -new -key "$name.key" -subj "/CN=localhost" $dgst -out "$name.csr"
  openssl x509 -req -in "$name.csr" -CA "$name-ca.pem" -CAkey "$name-ca.key" -CAcreateserial \
    -days $days $dgst -extfile leaf.ext -out "$name.pem"
  rm -f "$name.csr" "$name-ca.srl"
}
gen rsa2048 -sha256 -algorithm RSA -pkeyopt rsa_keygen_bits:2048
gen p256 -sha256 -algorithm EC -pkeyopt ec_paramgen_curve:P-256
gen p384 -sha384 -algorithm EC -pkeyopt ec_paramgen_curve:P-384
gen ed25519 "" -algorithm ED25519
# Other encodings of the same leaf keys.
openssl rsa -in rsa2048.key -traditional -out rsa2048.pkcs1.key
openssl ec -in p256.key -out p256.sec1.key
openssl ec -in p384.key -out p384.sec1.key
# A leaf signed with RSA-PSS (SHA-256) by the RSA CA, for the PSS verification path.
openssl req -new -key rsa2048.key -subj "/CN=localhost" -out pss.csr
openssl x509 -req -in pss.csr -CA rsa2048-ca.pem -CAkey rsa2048-ca.key -CAcreateserial -days $days \
  -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -extfile leaf.ext -out rsa2048-pss.pem
rm -f pss.csr rsa2048-ca.srl
# A DSA key (TLS has no DSA: loading it must fail clearly).
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa.param
openssl genpkey -paramfile dsa.param -out dsa.key
rm -f dsa.param leaf.ext ./*-ca.key
# Keys TLS signing does not support (clear errors expected).
openssl genpkey -algorithm ED448 -out ed448.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out p521.key
# A small RSA key: PSS-SHA512 does not fit a 1024-bit modulus.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.key
openssl pkey -in rsa1024.key -pubout -out rsa1024.pub.pem
