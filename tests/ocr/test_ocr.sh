#!/bin/bash
# test_ocr.sh - OCR of images (ocr = true, decode/attach/ocr.c) through
# vigie-scan, plain and ASan+UBSan builds:
#   - the *-ocr-* lures of tests/corpus/phish are accepted with OCR off
#     (the shipped default) and quarantined or rejected with it on: they
#     are caught only because of it; their honest twins stay accepted;
#   - --dump shows the text with its origin (ocr:image1, ocr:pdf:page1);
#   - OCR off loads no language data and costs no memory;
#   - hostile images (ten in a message, noise, 20,000 x 20,000 pixels) get
#     a verdict and the anomaly of their limit, in less than a second of
#     CPU and 64 MiB more than the same message with OCR off.
# Times are CPU times (user + system): the machines here are shared.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
[ -x build/vigie-scan ] || skip "build/vigie-scan is not built"
TMP=$(mktemp -d /tmp/vigie-ocr.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
TRUST="--trusted-authserv-id mx.vigie-test.example"
# as vigie.service runs it: one OpenMP thread per tesseract engine
export OMP_THREAD_LIMIT=1

# ocr_conf CONF OUT [SETTING] - CONF with ocr = true (and SETTING), its
# rule paths made absolute
ocr_conf() {
	sed -e "s|\"\\.\\./\\.\\./|\"$PWD/|g" -e "s|\"rules/|\"$PWD/config/rules/|g" \
	    -e '/^ocr = /d' "$1" >"$2"
	printf 'ocr = true;\n%s\n' "${3:-}" >>"$2"
}
ocr_conf config/vigie.conf "$TMP/on.conf"
ocr_conf tests/corpus/site.conf "$TMP/site-on.conf"
check_eq "the shipped vigie.conf leaves OCR off" \
    "$(grep -c '^ocr = false;' config/vigie.conf)" 1

PHISH=$(ls tests/corpus/phish/*-ocr-*.eml)
LEGIT=$(ls tests/corpus/legit/*-ocr-*.eml)
check_match "at least two lures only OCR reads" "$(echo "$PHISH" | wc -l)" '^([2-9]|[1-9][0-9])$'

# actions BIN CONF FILES... - "file action" lines
actions() {
	local bin=$1 conf=$2
	shift 2
	"$bin" -c "$conf" $TRUST "$@" 2>"$TMP/err" | awk '{ print $1, $2 }'
	grep -q 'Sanitizer\|runtime error' "$TMP/err" && not_ok "$bin: sanitizer report: $(head -c 300 "$TMP/err")"
}

# expect_all LINES WORDS WHAT - every line's action is one of WORDS
expect_all() {
	local bad
	bad=$(echo "$1" | awk -v w=" $2 " 'index(w, " " $2 " ") == 0')
	if [ -z "$bad" ] && [ -n "$1" ]; then ok "$3"; else not_ok "$3: $(echo "$bad" | tr '\n' ' ')"; fi
}

for bin in build/vigie-scan build-asan/vigie-scan; do
	[ -x "$bin" ] || continue
	expect_all "$(actions "$bin" config/vigie.conf $PHISH)" accept \
	    "$bin: OCR off (shipped default): the image lures are accepted"
	expect_all "$(actions "$bin" tests/corpus/site.conf $PHISH)" accept \
	    "$bin: OCR off (site.conf): the image lures are accepted"
	expect_all "$(actions "$bin" "$TMP/on.conf" $PHISH)" "quarantine reject" \
	    "$bin: OCR on: the image lures are quarantined or rejected"
	expect_all "$(actions "$bin" "$TMP/site-on.conf" $PHISH)" "quarantine reject" \
	    "$bin: OCR on (site.conf): the image lures are quarantined or rejected"
	expect_all "$(actions "$bin" "$TMP/site-on.conf" $LEGIT)" accept \
	    "$bin: OCR on (site.conf): the honest image mail is accepted"
done

# the text and its origin, as the rules see it
dump() {
	build/vigie-scan -c "$1" $TRUST --dump "$2" 2>/dev/null
}
D206=tests/corpus/phish/206-ocr-inline-image-carte-vitale.eml
D208=tests/corpus/phish/208-ocr-pdf-scan-ameli.eml
check_match "--dump: inline image read, origin ocr:image1" \
    "$(dump "$TMP/on.conf" $D206)" '"url":"https://ameli-remboursement.fr/vitale"[^}]*"origin":"ocr:image1"'
check_match "--dump: the image's words are visible text" \
    "$(dump "$TMP/on.conf" $D206)" '"text":"[^"]*Votre carte Vitale expire'
check_match "--dump: scanned PDF page read, origin ocr:pdf:page1" \
    "$(dump "$TMP/on.conf" $D208)" '"origin":"ocr:pdf:page1"'
check_eq "--dump: no OCR text with OCR off" \
    "$(dump config/vigie.conf $D206 $D208 | grep -c '"ocr:')" 0

# OCR off never touches tesseract's data: with a data path that does not
# exist, only OCR on complains (and the message still gets a verdict)
TESSDATA_PREFIX=/nonexistent build/vigie-scan -c config/vigie.conf $D206 >"$TMP/out" 2>"$TMP/err"
check_eq "OCR off: no language data loaded" \
    "$(grep -c 'tesseract cannot load' "$TMP/err")" 0
TESSDATA_PREFIX=/nonexistent build/vigie-scan -c "$TMP/on.conf" $D206 >"$TMP/out" 2>"$TMP/err"
check_eq "OCR on, data missing: one log line" \
    "$(grep -c 'tesseract cannot load' "$TMP/err")" 1
check_match "OCR on, data missing: still a verdict" "$(cat "$TMP/out")" ' accept '

# cost BIN CONF FILE - sets CPU (seconds), KB (max RSS) and OUT (--json)
cost() {
	/usr/bin/time -f '%U %S %M' -o "$TMP/time" timeout 120 "$1" -j 1 -c "$2" \
	    --json "$3" >"$TMP/out" 2>"$TMP/err"
	read -r user sys KB <"$TMP/time" || { user=999; sys=0; KB=0; }
	CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
	OUT=$(cat "$TMP/out")
}

# memory: the image lure costs OCR off what a plain message costs
printf 'From: a@b.example\nSubject: s\n\ncorps\n' >"$TMP/plain.eml"
cost build/vigie-scan config/vigie.conf "$TMP/plain.eml"
plainkb=$KB
cost build/vigie-scan config/vigie.conf $D206
offkb=$KB
cost build/vigie-scan "$TMP/on.conf" $D206
echo "# max RSS: plain message ${plainkb} KiB; image lure, OCR off ${offkb} KiB, OCR on ${KB} KiB (${CPU} s CPU)"
check_eq "OCR off: an image message within 4 MiB of a plain one" \
    "$([ $((offkb - plainkb)) -lt 4096 ] && echo yes)" yes

# hostile images, with ocr_max_ms = 500
python3 tests/ocr/make_ocr_hostile.py "$TMP/h" || exit 2
ocr_conf config/vigie.conf "$TMP/hostile.conf"
sed -i 's/^  ocr_max_ms = .*/  ocr_max_ms = 500;/' "$TMP/hostile.conf"
check_eq "hostile config: ocr_max_ms = 500" "$(grep -c '^  ocr_max_ms = 500;' "$TMP/hostile.conf")" 1
while read -r name anomaly; do
	f=$TMP/h/$name
	cost build/vigie-scan config/vigie.conf "$f"
	offcpu=$CPU offkb=$KB
	cost build/vigie-scan "$TMP/hostile.conf" "$f"
	echo "# $name: OCR on ${CPU} s CPU, ${KB} KiB; OCR off ${offcpu} s, ${offkb} KiB"
	check_match "$name: a verdict" "$OUT" '"action":'
	check_match "$name: records $anomaly" "$OUT" "\"$anomaly\""
	check_eq "$name: under 1 s of CPU more than OCR off" \
	    "$(awk -v a="$CPU" -v b="$offcpu" 'BEGIN { if (a - b < 1) print "yes" }')" yes
	check_eq "$name: under 64 MiB more than OCR off" \
	    "$([ $((KB - offkb)) -lt $((64 * 1024)) ] && echo yes)" yes
done <<'LIST'
ocr-10-images.eml limit_attach_items
ocr-noise-1024.eml limit_image_pixels
ocr-png-20000x20000.eml limit_image_pixels
LIST
out=$(build/vigie-scan -c "$TMP/hostile.conf" --dump "$TMP/h/ocr-10-images.eml" 2>/dev/null)
check_match "ten images: the third is read" "$out" '"origin":"ocr:image3"'
check_eq "ten images: the fourth is not (ocr_max_images = 3)" \
    "$(echo "$out" | grep -c '"origin":"ocr:image4"')" 0
finish
