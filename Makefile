# Front door of libvmm. The two commands a newcomer needs:
#   make test   installs missing Debian packages, builds host + target, runs every test (ctest)
#   make demo   builds and boots the secure/rich example in QEMU; returns when it powers off
#               (make demo DEMO=two-domain: thesis Figure 8.1)
# Others: make host | target | bench | fuzz | fuzz-evtchn | fuzz-memop | clean

HOST_BUILD   := build/host
TARGET_BUILD := build/arm
JOBS         ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_TARGET := -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/arm-none-eabi.cmake

.PHONY: all deps host target test demo bench fuzz fuzz-evtchn fuzz-memop clean

all: host target

deps:
	@scripts/install-deps.sh

host: deps
	cmake -S . -B $(HOST_BUILD) -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(HOST_BUILD) -j $(JOBS)

target: deps
	cmake -S . -B $(TARGET_BUILD) $(CMAKE_TARGET)
	cmake --build $(TARGET_BUILD) -j $(JOBS)

test: host target
	ctest --test-dir $(HOST_BUILD) --output-on-failure -j $(JOBS)
	ctest --test-dir $(TARGET_BUILD) --output-on-failure -j $(JOBS)

DEMO ?= secure-rich
demo: target
	scripts/run-demo.sh $(TARGET_BUILD) qemu-virt $(DEMO)

bench: host target
	scripts/bench.sh $(HOST_BUILD) $(TARGET_BUILD)

# Page-table fuzz harness for FUZZ_SECONDS (default 300) on a corpus kept in build/.
FUZZ_SECONDS ?= 300
fuzz: host
	mkdir -p build/fuzz-corpus
	$(HOST_BUILD)/test/fuzz_pt -max_total_time=$(FUZZ_SECONDS) -max_len=512 -artifact_prefix=build/ build/fuzz-corpus fuzz/seeds

# Event-channel fuzz harness for FUZZ_SECONDS on a corpus kept in build/.
fuzz-evtchn: host
	mkdir -p build/fuzz-evtchn-corpus
	$(HOST_BUILD)/test/fuzz_evtchn -max_total_time=$(FUZZ_SECONDS) -max_len=700 -artifact_prefix=build/ build/fuzz-evtchn-corpus

# Memory (memory_op, page tables, multicall, result write-backs) fuzz harness for FUZZ_SECONDS.
fuzz-memop: host
	mkdir -p build/fuzz-memop-corpus
	$(HOST_BUILD)/test/fuzz_memop -detect_leaks=0 -max_total_time=$(FUZZ_SECONDS) -max_len=700 -artifact_prefix=build/ build/fuzz-memop-corpus fuzz/memop-seeds

clean:
	rm -rf build
