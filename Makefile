# Baton: `make run` and `make test` are all a fresh Debian machine needs.
SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: deps build run test bench-redis bench-crypto clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

run: deps
	@echo "nothing to run yet: the service lands with the token-service issue"

test: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS)

# Pipelined EVALSHA through BatonRedis next to redis-benchmark, same script, same concurrency.
bench-redis: deps
	$(SWIFT) build -c release --product baton-bench
	.build/release/baton-bench redis

# Signatures/s per algorithm next to `openssl speed`, one thread and all cores.
bench-crypto: deps
	$(SWIFT) build -c release --product baton-bench
	.build/release/baton-bench crypto

clean:
	rm -rf .build
