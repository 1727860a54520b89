#!/bin/bash
# test_same_verdict.sh - the same message gets the same verdict from
# vigie-milter (through a real Postfix) and from vigie-scan.
#
# A sample of the French corpus (every 6th lure and every 6th honest
# message) is sent through the private Postfix to vigie-milter running the
# shipped rules, with the envelope sender set to the From address; the
# outcome Postfix gives it (550 reject, hold, or delivery with its
# X-Vigie-Status) must be the action and score vigie-scan prints for the
# same file with the same envelope sender.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/lib.sh"

e2e_init
pf_setup
CONF_DIR=$T/conf
mkdir -p "$CONF_DIR"
cp -r "$VIGIE_ROOT/config/rules" "$CONF_DIR/rules"
sed -e 's/^socket_mode[[:space:]]*=.*/socket_mode = "0666";/' \
    -e 's/^trusted_authserv_ids[[:space:]]*=.*/trusted_authserv_ids = [ "mx.vigie-test.example" ];/' \
	"$VIGIE_ROOT/config/vigie.conf" >"$CONF_DIR/vigie.conf"
chmod -R a+rX "$CONF_DIR"
pf_start
milter_start "$CONF_DIR/vigie.conf" -u nobody

# from_addr - the address of a message file's first From: line
from_addr() {
	msg_header "$1" From | head -n 1 |
	    sed -n 's/.*<\([^>]*\)>.*/\1/p; t; s/^[[:space:]]*\([^[:space:]]*@[^[:space:]]*\).*/\1/p'
}

n=0
for f in $(ls "$VIGIE_ROOT"/tests/corpus/phish/*.eml | awk 'NR % 6 == 1') \
	 $(ls "$VIGIE_ROOT"/tests/corpus/legit/*.eml | awk 'NR % 6 == 1'); do
	n=$((n + 1))
	from=$(from_addr "$f")
	from=${from:-nobody@example.org}
	want=$("$VIGIE_ROOT/build/vigie-scan" -c "$CONF_DIR/vigie.conf" \
	    --sender "$from" "$f" | awk '{print $2, $3}')
	swaks_send "$T/out.$n" --from "$from" --to "same$n@$PF_DOMAIN" --data "$f"
	reply=$(swaks_final_reply "$T/out.$n")
	case $reply in
	550*)
		got="reject $(grep -E 'action=reject' "$T/milter.log" | tail -n 1 |
		    sed -n 's/.* score=\([-0-9.]*\).*/\1/p')" ;;
	250*)
		qid=$(swaks_queue_id "$T/out.$n")
		wait_queue_settled 10
		if in_hold "$qid"; then
			st=$(postcat -c "$PF_CFG" -h -q "$qid" 2>/dev/null |
			    sed -n 's/^X-Vigie-Status: //p' | head -n 1)
		else
			st=$(msg_header "$(wait_delivered "same$n" 10)" X-Vigie-Status)
		fi
		got=$(printf '%s\n' "$st" | sed -n 's/^\([a-z]*\) score=\([-0-9.]*\).*/\1 \2/p') ;;
	*)
		got="smtp: $reply" ;;
	esac
	check_eq "$(basename "$f"): milter and scanner agree" "$got" "$want"
done
finish
