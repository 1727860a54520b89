#!/bin/bash
# test_privacy.sh - no NIR in anything vigie writes, through Postfix and vigie-scan.
#
# SYNOPSIS
#	bash tests/privacy/test_privacy.sh	(as root; sh re-execs bash)
#
# DESCRIPTION
#	make_nir_messages.py writes messages that carry invented NIRs (valid
#	keys, Corsica included) in every form: compact, spaced, dotted,
#	dashed, base64 and quoted-printable bodies, HTML with entities and
#	tags between the groups, Subject (plain and RFC 2047), From display
#	name, attachment names, URL path and query. They go through a private
#	Postfix (tests/e2e/lib.sh) and vigie-milter running the shipped
#	config/vigie.conf and rules (adapted for testing: allow_root, socket
#	given with -p, stats_listen on a free loopback port), and through
#	vigie-scan (default output, --json, --explain, --summary). Then
#	nothing vigie wrote may show a NIR:
#
#	  the milter's log, the X-Vigie-* headers of delivered and held
#	  messages (the message's own headers may carry the NIR: only what
#	  vigie added is checked), the milter-hold line Postfix logs (Postfix
#	  drops the smfi_quarantine reason itself), the SMTP reply
#	  swaks saw for the rejected message, /metrics, and every vigie-scan
#	  output.
#
#	"Show a NIR" means: matches the NIR regex of the before-stop hook
#	(case-insensitive), or contains one of the invented NIRs in any
#	separator form, or its first 8 characters (sex, birth year and month,
#	departement: an excerpt cut inside the number must not show them).
#	So that the test cannot pass by detecting nothing, every message
#	must have been judged with NIR_LABELLED. --dump shows the decoded
#	message on purpose and is not checked. A file the user named with a
#	NIR is printed with its name as given (the user's choice, not message
#	content), its excerpts still masked. Offending lines are printed
#	with their digits masked.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../e2e/lib.sh"

SCAN=${VIGIE_SCAN:-$VIGIE_ROOT/build/vigie-scan}
NIR_RE='(^|[^0-9])[12][ .-]?[0-9]{2}[ .-]?(0[1-9]|1[0-2])[ .-]?(2[AB]|[0-9]{2})[ .-]?[0-9]{3}[ .-]?[0-9]{3}[ .-]?[0-9]{2}([^0-9]|$)'

e2e_init
[ -x "$SCAN" ] || e2e_die "$SCAN not built (make)"
command -v curl >/dev/null 2>&1 || e2e_die "curl not found"
G=$T/gen
python3 "$VIGIE_ROOT/tests/privacy/make_nir_messages.py" "$G" || e2e_die "message generator failed"

# no_nir - ok when FILE shows no NIR: no_nir DESCRIPTION FILE
no_nir() {
	local what=$1 f=$2 hits
	if [ ! -e "$f" ]; then
		not_ok "$what" "no such file" "a file to check"
		return
	fi
	hits=$( { grep -naiE -- "$NIR_RE" "$f"
		grep -naiF -f "$G/forms.txt" -- "$f"
		grep -naiF -f "$G/prefixes.txt" -- "$f"; } | sort -u -t: -k1,1n)
	if [ -z "$hits" ]; then
		ok "$what"
	else
		not_ok "$what" "$(printf '%s\n' "$hits" | sed 's/[0-9]/#/g' |
			cut -c1-160 | head -n 3 | tr '\n' '|') (digits masked)" "no NIR"
	fi
}

# --- a copy of the shipped config, adapted for testing
STATS_PORT=$(pick_port) || e2e_die "no free port for stats"
CONF=$T/vigie.conf
sed -e 's/^allow_root = .*/allow_root = true;/' \
	-e 's/^user = .*/user = "";/' \
	-e "s/^stats_listen = .*/stats_listen = \"127.0.0.1:$STATS_PORT\";/" \
	-e "s|^rules = .*|rules = [ \"$VIGIE_ROOT/config/rules/fr-health.rules\" ];|" \
	"$VIGIE_ROOT/config/vigie.conf" >"$CONF"
check_eq "test config: stats_listen and allow_root set" \
	"$(grep -c "^stats_listen = \"127.0.0.1:$STATS_PORT\";\|^allow_root = true;" "$CONF")" 2

pf_setup
pf_start
milter_start "$CONF"
# socket_mode 0660 of the shipped config: let the unprivileged smtpd in
chmod 0666 "$MILTER_SOCK"

echo "# through Postfix"
HELD_IDS=""
REJECT_OUT=""
declare -A QIDS
while read -r name box expect; do
	OUT=$T/$box.swaks
	swaks_send "$OUT" --from sender@example.org --to "$box@$PF_DOMAIN" --data "$G/msgs/$name"
	QIDS[$box]=$(swaks_queue_id "$OUT")
	reply=$(swaks_final_reply "$OUT")
	case $expect in
	reject)
		check_match "$name: refused (550)" "$reply" '^550 5\.7\.1 '
		REJECT_OUT=$OUT ;;
	quarantine)
		check_match "$name: queued" "$reply" '^250 .*queued as'
		HELD_IDS="$HELD_IDS ${QIDS[$box]}" ;;
	*)
		check_match "$name: queued" "$reply" '^250 .*queued as' ;;
	esac
done <"$G/boxes.txt"

wait_queue_settled 15
while read -r name box expect; do
	qid=${QIDS[$box]}
	case $expect in
	reject)
		check_match "$name: milter judged it with NIR_LABELLED" \
			"$(grep 'action=reject' "$T/milter.log" | tail -n 1)" 'rules=([^ ]*,)?NIR_LABELLED(,| )'
		continue ;;
	quarantine)
		if [ -n "$qid" ] && wait_for 10 in_hold "$qid"; then
			ok "$name: held"
		else
			not_ok "$name: held" "'$(queue_all | tr '\n' ' ')'" "hold:$qid"
		fi
		postcat -c "$PF_CFG" -h -q "$qid" 2>/dev/null | grep -i '^X-Vigie-' >"$T/$box.vigie-headers"
		;;
	*)
		f=$(wait_delivered "$box" 10) || f=""
		check_eq "$name: delivered" "$([ -n "$f" ] && echo yes)" yes
		[ -n "$f" ] && awk '/^$/ { exit } { print }' "$f" |
			awk 'BEGIN { IGNORECASE = 1 } /^[^ \t]/ { keep = tolower($0) ~ /^x-vigie-/ } keep' \
			>"$T/$box.vigie-headers"
		;;
	esac
	check_match "$name: milter judged it with NIR_LABELLED" \
		"$(milter_log_for "$qid")" "action=$expect .*rules=([^ ]*,)?NIR_LABELLED(,| )"
	check_match "$name: X-Vigie-Report names NIR_LABELLED" \
		"$(cat "$T/$box.vigie-headers" 2>/dev/null)" '^X-Vigie-Report: .*NIR_LABELLED='
	no_nir "$name: X-Vigie-* headers vigie added show no NIR" "$T/$box.vigie-headers"
done <"$G/boxes.txt"

# Postfix (3.7) logs "milter-hold: ... milter triggers HOLD action" and
# keeps the smfi_quarantine reason nowhere (log or queue file); only
# Sendmail records it. Check the line Postfix did log.
for qid in $HELD_IDS; do
	grep "$qid: milter-hold" "$T/postfix.log" >"$T/hold-$qid.log"
	check_match "hold: Postfix logged milter-hold for $qid" "$(cat "$T/hold-$qid.log")" 'milter-hold: '
	no_nir "hold: Postfix's milter-hold line shows no NIR" "$T/hold-$qid.log"
done
if [ -n "$REJECT_OUT" ]; then
	grep -E '^ *<\*\*' "$REJECT_OUT" >"$T/reject-reply.txt"
	check_match "reject: swaks saw the configured text" "$(cat "$T/reject-reply.txt")" 'suspected phishing'
	no_nir "reject: SMTP reply shows no NIR" "$T/reject-reply.txt"
fi

curl -s --max-time 5 "http://127.0.0.1:$STATS_PORT/metrics" >"$T/metrics.txt"
check_match "/metrics answers and counts NIR_LABELLED hits" "$(cat "$T/metrics.txt")" 'NIR_LABELLED'
no_nir "/metrics shows no NIR" "$T/metrics.txt"

milter_stop
check_eq "milter exits 0 on SIGTERM" "$?" 0
no_nir "milter log shows no NIR" "$T/milter.log"

echo "# vigie-scan"
for mode in "" --json --explain "--json --explain" --summary; do
	tag=${mode:-default}
	tag=${tag// /}
	# shellcheck disable=SC2086
	"$SCAN" -c "$CONF" $mode "$G/msgs" >"$T/scan$tag.out" 2>&1
	no_nir "vigie-scan $tag: shows no NIR" "$T/scan$tag.out"
done
n=$(grep -c 'NIR_LABELLED' "$T/scandefault.out")
check_eq "vigie-scan: every message judged with NIR_LABELLED" \
	"$n" "$(wc -l <"$G/boxes.txt")"
check_match "vigie-scan --summary counts NIR_LABELLED" \
	"$(grep 'rule NIR_LABELLED ' "$T/scan--summary.out")" "NIR_LABELLED +$(wc -l <"$G/boxes.txt") "
# a file the user named with a NIR, in a directory named by one: the
# name is the user's and is printed as given; the message's own NIR
# (in its excerpts) is still masked
NLABEL=$(sed -n 1p "$G/nirs.txt")
mkdir -p "$T/scan/$NLABEL"
NFILE=$T/scan/$NLABEL/$(sed -n 2p "$G/forms.txt").eml
cp "$G/msgs/02-spaced.eml" "$NFILE"
"$SCAN" -c "$CONF" --explain "$T/scan" >"$T/scan-named.out" 2>&1
check_eq "vigie-scan: a file name is printed as the user wrote it" \
	"$(head -n 1 "$T/scan-named.out" | cut -d' ' -f1)" "$NFILE"
tail -n +2 "$T/scan-named.out" >"$T/scan-named-explain.out"
no_nir "vigie-scan: the excerpts of that message show no NIR" \
	"$T/scan-named-explain.out"
finish
