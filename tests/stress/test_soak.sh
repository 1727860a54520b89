#!/bin/bash
# test_soak.sh - the daemon's memory stays flat under a long flow of mail.
#
# SYNOPSIS
#	bash tests/stress/test_soak.sh		short: 3,000 messages
#	STRESS=1 bash tests/stress/test_soak.sh	long: 100,000 messages
#
# DESCRIPTION
#	A private Postfix with build/vigie-milter and the shipped rules
#	(config/rules/fr-health.rules) gets COUNT messages of every kind
#	over 8 concurrent sessions of 20 messages each, so that libmilter
#	keeps starting and ending threads. The milter's resident size
#	(VmRSS) is sampled every second. After a warm-up of the first fifth
#	of the messages it may grow by at most 8 MiB (an attack run saw
#	21.8 -> 45.3 -> 50.3 MB over 15,000 corpus messages; with these
#	generated messages 6,000 gave 20.9 -> 24.0 -> 24.0 MB, flat).
#	Prints the RSS curve as "# ..." lines.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/stress_lib.sh"

if [ "$LONG" = 1 ]; then
	COUNT=${SOAK_COUNT:-100000}
else
	COUNT=${SOAK_COUNT:-3000}
fi
MAX_GROWTH_KB=${SOAK_MAX_GROWTH_KB:-8192}

e2e_init
pf_setup
pf_start
CONF=$T/soak.conf
stress_conf "$CONF" "$VIGIE_ROOT/config/rules/fr-health.rules"
milter_start "$CONF"

RES=$T/soak.jsonl
: >"$RES"
stress_send --out "$RES" --sessions 8 --per-session 20 --count "$COUNT" \
	--mix accept:4,tag:3,quar:2,reject:1 --prefix W --filler 200 \
	>"$T/sender.out" 2>&1 &
SENDER=$!
# rss_sampler - "messages_sent rss_kb" every second while the sender runs
: >"$T/rss"
while kill -0 "$SENDER" 2>/dev/null; do
	echo "$(wc -l <"$RES") $(awk '/^VmRSS:/ { print $2 }' "/proc/$MILTER_PID/status" 2>/dev/null)" >>"$T/rss"
	sleep 1
done
wait "$SENDER"
echo "$(wc -l <"$RES") $(awk '/^VmRSS:/ { print $2 }' "/proc/$MILTER_PID/status")" >>"$T/rss"
e2e_log "sender: $(cat "$T/sender.out")"

WARM=$((COUNT / 5))
# the RSS at the first sample past the warm-up, the highest after it, the last
read -r RSS_WARM RSS_MAX RSS_END <<<"$(awk -v w="$WARM" '
	$1 >= w && $2 != "" { if (warm == "") warm = $2; if ($2 > max) max = $2; last = $2 }
	END { print warm + 0, max + 0, last + 0 }' "$T/rss")"
CURVE=$(awk -v n="$COUNT" 'BEGIN { step = n / 10 } $2 != "" && $1 >= next_at { printf "%d:%.1fMB ", $1, $2 / 1024; next_at += step }' "$T/rss")
e2e_log "RSS curve (messages:RSS): $CURVE"
e2e_log "RSS after warm-up ($WARM messages) ${RSS_WARM} kB, highest after ${RSS_MAX} kB, at the end ${RSS_END} kB"
check_match "all $COUNT messages sent" "$(wc -l <"$RES")" "^$COUNT\$"
check_eq "milter still running" "$(milter_alive && echo yes)" yes
check_eq "RSS grows by at most $((MAX_GROWTH_KB / 1024)) MiB after the warm-up (got $(((RSS_MAX - RSS_WARM) / 1024)) MiB)" \
	"$([ $((RSS_MAX - RSS_WARM)) -le "$MAX_GROWTH_KB" ] && echo yes)" yes
milter_stop
check_eq "SIGTERM: milter exits 0" "$?" 0
finish
