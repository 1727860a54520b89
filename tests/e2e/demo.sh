#!/bin/bash
# demo.sh - pass the sample messages through Postfix and vigie, show what happened.
#
# SYNOPSIS
#	make demo		(or: bash tests/e2e/demo.sh [SAMPLE.eml...])
#
# DESCRIPTION
#	Starts the private Postfix instance of lib.sh and build/vigie-milter
#	with the SHIPPED configuration, config/vigie.conf and its rule files,
#	with only what a temp-dir test needs changed, in a copy under the
#	temp dir:
#
#	  socket	given with -p (a unix socket in the temp dir)
#	  socket_mode	"0666": the daemon drops to "nobody" (-u nobody, in
#			place of the shipped "vigie", which may not exist),
#			so the socket's group is nogroup, not postfix
#	  rules		copied from config/rules/ beside the copy
#
#	Then sends each sample (tests/e2e/samples/*.eml by default) with
#	swaks, envelope sender taken from its From: line, and prints one row
#	per sample: delivered (with X-Vigie-Status and the Subject Postfix
#	delivered), held in the quarantine (hold queue), or refused (with the
#	SMTP reply). It reports, it does not judge: the exit status is 0
#	unless the demo itself could not run.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/lib.sh"

e2e_init
pf_setup
DEMO=$T/demo
mkdir -p "$DEMO"
cp -r "$VIGIE_ROOT/config/rules" "$DEMO/rules"
sed -e 's/^socket_mode[[:space:]]*=.*/socket_mode = "0666";	# demo: see tests\/e2e\/demo.sh/' \
	"$VIGIE_ROOT/config/vigie.conf" >"$DEMO/vigie.conf"
chmod -R a+rX "$DEMO"
pf_start
milter_start "$DEMO/vigie.conf" -u nobody

if [ $# -gt 0 ]; then
	SAMPLES=("$@")
else
	SAMPLES=("$E2E_DIR"/samples/*.eml)
fi

# from_addr - the address of a message file's From: line
from_addr() {
	msg_header "$1" From | head -n 1 | sed -n 's/.*<\([^>]*\)>.*/\1/p; t; s/^[[:space:]]*\([^[:space:]]*@[^[:space:]]*\).*/\1/p'
}

# decode_subject - RFC 2047 encoded-words to UTF-8, for the table
decode_subject() {
	python3 -c 'import sys
from email.header import decode_header, make_header
print(str(make_header(decode_header(sys.argv[1]))))' "$1" 2>/dev/null || printf '%s\n' "$1"
}

ROWS=()
n=0
for sample in "${SAMPLES[@]}"; do
	n=$((n + 1))
	name=$(basename "$sample" .eml)
	box=demo$n
	from=$(from_addr "$sample")
	out=$T/$box.swaks
	swaks_send "$out" --from "${from:-demo@example.org}" --to "$box@$PF_DOMAIN" --data "$sample"
	qid=$(swaks_queue_id "$out")
	reply=$(swaks_final_reply "$out")
	if [ -z "$qid" ]; then
		ROWS+=("$name|refused|$reply")
		continue
	fi
	# Delivered or held: wait for whichever comes first.
	outcome=""
	for _ in $(seq 1 100); do
		if in_hold "$qid"; then
			st=$(postcat -c "$PF_CFG" -h -q "$qid" 2>/dev/null | sed -n 's/^X-Vigie-Status: //p' | head -n 1)
			outcome="held (quarantine)|X-Vigie-Status: ${st:-none}"
			break
		fi
		f=$(delivered_files "$box" | head -n 1)
		if [ -n "$f" ]; then
			st=$(msg_header "$f" X-Vigie-Status | head -n 1)
			subj=$(decode_subject "$(msg_header "$f" Subject | head -n 1)")
			outcome="delivered|X-Vigie-Status: ${st:-none}; Subject: $subj"
			break
		fi
		sleep 0.1
	done
	ROWS+=("$name|${outcome:-queued $qid, neither delivered nor held after 10 s|}")
done

echo
printf '%-26s %-18s %s\n' "SAMPLE" "POSTFIX OUTCOME" "DETAILS"
printf '%-26s %-18s %s\n' "------" "---------------" "-------"
for row in "${ROWS[@]}"; do
	IFS='|' read -r name outcome details <<<"$row"
	printf '%-26s %-18s %s\n' "$name" "$outcome" "$details"
done
echo
echo "vigie-milter's log lines (one per message):"
grep '^vigie:\|queue_id=' "$T/milter.log" | grep -v '^----' | sed 's/^/  /'
