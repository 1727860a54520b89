#!/bin/sh
# build.sh - build the libFuzzer targets into build-fuzz/ (clang only).
#
#   sh tests/fuzz/build.sh            build-fuzz/fuzz_NAME from tests/fuzz/fuzz_NAME.c
#   build-fuzz/fuzz_mime -max_total_time=60 CORPUS_DIR...
#   sh tests/fuzz/run.sh              run them all (make fuzz does both)
#
# The Makefile builds them (target fuzz-targets, SANITIZE=fuzz): the
# engine library with -fsanitize=fuzzer-no-link plus ASan and UBSan, each
# target linked with -fsanitize=fuzzer and the set-up the targets share
# (fuzz_common.c), with the flags every other build uses.
set -eu

cd "$(dirname "$0")/../.."
CC=${CC:-clang}
OUT=${OUT:-build-fuzz}
make -s CC="$CC" BUILD="$OUT" SANITIZE=fuzz OPT=-O1 fuzz-targets
echo "built: $(ls "$OUT"/fuzz_* | tr '\n' ' ')"
