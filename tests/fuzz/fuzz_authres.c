/*
 * fuzz_authres.c - libFuzzer target: Authentication-Results values
 * through authres_parse() with a trusted list holding one fixed
 * authserv-id. Each input is parsed as it is, then behind that id (so
 * that most inputs reach the method/result grammar), then through
 * authres_from_view() as the second of two fields of a view.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authres.h"
#include "buf.h"
#include "fuzz_common.h"
#include "msgview.h"
#include "ruleset.h"

#define AR_ID		"mx.vigie.example"
#define AR_INPUT_MAX	(64 * 1024)

/* fuzz_ar_check - abort when a result field is not a terminated string */
static void
fuzz_ar_check(const struct authres *ar)
{
	size_t i;

	if (ar->ndkim_pass > AUTHRES_DKIM_MAX ||
	    memchr(ar->dmarc_from, '\0', AUTHRES_DOMAIN_MAX) == NULL)
		abort();
	for (i = 0; i < ar->ndkim_pass; i++)
		if (memchr(ar->dkim_pass[i], '\0', AUTHRES_DOMAIN_MAX) == NULL)
			abort();
}

/* fuzz_ar_view - the value as a header field of a view, after a foreign one */
static void
fuzz_ar_view(const struct strlist *trusted, const char *value)
{
	struct msgview mv;
	struct authres ar;

	if (msgview_init(&mv, fuzz_limits(NULL)) < 0)
		return;
	if (msgview_add_header(&mv, "Authentication-Results",
	    "evil.example; dmarc=pass header.from=ameli.fr") == 0 &&
	    msgview_add_header(&mv, "authentication-results", value) == 0) {
		(void)authres_from_view(&mv, trusted, "own.example", &ar);
		fuzz_ar_check(&ar);
	}
	msgview_free(&mv);
}

/* LLVMFuzzerTestOneInput - parse the input alone and behind the trusted id */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char id[] = AR_ID;
	static char *ids[] = { id };
	static const struct strlist trusted = { ids, 1 };
	struct authres ar;
	struct buf v;

	if (size > AR_INPUT_MAX)
		return 0;
	buf_init(&v);
	if (buf_append(&v, data, size) < 0)
		goto out;
	(void)authres_parse(buf_cstr(&v), &trusted, &ar);
	fuzz_ar_check(&ar);
	buf_reset(&v);
	if (buf_append_str(&v, AR_ID "; ") < 0 ||
	    buf_append(&v, data, size) < 0)
		goto out;
	if (authres_parse(buf_cstr(&v), &trusted, &ar) != 1)
		abort();
	fuzz_ar_check(&ar);
	fuzz_ar_view(&trusted, buf_cstr(&v));
out:
	buf_free(&v);
	return 0;
}
