/*
 * mime.h - raw message bytes to msgview, the way a mail client shows it.
 *
 * mime_parse() reads the header block (RFC 5322 fields, RFC 2047 encoded
 * words, RFC 2231 parameters, address lists) and walks the MIME tree in
 * display order: text parts are decoded (base64, quoted-printable),
 * converted to UTF-8 and appended to the view's text; HTML goes through
 * html.c; URLs found in text through url.c; attachments are listed.
 * Malformed structure is recorded as anomalies, never treated as an error,
 * and every size is bounded by mv->limits.
 */
#ifndef VIGIE_MIME_H
#define VIGIE_MIME_H

#include <stddef.h>

struct msgview;

/* mime_init - one-time library set-up, before any thread starts */
int	mime_init(void);

/* mime_parse - fill an initialised view; -1 only on memory failure */
int	mime_parse(const char *raw, size_t len, struct msgview *mv);

#endif
