/*
 * fuzz_received.c - libFuzzer target: Received values through
 * received_parse() (vigie-scan --spf-from-headers), then as the topmost
 * of two Received fields of a view through received_topmost(). Aborts
 * when a result is not what received.h promises: terminated fields, an
 * address inet_pton accepts on success, an empty client on failure, and
 * the same client from both entry points.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz_common.h"
#include "msgview.h"
#include "received.h"

#define RECEIVED_INPUT_MAX	(64 * 1024)

/* fuzz_received_check - abort when a parse result breaks received.h */
static void
fuzz_received_check(int rc, const struct received_client *c)
{
	static const struct received_client empty;
	unsigned char bin[16];

	if (memchr(c->helo, '\0', sizeof(c->helo)) == NULL ||
	    memchr(c->ip, '\0', sizeof(c->ip)) == NULL)
		abort();
	if (rc == 0 && inet_pton(AF_INET, c->ip, bin) != 1 &&
	    inet_pton(AF_INET6, c->ip, bin) != 1)
		abort();
	if (rc != 0 && (rc != -1 || memcmp(c, &empty, sizeof(*c)) != 0))
		abort();
}

/* fuzz_received_view - the value as the first of two Received fields */
static void
fuzz_received_view(const char *value, int want_rc,
    const struct received_client *want)
{
	struct received_client got;
	struct msgview mv;
	int rc;

	if (fuzz_view_init(&mv, NULL) < 0)
		return;
	if (msgview_add_header(&mv, "received", value) == 0 &&
	    msgview_add_header(&mv, "Received",
	    "from forged.example ([198.51.100.7]) by mx.example") == 0) {
		rc = received_topmost(&mv, &got);
		fuzz_received_check(rc, &got);
		if (rc != want_rc || memcmp(&got, want, sizeof(got)) != 0)
			abort();
	}
	msgview_free(&mv);
}

/* LLVMFuzzerTestOneInput - parse the input alone, then inside a view */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct received_client c;
	struct buf v;
	int rc;

	if (size > RECEIVED_INPUT_MAX)
		return 0;
	buf_init(&v);
	if (buf_append(&v, data, size) == 0) {
		rc = received_parse(buf_cstr(&v), &c);
		fuzz_received_check(rc, &c);
		fuzz_received_view(buf_cstr(&v), rc, &c);
	}
	buf_free(&v);
	return 0;
}
