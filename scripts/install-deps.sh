#!/usr/bin/env bash
# Installs the system packages Baton builds, tests and runs with, when they are missing.
# Used by `make run`, `make test` and CI on a fresh Debian machine; does nothing when all is present.
# redis-sentinel: the Sentinel topology (redis-sentinel:// URLs). nginx and docker-compose are for
# the tests: the nginx topology test and `make docker-check`;
# wrk: with nginx, the HTTP limit of `baton-bench limits`; the reference `baton-load overhead`
# compares the harness with; valgrind (callgrind) and binutils (objcopy): the instruction counts of
# `make bench-instructions`; chromium and chromium-driver (chromedriver): the browser tests, which
# drive a headless Chromium over WebDriver (Sources/BatonLocalServers/WebDriverSession.swift).
set -euo pipefail

packages=(redis-server redis-tools redis-sentinel libhiredis-dev libssl-dev openssl pkg-config python3-pip nginx docker-compose wrk valgrind binutils chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]})); then
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# An independent JOSE implementation, used by the tests to verify what BatonCrypto signs.
if ! python3 -c "import joserfc, cryptography" 2>/dev/null; then
    echo "installing: joserfc (PyPI)"
    python3 -m pip install --quiet joserfc cryptography 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages joserfc cryptography
fi
