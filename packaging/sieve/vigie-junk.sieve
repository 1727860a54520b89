# vigie-junk.sieve - file mail that vigie tagged into the Junk folder.
#
# For Dovecot's Pigeonhole Sieve (or any RFC 5228 Sieve with "fileinto").
# It reads the SpamAssassin-style flag vigie adds when vigie.conf sets
#     spam_flag_header = "X-Spam-Flag";
# vigie writes "X-Spam-Flag: YES" on mail it tagged, and on held mail
# that an admin released; it never writes it in monitor mode, and it
# removes any X-Spam-Flag the sender put in the message, so the flag
# can be trusted. Sieve scripts written for SpamAssassin keep working.
#
# Tested by tests/e2e/test_postfix.sh with Pigeonhole's sieve-test on
# the messages the private Postfix delivered.
require ["fileinto"];

if header :is "X-Spam-Flag" "YES" {
	fileinto "Junk";
	stop;
}
