/*
 * fuzz_dnsrec.c - libFuzzer target: DNS answers as vigie's own
 * authentication reads them. The input is cut into records (each one
 * byte of length, then that many bytes; at most AUTH_DNS_MAX_RR), put in
 * an answer, and every record goes through auth_txt_join() (TXT) and
 * auth_dname_text() (as MX exchange and PTR name); then auth_txt_pick()
 * looks for a DMARC record, a DKIM key and an SPF record, and what it
 * finds goes through libopendmarc's parser (auth_dmarc_record_parse()).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth_dmarc.h"
#include "auth_dname.h"
#include "auth_dns.h"
#include "auth_txt.h"

/* fuzz_answer - the input as an answer's records */
static void
fuzz_answer(const uint8_t *data, size_t size, struct auth_dns_answer *a)
{
	size_t i = 0, used = 0, len;

	memset(a, 0, sizeof(*a));
	a->status = AUTH_DNS_OK;
	while (i < size && a->nrr < AUTH_DNS_MAX_RR) {
		len = data[i++];
		if (len > size - i)
			len = size - i;
		if (len > AUTH_DNS_MAX_DATA - used)
			break;
		memcpy(a->data + used, data + i, len);
		a->rr[a->nrr] = a->data + used;
		a->len[a->nrr++] = len;
		used += len;
		i += len;
	}
}

/* fuzz_text_ok - abort unless out is a string of the length returned */
static void
fuzz_text_ok(long n, const char *out, size_t cap)
{
	if (n >= 0 && ((size_t)n >= cap || strlen(out) != (size_t)n))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const prefixes[] = { "v=DMARC1", "", "v=spf1" };
	struct auth_dns_answer *a;
	struct auth_dmarc_record r;
	char out[1024];
	size_t i;
	long n;
	int rc;

	if ((a = malloc(sizeof(*a))) == NULL)
		return 0;
	fuzz_answer(data, size, a);
	for (i = 0; i < a->nrr; i++) {
		n = auth_txt_join(a->rr[i], a->len[i], out, sizeof(out));
		fuzz_text_ok(n, out, sizeof(out));
		n = auth_txt_join(a->rr[i], a->len[i], out, 8);
		fuzz_text_ok(n, out, 8);
		if (a->len[i] > 2) {
			n = auth_dname_text(a->rr[i] + 2, a->len[i] - 2, out,
			    sizeof(out));
			fuzz_text_ok(n, out, sizeof(out));
		}
		n = auth_dname_text(a->rr[i], a->len[i], out, 16);
		fuzz_text_ok(n, out, 16);
	}
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		rc = auth_txt_pick(a, prefixes[i], out, sizeof(out));
		if (rc < -1 || rc > 1 || (rc == 1 && strlen(out) >= sizeof(out)))
			abort();
		if (rc == 1 && i == 0) {
			memset(&r, 0, sizeof(r));
			(void)auth_dmarc_record_parse("fuzz.example", out, &r);
		}
	}
	free(a);
	return 0;
}
