/*
 * svg.c - an SVG attachment through libxml2's SAX2 XML parser.
 *
 * SVG files open in the browser, where their <text>, links and scripts
 * work as in a web page: phishing sends them as "images" that are in
 * fact a login page or a redirect. The parser runs in push mode with
 * callbacks only (no tree), without network access, without loading a
 * DTD and without substituting entities (no entity declaration handler:
 * no "billion laughs"); libxml2's own limits on names and text apply
 * (XML_PARSE_HUGE is not set).
 *
 * Text: character data outside <script> and <style>, white space
 * collapsed, cut at max_text_bytes. Links: href / xlink:href of <a>
 * (MV_URL_HREF) and of <image> and <feImage> (MV_URL_IMG). Scripts:
 * their text goes to htmlscript.c for location / window.open targets.
 */
#include "svg.h"

#include <libxml/parser.h>
#include <string.h>

#include "attach.h"
#include "buf.h"
#include "htmlscript.h"
#include "msgview.h"
#include "url.h"

#define SVG_CHUNK	(64 * 1024)

struct svg_state {
	const struct attach_ctx *ctx;
	int	 err;			/* memory failure */
	unsigned skip;			/* open <style> elements */
	unsigned script;		/* open <script> elements */
	struct buf text;		/* visible text, collapsed */
	struct buf js;			/* script text */
};

/* svg_href - the href or xlink:href among SAX2 attributes (5 pointers each), NULL if none */
static const xmlChar *
svg_href(int nattr, const xmlChar **attrs, int *len)
{
	int i;

	for (i = 0; i < nattr; i++)
		if (strcmp((const char *)attrs[i * 5], "href") == 0) {
			*len = (int)(attrs[i * 5 + 4] - attrs[i * 5 + 3]);
			return attrs[i * 5 + 3];
		}
	return NULL;
}

/* svg_start - an element opens: links, skipped content */
static void
svg_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattr,
    int ndefaulted, const xmlChar **attrs)
{
	struct svg_state *st = ctx;
	const char *name = (const char *)localname;
	const xmlChar *href;
	int hlen = 0;

	(void)prefix;
	(void)uri;
	(void)nns;
	(void)ns;
	(void)ndefaulted;
	if (st->err)
		return;
	if (strcmp(name, "style") == 0)
		st->skip++;
	else if (strcmp(name, "script") == 0)
		st->script++;
	if ((href = svg_href(nattr, attrs, &hlen)) == NULL || hlen <= 0)
		return;
	if (strcmp(name, "a") == 0) {
		if (url_add(st->ctx->mv, (const char *)href, (size_t)hlen, NULL,
		    MV_URL_HREF, NULL) < 0)
			st->err = 1;
	} else if (strcmp(name, "image") == 0 || strcmp(name, "feImage") == 0) {
		if (url_add(st->ctx->mv, (const char *)href, (size_t)hlen, NULL,
		    MV_URL_IMG, NULL) < 0)
			st->err = 1;
	}
}

/* svg_end - an element closes */
static void
svg_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct svg_state *st = ctx;
	const char *name = (const char *)localname;

	(void)prefix;
	(void)uri;
	if (strcmp(name, "style") == 0 && st->skip > 0)
		st->skip--;
	else if (strcmp(name, "script") == 0 && st->script > 0)
		st->script--;
	else if (st->text.len > 0 && st->text.data[st->text.len - 1] != ' ' &&
	    buf_append_char(&st->text, ' ') < 0)
		st->err = 1;
}

/* svg_characters - text: to the script buffer, dropped, or shown collapsed */
static void
svg_characters(void *ctx, const xmlChar *ch, int len)
{
	struct svg_state *st = ctx;
	size_t max = st->ctx->mv->limits->max_text_bytes;
	int i;

	if (st->err || st->skip > 0 || len <= 0)
		return;
	if (st->script > 0) {
		if (st->js.len + (size_t)len <= max &&
		    buf_append(&st->js, ch, (size_t)len) < 0)
			st->err = 1;
		return;
	}
	for (i = 0; i < len && st->text.len < max; i++) {
		char c = (char)ch[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			if (st->text.len == 0 ||
			    st->text.data[st->text.len - 1] == ' ')
				continue;
			c = ' ';
		}
		if (buf_append_char(&st->text, c) < 0) {
			st->err = 1;
			return;
		}
	}
}

/* svg_trim - drop a UTF-8 sequence that the text cap cut in two */
static void
svg_trim(struct buf *t)
{
	size_t n = t->len, k = 0;

	while (n > 0 && k < 3 && ((unsigned char)t->data[n - 1] & 0xC0) == 0x80)
		n--, k++;
	if (n > 0 && ((unsigned char)t->data[n - 1] & 0xC0) == 0xC0) {
		unsigned char lead = (unsigned char)t->data[n - 1];
		size_t want = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;

		if (k < want)
			t->len = n - 1;
	}
	if (t->data != NULL)
		t->data[t->len] = '\0';
}

/* svg_decode - see svg.h */
int
svg_decode(const struct attach_ctx *ctx, const char *data, size_t len)
{
	xmlSAXHandler sax;
	xmlParserCtxtPtr p;
	struct svg_state st;
	struct buf origin;
	size_t off, n;
	int r = -1;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	buf_init(&st.text);
	buf_init(&st.js);
	buf_init(&origin);
	/* links found while parsing carry the file's origin */
	if (attach_origin(ctx, "svg", &origin) < 0 ||
	    msgview_set_origin(ctx->mv, buf_cstr(&origin)) < 0)
		goto done;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = svg_start;
	sax.endElementNs = svg_end;
	sax.characters = svg_characters;
	sax.cdataBlock = svg_characters;
	if ((p = xmlCreatePushParserCtxt(&sax, &st, NULL, 0, NULL)) == NULL)
		goto done;
	xmlCtxtUseOptions(p, XML_PARSE_NONET | XML_PARSE_RECOVER |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	for (off = 0; off < len && !st.err; off += n) {
		n = len - off < SVG_CHUNK ? len - off : SVG_CHUNK;
		if (xmlParseChunk(p, data + off, (int)n, 0) != 0 &&
		    !p->recovery)
			break;
	}
	xmlParseChunk(p, NULL, 0, 1);
	xmlFreeParserCtxt(p);
	if (st.err || htmlscript_scan(ctx->mv, buf_cstr(&st.js), st.js.len) < 0)
		goto done;
	svg_trim(&st.text);
	if (attach_text(ctx, "svg", buf_cstr(&st.text), st.text.len) < 0)
		goto done;
	r = 0;
done:
	if (msgview_set_origin(ctx->mv, ctx->where) < 0)
		r = -1;
	buf_free(&st.text);
	buf_free(&st.js);
	buf_free(&origin);
	return r;
}
