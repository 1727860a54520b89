#!/bin/bash
# test_limits.sh - hostile messages against the engine's bounds, through
# vigie-scan (plain and ASan builds): each gets a verdict, records the
# limit it hit, stays within memory, and does not hang. The wall-clock
# bound is only a hang detector (machines here are shared and noisy);
# the times are printed for the record, `make bench` measures speed.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
TMP=$(mktemp -d /tmp/vigie-limits.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
python3 tests/limits/make_hostile.py "$TMP/msgs" || exit 2

# run BIN FILE - scan one file; sets OUT, SECS (wall), CPU (user + system
# seconds), KB (peak RSS)
run() {
	local bin=$1 file=$2 user sys
	/usr/bin/time -f '%e %U %S %M' -o "$TMP/time" timeout 120 "$bin" -j 1 \
	    -c config/vigie.conf --json "$file" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	read -r SECS user sys KB <"$TMP/time" 2>/dev/null ||
	    { SECS=999; user=999; sys=0; KB=0; }
	CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
	OUT=$(cat "$TMP/out")
}

# each hostile file and the anomaly its verdict must record ("-": none)
HOSTILE=$(cat <<'LIST'
nested-10000.eml limit_mime_depth
header-90k.eml -
urls-100000.eml limit_urls
base64-50mb.eml limit_scan_bytes
backtrack.eml -
invalid-utf8.eml -
att-zip-bomb.eml limit_attach_bytes
att-zip-nested-10.eml limit_archive_depth
att-zip-many-members.eml limit_attach_items
att-pdf-10000-pages.eml limit_attach_items
att-pdf-10000-pages-images.eml limit_attach_items
att-pdf-page-2mib-operators.eml -
att-pdf-page-inflating-1000mib.eml limit_attach_time
att-pdf-page-forms-10-pow-8.eml limit_attach_time
att-pdf-billion-objects.eml bad_attachment
att-ics-100000-events.eml limit_attach_items
att-png-20000x20000.eml limit_image_pixels
LIST
)

# the plain build, one run per file: verdict, memory, no hang, anomaly
if [ -x build/vigie-scan ]; then
	maxkb=$((160 * 1024))
	while read -r name anomaly; do
		run build/vigie-scan "$TMP/msgs/$name"
		echo "# build/vigie-scan $name: ${SECS}s, $((KB / 1024)) MiB, $(echo "$OUT" | head -c 200)"
		check_eq "build/vigie-scan $name: exit 0 and a verdict" \
		    "$([ "$RC" -eq 0 ] && echo "$OUT" | grep -q '"action":' && echo yes)" yes
		check_eq "build/vigie-scan $name: no sanitizer report" \
		    "$(grep -q 'Sanitizer\|runtime error' "$TMP/err" || echo yes)" yes
		check_eq "build/vigie-scan $name: under $((maxkb / 1024)) MiB" "$([ "$KB" -lt "$maxkb" ] && echo yes)" yes
		check_eq "build/vigie-scan $name: no hang (under 60 s)" \
		    "$(awk -v s="$SECS" 'BEGIN { if (s < 60) print "yes" }')" yes
		if [ "$anomaly" != - ]; then
			check_eq "build/vigie-scan $name: records $anomaly" \
			    "$(echo "$OUT" | grep -q "\"$anomaly\"" && echo yes)" yes
		fi
	done <<<"$HOSTILE"
fi

# the ASan+UBSan build, every file in one run (its start-up, Hyperscan
# compiling the rules under ASan's allocator, costs seconds; its memory is
# ASan's own): a verdict and the anomaly for each, no sanitizer report
if [ -x build-asan/vigie-scan ]; then
	files=$(while read -r name anomaly; do echo "$TMP/msgs/$name"; done <<<"$HOSTILE")
	/usr/bin/time -f '%e' -o "$TMP/time" timeout 600 build-asan/vigie-scan \
	    -c config/vigie.conf --json $files >"$TMP/asan.out" 2>"$TMP/asan.err"
	RC=$?
	echo "# build-asan/vigie-scan, every hostile file: $(cat "$TMP/time")s"
	check_eq "build-asan/vigie-scan: every hostile file, exit 0 (no hang: under 600 s)" "$RC" 0
	check_eq "build-asan/vigie-scan: no sanitizer report" \
	    "$(grep -q 'Sanitizer\|runtime error' "$TMP/asan.err" || echo yes)" yes
	while read -r name anomaly; do
		OUT=$(grep -F "\"path\":\"$TMP/msgs/$name\"" "$TMP/asan.out")
		check_eq "build-asan/vigie-scan $name: a verdict" \
		    "$(echo "$OUT" | grep -q '"action":' && echo yes)" yes
		if [ "$anomaly" != - ]; then
			check_eq "build-asan/vigie-scan $name: records $anomaly" \
			    "$(echo "$OUT" | grep -q "\"$anomaly\"" && echo yes)" yes
		fi
	done <<<"$HOSTILE"
fi

# hostile attachments, plain build: each judged in less than a second
# more than a message without attachments (the decoders' own bound is
# limits.max_attach_ms = 500 ms of CPU, also inside a PDF page: see
# pdfstream.c; start-up, the same for both, is left out) and with less
# than 64 MiB more memory. The second is CPU time (user + system): the
# wall time is printed too, but on a shared machine (six jobs on two
# cores) it stretches threefold and varies from run to run, so it only
# feeds the hang check above.
if [ -x build/vigie-scan ]; then
	printf 'From: a@b.example\nSubject: s\n\ncorps\n' >"$TMP/plain.eml"
	run build/vigie-scan "$TMP/plain.eml"
	basekb=$KB
	basesecs=$SECS
	basecpu=$CPU
	for f in "$TMP"/msgs/att-*.eml; do
		run build/vigie-scan "$f"
		name=$(basename "$f")
		echo "# $name: ${SECS}s wall, ${CPU}s CPU (plain message ${basesecs}s, ${basecpu}s)," \
		    "$(((KB - basekb) / 1024)) MiB over a plain message"
		check_eq "$name: under 1 s more CPU" \
		    "$(awk -v s="$CPU" -v b="$basecpu" 'BEGIN { if (s - b < 1) print "yes" }')" yes
		check_eq "$name: under 64 MiB extra" \
		    "$([ $((KB - basekb)) -lt $((64 * 1024)) ] && echo yes)" yes
	done
fi

# a pattern that backtracks catastrophically (on the subject, which has no
# Hyperscan prefilter in front of PCRE2): the match limit turns it
# into evidence (LIMIT_REGEX), not a hung thread
mkdir -p "$TMP/bt"
printf 'rules = [ "bt.rules" ];\n' >"$TMP/bt/v.conf"
printf 'rules = (\n { id = "BT"; target = "subject"; pattern = "(\\\\w+\\\\s?)+$"; score = 1; },\n { id = "LIMIT_REGEX"; detector = "anomaly"; arg = "limit_regex"; score = 1; } );\n' >"$TMP/bt/bt.rules"
/usr/bin/time -f '%e' -o "$TMP/time" timeout 60 build/vigie-scan -c "$TMP/bt/v.conf" "$TMP/msgs/backtrack.eml" >"$TMP/out" 2>&1
echo "# catastrophic pattern: $(cat "$TMP/time")s: $(cat "$TMP/out")"
check_eq "catastrophic pattern: LIMIT_REGEX recorded instead of a hang" \
    "$(grep -q 'LIMIT_REGEX' "$TMP/out" && echo yes)" yes

finish
