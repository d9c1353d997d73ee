# Baton: `make run` and `make test` are all a fresh Debian machine needs.
SWIFT ?= swift
BUILD_FLAGS ?=
PORT ?= 8080
ARGS ?=

.PHONY: deps build run test docker-check bench bench-allocations bench-instructions bench-cluster soak bench-redis bench-crypto bench-limits clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

# The embedded default: one worker per core on one port, and a private redis-server (unix socket,
# AOF) in ./data, all supervised by `baton cluster`.
WORKERS ?= $(shell nproc)

run: deps
	$(SWIFT) build -c release --product baton
	@echo
	@echo "Baton: $(WORKERS) workers on http://127.0.0.1:$(PORT) (data in ./data; Ctrl-C stops it). In another terminal:"
	@echo "  curl -s http://127.0.0.1:$(PORT)/readyz"
	@echo "  .build/release/baton clients add login --permission sessions"
	@echo "  .build/release/baton clients add web --public --scope read"
	@echo "  (then see README.md: Try it)"
	@echo
	.build/release/baton cluster --workers $(WORKERS) --port $(PORT) $(ARGS)

test: deps docker-check
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS)

# docker/compose.yaml, compose.cluster.yaml and compose.sentinel.yaml each parse with
# docker-compose (no Docker engine needed; dummy secrets). The nginx topology test runs
# docker/nginx.conf itself.
DOCKER_COMPOSE_FILES = docker/compose.yaml docker/compose.cluster.yaml docker/compose.sentinel.yaml

docker-check: deps
	@for f in $(DOCKER_COMPOSE_FILES); do \
		echo "docker-compose -f $$f config -q"; \
		BATON_MASTER_SECRET=check BATON_ADMIN_TOKEN=check docker-compose -f $$f config -q || exit 1; \
	done

# make bench: the machine's limits, then `baton cluster` (embedded Redis, AOF on) under
# baton-load's refresh scenario: 3 closed-loop runs and an open-loop run at 70% of their median,
# then 2 interleaved pairs of bearer and --dpop refresh runs, one table, and the JSON + SVG report
# in loadtest/results/refresh-<time>/.
bench: deps
	for product in baton baton-load baton-bench baton-floor; do $(SWIFT) build -c release --product $$product || exit 1; done
	.build/release/baton-bench refresh $(ARGS)

# Heap allocations per refresh, session creation and introspection of one worker, and per refresh
# of baton-floor: exact counts (libBatonAllocCount.so preloaded), which do not move with the
# machine's load as rates do. LEVEL=info counts the access log line too.
LEVEL ?= warning

bench-allocations: deps
	for product in baton baton-load baton-bench baton-floor BatonAllocCount; do $(SWIFT) build -c release --product $$product || exit 1; done
	.build/release/baton-bench allocations --log-level $(LEVEL) $(ARGS)

# Instructions per refresh, session creation and introspection of one worker, and per refresh of
# baton-floor: callgrind's exact counts (both run under valgrind), which do not move with the
# machine's load as rates and CPU time do. Takes about five minutes.
bench-instructions: deps
	for product in baton baton-load baton-bench baton-floor; do $(SWIFT) build -c release --product $$product || exit 1; done
	.build/release/baton-bench instructions --log-level $(LEVEL) $(ARGS)

# The refresh scenario on 2 workers over one redis-server and over a Redis Cluster of 3 primaries +
# 3 replicas (local processes): refreshes/s, worker and per-node Redis CPU-µs per refresh, each
# primary's share of the slots next to its share of the CPU. README "Sizing" is computed from it.
bench-cluster: deps
	for product in baton baton-load baton-bench; do $(SWIFT) build -c release --product $$product || exit 1; done
	.build/release/baton-bench cluster $(ARGS)

# Five minutes of refresh load: worker RSS over a long run (start, end, peak in the report).
soak: deps
	for product in baton baton-load baton-bench baton-floor; do $(SWIFT) build -c release --product $$product || exit 1; done
	.build/release/baton-bench refresh --runs 1 --seconds 300 $(ARGS)

# Pipelined EVALSHA through BatonRedis next to redis-benchmark, same script, same concurrency.
bench-redis: deps
	$(SWIFT) build -c release --product baton-bench
	.build/release/baton-bench redis

# Signatures/s per algorithm next to `openssl speed`, one thread and all cores.
bench-crypto: deps
	$(SWIFT) build -c release --product baton-bench
	.build/release/baton-bench crypto

# The machine's own limits in one run: ES256 signs/s, rotation-script calls/s, HTTP requests/s,
# and a whole refresh done by a lean C server (loadtest/floor).
bench-limits: deps
	for product in baton-bench baton-floor; do $(SWIFT) build -c release --product $$product || exit 1; done
	.build/release/baton-bench limits $(ARGS)

clean:
	rm -rf .build
