/*
 * msgview.c - storage of the decoded message, with its limits enforced.
 */
#include "msgview.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "domain.h"

static const char *const mv_anomaly_names[MV_ANOM_COUNT] = {
	"multiple_from_fields", "multiple_from_addrs", "no_from",
	"bad_boundary", "dup_content_type", "bad_charset",
	"bad_encoded_word", "hidden_html", "ctrl_in_header",
	"limit_scan_bytes", "limit_header_bytes", "limit_part_bytes",
	"limit_text_bytes", "limit_mime_depth", "limit_parts", "limit_urls",
	"limit_attachments", "limit_regex", "split_word", "limit_css",
	"limit_attach_bytes", "limit_attach_items", "limit_archive_depth",
	"limit_attach_time", "limit_image_pixels", "encrypted_archive",
	"bad_attachment", "limit_forged_fields",
};

/* mv_anomaly_name - see msgview.h */
const char *
mv_anomaly_name(unsigned bit)
{
	unsigned i;

	for (i = 0; i < MV_ANOM_COUNT; i++)
		if (bit == (1u << i))
			return mv_anomaly_names[i];
	return "unknown";
}

/* msgview_init - see msgview.h */
int
msgview_init(struct msgview *mv, const struct scan_limits *limits)
{
	memset(mv, 0, sizeof(*mv));
	mv->limits = limits;
	mv->return_path = "";
	mv->subject = "";
	buf_init(&mv->text);
	buf_init(&mv->text_tail);
	buf_init(&mv->attached_message);
	if ((mv->arena = arena_new()) == NULL)
		return -1;
	return 0;
}

/* msgview_keep_attached_message - see msgview.h */
int
msgview_keep_attached_message(struct msgview *mv, const char *data,
    size_t len)
{
	if (mv->attached_message.len > 0 || len == 0)
		return 0;
	if (len > mv->limits->max_part_bytes)
		len = mv->limits->max_part_bytes;
	return buf_append(&mv->attached_message, data, len);
}

/* msgview_free - release everything the view holds */
void
msgview_free(struct msgview *mv)
{
	arena_free(mv->arena);
	buf_free(&mv->text);
	buf_free(&mv->text_tail);
	buf_free(&mv->attached_message);
	free(mv->headers);
	free(mv->from);
	free(mv->reply_to);
	free(mv->urls);
	free(mv->attachments);
	free(mv->text_origins);
	memset(mv, 0, sizeof(*mv));
}

/* msgview_anomaly - see msgview.h */
void
msgview_anomaly(struct msgview *mv, enum mv_anomaly a)
{
	mv->anomalies |= (unsigned)a;
}

/* mv_grow - make room for one more element of a growable array */
static int
mv_grow(void **array, size_t n, size_t *cap, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > (size_t)-1 / elem)
		return -1;
	if ((p = realloc(*array, ncap * elem)) == NULL)
		return -1;
	*array = p;
	*cap = ncap;
	return 0;
}

/* mv_str - arena copy of a string, "" for NULL */
static const char *
mv_str(struct msgview *mv, const char *s)
{
	return arena_strdup(mv->arena, s != NULL ? s : "");
}

/* msgview_add_header - see msgview.h */
int
msgview_add_header(struct msgview *mv, const char *name, const char *value)
{
	struct mv_header *h;

	if (mv_grow((void **)&mv->headers, mv->nheaders, &mv->cap_headers,
	    sizeof(*h)) < 0)
		return -1;
	h = &mv->headers[mv->nheaders];
	if ((h->name = mv_str(mv, name)) == NULL ||
	    (h->value = mv_str(mv, value)) == NULL)
		return -1;
	mv->nheaders++;
	return 0;
}

/* msgview_add_address - see msgview.h; the domain is derived from addr */
int
msgview_add_address(struct msgview *mv, struct mv_address **list, size_t *n,
    size_t *cap, const char *display, const char *addr)
{
	struct mv_address *a;
	const char *at, *unicode;

	if (*n >= MV_MAX_ADDRESSES)
		return 0;
	if (mv_grow((void **)list, *n, cap, sizeof(*a)) < 0)
		return -1;
	a = &(*list)[*n];
	if ((a->display = mv_str(mv, display)) == NULL ||
	    (a->addr = mv_str(mv, addr)) == NULL)
		return -1;
	a->domain = "";
	if ((at = strrchr(a->addr, '@')) != NULL && at[1] != '\0' &&
	    domain_forms(mv->arena, at + 1, &a->domain, &unicode) < 0)
		return -1;
	(*n)++;
	return 0;
}

/* msgview_add_url - see msgview.h */
int
msgview_add_url(struct msgview *mv, const struct mv_url *u)
{
	struct mv_url *c;

	if (mv->nurls >= mv->limits->max_urls) {
		msgview_anomaly(mv, MV_ANOM_LIMIT_URLS);
		return 0;
	}
	if (mv_grow((void **)&mv->urls, mv->nurls, &mv->cap_urls,
	    sizeof(*c)) < 0)
		return -1;
	c = &mv->urls[mv->nurls];
	c->source = u->source;
	c->flags = u->flags;
	c->text = NULL;
	c->origin = mv->origin;
	if ((c->url = mv_str(mv, u->url)) == NULL ||
	    (c->scheme = mv_str(mv, u->scheme)) == NULL ||
	    (c->host = mv_str(mv, u->host)) == NULL ||
	    (c->host_ascii = mv_str(mv, u->host_ascii)) == NULL ||
	    (c->domain = mv_str(mv, u->domain)) == NULL ||
	    (c->path = mv_str(mv, u->path)) == NULL ||
	    (u->text != NULL && (c->text = mv_str(mv, u->text)) == NULL))
		return -1;
	mv->nurls++;
	return 0;
}

/* msgview_add_attachment - see msgview.h */
int
msgview_add_attachment(struct msgview *mv, const char *name,
    const char *declared_type, const char *sniffed_type)
{
	struct mv_attachment *a;

	if (mv->nattachments >= mv->limits->max_attachments) {
		msgview_anomaly(mv, MV_ANOM_LIMIT_ATTACHMENTS);
		return 0;
	}
	if (mv_grow((void **)&mv->attachments, mv->nattachments,
	    &mv->cap_attachments, sizeof(*a)) < 0)
		return -1;
	a = &mv->attachments[mv->nattachments];
	a->origin = mv->origin;
	if ((a->name = mv_str(mv, name)) == NULL ||
	    (a->declared_type = mv_str(mv, declared_type)) == NULL ||
	    (a->sniffed_type = mv_str(mv, sniffed_type)) == NULL)
		return -1;
	mv->nattachments++;
	return 0;
}

/* mv_same_origin - two origins are the same (NULL is the body) */
static int
mv_same_origin(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * msgview_set_origin - see msgview.h; the text origins stay a short list:
 * a change with no text since the last one replaces it, and a change to
 * the origin already in force adds nothing.
 */
int
msgview_set_origin(struct msgview *mv, const char *origin)
{
	struct mv_text_origin *t;

	if (origin != NULL && (origin = mv_str(mv, origin)) == NULL)
		return -1;
	mv->origin = origin;
	if (mv->ntext_origins > 0 &&
	    mv->text_origins[mv->ntext_origins - 1].offset == mv->text.len)
		mv->ntext_origins--;
	if (mv->ntext_origins > 0 ? mv_same_origin(
	    mv->text_origins[mv->ntext_origins - 1].origin, origin) :
	    origin == NULL)
		return 0;
	if (mv_grow((void **)&mv->text_origins, mv->ntext_origins,
	    &mv->cap_text_origins, sizeof(*t)) < 0)
		return -1;
	t = &mv->text_origins[mv->ntext_origins++];
	t->offset = mv->text.len;
	t->origin = origin;
	return 0;
}

/*
 * msgview_add_text - see msgview.h; a cut never splits a UTF-8
 * sequence. The tail buffer holds at most twice its share before it is
 * compacted to its last share, so keeping it is linear in the text.
 */
int
msgview_add_text(struct msgview *mv, const char *s, size_t len)
{
	size_t room = mv->limits->max_text_bytes > mv->text.len ?
	    mv->limits->max_text_bytes - mv->text.len : 0;
	size_t share = mv->limits->max_text_bytes / MV_TEXT_TAIL_PART, head;
	struct buf *t = &mv->text_tail;

	if (len <= room)
		return buf_append(&mv->text, s, len);
	msgview_anomaly(mv, MV_ANOM_LIMIT_TEXT_BYTES);
	head = room;
	while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
		head--;
	if (buf_append(&mv->text, s, head) < 0)
		return -1;
	s += head;
	len -= head;
	if (share == 0)
		return 0;
	if (len > share) {
		s += len - share;
		len = share;
		buf_reset(t);
	}
	if (buf_append(t, s, len) < 0)
		return -1;
	if (t->len > 2 * share) {
		memmove(t->data, t->data + t->len - share, share);
		t->len = share;
		t->data[share] = '\0';
	}
	return 0;
}

/* msgview_finish_text - see msgview.h; the tail starts on a character */
int
msgview_finish_text(struct msgview *mv)
{
	struct buf *t = &mv->text_tail;
	size_t share = mv->limits->max_text_bytes / MV_TEXT_TAIL_PART, from;

	if (t->len == 0)
		return 0;
	from = t->len > share ? t->len - share : 0;
	while (from < t->len && ((unsigned char)t->data[from] & 0xC0) == 0x80)
		from++;
	if (buf_append(&mv->text, "\n", 1) < 0 ||
	    buf_append(&mv->text, t->data + from, t->len - from) < 0)
		return -1;
	buf_reset(t);
	return 0;
}

