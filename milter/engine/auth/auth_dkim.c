/*
 * auth_dkim.c - DKIM verification (RFC 6376) with libopendkim.
 *
 * libopendkim does the canonicalisation and the cryptography; vigie gives
 * it the header fields one by one (line ends made CRLF, as signed), the
 * body (DKIM_LIBFLAGS_FIXCRLF), and fetches the keys itself through
 * dkim_set_key_lookup(), so that every key look-up goes through the
 * message's DNS budget and the shared cache (auth_dns.c). The key lookup
 * hook is used rather than the dkim_dns_set_query_* set because it hands
 * over one whole TXT record per signature, which is all vigie needs, and
 * keeps libopendkim's own resolver out of the picture entirely. A
 * prescreen hook ignores signatures past the configured maximum (a
 * message may carry hundreds: CPU and DNS work are bounded).
 */
#include "auth_dkim.h"

#include <opendkim/dkim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "auth_dns.h"
#include "auth_txt.h"
#include "buf.h"

#define AUTH_DKIM_KEY_MAX	4096	/* longest key record accepted */

static DKIM_LIB *auth_dkim_lib;

/* what the hooks see of the message being verified */
struct auth_dkim_ctx {
	struct auth_dns_budget *budget;
	const struct auth_input *in;
	unsigned max;
	/* signatures whose key look-up failed temporarily */
	const DKIM_SIGINFO *dns_failed[AUTH_DKIM_MAX];
	size_t	 ndns_failed;
};

/* auth_dkim_key - libopendkim's key lookup: selector._domainkey.d TXT */
static DKIM_CBSTAT
auth_dkim_key(DKIM *dkim, DKIM_SIGINFO *sig, u_char *buf, size_t buflen)
{
	struct auth_dkim_ctx *c = dkim_get_user_context(dkim);
	const char *sel = (const char *)dkim_sig_getselector(sig);
	const char *dom = (const char *)dkim_sig_getdomain(sig);
	struct auth_dns_answer *a;
	char name[AUTH_DOMAIN_MAX * 2 + 16];
	DKIM_CBSTAT rc;
	int n;

	if (sel == NULL || dom == NULL ||
	    (size_t)snprintf(name, sizeof(name), "%s._domainkey.%s", sel, dom) >=
	    sizeof(name))
		return DKIM_CBSTAT_NOTFOUND;
	if ((a = malloc(sizeof(*a))) == NULL)
		return DKIM_CBSTAT_ERROR;
	auth_dns_query(c->budget, name, AUTH_DNS_TXT,
	    auth_essential(c->in, dom), a);
	switch (a->status) {
	case AUTH_DNS_OK:
		n = auth_txt_pick(a, "", (char *)buf,
		    buflen < AUTH_DKIM_KEY_MAX ? buflen : AUTH_DKIM_KEY_MAX);
		rc = n == 1 ? DKIM_CBSTAT_CONTINUE : DKIM_CBSTAT_NOTFOUND;
		break;
	case AUTH_DNS_NONE:
		rc = DKIM_CBSTAT_NOTFOUND;
		break;
	default:
		/*
		 * TRYAGAIN would abort the whole verification (it is meant
		 * for a milter that tempfails); NOTFOUND keeps the other
		 * signatures going, and the signature is remembered here
		 * to be reported temperror, not permerror
		 */
		if (c->ndns_failed < AUTH_DKIM_MAX)
			c->dns_failed[c->ndns_failed++] = sig;
		rc = DKIM_CBSTAT_NOTFOUND;
		break;
	}
	free(a);
	return rc;
}

/* auth_dkim_sig_aligned - the signature's d= aligned with the From */
static int
auth_dkim_sig_aligned(const struct auth_dkim_ctx *c, DKIM_SIGINFO *sig)
{
	const char *d = (const char *)dkim_sig_getdomain(sig);

	return d != NULL && auth_essential(c->in, d);
}

/*
 * auth_dkim_prescreen - keep at most max signatures, those aligned with
 * the From first (the ones DMARC depends on: a sender cannot push them
 * out with signatures of his own), ignore the others
 */
static DKIM_CBSTAT
auth_dkim_prescreen(DKIM *dkim, DKIM_SIGINFO **sigs, int nsigs)
{
	struct auth_dkim_ctx *c = dkim_get_user_context(dkim);
	unsigned kept = 0;
	int i, pass;

	for (pass = 1; pass >= 0; pass--)
		for (i = 0; i < nsigs; i++) {
			if (auth_dkim_sig_aligned(c, sigs[i]) != pass)
				continue;
			if (kept < c->max)
				kept++;
			else
				dkim_sig_ignore(sigs[i]);
		}
	return DKIM_CBSTAT_CONTINUE;
}

/* auth_dkim_init - see auth_dkim.h */
int
auth_dkim_init(void)
{
	unsigned flags = DKIM_LIBFLAGS_FIXCRLF;

	if (auth_dkim_lib != NULL)
		return 0;	/* engine_init() may run more than once */
	if ((auth_dkim_lib = dkim_init(NULL, NULL)) == NULL)
		return -1;
	if (dkim_options(auth_dkim_lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS,
	    &flags, sizeof(flags)) != DKIM_STAT_OK ||
	    dkim_set_key_lookup(auth_dkim_lib, auth_dkim_key) != DKIM_STAT_OK ||
	    dkim_set_prescreen(auth_dkim_lib, auth_dkim_prescreen) !=
	    DKIM_STAT_OK)
		return -1;
	return 0;
}

/* auth_dkim_header_end - offset of the blank line ending the header block */
static size_t
auth_dkim_header_end(const char *s, size_t len, size_t *body)
{
	size_t i = 0;

	while (i < len) {
		if (s[i] == '\n') {
			*body = i + 1;
			return i;
		}
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			*body = i + 2;
			return i;
		}
		while (i < len && s[i] != '\n')
			i++;
		i++;
	}
	*body = len;
	return len;
}

/* auth_dkim_signed - a DKIM-Signature field among the headers? */
static int
auth_dkim_signed(const char *s, size_t hlen)
{
	static const char name[] = "DKIM-Signature:";
	size_t i = 0;

	while (i + sizeof(name) - 1 <= hlen) {
		if (strncasecmp(s + i, name, sizeof(name) - 1) == 0)
			return 1;
		while (i < hlen && s[i] != '\n')
			i++;
		i++;
	}
	return 0;
}

/*
 * auth_dkim_feed_headers - each field, continuation lines included, with
 * CRLF inside and none at its end; -1 when libopendkim refuses
 */
static int
auth_dkim_feed_headers(DKIM *dkim, const char *s, size_t hlen)
{
	struct buf field;
	size_t i = 0;
	int rc = 0;

	buf_init(&field);
	while (i < hlen && rc == 0) {
		buf_reset(&field);
		do {
			size_t start = i, end;

			while (i < hlen && s[i] != '\n')
				i++;
			end = i > start && s[i - 1] == '\r' ? i - 1 : i;
			if (field.len > 0 && buf_append(&field, "\r\n", 2) < 0)
				rc = -1;
			if (buf_append(&field, s + start, end - start) < 0)
				rc = -1;
			i++;
		} while (rc == 0 && i < hlen && (s[i] == ' ' || s[i] == '\t'));
		if (rc == 0 && dkim_header(dkim, (u_char *)field.data,
		    field.len) != DKIM_STAT_OK)
			rc = -1;
	}
	buf_free(&field);
	return rc;
}

/*
 * auth_dkim_result - one signature's verdict (RFC 8601 2.7.1): a signature
 * or body hash that does not match is fail; a key the DNS could not give
 * is temperror; anything else wrong with the signature or key permerror
 */
static enum auth_verdict
auth_dkim_result(DKIM_SIGINFO *sig, const struct auth_dkim_ctx *c,
    int body_cut)
{
	int bh = dkim_sig_getbh(sig);
	size_t i;

	if ((dkim_sig_getflags(sig) & DKIM_SIGFLAG_PASSED) != 0 &&
	    bh == DKIM_SIGBH_MATCH)
		return AUTH_PASS;
	switch (dkim_sig_geterror(sig)) {
	case DKIM_SIGERROR_KEYFAIL:
		return AUTH_TEMPERROR;
	case DKIM_SIGERROR_NOKEY:
		for (i = 0; i < c->ndns_failed; i++)
			if (c->dns_failed[i] == sig)
				return AUTH_TEMPERROR;
		return AUTH_PERMERROR;
	case DKIM_SIGERROR_OK:
	case DKIM_SIGERROR_BADSIG:
		break;
	default:
		return AUTH_PERMERROR;
	}
	/* vigie did not keep the whole body: its fault, not the sender's */
	if (body_cut && bh == DKIM_SIGBH_MISMATCH)
		return AUTH_TEMPERROR;
	return AUTH_FAIL;
}

/* auth_dkim_verify - see auth_dkim.h */
void
auth_dkim_verify(struct auth_dns_budget *budget, unsigned max,
    const struct auth_input *in, struct auth_result *out)
{
	struct auth_dkim_ctx c = { .budget = budget, .in = in, .max = max };
	DKIM_SIGINFO **sigs;
	DKIM_STAT st;
	DKIM *dkim;
	size_t hlen, body, k;
	int nsigs, i;

	hlen = auth_dkim_header_end(in->raw, in->len, &body);
	if (auth_dkim_lib == NULL || !auth_dkim_signed(in->raw, hlen))
		return;
	if ((dkim = dkim_verify(auth_dkim_lib, (const u_char *)"vigie", NULL,
	    &st)) == NULL)
		return;
	(void)dkim_set_user_context(dkim, &c);
	/* whatever stopped the checks, the signatures seen are listed */
	if (auth_dkim_feed_headers(dkim, in->raw, hlen) == 0 &&
	    dkim_eoh(dkim) == DKIM_STAT_OK) {
		if (body < in->len)
			(void)dkim_body(dkim, (u_char *)in->raw + body,
			    in->len - body);
		(void)dkim_eom(dkim, NULL);
	}
	if (dkim_getsiglist(dkim, &sigs, &nsigs) != DKIM_STAT_OK)
		goto out;
	for (i = 0; i < nsigs; i++) {
		if ((dkim_sig_getflags(sigs[i]) & DKIM_SIGFLAG_IGNORE) != 0 ||
		    out->ndkim == AUTH_DKIM_MAX) {
			out->dkim_skipped++;
			if (auth_dkim_sig_aligned(&c, sigs[i]))
				out->dkim_skipped_aligned++;
			continue;
		}
		k = out->ndkim++;
		auth_domain_copy(out->dkim[k].domain,
		    dkim_sig_getdomain(sigs[i]) != NULL ?
		    (const char *)dkim_sig_getdomain(sigs[i]) : "");
		out->dkim[k].result = auth_dkim_result(sigs[i], &c,
		    in->body_cut);
	}
out:
	(void)dkim_free(dkim);
}
