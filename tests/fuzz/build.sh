#!/bin/sh
# build.sh - build the libFuzzer targets into build-fuzz/ (clang only).
#
#   sh tests/fuzz/build.sh            build-fuzz/fuzz_NAME from tests/fuzz/fuzz_NAME.c
#   build-fuzz/fuzz_mime -max_total_time=60 CORPUS_DIR...
#   sh tests/fuzz/run.sh              run them all (make fuzz does both)
#
# The engine objects are compiled with -fsanitize=fuzzer-no-link plus
# ASan and UBSan, each target links them with -fsanitize=fuzzer. An
# object is rebuilt when its source or any milter/*.h is newer.
set -eu

cd "$(dirname "$0")/../.."
CC=${CC:-clang}
OUT=${OUT:-build-fuzz}
# make_var - a variable of the Makefile, so that libraries stay in step
make_var() {
	printf 'vg-print-var:\n\t@echo "$(%s)"\n' "$1" |
	    make -s --no-print-directory -f Makefile -f - vg-print-var
}
PKGS=$(make_var ENGINE_PKGS)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-std=c11 -g -O1 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
-D_POSIX_C_SOURCE=200809L -fno-strict-aliasing -pthread \
$(pkg-config --cflags $PKGS)"
LIBS=$(make_var VG_LDLIBS)

mkdir -p "$OUT/obj"
newest_h=$(ls -t milter/*.h | head -n 1)
objs=
for src in milter/*.c; do
	case "$src" in
	milter/milter_*|milter/scan_*) continue ;;
	esac
	obj="$OUT/obj/$(basename "$src" .c).o"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] ||
	    [ "$newest_h" -nt "$obj" ]; then
		$CC $CFLAGS $SAN -fsanitize=fuzzer-no-link -c -o "$obj" "$src"
	fi
	objs="$objs $obj"
done
for t in tests/fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	$CC $CFLAGS $SAN -fsanitize=fuzzer -Imilter -o "$OUT/$name" "$t" \
	    $objs $LIBS
done
echo "built: $(ls "$OUT"/fuzz_* | tr '\n' ' ')"
