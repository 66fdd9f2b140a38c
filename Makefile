# Lanyard: the two commands a newcomer needs are `make demo` and `make test`.
# Both install what is missing (scripts/setup), then build the Release configuration in build/.

BUILD_DIR := build
CMAKE_FLAGS := -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANYARD_INTEROP_TESTS=ON

.PHONY: all setup configure build demo test bench fuzz clean format

all: build

setup:
	@scripts/setup

configure: setup
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) > /dev/null

build: configure
	@cmake --build $(BUILD_DIR)

# The main job on the embedded default: issue, verify, tamper, refuse. Builds only the CLI.
demo: configure
	@cmake --build $(BUILD_DIR) --target lanyard
	@scripts/demo $(BUILD_DIR)/lanyard

# Every test: Release build + ctest, the pages in Chromium, unit tests under ASan/UBSan,
# each fuzz target ~10 s.
test: setup
	@scripts/test

# Benchmarks (Release build): figures as ratios to the raw signature rates of the same run.
bench: configure
	@scripts/bench $(BUILD_DIR)

fuzz: setup
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-60} scripts/test fuzz

format:
	@clang-format -i $$(git ls-files 'src/*.h' 'src/*.cc' 'bench/*.cc' 'fuzz/*.cc' 'tests/*.cc')

clean:
	rm -rf build build-asan build-fuzz
