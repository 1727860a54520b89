/*
 * fuzz_header.c - libFuzzer target: header values. The input goes
 * through rfc2047_decode() as a raw value, then, since address parsing
 * is private to mime.c, through mime_parse() as the From, Reply-To and
 * Subject fields of a message with a one-line body.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz_common.h"
#include "mime.h"
#include "msgview.h"
#include "rfc2047.h"

#define HDR_MAX	(64 * 1024)

/*
 * fuzz_hdr_clean - abort unless s[0..len) is what rfc2047.h
 * promises: valid UTF-8 (no overlong forms, surrogates or values past
 * U+10FFFF) without C0 control characters or DEL.
 */
static void
fuzz_hdr_clean(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	unsigned long cp;

	while (i < len) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			abort();
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			n = 1, cp = s[i] & 0x1f;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			n = 2, cp = s[i] & 0x0f;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			n = 3, cp = s[i] & 0x07;
		else
			abort();
		if (len - i <= n)
			abort();
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				abort();
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			abort();
		i += n + 1;
	}
}

/* fuzz_hdr_str - fuzz_hdr_clean on a C string */
static void
fuzz_hdr_str(const char *s)
{
	fuzz_hdr_clean((const unsigned char *)s, strlen(s));
}

/* fuzz_hdr_view - every decoded header string of the view is clean */
static void
fuzz_hdr_view(const struct msgview *mv)
{
	size_t i;

	fuzz_hdr_str(mv->subject);
	for (i = 0; i < mv->nheaders; i++)
		fuzz_hdr_str(mv->headers[i].value);
	for (i = 0; i < mv->nfrom; i++) {
		fuzz_hdr_str(mv->from[i].display);
		fuzz_hdr_str(mv->from[i].addr);
	}
	for (i = 0; i < mv->nreply_to; i++) {
		fuzz_hdr_str(mv->reply_to[i].display);
		fuzz_hdr_str(mv->reply_to[i].addr);
	}
}

/* fuzz_hdr_limits - visible text capped at 64 KiB, as large as an input */
static void
fuzz_hdr_limits(struct scan_limits *limits)
{
	limits->max_text_bytes = 64 * 1024;
}

/* fuzz_hdr_message - parse "From: <in>\nReply-To: <in>\nSubject: <in>" */
static void
fuzz_hdr_message(const char *in, size_t len)
{
	static const char *const names[] = { "From: ", "Reply-To: ",
	    "Subject: " };
	struct msgview mv;
	struct buf raw;
	size_t i;

	buf_init(&raw);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (buf_append_str(&raw, names[i]) < 0 ||
		    buf_append(&raw, in, len) < 0 ||
		    buf_append_str(&raw, "\n") < 0)
			goto out;
	if (buf_append_str(&raw, "\nbody\n") < 0 ||
	    fuzz_view_init(&mv, fuzz_hdr_limits) < 0)
		goto out;
	if (mime_parse(raw.data, raw.len, &mv) == 0)
		fuzz_hdr_view(&mv);
	msgview_free(&mv);
out:
	buf_free(&raw);
}

/* LLVMFuzzerTestOneInput - decode the input as a header value, both ways */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out;
	unsigned flags = 0;

	fuzz_decoders_init();
	if (size > HDR_MAX)
		return 0;
	buf_init(&out);
	if (rfc2047_decode(&out, (const char *)data, size, &flags) == 0 &&
	    out.len > 0)
		fuzz_hdr_clean((const unsigned char *)out.data, out.len);
	buf_free(&out);
	fuzz_hdr_message((const char *)data, size);
	return 0;
}
