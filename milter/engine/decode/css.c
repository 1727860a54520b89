/*
 * css.c - the part of CSS that decides whether mail text is seen.
 *
 * Why a subset written here: Debian carries no maintained C CSS parser
 * with a selector engine that fits a SAX HTML reader. libcroco left
 * Debian (unmaintained upstream), Modest (libmodest) is archived
 * upstream in favour of lexbor (not packaged) and needs its own DOM in
 * place of libxml2, libcss-parser0 (htmlcxx) reads CSS1 only, and
 * NetSurf's libcss is not packaged as a library. Mail clients
 * themselves honour only a small part of CSS, so what matters for "is
 * this text shown" is small too; this file reads that part and nothing
 * else, within hard limits.
 *
 * Read: <style> text with comments, strings and CDO/CDC; @media blocks
 * (nested at most CSS_MAX_NESTING) whose rules count only where they
 * show text (display other than none, visibility visible, a readable
 * size, opacity above 0, content), since some reader's screen matches
 * them; other at-rules are skipped. Selectors: type, *, .class, #id,
 * [attr], [attr=v] (~= ^= $= *= |= too), descendant and child
 * combinators, ::before / ::after (also with one colon) on the last
 * compound; at most CSS_MAX_COMPOUNDS compounds of CSS_MAX_SIMPLE
 * parts, CSS_SELECTOR_MAX bytes. A selector using anything else
 * (sibling combinators, pseudo-classes, escapes) is dropped, as a
 * client that does not understand it does. Attribute tests other than
 * class and id look at the element itself only. Class and id compare
 * case-insensitively (mail is rendered in quirks mode).
 *
 * Declarations: display, visibility, font-size and the font shorthand,
 * opacity, color, background(-color/-image), direction, unicode-bidi,
 * content, height / max-height, overflow; !important; cascade by
 * importance, origin (hints < rules < inline style), specificity and
 * order.
 *
 * Limits: CSS_MAX_BYTES of style text and CSS_MAX_RULES selectors per
 * message, CSS_MAX_WORK selector tests; past any of them the rest is
 * ignored and css_sheet_limited() reports it (html.c records
 * MV_ANOM_LIMIT_CSS). Parsing is linear in the text; a matching step
 * costs one unit of work whatever the selector.
 */
#include "css.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec.h"

#define CSS_NAME_MAX		40
#define CSS_MAX_COMPOUNDS	4
#define CSS_MAX_SIMPLE		4
#define CSS_SELECTOR_MAX	256
#define CSS_MAX_NESTING		4
#define CSS_PROP_MAX		32
#define CSS_TINY_READABLE	4.0f	/* px: @media rules may show text at this size */

enum css_simple_kind { CSS_S_TYPE, CSS_S_ID, CSS_S_CLASS, CSS_S_ATTR };
enum css_attr_op {
	CSS_OP_EXISTS, CSS_OP_EQUALS, CSS_OP_WORD, CSS_OP_PREFIX,
	CSS_OP_SUFFIX, CSS_OP_SUBSTR, CSS_OP_DASH,
};

struct css_simple {
	unsigned char kind;		/* enum css_simple_kind */
	unsigned char op;		/* enum css_attr_op */
	char	 name[CSS_NAME_MAX];
	char	 value[CSS_NAME_MAX];
};

struct css_compound {
	unsigned char nsimple;
	unsigned char child;		/* joined to the one on its left by '>' */
	struct css_simple s[CSS_MAX_SIMPLE];
};

struct css_rule {
	struct css_compound c[CSS_MAX_COMPOUNDS];
	unsigned char ncomp;
	unsigned char pseudo;		/* enum css_pseudo */
	uint32_t specificity;
	uint32_t order;
	size_t	 decl;			/* index in sheet->decls */
};

struct css_sheet {
	struct css_rule *rules;		size_t nrules, cap_rules;
	struct css_decls *decls;	size_t ndecls, cap_decls;
	size_t	 bytes;			/* style text read so far */
	unsigned long work;
	int	 limited;		/* a limit cut the sheet or the matching */
	int	 exhausted;		/* CSS_MAX_WORK spent: no more matching */
};

static const struct css_named_color {
	const char *name;
	long	 rgb;
} css_named_colors[] = {	/* sorted: bsearch */
	{ "aqua", 0x00FFFF }, { "black", 0x000000 }, { "blue", 0x0000FF },
	{ "cyan", 0x00FFFF }, { "darkgray", 0xA9A9A9 },
	{ "darkgrey", 0xA9A9A9 }, { "fuchsia", 0xFF00FF },
	{ "gainsboro", 0xDCDCDC }, { "ghostwhite", 0xF8F8FF },
	{ "gray", 0x808080 }, { "green", 0x008000 }, { "grey", 0x808080 },
	{ "ivory", 0xFFFFF0 }, { "lightgray", 0xD3D3D3 },
	{ "lightgrey", 0xD3D3D3 }, { "lime", 0x00FF00 },
	{ "maroon", 0x800000 }, { "navy", 0x000080 }, { "olive", 0x808000 },
	{ "orange", 0xFFA500 }, { "purple", 0x800080 }, { "red", 0xFF0000 },
	{ "silver", 0xC0C0C0 }, { "snow", 0xFFFAFA }, { "teal", 0x008080 },
	{ "white", 0xFFFFFF }, { "whitesmoke", 0xF5F5F5 },
	{ "yellow", 0xFFFF00 },
};

/* css_is_space - CSS white space */
static int
css_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* css_is_name - a character of an identifier (escapes are not read) */
static int
css_is_name(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
	    (unsigned char)c >= 0x80;
}

/* css_trim - drop white space at both ends of s[0 .. *len) */
static const char *
css_trim(const char *s, size_t *len)
{
	while (*len > 0 && css_is_space(s[0])) {
		s++;
		(*len)--;
	}
	while (*len > 0 && css_is_space(s[*len - 1]))
		(*len)--;
	return s;
}

/* css_is - s[0 .. len) is word, case ignored */
static int
css_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

/* css_has - s[0 .. len) contains word, case ignored */
static int
css_has(const char *s, size_t len, const char *word)
{
	size_t i, n = strlen(word);

	for (i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, word, n) == 0)
			return 1;
	return 0;
}

/* css_string_end - index just past the string opened at s[i] */
static size_t
css_string_end(const char *s, size_t len, size_t i)
{
	char q = s[i];

	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == q || s[i] == '\n')
			return i + 1;
	}
	return len;
}

/* css_find - first of chars at or after i, outside strings and brackets; len if none */
static size_t
css_find(const char *s, size_t len, size_t i, const char *chars)
{
	unsigned nest = 0;

	while (i < len) {
		if (s[i] == '"' || s[i] == '\'') {
			i = css_string_end(s, len, i);
			continue;
		}
		if (nest == 0 && strchr(chars, s[i]) != NULL)
			return i;
		if (s[i] == '(' || s[i] == '[')
			nest++;
		else if ((s[i] == ')' || s[i] == ']') && nest > 0)
			nest--;
		i++;
	}
	return len;
}

/* css_block_end - index of the '}' closing the block opened at s[i], len if none */
static size_t
css_block_end(const char *s, size_t len, size_t i)
{
	size_t depth = 0;

	while (i < len) {
		if (s[i] == '"' || s[i] == '\'') {
			i = css_string_end(s, len, i);
			continue;
		}
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i;
		i++;
	}
	return len;
}

/* css_number - a decimal number at s; its length, 0 if none */
static size_t
css_number(const char *s, size_t len, float *v)
{
	size_t i = 0;
	float sign = 1, scale = 0;
	int digits = 0;

	*v = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		sign = s[i++] == '-' ? -1 : 1;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			digits = 1;
			if (scale > 0) {
				*v += (float)(s[i] - '0') / scale;
				scale *= 10;
			} else if (*v < 1e6f)
				*v = *v * 10 + (float)(s[i] - '0');
		} else if (s[i] == '.' && scale == 0)
			scale = 10;
		else
			break;
	}
	if (!digits)
		return 0;
	*v *= sign;
	return i;
}

/*
 * css_font_size - a font-size value: px (absolute, rem taken as 16 px)
 * or a factor of the parent's (em, %, smaller, larger); 1 if understood.
 */
static int
css_font_size(const char *s, size_t len, float *size, unsigned char *unit)
{
	static const struct { const char *word; float px; } keywords[] = {
		{ "xx-small", 9 }, { "x-small", 10 }, { "small", 13 },
		{ "medium", 16 }, { "large", 18 }, { "x-large", 24 },
		{ "xx-large", 32 }, { "xxx-large", 48 },
	};
	size_t i, n;
	float v;

	s = css_trim(s, &len);
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (css_is(s, len, keywords[i].word)) {
			*size = keywords[i].px;
			*unit = CSS_UNIT_PX;
			return 1;
		}
	if (css_is(s, len, "smaller") || css_is(s, len, "larger")) {
		*size = s[0] == 's' || s[0] == 'S' ? 0.83f : 1.2f;
		*unit = CSS_UNIT_FACTOR;
		return 1;
	}
	if ((n = css_number(s, len, &v)) == 0 || v < 0)
		return 0;
	s += n;
	len -= n;
	*unit = CSS_UNIT_PX;
	if (len == 0 && v == 0)
		*size = 0;
	else if (css_is(s, len, "px"))
		*size = v;
	else if (css_is(s, len, "pt"))
		*size = v * 4 / 3;
	else if (css_is(s, len, "rem"))
		*size = v * 16;
	else if (css_is(s, len, "em")) {
		*size = v;
		*unit = CSS_UNIT_FACTOR;
	} else if (css_is(s, len, "%")) {
		*size = v / 100;
		*unit = CSS_UNIT_FACTOR;
	} else if (css_is(s, len, "vw") || css_is(s, len, "vh") ||
	    css_is(s, len, "cm") || css_is(s, len, "mm") ||
	    css_is(s, len, "in") || css_is(s, len, "pc") ||
	    css_is(s, len, "ex") || css_is(s, len, "ch"))
		*size = v == 0 ? 0 : 16;	/* only zero matters here */
	else
		return 0;
	return 1;
}

/* css_font_shorthand - the size inside "font: italic bold 0/0 a, serif"; 1 if found */
static int
css_font_shorthand(const char *s, size_t len, float *size, unsigned char *unit)
{
	size_t i = 0, start, end;

	while (i < len) {
		while (i < len && css_is_space(s[i]))
			i++;
		start = i;
		while (i < len && !css_is_space(s[i]) && s[i] != '/' &&
		    s[i] != ',')
			i++;
		end = i;
		if (end > start && css_font_size(s + start, end - start,
		    size, unit))
			return 1;
		while (i < len && !css_is_space(s[i]))
			i++;
	}
	return 0;
}

/* css_named_cmp - bsearch order of colour names */
static int
css_named_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct css_named_color *)elem)->name);
}

/* css_color_function - rgb(r, g, b[, a]) or rgb(r g b / a) */
static long
css_color_function(const char *s, size_t len)
{
	float v[4] = { 0, 0, 0, 1 }, x;
	size_t i = 0, n, k = 0;

	while (i < len && s[i] != '(')
		i++;
	for (i++; i < len && k < 4; ) {
		while (i < len && (css_is_space(s[i]) || s[i] == ',' ||
		    s[i] == '/'))
			i++;
		if ((n = css_number(s + i, len - i, &x)) == 0)
			break;
		v[k] = x;
		i += n;
		if (i < len && s[i] == '%') {
			v[k] = k == 3 ? v[k] / 100 : v[k] * 2.55f;
			i++;
		}
		k++;
	}
	if (k < 3)
		return CSS_COLOR_UNKNOWN;
	if (v[3] <= 0.05f)
		return CSS_COLOR_TRANSPARENT;
	for (k = 0; k < 3; k++)
		v[k] = v[k] < 0 ? 0 : v[k] > 255 ? 255 : v[k];
	return ((long)v[0] << 16) | ((long)v[1] << 8) | (long)v[2];
}

/* css_color - see css.h */
long
css_color(const char *s, size_t len)
{
	const struct css_named_color *nc;
	char name[16];
	int d[8], i;
	size_t k;

	s = css_trim(s, &len);
	if (len > 0 && s[0] == '#') {
		for (k = 1; k < len && k <= 8; k++)
			if ((d[k - 1] = codec_hex(s[k])) < 0)
				return CSS_COLOR_UNKNOWN;
		if (len == 4 || len == 5) {
			if (len == 5 && d[3] == 0)
				return CSS_COLOR_TRANSPARENT;
			return (long)(d[0] * 17) << 16 | (long)(d[1] * 17) << 8 |
			    (long)(d[2] * 17);
		}
		if (len == 7 || len == 9) {
			if (len == 9 && d[6] == 0 && d[7] == 0)
				return CSS_COLOR_TRANSPARENT;
			return (long)(d[0] << 4 | d[1]) << 16 |
			    (long)(d[2] << 4 | d[3]) << 8 | (long)(d[4] << 4 | d[5]);
		}
		return CSS_COLOR_UNKNOWN;
	}
	if (len > 4 && strncasecmp(s, "rgb", 3) == 0)
		return css_color_function(s, len);
	if (css_is(s, len, "transparent"))
		return CSS_COLOR_TRANSPARENT;
	if (len >= sizeof(name))
		return CSS_COLOR_UNKNOWN;
	for (i = 0; i < (int)len; i++)
		name[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
	name[len] = '\0';
	nc = bsearch(name, css_named_colors, sizeof(css_named_colors) /
	    sizeof(css_named_colors[0]), sizeof(css_named_colors[0]),
	    css_named_cmp);
	return nc != NULL ? nc->rgb : CSS_COLOR_UNKNOWN;
}

/*
 * css_background - the colour a background shorthand paints: unknown
 * with an image or gradient (text over it may be readable), transparent
 * when it names no colour.
 */
static long
css_background(const char *s, size_t len)
{
	size_t i = 0, start;
	long c;

	if (css_has(s, len, "url(") || css_has(s, len, "gradient("))
		return CSS_COLOR_UNKNOWN;
	while (i < len) {
		while (i < len && css_is_space(s[i]))
			i++;
		start = i;
		i = css_find(s, len, i, " \t\r\n\f");
		if (i > start && (c = css_color(s + start, i - start)) !=
		    CSS_COLOR_UNKNOWN)
			return c;
	}
	return CSS_COLOR_TRANSPARENT;
}

/* css_put_cp - append code point cp as UTF-8 if it fits; 0 when full */
static int
css_put_cp(struct css_decls *d, unsigned long cp)
{
	unsigned char u[4];
	size_t n;

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xF0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (d->content_len + n >= CSS_CONTENT_MAX)
		return 0;
	memcpy(d->content + d->content_len, u, n);
	d->content_len += n;
	d->content[d->content_len] = '\0';
	return 1;
}

/*
 * css_content - the strings of a content value, escapes decoded
 * ("\61 " is 'a'); functions such as attr() and counter() add nothing.
 */
static void
css_content(struct css_decls *d, const char *s, size_t len)
{
	size_t i = 0, end, stop, k;
	unsigned long cp;
	unsigned char c;
	int h;

	d->content_len = 0;
	d->content[0] = '\0';
	while (i < len) {
		if (s[i] != '"' && s[i] != '\'') {
			i++;
			continue;
		}
		end = css_string_end(s, len, i);
		stop = end > i + 1 && s[end - 1] == s[i] ? end - 1 : end;
		for (k = i + 1; k < stop; k++) {
			if (s[k] == '\\' && k + 1 < stop) {
				k++;
				if ((h = codec_hex(s[k])) < 0) {
					cp = (unsigned char)s[k];
				} else {
					size_t n = 0;

					for (cp = 0; n < 6 && k < stop &&
					    (h = codec_hex(s[k])) >= 0; n++, k++)
						cp = cp * 16 + (unsigned)h;
					if (!(k < stop && css_is_space(s[k])))
						k--;
				}
				if (!css_put_cp(d, cp))
					return;
				continue;
			}
			c = (unsigned char)s[k];
			if (c >= 0x80) {	/* copy a whole UTF-8 sequence */
				size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

				if (k + n > stop || d->content_len + n >=
				    CSS_CONTENT_MAX)
					return;
				memcpy(d->content + d->content_len, s + k, n);
				d->content_len += n;
				d->content[d->content_len] = '\0';
				k += n - 1;
				continue;
			}
			if (!css_put_cp(d, c < 0x20 ? ' ' : c))
				return;
		}
		i = end;
	}
}

/* css_is_zero_length - "0", "0px", "0%"... */
static int
css_is_zero_length(const char *s, size_t len)
{
	float v;
	size_t n = css_number(s, len, &v);

	return n > 0 && v == 0;
}

/* css_declaration - one "prop: value" into d */
static void
css_declaration(struct css_decls *d, const char *prop, size_t plen,
    const char *v, size_t vlen, int important)
{
	unsigned bit = 0;
	float f;

	if (css_is(prop, plen, "display")) {
		bit = CSS_P_DISPLAY;
		if (css_is(v, vlen, "none"))
			d->display = CSS_DISPLAY_NONE;
		else if ((vlen >= 6 && strncasecmp(v, "inline", 6) == 0) ||
		    css_is(v, vlen, "contents"))
			d->display = CSS_DISPLAY_INLINE;
		else
			d->display = CSS_DISPLAY_BLOCK;
	} else if (css_is(prop, plen, "visibility")) {
		bit = CSS_P_VISIBILITY;
		d->hidden = css_is(v, vlen, "hidden") ||
		    css_is(v, vlen, "collapse");
	} else if (css_is(prop, plen, "font-size")) {
		if (css_font_size(v, vlen, &d->font_size, &d->font_unit))
			bit = CSS_P_FONT_SIZE;
	} else if (css_is(prop, plen, "font")) {
		if (css_font_shorthand(v, vlen, &d->font_size, &d->font_unit))
			bit = CSS_P_FONT_SIZE;
	} else if (css_is(prop, plen, "opacity")) {
		size_t n = css_number(v, vlen, &f);

		if (n > 0) {
			bit = CSS_P_OPACITY;
			if (n < vlen && v[n] == '%')
				f /= 100;
			d->opacity_zero = f <= 0.05f;
		}
	} else if (css_is(prop, plen, "color")) {
		bit = CSS_P_COLOR;
		d->color = css_color(v, vlen);
	} else if (css_is(prop, plen, "background-color")) {
		bit = CSS_P_BACKGROUND;
		d->background = css_color(v, vlen);
	} else if (css_is(prop, plen, "background")) {
		bit = CSS_P_BACKGROUND;
		d->background = css_background(v, vlen);
	} else if (css_is(prop, plen, "background-image")) {
		if (!css_is(v, vlen, "none")) {
			bit = CSS_P_BACKGROUND;
			d->background = CSS_COLOR_UNKNOWN;
		}
	} else if (css_is(prop, plen, "direction")) {
		bit = CSS_P_DIRECTION;
		d->rtl = css_is(v, vlen, "rtl");
	} else if (css_is(prop, plen, "unicode-bidi")) {
		bit = CSS_P_BIDI;
		d->bidi_override = css_has(v, vlen, "override");
	} else if (css_is(prop, plen, "content")) {
		bit = CSS_P_CONTENT;
		css_content(d, v, vlen);
	} else if (css_is(prop, plen, "height") ||
	    css_is(prop, plen, "max-height")) {
		bit = CSS_P_HEIGHT;
		d->height_zero = css_is_zero_length(v, vlen);
	} else if (css_is(prop, plen, "overflow") ||
	    css_is(prop, plen, "overflow-y")) {
		bit = CSS_P_OVERFLOW;
		d->overflow_hidden = css_is(v, vlen, "hidden") ||
		    css_is(v, vlen, "clip");
	}
	if (bit == 0)
		return;
	d->set |= bit;
	if (important)
		d->important |= bit;
	else
		d->important &= ~bit;
}

/* css_decls_parse - see css.h */
void
css_decls_parse(struct css_decls *d, const char *s, size_t len)
{
	size_t i = 0, end, colon, plen, vlen, bang, k;
	const char *prop, *v;
	int important;

	memset(d, 0, sizeof(*d));
	while (i < len) {
		end = css_find(s, len, i, ";");
		colon = css_find(s, end, i, ":");
		if (colon < end) {
			plen = colon - i;
			prop = css_trim(s + i, &plen);
			vlen = end - colon - 1;
			v = css_trim(s + colon + 1, &vlen);
			important = 0;
			bang = css_find(v, vlen, 0, "!");
			if (bang < vlen) {
				k = vlen - bang - 1;
				important = css_is(css_trim(v + bang + 1, &k), k,
				    "important");
				vlen = bang;
				v = css_trim(v, &vlen);
			}
			if (plen > 0 && plen <= CSS_PROP_MAX)
				css_declaration(d, prop, plen, v, vlen, important);
		}
		i = end + 1;
	}
}

/* css_name - an identifier at s into out (NUL-ended); its length, 0 if none or too long */
static size_t
css_name(const char *s, size_t len, char out[CSS_NAME_MAX])
{
	size_t n = 0;

	while (n < len && css_is_name(s[n]))
		n++;
	if (n == 0 || n >= CSS_NAME_MAX)
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

/* css_attr_selector - "[name op value]" at s (after '['); length to ']' included, 0 if not read */
static size_t
css_attr_selector(const char *s, size_t len, struct css_simple *a)
{
	size_t i = 0, n, vs;
	char q;

	a->kind = CSS_S_ATTR;
	a->op = CSS_OP_EXISTS;
	a->value[0] = '\0';
	while (i < len && css_is_space(s[i]))
		i++;
	if ((n = css_name(s + i, len - i, a->name)) == 0)
		return 0;
	for (i += n; i < len && css_is_space(s[i]); i++)
		;
	if (i < len && s[i] != ']') {
		switch (s[i]) {
		case '=': a->op = CSS_OP_EQUALS; break;
		case '~': a->op = CSS_OP_WORD; break;
		case '^': a->op = CSS_OP_PREFIX; break;
		case '$': a->op = CSS_OP_SUFFIX; break;
		case '*': a->op = CSS_OP_SUBSTR; break;
		case '|': a->op = CSS_OP_DASH; break;
		default: return 0;
		}
		i += a->op == CSS_OP_EQUALS ? 1 : 2;
		if (i > len || s[i - 1] != '=')
			return 0;
		while (i < len && css_is_space(s[i]))
			i++;
		if (i < len && (s[i] == '"' || s[i] == '\'')) {
			q = s[i++];
			for (vs = i; i < len && s[i] != q && s[i] != '\\'; i++)
				;
			if (i >= len || s[i] != q || i - vs >= CSS_NAME_MAX)
				return 0;
			memcpy(a->value, s + vs, i - vs);
			a->value[i - vs] = '\0';
			i++;
		} else {
			if ((n = css_name(s + i, len - i, a->value)) == 0)
				return 0;
			i += n;
		}
		while (i < len && css_is_space(s[i]))
			i++;
	}
	if (i >= len || s[i] != ']')
		return 0;
	return i + 1;
}

/*
 * css_selector - one complex selector into r; 0 if it uses anything
 * outside the subset (then the rule does not apply, as in a client
 * that does not understand it).
 */
static int
css_selector(const char *s, size_t len, struct css_rule *r)
{
	struct css_compound *c = NULL;
	unsigned ids = 0, classes = 0, types = 0;
	size_t i = 0, n;
	int child = 0, space;

	memset(r, 0, offsetof(struct css_rule, specificity));
	s = css_trim(s, &len);
	if (len == 0 || len > CSS_SELECTOR_MAX)
		return 0;
	while (i < len) {
		for (space = 0; i < len && css_is_space(s[i]); i++)
			space = 1;
		if (i < len && s[i] == '>') {
			child = 1;
			for (i++; i < len && css_is_space(s[i]); i++)
				;
		} else if (!space && c != NULL)
			return 0;
		if (i >= len || r->pseudo != CSS_PSEUDO_NONE ||
		    r->ncomp == CSS_MAX_COMPOUNDS)
			return 0;
		c = &r->c[r->ncomp++];
		c->child = (unsigned char)child;
		child = 0;
		if (s[i] == '*')
			i++;
		else if ((n = css_name(s + i, len - i, c->s[0].name)) > 0) {
			c->s[c->nsimple++].kind = CSS_S_TYPE;
			types++;
			i += n;
		}
		while (i < len && !css_is_space(s[i]) && s[i] != '>') {
			struct css_simple *x;

			if (c->nsimple == CSS_MAX_SIMPLE)
				return 0;
			x = &c->s[c->nsimple];
			if (s[i] == '.' || s[i] == '#') {
				x->kind = s[i] == '.' ? CSS_S_CLASS : CSS_S_ID;
				if ((n = css_name(s + i + 1, len - i - 1,
				    x->name)) == 0)
					return 0;
				*(s[i] == '.' ? &classes : &ids) += 1;
				i += n + 1;
			} else if (s[i] == '[') {
				if ((n = css_attr_selector(s + i + 1, len - i - 1,
				    x)) == 0)
					return 0;
				classes++;
				i += n + 1;
			} else if (s[i] == ':') {
				i += i + 1 < len && s[i + 1] == ':' ? 2 : 1;
				n = len - i;
				if (n >= 6 && strncasecmp(s + i, "before", 6) == 0 &&
				    (n == 6 || !css_is_name(s[i + 6]))) {
					r->pseudo = CSS_PSEUDO_BEFORE;
					i += 6;
				} else if (n >= 5 && strncasecmp(s + i, "after",
				    5) == 0 && (n == 5 || !css_is_name(s[i + 5]))) {
					r->pseudo = CSS_PSEUDO_AFTER;
					i += 5;
				} else
					return 0;
				types++;
				continue;
			} else
				return 0;
			c->nsimple++;
		}
	}
	if (r->ncomp == 0)
		return 0;
	r->specificity = (ids > 255 ? 255 : ids) << 16 |
	    (classes > 255 ? 255 : classes) << 8 | (types > 255 ? 255 : types);
	return 1;
}

/* css_grow - room for one more item in a growing array */
static int
css_grow(void **items, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if ((p = realloc(*items, ncap * size)) == NULL)
		return -1;
	*items = p;
	*cap = ncap;
	return 0;
}

/*
 * css_reveal_only - keep what a media-conditional rule shows, drop what
 * it hides: text shown on some reader's screen counts as shown.
 */
static void
css_reveal_only(struct css_decls *d)
{
	unsigned drop = CSS_P_COLOR | CSS_P_BACKGROUND | CSS_P_DIRECTION |
	    CSS_P_BIDI;

	if ((d->set & CSS_P_DISPLAY) && d->display == CSS_DISPLAY_NONE)
		drop |= CSS_P_DISPLAY;
	if ((d->set & CSS_P_VISIBILITY) && d->hidden)
		drop |= CSS_P_VISIBILITY;
	if ((d->set & CSS_P_FONT_SIZE) && (d->font_unit == CSS_UNIT_PX ?
	    d->font_size < CSS_TINY_READABLE : d->font_size < 1))
		drop |= CSS_P_FONT_SIZE;
	if ((d->set & CSS_P_OPACITY) && d->opacity_zero)
		drop |= CSS_P_OPACITY;
	if ((d->set & CSS_P_HEIGHT) && d->height_zero)
		drop |= CSS_P_HEIGHT;
	if ((d->set & CSS_P_OVERFLOW) && d->overflow_hidden)
		drop |= CSS_P_OVERFLOW;
	d->set &= ~drop;
	d->important &= ~drop;
}

/* css_add_rules - one rule set: its selectors, sharing one declaration block */
static int
css_add_rules(struct css_sheet *sh, const char *prelude, size_t plen,
    const char *body, size_t blen, int media)
{
	struct css_decls *d;
	struct css_rule *r;
	size_t i = 0, end, added = 0;

	if (css_grow((void **)&sh->decls, sh->ndecls, &sh->cap_decls,
	    sizeof(*d)) < 0)
		return -1;
	d = &sh->decls[sh->ndecls];
	css_decls_parse(d, body, blen);
	if (media)
		css_reveal_only(d);
	if (d->set == 0)
		return 0;
	while (i <= plen) {
		end = css_find(prelude, plen, i, ",");
		if (sh->nrules >= CSS_MAX_RULES) {
			sh->limited = 1;
			break;
		}
		if (css_grow((void **)&sh->rules, sh->nrules, &sh->cap_rules,
		    sizeof(*r)) < 0)
			return -1;
		r = &sh->rules[sh->nrules];
		if (css_selector(prelude + i, end - i, r)) {
			r->order = (uint32_t)sh->nrules;
			r->decl = sh->ndecls;
			sh->nrules++;
			added++;
		}
		i = end + 1;
	}
	/* a block is kept only for the rules using it: at most CSS_MAX_RULES */
	if (added > 0)
		sh->ndecls++;
	return 0;
}

/* css_parse_block - the rules of s[0 .. len), at @media nesting depth */
static int
css_parse_block(struct css_sheet *sh, const char *s, size_t len,
    unsigned depth)
{
	size_t i = 0, open, end, n;

	while (i < len) {
		while (i < len && css_is_space(s[i]))
			i++;
		if (i < len && sh->nrules >= CSS_MAX_RULES) {
			sh->limited = 1;
			break;
		}
		if (len - i >= 4 && strncmp(s + i, "<!--", 4) == 0) {
			i += 4;
			continue;
		}
		if (len - i >= 3 && strncmp(s + i, "-->", 3) == 0) {
			i += 3;
			continue;
		}
		if (i >= len)
			break;
		open = css_find(s, len, i, s[i] == '@' ? "{;" : "{");
		if (open >= len)
			break;
		if (s[open] == ';') {
			i = open + 1;
			continue;
		}
		end = css_block_end(s, len, open);
		if (s[i] == '@') {
			n = open - i;
			if (n >= 6 && strncasecmp(s + i, "@media", 6) == 0 &&
			    depth < CSS_MAX_NESTING &&
			    css_parse_block(sh, s + open + 1, end - open - 1,
			    depth + 1) < 0)
				return -1;
		} else if (css_add_rules(sh, s + i, open - i, s + open + 1,
		    end - open - 1, depth > 0) < 0)
			return -1;
		i = end + 1;
	}
	return 0;
}

/* css_sheet_new - see css.h */
struct css_sheet *
css_sheet_new(void)
{
	return calloc(1, sizeof(struct css_sheet));
}

/* css_sheet_free - see css.h */
void
css_sheet_free(struct css_sheet *sh)
{
	if (sh == NULL)
		return;
	free(sh->rules);
	free(sh->decls);
	free(sh);
}

/* css_sheet_parse - see css.h; comments are removed first */
int
css_sheet_parse(struct css_sheet *sh, const char *css, size_t len)
{
	char *clean;
	size_t i, o = 0;
	int r, cut = 0;

	if (sh->bytes + len > CSS_MAX_BYTES) {
		cut = 1;
		len = CSS_MAX_BYTES - sh->bytes;
	}
	sh->bytes += len;
	if (len == 0) {
		sh->limited |= cut;
		return 0;
	}
	if ((clean = malloc(len)) == NULL)
		return -1;
	for (i = 0; i < len; i++) {
		if (css[i] == '/' && i + 1 < len && css[i + 1] == '*') {
			for (i += 2; i + 1 < len && !(css[i] == '*' &&
			    css[i + 1] == '/'); i++)
				;
			i++;
			clean[o++] = ' ';
			continue;
		}
		if (css[i] == '"' || css[i] == '\'') {
			size_t end = css_string_end(css, len, i);

			memcpy(clean + o, css + i, end - i);
			o += end - i;
			i = end - 1;
			continue;
		}
		clean[o++] = css[i] == '\0' ? ' ' : css[i];
	}
	r = css_parse_block(sh, clean, o, 0);
	free(clean);
	if (cut)
		sh->limited = 1;
	return r;
}

/* css_sheet_limited - see css.h */
int
css_sheet_limited(const struct css_sheet *sh)
{
	return sh->limited;
}

/* css_sheet_rules - see css.h */
size_t
css_sheet_rules(const struct css_sheet *sh)
{
	return sh->nrules;
}

/* css_word_in - word is one of the white-space separated words of list */
static int
css_word_in(const char *list, const char *word, size_t wlen)
{
	const char *p = list;
	size_t n;

	while (*p != '\0') {
		while (css_is_space(*p))
			p++;
		for (n = 0; p[n] != '\0' && !css_is_space(p[n]); n++)
			;
		if (n == wlen && strncasecmp(p, word, n) == 0)
			return 1;
		p += n;
	}
	return 0;
}

/* css_attr_value - an attribute of e: class and id always, others only with atts */
static const char *
css_attr_value(const struct css_element *e, const char *name)
{
	size_t i;

	if (strcasecmp(name, "class") == 0)
		return e->classes[0] != '\0' ? e->classes : NULL;
	if (strcasecmp(name, "id") == 0)
		return e->id[0] != '\0' ? e->id : NULL;
	if (e->atts == NULL)
		return NULL;
	for (i = 0; e->atts[i] != NULL; i += 2)
		if (strcasecmp(e->atts[i], name) == 0)
			return e->atts[i + 1] != NULL ? e->atts[i + 1] : "";
	return NULL;
}

/* css_attr_match - one attribute selector */
static int
css_attr_match(const struct css_simple *a, const struct css_element *e)
{
	const char *v = css_attr_value(e, a->name);
	size_t vl, al = strlen(a->value);

	if (v == NULL)
		return 0;
	vl = strlen(v);
	switch (a->op) {
	case CSS_OP_EXISTS:
		return 1;
	case CSS_OP_EQUALS:
		return strcasecmp(v, a->value) == 0;
	case CSS_OP_WORD:
		return css_word_in(v, a->value, al);
	case CSS_OP_PREFIX:
		return al > 0 && strncasecmp(v, a->value, al) == 0;
	case CSS_OP_SUFFIX:
		return al > 0 && vl >= al && strcasecmp(v + vl - al, a->value) == 0;
	case CSS_OP_SUBSTR:
		return al > 0 && css_has(v, vl, a->value);
	case CSS_OP_DASH:
		return strncasecmp(v, a->value, al) == 0 &&
		    (v[al] == '\0' || v[al] == '-');
	}
	return 0;
}

/* css_compound_match - every simple selector of c matches e */
static int
css_compound_match(const struct css_compound *c, const struct css_element *e)
{
	unsigned i;

	for (i = 0; i < c->nsimple; i++) {
		const struct css_simple *x = &c->s[i];
		int ok = 0;

		switch (x->kind) {
		case CSS_S_TYPE:
			ok = strcasecmp(x->name, e->name) == 0;
			break;
		case CSS_S_ID:
			ok = strcasecmp(x->name, e->id) == 0;
			break;
		case CSS_S_CLASS:
			ok = css_word_in(e->classes, x->name, strlen(x->name));
			break;
		case CSS_S_ATTR:
			ok = css_attr_match(x, e);
			break;
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/*
 * css_match_from - compounds 0 .. k of r against chain[0 .. n - 1], the
 * element matching compound k being chain[n - 1]; work counted.
 */
static int
css_match_from(struct css_sheet *sh, const struct css_rule *r, unsigned k,
    const struct css_element *chain, size_t n)
{
	size_t j;

	if (sh->work++ >= CSS_MAX_WORK) {
		sh->limited = sh->exhausted = 1;
		return 0;
	}
	if (!css_compound_match(&r->c[k], &chain[n - 1]))
		return 0;
	if (k == 0)
		return 1;
	if (r->c[k].child)
		return n > 1 && css_match_from(sh, r, k - 1, chain, n - 1);
	for (j = n - 1; j > 0 && !sh->exhausted; j--)
		if (css_match_from(sh, r, k - 1, chain, j))
			return 1;
	return 0;
}

/* css_cascade_init - see css.h */
void
css_cascade_init(struct css_cascade *c)
{
	memset(c, 0, sizeof(*c));
}

/* css_cascade_add - see css.h; a later equal priority wins (source order) */
void
css_cascade_add(struct css_cascade *c, const struct css_decls *d,
    uint64_t prio)
{
	unsigned p, bit;
	uint64_t pr;

	for (p = 0; p < CSS_P_COUNT; p++) {
		bit = 1u << p;
		if (!(d->set & bit))
			continue;
		pr = prio + ((d->important & bit) ? CSS_PRIO_IMPORTANT : 0);
		if ((c->d.set & bit) && pr < c->prio[p])
			continue;
		c->prio[p] = pr;
		c->d.set |= bit;
		switch (bit) {
		case CSS_P_DISPLAY: c->d.display = d->display; break;
		case CSS_P_VISIBILITY: c->d.hidden = d->hidden; break;
		case CSS_P_FONT_SIZE:
			c->d.font_size = d->font_size;
			c->d.font_unit = d->font_unit;
			break;
		case CSS_P_OPACITY: c->d.opacity_zero = d->opacity_zero; break;
		case CSS_P_COLOR: c->d.color = d->color; break;
		case CSS_P_BACKGROUND: c->d.background = d->background; break;
		case CSS_P_DIRECTION: c->d.rtl = d->rtl; break;
		case CSS_P_BIDI: c->d.bidi_override = d->bidi_override; break;
		case CSS_P_CONTENT:
			memcpy(c->d.content, d->content, d->content_len + 1);
			c->d.content_len = d->content_len;
			break;
		case CSS_P_HEIGHT: c->d.height_zero = d->height_zero; break;
		case CSS_P_OVERFLOW:
			c->d.overflow_hidden = d->overflow_hidden;
			break;
		}
	}
}

/* css_sheet_cascade - see css.h */
void
css_sheet_cascade(struct css_sheet *sh, const struct css_element *chain,
    size_t n, struct css_cascade out[CSS_PSEUDO_COUNT])
{
	const struct css_rule *r;
	size_t i;

	if (n == 0)
		return;
	for (i = 0; i < sh->nrules && !sh->exhausted; i++) {
		r = &sh->rules[i];
		if (css_match_from(sh, r, r->ncomp - 1u, chain, n))
			css_cascade_add(&out[r->pseudo], &sh->decls[r->decl],
			    (uint64_t)r->specificity << 20 | (r->order + 1u));
	}
}
