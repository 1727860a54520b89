/*
 * html.c - visible text and links of an HTML part.
 *
 * libxml2's HTML parser runs in push mode with SAX callbacks only: no
 * tree is built, so memory stays proportional to the input, and the
 * parser keeps its element stack on the heap, so deep nesting cannot
 * exhaust the C stack. HTML_PARSE_HUGE is not set, which keeps libxml2's
 * own limits on names and text nodes; the input encoding is fixed to
 * UTF-8 (mime.c converted it) and <meta charset> is ignored.
 *
 * Text is what a mail client displays: character data outside <head>,
 * <title>, <script>, <style> and <template>; comments are dropped, but a
 * comment cut into a word ("Am<!-- -->eli"), which no author writes and
 * filter evaders do, is recorded as MV_ANOM_SPLIT_WORD.
 * Runs of white space collapse to one space and block elements (p, div,
 * br, tr, td, li, h1-h6 ...) start a new line, so words never run
 * together. Elements hidden by an inline style (display:none,
 * visibility:hidden, font-size:0, opacity:0) or the hidden attribute
 * hide their descendants' text; such text is not appended and
 * MV_ANOM_HIDDEN_HTML is recorded.
 *
 * Links: <a href> and <area href> with their anchor text (the visible
 * text inside the element, white space collapsed, at most
 * HTML_ANCHOR_MAX bytes; <area> uses its alt text), <form action> and
 * <img src>, resolved against the first <base href>. Links inside
 * hidden elements are still listed: hidden links are evidence too.
 * url.c drops the schemes that lead to no host (mailto:, javascript:,
 * data:, cid: ...).
 *
 * Element state is kept per level up to HTML_MAX_DEPTH; deeper elements
 * inherit their ancestor's state.
 */
#include "html.h"

#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "msgview.h"
#include "url.h"

#define HTML_MAX_DEPTH	256
#define HTML_ANCHOR_MAX	256
#define HTML_CHUNK	(64 * 1024)

#define HTML_SKIP	1u	/* not rendered: title, script, style ... */
#define HTML_HIDDEN	2u	/* display:none, opacity:0, hidden: for good */
#define HTML_TINY	4u	/* font-size:0, until a descendant sets a size */
#define HTML_INVISIBLE	8u	/* visibility:hidden, until one sets visible */
#define HTML_UNSEEN	(HTML_HIDDEN | HTML_TINY | HTML_INVISIBLE)

struct html_state {
	struct msgview *mv;
	int	 err;			/* memory failure */
	unsigned depth;
	unsigned char flags[HTML_MAX_DEPTH];
	struct buf text;		/* visible text collected */
	int	 text_full;		/* text reached max_text_bytes */
	int	 pending_space;
	int	 pending_break;
	struct buf base;		/* first <base href> */
	int	 have_base;
	int	 in_anchor;
	unsigned anchor_depth;
	struct buf href;
	struct buf anchor;		/* anchor text, collapsed */
	int	 anchor_space;
	int	 comment_in_word;	/* a comment followed a letter */
};

/*
 * <head> itself is not skipped: text that libxml2 leaves in an implied
 * head (an unknown element after <meta>) is moved to the body by
 * browsers, and shown. Both lists are sorted (html_in searches them).
 */
static const char *const html_skip_elements[] = {
	"noembed", "noframes", "object", "script", "style", "template",
	"title", "xml",
};

static const char *const html_block_elements[] = {
	"address", "article", "aside", "blockquote", "br", "caption",
	"center", "dd", "div", "dl", "dt", "fieldset", "figcaption",
	"figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
	"header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
	"table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
};

/* html_name_cmp - bsearch order of element names, case ignored */
static int
html_name_cmp(const void *key, const void *elem)
{
	return strcasecmp(key, *(const char *const *)elem);
}

/* html_in - name is one of list (sorted) */
static int
html_in(const char *name, const char *const *list, size_t n)
{
	return bsearch(name, list, n, sizeof(*list), html_name_cmp) != NULL;
}

/* html_attr - value of an attribute, NULL if absent */
static const char *
html_attr(const xmlChar **atts, const char *name)
{
	size_t i;

	if (atts == NULL)
		return NULL;
	for (i = 0; atts[i] != NULL; i += 2)
		if (strcasecmp((const char *)atts[i], name) == 0)
			return atts[i + 1] != NULL ? (const char *)atts[i + 1] : "";
	return NULL;
}

/* html_is_zero - a CSS length or number that is zero ("0", "0px", ".0em", "0%") */
static int
html_is_zero(const char *v, size_t len)
{
	size_t i = 0;
	int digit = 0;

	for (; i < len && ((v[i] >= '0' && v[i] <= '9') || v[i] == '.'); i++) {
		if (v[i] >= '1' && v[i] <= '9')
			return 0;
		if (v[i] == '0')
			digit = 1;
	}
	for (; i < len; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || v[i] == '%'))
			return 0;
	return digit;
}

/*
 * html_style_flags - how an inline style changes visibility: the element
 * state it inherits (f) with what the style hides or shows again. CSS
 * lets a descendant set a font size or visibility back, not undo
 * display:none or an opacity of 0. Declarations are compared with white
 * space removed and case folded, so "DISPLAY : none !important" counts.
 */
static unsigned
html_style_flags(const char *style, unsigned f)
{
	char decl[128];
	size_t n = 0, vlen;
	const char *p, *colon, *v;

	for (p = style;; p++) {
		if (*p != ';' && *p != '\0') {
			if (*p != ' ' && *p != '\t' && *p != '\r' &&
			    *p != '\n' && *p != '\f' && n + 1 < sizeof(decl))
				decl[n++] = (char)((*p >= 'A' && *p <= 'Z') ?
				    *p + 32 : *p);
			continue;
		}
		decl[n] = '\0';
		if ((colon = strchr(decl, ':')) != NULL) {
			v = colon + 1;
			vlen = strcspn(v, "!");
			if ((strncmp(decl, "display:", 8) == 0 &&
			    vlen == 4 && strncmp(v, "none", 4) == 0) ||
			    (strncmp(decl, "opacity:", 8) == 0 &&
			    html_is_zero(v, vlen)))
				f |= HTML_HIDDEN;
			else if (strncmp(decl, "visibility:", 11) == 0)
				f = (vlen == 6 && strncmp(v, "hidden", 6) == 0) ||
				    (vlen == 8 && strncmp(v, "collapse", 8) == 0) ?
				    f | HTML_INVISIBLE : f & ~HTML_INVISIBLE;
			else if (strncmp(decl, "font-size:", 10) == 0)
				f = html_is_zero(v, vlen) ? f | HTML_TINY :
				    f & ~HTML_TINY;
		}
		n = 0;
		if (*p == '\0')
			break;
	}
	return f;
}

/* html_add_url - one link, resolved against <base> */
static void
html_add_url(struct html_state *st, const char *url, enum mv_url_source src,
    const char *text)
{
	if (st->err || url == NULL)
		return;
	if (url_add(st->mv, url, strlen(url), st->have_base ?
	    buf_cstr(&st->base) : NULL, src, text) < 0)
		st->err = 1;
}

/* html_close_anchor - add the open <a> with the text collected inside it */
static void
html_close_anchor(struct html_state *st)
{
	if (!st->in_anchor)
		return;
	st->in_anchor = 0;
	while (st->anchor.len > 0 && st->anchor.data[st->anchor.len - 1] == ' ')
		st->anchor.data[--st->anchor.len] = '\0';
	html_add_url(st, buf_cstr(&st->href), MV_URL_HREF,
	    buf_cstr(&st->anchor));
}

/* html_anchor_append - collect anchor text, collapsed, cut on a character boundary */
static void
html_anchor_append(struct html_state *st, const unsigned char *s, size_t len)
{
	size_t i, n;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n' || s[i] == '\f') {
			st->anchor_space = st->anchor.len > 0;
			continue;
		}
		n = 1;
		while (i + n < len && (s[i + n] & 0xC0) == 0x80)
			n++;
		if (st->anchor.len + n + 1 > HTML_ANCHOR_MAX)
			return;
		if ((st->anchor_space && buf_append_char(&st->anchor, ' ') < 0) ||
		    buf_append(&st->anchor, s + i, n) < 0) {
			st->err = 1;
			return;
		}
		st->anchor_space = 0;
		i += n - 1;
	}
}

/* html_emit - append visible text with white space collapsed */
static void
html_emit(struct html_state *st, const unsigned char *s, size_t len)
{
	size_t i = 0, run, n;
	char *o;

	if (st->text_full)
		return;
	/* each separator written stands for white space read, but the first */
	if (buf_reserve(&st->text, len + 1) < 0) {
		st->err = 1;
		return;
	}
	o = st->text.data;
	n = st->text.len;
	while (i < len && !st->text_full) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n' || s[i] == '\f') {
			st->pending_space = 1;
			i++;
			continue;
		}
		for (run = 0; i + run < len && s[i + run] != ' ' &&
		    s[i + run] != '\t' && s[i + run] != '\r' &&
		    s[i + run] != '\n' && s[i + run] != '\f'; run++)
			;
		if (n > 0 && st->pending_break)
			o[n++] = '\n';
		else if (n > 0 && st->pending_space)
			o[n++] = ' ';
		memcpy(o + n, s + i, run);
		n += run;
		st->pending_space = st->pending_break = 0;
		if (n >= st->mv->limits->max_text_bytes)
			st->text_full = 1;
		i += run;
	}
	st->text.len = n;
	o[n] = '\0';
}

/* html_is_letter - an ASCII letter or part of a non-ASCII character */
static int
html_is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* html_comment - SAX comment: only its place matters */
static void
html_comment(void *ctx, const xmlChar *value)
{
	struct html_state *st = ctx;

	(void)value;
	st->comment_in_word = st->text.len > 0 && !st->pending_space &&
	    !st->pending_break &&
	    html_is_letter((unsigned char)st->text.data[st->text.len - 1]);
}

/* html_characters - SAX character data */
static void
html_characters(void *ctx, const xmlChar *ch, int len)
{
	struct html_state *st = ctx;
	unsigned f = st->flags[st->depth < HTML_MAX_DEPTH ? st->depth :
	    HTML_MAX_DEPTH - 1];
	int i;

	if (len <= 0 || st->err)
		return;
	if (st->comment_in_word && html_is_letter(ch[0]) &&
	    !st->pending_space && !st->pending_break)
		msgview_anomaly(st->mv, MV_ANOM_SPLIT_WORD);
	st->comment_in_word = 0;
	if (f & HTML_SKIP)
		return;
	if (f & HTML_UNSEEN) {
		for (i = 0; i < len; i++)
			if (ch[i] > ' ') {
				msgview_anomaly(st->mv, MV_ANOM_HIDDEN_HTML);
				break;
			}
		return;
	}
	html_emit(st, ch, (size_t)len);
	if (st->in_anchor)
		html_anchor_append(st, ch, (size_t)len);
}

/* html_start - SAX start of element */
static void
html_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	struct html_state *st = ctx;
	const char *name = (const char *)xname, *v;
	unsigned f;

	if (st->err)
		return;
	f = st->flags[st->depth < HTML_MAX_DEPTH ? st->depth :
	    HTML_MAX_DEPTH - 1];
	st->depth++;
	if (html_in(name, html_skip_elements, sizeof(html_skip_elements) /
	    sizeof(html_skip_elements[0])))
		f |= HTML_SKIP;
	if ((v = html_attr(atts, "style")) != NULL)
		f = html_style_flags(v, f);
	if (html_attr(atts, "hidden") != NULL)
		f |= HTML_HIDDEN;
	if (st->depth < HTML_MAX_DEPTH)
		st->flags[st->depth] = (unsigned char)f;
	if (html_in(name, html_block_elements, sizeof(html_block_elements) /
	    sizeof(html_block_elements[0])))
		st->pending_break = 1;

	if (strcasecmp(name, "base") == 0) {
		if (!st->have_base && (v = html_attr(atts, "href")) != NULL) {
			if (buf_append_str(&st->base, v) < 0)
				st->err = 1;
			st->have_base = 1;
		}
	} else if (strcasecmp(name, "a") == 0) {
		if ((v = html_attr(atts, "href")) != NULL) {
			html_close_anchor(st);
			buf_reset(&st->href);
			buf_reset(&st->anchor);
			st->anchor_space = 0;
			if (buf_append_str(&st->href, v) < 0)
				st->err = 1;
			st->in_anchor = 1;
			st->anchor_depth = st->depth;
		}
	} else if (strcasecmp(name, "area") == 0)
		html_add_url(st, html_attr(atts, "href"), MV_URL_HREF,
		    html_attr(atts, "alt"));
	else if (strcasecmp(name, "form") == 0)
		html_add_url(st, html_attr(atts, "action"), MV_URL_FORM, NULL);
	else if (strcasecmp(name, "img") == 0)
		html_add_url(st, html_attr(atts, "src"), MV_URL_IMG, NULL);
}

/* html_end - SAX end of element (libxml2 also reports implied ends) */
static void
html_end(void *ctx, const xmlChar *xname)
{
	struct html_state *st = ctx;
	const char *name = (const char *)xname;

	if (st->depth == 0)
		return;
	if (st->in_anchor && st->depth <= st->anchor_depth)
		html_close_anchor(st);
	st->depth--;
	if (html_in(name, html_block_elements, sizeof(html_block_elements) /
	    sizeof(html_block_elements[0])))
		st->pending_break = 1;
}

/*
 * html_without_closing_root - a copy without </html> and </body> tags.
 * libxml2 drops everything after the root element is closed, while
 * browsers (HTML5 "after body" rules) keep rendering it into the body:
 * a lure written after </html> would otherwise go unseen.
 */
static int
html_without_closing_root(const char *html, size_t len, struct buf *out)
{
	size_t i = 0, k, start;

	while (i < len) {
		if (html[i] == '<' && i + 1 < len && html[i + 1] == '/') {
			start = i;
			k = i + 2;
			while (k < len && (html[k] == ' ' || html[k] == '\t' ||
			    html[k] == '\r' || html[k] == '\n'))
				k++;
			if ((len - k >= 4 && strncasecmp(html + k, "html", 4) == 0) ||
			    (len - k >= 4 && strncasecmp(html + k, "body", 4) == 0)) {
				k += 4;
				while (k < len && html[k] != '>' && html[k] != '<')
					k++;
				if (k < len && html[k] == '>') {
					i = k + 1;
					continue;
				}
			}
			i = start;
		}
		k = i + 1;
		while (k < len && html[k] != '<')
			k++;
		if (buf_append(out, html + i, k - i) < 0)
			return -1;
		i = k;
	}
	return 0;
}

/* html_extract - see html.h */
int
html_extract(struct msgview *mv, const char *html, size_t len)
{
	htmlSAXHandler sax;
	htmlParserCtxtPtr ctxt;
	struct html_state *st;
	struct buf body;
	size_t off, n;
	int r = -1;

	buf_init(&body);
	if (html_without_closing_root(html, len, &body) < 0) {
		buf_free(&body);
		return -1;
	}
	html = buf_cstr(&body);
	len = body.len;
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		buf_free(&body);
		return -1;
	}
	st->mv = mv;
	buf_init(&st->text);
	buf_init(&st->base);
	buf_init(&st->href);
	buf_init(&st->anchor);

	memset(&sax, 0, sizeof(sax));
	sax.startElement = html_start;
	sax.endElement = html_end;
	sax.characters = html_characters;
	sax.comment = html_comment;
	sax.cdataBlock = html_characters;
	sax.ignorableWhitespace = html_characters;

	ctxt = htmlCreatePushParserCtxt(&sax, st, NULL, 0, NULL,
	    XML_CHAR_ENCODING_UTF8);
	if (ctxt == NULL)
		goto done;
	htmlCtxtUseOptions(ctxt, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_RECOVER | HTML_PARSE_IGNORE_ENC);
	for (off = 0; off < len && !st->err; off += n) {
		n = len - off < HTML_CHUNK ? len - off : HTML_CHUNK;
		htmlParseChunk(ctxt, html + off, (int)n, 0);
	}
	htmlParseChunk(ctxt, NULL, 0, 1);
	htmlFreeParserCtxt(ctxt);
	html_close_anchor(st);
	if (st->err)
		goto done;
	if (st->text_full)
		msgview_anomaly(mv, MV_ANOM_LIMIT_TEXT_BYTES);
	r = msgview_add_text(mv, st->text.data != NULL ? st->text.data : "",
	    st->text.len);
done:
	buf_free(&body);
	buf_free(&st->text);
	buf_free(&st->base);
	buf_free(&st->href);
	buf_free(&st->anchor);
	free(st);
	return r;
}
