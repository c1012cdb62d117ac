# Thin wrapper over CMake: `make run` and `make test` are the two commands the
# README shows first. Both install missing Debian packages on the way.
BUILD_RELEASE ?= build/release
BUILD_DEBUG   ?= build/debug
JOBS          ?= $(shell nproc)
DATA_DIR      ?= var

.PHONY: all deps build build-debug run test clean

all: build

deps:
	@bash packaging/install-deps.sh
	@bash packaging/ensure-user.sh

build: deps
	@cmake -S . -B $(BUILD_RELEASE) -DCMAKE_BUILD_TYPE=Release -DPILLARBOX_TESTS=OFF >/dev/null
	@cmake --build $(BUILD_RELEASE) -j $(JOBS)

build-debug: deps
	@cmake -S . -B $(BUILD_DEBUG) -DCMAKE_BUILD_TYPE=Debug -DPILLARBOX_WERROR=ON >/dev/null
	@cmake --build $(BUILD_DEBUG) -j $(JOBS)

run: build
	@$(BUILD_RELEASE)/bin/pillarboxd --data-dir $(DATA_DIR)

test: build-debug
	@cd $(BUILD_DEBUG) && ctest --output-on-failure -j $(JOBS) --timeout 300

clean:
	rm -rf build
