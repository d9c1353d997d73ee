#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/x509.h>
#include <openssl/pem.h>

/* BN_num_bytes is a function-like macro, which Swift cannot import. */
static inline int COpenSSL_BN_num_bytes(const BIGNUM *bn) {
    return BN_num_bytes(bn);
}

/* EVP_PKEY_PUBLIC_KEY is a macro built from other macros, which Swift does not import. */
static inline int COpenSSL_EVP_PKEY_PUBLIC_KEY(void) {
    return EVP_PKEY_PUBLIC_KEY;
}

#endif
