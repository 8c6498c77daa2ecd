# Two commands do everything on a fresh Debian/Ubuntu machine with Swift: `make demo` and `make test`.
APT_PACKAGES := pkg-config libxxhash-dev liblz4-dev libsqlite3-dev libturbojpeg0-dev libspng-dev \
                libwebp-dev libarchive-dev libopenblas-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_OUT ?= out/demo

.PHONY: deps build release demo test test-asan test-ubsan fuzz-smoke bench clean

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

## The test suite under UndefinedBehaviorSanitizer. swiftc has no -sanitize=undefined on Linux ("unsupported
## option for target x86_64-unknown-linux-gnu"), so UBSan instruments the C compiled in the graph (Yams' libyaml,
## which parses every policy) and the UBSan runtime is linked through clang; Swift code keeps its own always-on
## checks (overflow, bounds, nil unwrap, exclusivity), which trap. Any report stops the run with a failure.
UBSAN_FLAGS := -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=all -Xswiftc -Xclang-linker -Xswiftc -fsanitize=undefined
test-ubsan: deps
	swift build --build-tests $(UBSAN_FLAGS) --scratch-path .build-ubsan
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 swift test --skip-build $(UBSAN_FLAGS) --scratch-path .build-ubsan

## Every fuzz harness briefly (debug build with ASan + libFuzzer, FUZZ_SMOKE_SECONDS each); fails on any crash.
FUZZ_SMOKE_SECONDS ?= 20
fuzz-smoke: deps
	./scripts/fuzz.sh smoke $(FUZZ_SMOKE_SECONDS)

## Benchmarks against peers (not run in CI).
bench: release
	./scripts/bench.sh

clean:
	rm -rf .build out
