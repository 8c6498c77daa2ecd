# Two commands do everything on a fresh Debian/Ubuntu machine with Swift: `make demo` and `make test`.
APT_PACKAGES := pkg-config libxxhash-dev liblz4-dev libsqlite3-dev libturbojpeg0-dev libspng-dev \
                libwebp-dev libarchive-dev libopenblas-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_OUT ?= out/demo

.PHONY: deps build release demo test test-asan bench clean

## Install the Debian packages the build links against, when any is missing.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

build: deps
	swift build

release: deps
	swift build -c release

## Audit the bundled demo dataset and print a summary.
demo: release
	./scripts/demo.sh $(DEMO_OUT)

## Run the whole test suite.
test: deps
	swift test

## The test suite under AddressSanitizer (memory errors; leak checks off: Foundation's own Data buffers report
## as leaks on Linux). Separate build folder, so it does not disturb the debug build.
test-asan: deps
	swift build --build-tests -Xswiftc -sanitize=address --scratch-path .build-asan
	ASAN_OPTIONS=detect_leaks=0 swift test --skip-build -Xswiftc -sanitize=address --scratch-path .build-asan

## Benchmarks against peers (not run in CI).
bench: release
	./scripts/bench.sh

clean:
	rm -rf .build out
