# Makefile - build, test, run and package vigie.
#
#   make               build/vigie-milter, build/vigie-scan (gcc; CC=clang works too) and the
#                      admin tools build/vigie-quarantine, build/vigie-report (admin/*.py)
#   make run           install missing Debian packages, build, run the milter in the foreground
#   make uninstall     undo what make run set up on the system
#   make check         install missing packages, build (plain and ASan+UBSan), run every test
#   make demo          pass sample messages through a private Postfix and vigie, show what happened
#   make bench         benchmark: scan speed, latency, through Postfix, memory (bench/bench.py;
#                      as root, ~10 min; BENCH_* variables, results in bench/results/)
#   make bench-tools   only build the benchmark's programs (build/bench/latency, nullmilter)
#   make fuzz          build the libFuzzer targets (clang) and run each FUZZ_SECONDS (60) seconds
#   make stress        long stress runs (STRESS=1): load, kill -9, reloads, on_error, TSan, Valgrind
#   make deb           build build/deb/vigie_<version>_<arch>.deb (packaging/build-deb.sh)
#   make check-package build, install, run, lint and purge the .deb (as root; changes the system)
#
# Sources, selected by folder: milter/daemon/ only goes into vigie-milter
# (the only code that sees libmilter), milter/scan/ only into vigie-scan;
# milter/engine/ and its sub-folders are the engine library, libvigie.a,
# shared by both programs, the unit tests, the fuzzers and the benchmark.
# The engine's folders are layers, from the bottom: util, text, decode,
# auth, ruleset, detect, rules, conf, then engine/ itself; a file includes only
# from its own layer or those below (tests/tools/check-layers.sh).

BUILD	?= build
CC	?= cc
PKG_CONFIG ?= pkg-config
SANITIZE ?=

ENGINE_PKGS := libpcre2-8 libconfig gmime-3.0 libidn2 libpsl icu-uc icu-i18n libxml-2.0 libhs \
	poppler-glib libarchive zbar libpng libjpeg tesseract
ENGINE_DIRS := $(sort $(dir $(wildcard milter/engine/*.c milter/engine/*/*.c \
	milter/engine/*/*/*.c)))
OPT	?= -O2
CFLAGS	?= $(OPT) -g
# the version, from the Debian changelog: every program's --version (in
# the tree build-deb.sh makes, packaging/debian/ is debian/)
VIGIE_VERSION := $(shell dpkg-parsechangelog -l $(firstword $(wildcard packaging/debian/changelog debian/changelog)) -S Version 2>/dev/null | sed 's/-[^-]*$$//')
# VG_CFLAGS - every C file of the project, programs, tests, fuzzers, bench
VG_CFLAGS := -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	-fno-strict-aliasing -pthread -DVIGIE_VERSION=\"$(VIGIE_VERSION)\" $(patsubst %/,-I%,$(ENGINE_DIRS)) \
	$(shell $(PKG_CONFIG) --cflags $(ENGINE_PKGS) 2>/dev/null)
# the authentication libraries, without pkg-config: libopendmarc and libspf2
# ship no .pc file and libunbound's asks for libevent's, which is not needed
AUTH_LDLIBS := -lopendkim -lopendmarc -lspf2 -lunbound
VG_LDLIBS := $(shell $(PKG_CONFIG) --libs $(ENGINE_PKGS) 2>/dev/null) $(AUTH_LDLIBS) -lmagic -pthread -lm
MILTER_LDLIBS := -lmilter $(shell $(PKG_CONFIG) --libs libmicrohttpd 2>/dev/null)
# SANITIZE=1: ASan+UBSan (make check's second build); SANITIZE=fuzz: the
# same, plus libFuzzer's coverage hooks (tests/fuzz/build.sh, clang only)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

ifeq ($(SANITIZE),fuzz)
VG_CFLAGS += $(SAN_FLAGS) -fsanitize=fuzzer-no-link
LDFLAGS += -fsanitize=address,undefined
else ifneq ($(SANITIZE),)
VG_CFLAGS += $(SAN_FLAGS)
LDFLAGS += -fsanitize=address,undefined
endif

ENGINE_SRCS := $(wildcard milter/engine/*.c milter/engine/*/*.c milter/engine/*/*/*.c)
MILTER_SRCS := $(wildcard milter/daemon/*.c)
SCAN_SRCS   := $(wildcard milter/scan/*.c)

obj = $(patsubst milter/%.c,$(BUILD)/obj/%.o,$(1))
ENGINE_OBJS := $(call obj,$(ENGINE_SRCS))
MILTER_OBJS := $(call obj,$(MILTER_SRCS))
SCAN_OBJS   := $(call obj,$(SCAN_SRCS))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
# the fuzz targets, and the set-up they share (linked into each of them)
FUZZ_COMMON := tests/fuzz/fuzz_common.c
FUZZ_SRCS := $(filter-out $(FUZZ_COMMON),$(wildcard tests/fuzz/fuzz_*.c))

# the mail admin's tools, Python scripts stamped with the version
ADMIN_PROGS := $(BUILD)/vigie-quarantine $(BUILD)/vigie-report

.PHONY: all run uninstall check demo clean unit deps bench bench-tools fuzz deb check-package
all: $(BUILD)/vigie-milter $(BUILD)/vigie-scan $(ADMIN_PROGS)

$(ADMIN_PROGS): $(BUILD)/%: admin/%.py Makefile
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@sed 's/@VERSION@/$(VIGIE_VERSION)/' $< >$@.tmp && chmod 0755 $@.tmp && mv $@.tmp $@

$(BUILD)/obj/%.o: milter/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(VG_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libvigie.a: $(ENGINE_OBJS)
	rm -f $@
	ar rcs $@ $^

# the daemon's code but its main(), for the unit tests (e.g. its counters)
$(BUILD)/libvigie-daemon.a: $(filter-out %/milter_main.o,$(MILTER_OBJS))
	rm -f $@
	ar rcs $@ $^

$(BUILD)/vigie-milter: $(MILTER_OBJS) $(BUILD)/libvigie.a
	$(CC) $(LDFLAGS) -o $@ $^ $(MILTER_LDLIBS) $(VG_LDLIBS)

$(BUILD)/vigie-scan: $(SCAN_OBJS) $(BUILD)/libvigie.a
	$(CC) $(LDFLAGS) -o $@ $^ $(VG_LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libvigie-daemon.a $(BUILD)/libvigie.a
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(VG_CFLAGS) $(CFLAGS) -Imilter/daemon -DSRCDIR=\"$(CURDIR)\" $(LDFLAGS) -o $@ $< \
		$(BUILD)/libvigie-daemon.a $(BUILD)/libvigie.a $(VG_LDLIBS) -lcmocka

unit: $(UNIT_BINS)

deps:
	@sh packaging/deps.sh

run: deps
	$(MAKE) all
	sh tests/run-milter.sh

# uninstall - undo what make run set up (user vigie, socket directory, a main.cf it wrote)
uninstall:
	sh tests/run-milter.sh --uninstall

# the builds of make check use every core unless the caller gave -j itself
PARALLEL := $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc 2>/dev/null || echo 1))

# (the fuzz replay drivers too: tests/fuzz/test_regressions.sh would
# link them one at a time)
check: deps
	$(MAKE) $(PARALLEL) all unit fuzz-replay
	$(MAKE) $(PARALLEL) CC=clang BUILD=build-clang all
	$(MAKE) $(PARALLEL) BUILD=build-asan SANITIZE=1 all unit fuzz-replay
	$(MAKE) $(PARALLEL) $(TSAN_BUILD) all
	sh tests/run-tests.sh

demo: deps
	$(MAKE) all
	sh tests/e2e/demo.sh

deb:
	sh packaging/build-deb.sh

check-package:
	bash tests/package/test_package.sh

bench: bench-tools
	BUILD=$(BUILD) python3 bench/bench.py

bench-tools: all
	@mkdir -p $(BUILD)/bench
	$(CC) $(VG_CFLAGS) $(CFLAGS) -o $(BUILD)/bench/latency bench/latency.c \
		$(BUILD)/libvigie.a $(VG_LDLIBS)
	$(CC) $(VG_CFLAGS) $(CFLAGS) -o $(BUILD)/bench/nullmilter bench/nullmilter.c -lmilter

fuzz:
	sh tests/fuzz/build.sh
	sh tests/fuzz/run.sh

# the long versions of tests/stress and tests/reload (make check runs the short ones)
.PHONY: stress
stress: deps
	$(MAKE) all
	$(MAKE) BUILD=build-asan SANITIZE=1 all
	$(MAKE) $(TSAN_BUILD) all
	@fail=""; for t in tests/stress/test_*.sh tests/reload/test_*.sh; do \
		echo "== STRESS=1 $$t"; \
		STRESS=1 bash $$t; rc=$$?; \
		[ $$rc -eq 0 ] || [ $$rc -eq 77 ] || fail="$$fail $$t"; \
	done; \
	if [ -n "$$fail" ]; then echo "stress: FAILED:$$fail"; exit 1; fi; echo "stress: all passed"

# the ThreadSanitizer build of the milter (tests/stress/test_tsan.sh)
TSAN_BUILD := CC=clang BUILD=build-tsan CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS=-fsanitize=thread

# fuzz-targets - the libFuzzer targets, with SANITIZE=fuzz CC=clang
.PHONY: fuzz-targets
fuzz-targets: $(patsubst tests/fuzz/%.c,$(BUILD)/%,$(FUZZ_SRCS))
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_COMMON) $(FUZZ_COMMON:.c=.h) $(BUILD)/libvigie.a
	$(CC) $(VG_CFLAGS) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_COMMON) $(BUILD)/libvigie.a $(VG_LDLIBS)

# fuzz-replay - each fuzz target linked with a plain driver (replay.c)
# that runs it on files, for builds without libFuzzer
.PHONY: fuzz-replay
fuzz-replay: $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/fuzz-replay/replay_%,$(FUZZ_SRCS))
$(BUILD)/fuzz-replay/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_COMMON) $(FUZZ_COMMON:.c=.h) \
		$(BUILD)/libvigie.a
	@mkdir -p $(dir $@)
	$(CC) $(VG_CFLAGS) $(CFLAGS) -DSRCDIR=\"$(CURDIR)\" $(LDFLAGS) -o $@ tests/fuzz/replay.c $< \
		$(FUZZ_COMMON) $(BUILD)/libvigie.a $(VG_LDLIBS)

clean:
	rm -rf build build-clang build-asan build-tsan build-fuzz

-include $(ENGINE_OBJS:.o=.d) $(MILTER_OBJS:.o=.d) $(SCAN_OBJS:.o=.d)
