#!/usr/bin/env python3
"""An app's DPoP key and proofs (RFC 9449), to try Baton's DPoP-bound sessions by hand.

  dpop_proof.py key KEYFILE          makes a P-256 key in KEYFILE (kept if it exists) and prints
                                     its RFC 7638 thumbprint: the session's dpop_jkt
  dpop_proof.py proof KEYFILE URL    prints a new proof for a POST to URL (the DPoP header's value)

Uses joserfc (installed by `make deps`). A real app keeps the private key where scripts cannot
read it (a non-extractable WebCrypto key, the platform keystore); this file is for trying it out.
"""
import json
import os
import sys
import time
import uuid
import warnings

warnings.simplefilter("ignore")
from joserfc import jws  # noqa: E402
from joserfc.jwk import ECKey  # noqa: E402


def load_or_make(path):
    if os.path.exists(path):
        with open(path) as file:
            return ECKey.import_key(json.load(file))
    key = ECKey.generate_key("P-256")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(key.as_dict(private=True), file)
    return key


def proof(key, url):
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": key.as_dict(private=False)}
    claims = {"jti": str(uuid.uuid4()), "htm": "POST", "htu": url, "iat": int(time.time())}
    return jws.serialize_compact(header, json.dumps(claims), key, algorithms=["ES256"])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "key":
        print(load_or_make(sys.argv[2]).thumbprint())
    elif len(sys.argv) == 4 and sys.argv[1] == "proof":
        print(proof(load_or_make(sys.argv[2]), sys.argv[3]))
    else:
        sys.exit(__doc__)
