#!/bin/sh
# build.sh - build the libFuzzer targets into build-fuzz/ (clang only).
#
#   sh tests/fuzz/build.sh            build build-fuzz/fuzz_{mime,html,url}
#   build-fuzz/fuzz_mime -max_total_time=60 CORPUS_DIR...
#
# The engine objects are compiled with -fsanitize=fuzzer-no-link plus
# ASan and UBSan, each target links them with -fsanitize=fuzzer.
set -eu

cd "$(dirname "$0")/../.."
CC=${CC:-clang}
OUT=${OUT:-build-fuzz}
PKGS="libpcre2-8 libconfig gmime-3.0 libidn2 libpsl icu-uc icu-i18n libxml-2.0"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-std=c11 -g -O1 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
-D_POSIX_C_SOURCE=200809L -fno-strict-aliasing -pthread \
$(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lmagic -pthread -lm"

mkdir -p "$OUT/obj"
objs=
for src in milter/*.c; do
	case "$src" in
	milter/milter_*|milter/scan_*) continue ;;
	esac
	obj="$OUT/obj/$(basename "$src" .c).o"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ]; then
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
