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
 * together; inline elements and elements that CSS makes inline or
 * removes (display:none) do not cut words.
 *
 * CSS is applied as a mail client applies it (css.c): the <style>
 * blocks of the part, collected before the parse so that a rule written
 * after the text still applies, then the inline style attribute, with
 * the hidden attribute, bgcolor, <font color> and dir as the lowest
 * priority hints. An element is unseen when display:none, opacity:0,
 * a zero height with overflow hidden, visibility:hidden, a computed
 * font size under HTML_TINY_PX, or text coloured (nearly) like its
 * background or transparent; a descendant may show its text again
 * where CSS allows it (visibility, size, colour). Unseen text is not
 * appended and MV_ANOM_HIDDEN_HTML is recorded; it does not count
 * against max_text_bytes. ::before and ::after content of a seen
 * element is text. A span under unicode-bidi:bidi-override with
 * direction:rtl (or <bdo dir=rtl>) is read in visual order, that is
 * reversed. <img> alt and title text is shown (clients display it when
 * images are blocked, as they are by default).
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
 * inherit their ancestor's state. Generated text (content, alt, title)
 * is capped at HTML_GENERATED_MAX bytes per part; CSS limits (css.h)
 * are recorded as MV_ANOM_LIMIT_CSS.
 */
#include "html.h"

#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "charset.h"
#include "css.h"
#include "dataurl.h"
#include "msgview.h"
#include "url.h"

#define HTML_MAX_DEPTH	256
#define HTML_ANCHOR_MAX	256
#define HTML_CHUNK	(64 * 1024)
#define HTML_GENERATED_MAX (64 * 1024)	/* alt, title, content text per part */
#define HTML_TINY_PX	3.5f		/* smaller fonts cannot be read */
#define HTML_NEAR_COLOR	40		/* summed RGB distance: same colour */
#define HTML_ID_MAX	64
#define HTML_CLASS_MAX	160
#define HTML_NAME_MAX	16
#define HTML_DATA_MAX	4		/* data: pages read per part */
#define HTML_DATA_DEPTH	2		/* data: pages inside data: pages */

#define HTML_SKIP	1u	/* not rendered: title, script, style ... */
#define HTML_NONE	2u	/* display:none: no box, no line break */
#define HTML_HIDDEN	4u	/* opacity:0, zero-height box: for good */
#define HTML_INVISIBLE	8u	/* visibility:hidden, until one sets visible */
#define HTML_REVERSING	16u	/* inside a right-to-left override */

/* what an element passes on to its descendants, and what it must do at its end */
struct html_level {
	unsigned flags;
	float	 font_px;
	long	 color;			/* text colour, CSS_COLOR_* when not known */
	long	 background;		/* colour behind the text */
	unsigned color_at, background_at;	/* depth that set them */
	unsigned char rtl;		/* direction: rtl */
	unsigned char breaks;		/* a block: its end starts a line */
	unsigned char reverse;		/* reverse its text at its end */
	size_t	 reverse_from;
	size_t	 after_len;		/* ::after text, emitted at its end */
	char	 after[CSS_CONTENT_MAX];
	char	 name[HTML_NAME_MAX];
	char	 id[HTML_ID_MAX];
	char	 classes[HTML_CLASS_MAX];
};

struct html_state {
	struct msgview *mv;
	int	 err;			/* memory failure */
	unsigned depth;
	struct html_level level[HTML_MAX_DEPTH];
	struct css_element chain[HTML_MAX_DEPTH];	/* level[1 ..] for selectors */
	struct css_sheet *sheet;
	struct buf text;		/* visible text collected */
	size_t	 generated;		/* bytes of alt, title and content text */
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
	struct buf data_urls[HTML_DATA_MAX];	/* data: pages linked, read after */
	unsigned ndata;
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

	/* each separator written stands for white space read, but the first */
	if (buf_reserve(&st->text, len + 1) < 0) {
		st->err = 1;
		return;
	}
	o = st->text.data;
	n = st->text.len;
	while (i < len) {
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
		i += run;
	}
	st->text.len = n;
	o[n] = '\0';
}

/* html_show - visible text: to the text and to the open anchor's text */
static void
html_show(struct html_state *st, const char *s, size_t len)
{
	html_emit(st, (const unsigned char *)s, len);
	if (st->in_anchor)
		html_anchor_append(st, (const unsigned char *)s, len);
}

/*
 * html_generated - text the page does not hold as text (alt, title,
 * content), within HTML_GENERATED_MAX; the open anchor's text too
 * unless told otherwise.
 */
static void
html_generated(struct html_state *st, const char *s, size_t len,
    int anchor)
{
	if (len == 0 || st->generated + len > HTML_GENERATED_MAX)
		return;
	st->generated += len;
	html_emit(st, (const unsigned char *)s, len);
	if (st->in_anchor && anchor)
		html_anchor_append(st, (const unsigned char *)s, len);
}

/* html_is_file_name - an alt text that ends in the image file name ("a picture named logo.gif") */
static int
html_is_file_name(const char *v)
{
	static const char *const ext[] = {
		".gif", ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".svg",
	};
	size_t i, n = strlen(v), e;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		e = strlen(ext[i]);
		if (n > e && strcasecmp(v + n - e, ext[i]) == 0)
			return 1;
	}
	return 0;
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

/* html_here - the state of the current element */
static struct html_level *
html_here(struct html_state *st)
{
	return &st->level[st->depth < HTML_MAX_DEPTH ? st->depth :
	    HTML_MAX_DEPTH - 1];
}

/* html_color_distance - summed RGB difference of two known colours */
static long
html_color_distance(long a, long b)
{
	long d = 0;
	int shift;

	for (shift = 0; shift <= 16; shift += 8) {
		long x = (a >> shift & 0xFF) - (b >> shift & 0xFF);

		d += x < 0 ? -x : x;
	}
	return d;
}

/*
 * html_level_unseen - text with this state is not seen by the reader.
 * Text coloured like its background counts only when the colour was
 * set at or below the element that set the background: libxml2 closes
 * some inline elements (<font> before <center>) that browsers keep
 * open, which can leave a background inside an element whose colour
 * it no longer sees.
 */
static int
html_level_unseen(const struct html_level *l)
{
	if (l->flags & (HTML_NONE | HTML_HIDDEN | HTML_INVISIBLE))
		return 1;
	if (l->font_px < HTML_TINY_PX || l->color == CSS_COLOR_TRANSPARENT)
		return 1;
	return l->color >= 0 && l->background >= 0 &&
	    l->color_at >= l->background_at &&
	    html_color_distance(l->color, l->background) <= HTML_NEAR_COLOR;
}

/* html_characters - SAX character data */
static void
html_characters(void *ctx, const xmlChar *ch, int len)
{
	struct html_state *st = ctx;
	const struct html_level *l = html_here(st);
	int i;

	if (len <= 0 || st->err)
		return;
	if (st->comment_in_word && html_is_letter(ch[0]) &&
	    !st->pending_space && !st->pending_break)
		msgview_anomaly(st->mv, MV_ANOM_SPLIT_WORD);
	st->comment_in_word = 0;
	if (l->flags & HTML_SKIP)
		return;
	if (html_level_unseen(l)) {
		for (i = 0; i < len; i++)
			if (ch[i] > ' ') {
				msgview_anomaly(st->mv, MV_ANOM_HIDDEN_HTML);
				break;
			}
		return;
	}
	html_show(st, (const char *)ch, (size_t)len);
}

/* html_copy - a truncated copy of an attribute value */
static void
html_copy(char *dst, size_t size, const char *v)
{
	size_t n = v != NULL ? strlen(v) : 0;

	if (n >= size)
		n = size - 1;
	if (n > 0)
		memcpy(dst, v, n);
	dst[n] = '\0';
}

/*
 * html_hints - what HTML attributes say about presentation, as the
 * lowest-priority declarations: hidden, bgcolor / background, <font
 * color>, <body text>, dir and <bdo dir>.
 */
static void
html_hints(const char *name, const xmlChar **atts, struct css_decls *d)
{
	const char *v;

	memset(d, 0, sizeof(*d));
	if (html_attr(atts, "hidden") != NULL) {
		d->set |= CSS_P_DISPLAY;
		d->display = CSS_DISPLAY_NONE;
	}
	if ((v = html_attr(atts, "bgcolor")) != NULL) {
		d->set |= CSS_P_BACKGROUND;
		d->background = css_color(v, strlen(v));
	}
	if (html_attr(atts, "background") != NULL) {
		d->set |= CSS_P_BACKGROUND;
		d->background = CSS_COLOR_UNKNOWN;
	}
	if ((strcasecmp(name, "font") == 0 &&
	    (v = html_attr(atts, "color")) != NULL) ||
	    (strcasecmp(name, "body") == 0 &&
	    (v = html_attr(atts, "text")) != NULL)) {
		d->set |= CSS_P_COLOR;
		d->color = css_color(v, strlen(v));
	}
	if ((v = html_attr(atts, "dir")) != NULL) {
		d->set |= CSS_P_DIRECTION;
		d->rtl = strcasecmp(v, "rtl") == 0;
		if (strcasecmp(name, "bdo") == 0) {
			d->set |= CSS_P_BIDI;
			d->bidi_override = 1;
		}
	}
}

/*
 * html_style - the cascade for the element just opened at level d
 * (1 <= d < HTML_MAX_DEPTH): hints, <style> rules, inline style.
 */
static void
html_style(struct html_state *st, unsigned d, const char *name,
    const xmlChar **atts, struct css_cascade out[CSS_PSEUDO_COUNT])
{
	struct html_level *l = &st->level[d];
	struct css_element *e = &st->chain[d - 1];
	struct css_decls decls;
	const char *v;
	int p;

	for (p = 0; p < CSS_PSEUDO_COUNT; p++)
		css_cascade_init(&out[p]);
	html_copy(l->name, sizeof(l->name), name);
	html_copy(l->id, sizeof(l->id), html_attr(atts, "id"));
	html_copy(l->classes, sizeof(l->classes), html_attr(atts, "class"));
	e->name = l->name;
	e->id = l->id;
	e->classes = l->classes;
	html_hints(name, atts, &decls);
	css_cascade_add(&out[CSS_PSEUDO_NONE], &decls, 0);
	if (st->sheet != NULL && css_sheet_rules(st->sheet) > 0) {
		e->atts = (const char *const *)atts;
		css_sheet_cascade(st->sheet, st->chain, d, out);
		e->atts = NULL;
	}
	if ((v = html_attr(atts, "style")) != NULL) {
		css_decls_parse(&decls, v, strlen(v));
		css_cascade_add(&out[CSS_PSEUDO_NONE], &decls, CSS_PRIO_INLINE);
	}
}

/*
 * html_apply - level l inherits from parent, then takes what its
 * declarations say. CSS lets a descendant set a font size, colour or
 * visibility back, not undo display:none or an opacity of 0.
 */
static void
html_apply(struct html_level *l, const struct html_level *parent,
    const struct css_decls *d, unsigned depth)
{
	l->flags = parent->flags;
	l->font_px = parent->font_px;
	l->color = parent->color;
	l->background = parent->background;
	l->color_at = parent->color_at;
	l->background_at = parent->background_at;
	l->rtl = parent->rtl;
	if ((d->set & CSS_P_DISPLAY) && d->display == CSS_DISPLAY_NONE)
		l->flags |= HTML_NONE;
	if (((d->set & CSS_P_OPACITY) && d->opacity_zero) ||
	    ((d->set & CSS_P_HEIGHT) && d->height_zero &&
	    (d->set & CSS_P_OVERFLOW) && d->overflow_hidden))
		l->flags |= HTML_HIDDEN;
	if (d->set & CSS_P_VISIBILITY)
		l->flags = d->hidden ? l->flags | HTML_INVISIBLE :
		    l->flags & ~HTML_INVISIBLE;
	if (d->set & CSS_P_FONT_SIZE)
		l->font_px = d->font_unit == CSS_UNIT_PX ? d->font_size :
		    parent->font_px * d->font_size;
	if (d->set & CSS_P_COLOR) {
		l->color = d->color;
		l->color_at = depth;
	}
	if ((d->set & CSS_P_BACKGROUND) &&
	    d->background != CSS_COLOR_TRANSPARENT) {
		l->background = d->background;
		l->background_at = depth;
	}
	if (d->set & CSS_P_DIRECTION)
		l->rtl = d->rtl;
}

/* html_pseudo - the ::before or ::after text of level l, if it is seen */
static size_t
html_pseudo(const struct html_level *l, const struct css_cascade *c,
    unsigned depth, const char **text)
{
	struct html_level p;

	if (!(c->d.set & CSS_P_CONTENT) || c->d.content_len == 0)
		return 0;
	html_apply(&p, l, &c->d, depth + 1);
	if (html_level_unseen(&p) || (p.flags & HTML_SKIP))
		return 0;
	*text = c->d.content;
	return c->d.content_len;
}

/* html_reverse - reverse text[from ..] by characters: right-to-left override read in visual order */
static void
html_reverse(struct buf *text, size_t from)
{
	char *s = text->data;
	size_t i, j, n;
	char t;

	if (s == NULL || from >= text->len)
		return;
	if (s[from] == ' ' || s[from] == '\n')
		from++;
	for (i = from, j = text->len; i + 1 < j; i++, j--) {
		t = s[i];
		s[i] = s[j - 1];
		s[j - 1] = t;
	}
	/* each multi-byte sequence is now backwards: put its bytes back in order */
	for (i = from; i < text->len; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			continue;
		for (n = i; n < text->len && ((unsigned char)s[n] & 0xC0) == 0x80;
		    n++)
			;
		if (n < text->len)
			n++;	/* the lead byte */
		for (j = n; i + 1 < j; i++, j--) {
			t = s[i];
			s[i] = s[j - 1];
			s[j - 1] = t;
		}
		i = n - 1;
	}
}

/*
 * html_alt - the alt and title text of an image, shown apart from the
 * words around it; a bare file name is not anchor text (it would read
 * as a host name).
 */
static void
html_alt(struct html_state *st, const xmlChar **atts)
{
	const char *v;
	static const char *const attrs[] = { "alt", "title" };
	size_t i;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		if ((v = html_attr(atts, attrs[i])) == NULL || *v == '\0')
			continue;
		st->pending_space = 1;
		html_generated(st, v, strlen(v), !html_is_file_name(v));
		st->pending_space = 1;
	}
}

/* html_queue_data - keep a data: link target to read once the page is done */
static void
html_queue_data(struct html_state *st, const char *v)
{
	if (v == NULL || st->ndata >= HTML_DATA_MAX)
		return;
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	if (strncasecmp(v, "data:", 5) != 0)
		return;
	if (buf_append_str(&st->data_urls[st->ndata++], v) < 0)
		st->err = 1;
}

/* html_start - SAX start of element */
static void
html_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	struct html_state *st = ctx;
	const char *name = (const char *)xname, *v, *before = NULL;
	struct css_cascade c[CSS_PSEUDO_COUNT];
	struct html_level *l, *parent;
	size_t nbefore = 0, nafter;
	const char *after = NULL;
	int block;

	if (st->err)
		return;
	parent = html_here(st);
	st->depth++;
	block = html_in(name, html_block_elements,
	    sizeof(html_block_elements) / sizeof(html_block_elements[0]));
	if (st->depth < HTML_MAX_DEPTH) {
		l = &st->level[st->depth];
		html_style(st, st->depth, name, atts, c);
		html_apply(l, parent, &c[CSS_PSEUDO_NONE].d, st->depth);
		if (html_in(name, html_skip_elements,
		    sizeof(html_skip_elements) / sizeof(html_skip_elements[0])))
			l->flags |= HTML_SKIP;
		if (c[CSS_PSEUDO_NONE].d.set & CSS_P_DISPLAY)
			block = c[CSS_PSEUDO_NONE].d.display == CSS_DISPLAY_BLOCK;
		l->reverse = 0;
		if ((c[CSS_PSEUDO_NONE].d.set & CSS_P_BIDI) &&
		    c[CSS_PSEUDO_NONE].d.bidi_override && l->rtl &&
		    !(l->flags & HTML_REVERSING)) {
			l->reverse = 1;
			l->flags |= HTML_REVERSING;
		}
		nbefore = html_pseudo(l, &c[CSS_PSEUDO_BEFORE], st->depth,
		    &before);
		nafter = html_pseudo(l, &c[CSS_PSEUDO_AFTER], st->depth,
		    &after);
		l->after_len = nafter;
		if (nafter > 0)
			memcpy(l->after, after, nafter);
		l->breaks = block && !(l->flags & HTML_NONE);
		if (l->reverse)
			l->reverse_from = st->text.len;
		block = l->breaks;
	} else {
		l = parent;
		block = block && !(l->flags & HTML_NONE);
	}
	if (block)
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
			html_queue_data(st, v);
		}
	} else if (strcasecmp(name, "area") == 0) {
		html_add_url(st, html_attr(atts, "href"), MV_URL_HREF,
		    html_attr(atts, "alt"));
		html_queue_data(st, html_attr(atts, "href"));
	} else if (strcasecmp(name, "iframe") == 0 ||
	    strcasecmp(name, "embed") == 0)
		html_queue_data(st, html_attr(atts, "src"));
	else if (strcasecmp(name, "object") == 0)
		html_queue_data(st, html_attr(atts, "data"));
	else if (strcasecmp(name, "form") == 0)
		html_add_url(st, html_attr(atts, "action"), MV_URL_FORM, NULL);
	else if (strcasecmp(name, "img") == 0) {
		html_add_url(st, html_attr(atts, "src"), MV_URL_IMG, NULL);
		if (!(l->flags & HTML_SKIP) && !html_level_unseen(l))
			html_alt(st, atts);
	}
	if (nbefore > 0)
		html_generated(st, before, nbefore, 1);
}

/* html_end - SAX end of element (libxml2 also reports implied ends) */
static void
html_end(void *ctx, const xmlChar *xname)
{
	struct html_state *st = ctx;
	struct html_level *l;
	int breaks;

	if (st->depth == 0)
		return;
	l = html_here(st);
	if (st->depth < HTML_MAX_DEPTH) {
		if (l->after_len > 0)
			html_generated(st, l->after, l->after_len, 1);
		if (l->reverse)
			html_reverse(&st->text, l->reverse_from);
		breaks = l->breaks;
	} else
		breaks = !(l->flags & HTML_NONE) && html_in((const char *)xname,
		    html_block_elements, sizeof(html_block_elements) /
		    sizeof(html_block_elements[0]));
	if (st->in_anchor && st->depth <= st->anchor_depth)
		html_close_anchor(st);
	if (breaks)
		st->pending_break = 1;
	st->depth--;
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

/*
 * html_collect_styles - the text of every <style> element into the
 * sheet, before the parse: a client applies a rule wherever it is
 * written. Comments outside style elements are skipped, the way the
 * parser skips them.
 */
static int
html_collect_styles(const char *html, size_t len, struct css_sheet *sheet)
{
	size_t i = 0, k, end;

	while (i < len) {
		if (html[i] != '<') {
			i++;
			continue;
		}
		if (len - i >= 4 && strncmp(html + i, "<!--", 4) == 0) {
			for (k = i + 4; k + 2 < len && strncmp(html + k, "-->",
			    3) != 0; k++)
				;
			i = k + 3;
			continue;
		}
		if (len - i < 7 || strncasecmp(html + i + 1, "style", 5) != 0 ||
		    !(html[i + 6] == '>' || html[i + 6] == ' ' ||
		    html[i + 6] == '\t' || html[i + 6] == '\r' ||
		    html[i + 6] == '\n' || html[i + 6] == '/')) {
			i++;
			continue;
		}
		for (k = i + 6; k < len && html[k] != '>'; k++)
			;
		for (end = ++k; end + 7 < len &&
		    strncasecmp(html + end, "</style", 7) != 0; end++)
			;
		if (end + 7 >= len)
			end = len;
		if (k < end && css_sheet_parse(sheet, html + k, end - k) < 0)
			return -1;
		i = end;
	}
	return 0;
}

static int html_extract_at(struct msgview *, const char *, size_t, unsigned);

/*
 * html_read_data - the pages behind data: links, as an HTML part or a
 * text part would be read (at most max_part_bytes each), depth+1 deep.
 */
static int
html_read_data(struct html_state *st, unsigned depth)
{
	struct msgview *mv = st->mv;
	struct dataurl d;
	struct buf raw, text;
	unsigned i, cf = 0;
	int over, r = 0, html;

	buf_init(&raw);
	buf_init(&text);
	for (i = 0; i < st->ndata && r == 0; i++) {
		buf_reset(&raw);
		buf_reset(&text);
		if ((r = dataurl_decode(buf_cstr(&st->data_urls[i]), &d, &raw,
		    mv->limits->max_part_bytes, &over)) <= 0)
			continue;
		r = 0;
		html = strcmp(d.type, "text/html") == 0 ||
		    strcmp(d.type, "application/xhtml+xml") == 0;
		if (!html && strcmp(d.type, "text/plain") != 0)
			continue;
		if (over)
			msgview_anomaly(mv, MV_ANOM_LIMIT_PART_BYTES);
		if (charset_to_utf8(&text, d.charset, buf_cstr(&raw), raw.len,
		    &cf) < 0 || msgview_add_text(mv, "\n", 1) < 0) {
			r = -1;
			break;
		}
		if (html)
			r = depth < HTML_DATA_DEPTH ? html_extract_at(mv,
			    buf_cstr(&text), text.len, depth + 1) : 0;
		else if ((r = msgview_add_text(mv, buf_cstr(&text),
		    text.len)) == 0)
			r = url_scan_text(mv, buf_cstr(&text), text.len);
	}
	buf_free(&raw);
	buf_free(&text);
	return r;
}

/* html_extract - see html.h */
int
html_extract(struct msgview *mv, const char *html, size_t len)
{
	return html_extract_at(mv, html, len, 0);
}

/* html_extract_at - html_extract() of a page read depth data: links deep */
static int
html_extract_at(struct msgview *mv, const char *html, size_t len,
    unsigned depth)
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
	st->level[0].font_px = 16;
	st->level[0].color = CSS_COLOR_UNKNOWN;	/* the reader's default: never hides */
	st->level[0].background = 0xFFFFFF;
	if ((st->sheet = css_sheet_new()) == NULL ||
	    html_collect_styles(html, len, st->sheet) < 0) {
		css_sheet_free(st->sheet);
		free(st);
		buf_free(&body);
		return -1;
	}
	buf_init(&st->text);
	buf_init(&st->base);
	buf_init(&st->href);
	buf_init(&st->anchor);
	for (n = 0; n < HTML_DATA_MAX; n++)
		buf_init(&st->data_urls[n]);

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
	if (st->sheet != NULL && css_sheet_limited(st->sheet))
		msgview_anomaly(mv, MV_ANOM_LIMIT_CSS);
	r = msgview_add_text(mv, st->text.data != NULL ? st->text.data : "",
	    st->text.len);
	if (r == 0)
		r = html_read_data(st, depth);
done:
	buf_free(&body);
	buf_free(&st->text);
	buf_free(&st->base);
	buf_free(&st->href);
	buf_free(&st->anchor);
	for (n = 0; n < HTML_DATA_MAX; n++)
		buf_free(&st->data_urls[n]);
	css_sheet_free(st->sheet);
	free(st);
	return r;
}
