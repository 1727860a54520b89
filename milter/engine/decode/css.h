/*
 * css.h - the part of CSS that decides whether mail text is seen.
 *
 * A css_sheet holds the rules of a message's <style> blocks (a bounded
 * subset, see css.c); css_sheet_cascade() gives the declarations that
 * apply to one element, css_decls_parse() reads an inline style. The
 * HTML layer (html.c) turns the result into "visible or not", word
 * breaks, generated ::before/::after text and right-to-left order.
 */
#ifndef VIGIE_CSS_H
#define VIGIE_CSS_H

#include <stddef.h>
#include <stdint.h>

/* limits: past them the rest is ignored and css_sheet_limited() says so */
#define CSS_MAX_RULES		1024	/* selectors kept per message */
#define CSS_MAX_BYTES		(256 * 1024)	/* style text read per message */
#define CSS_MAX_WORK		(8u * 1000 * 1000)	/* selector tests per message */
#define CSS_CONTENT_MAX		128	/* bytes of one content: string */

/* properties a declaration block may set (css_decls.set, .important) */
#define CSS_P_DISPLAY		(1u << 0)
#define CSS_P_VISIBILITY	(1u << 1)
#define CSS_P_FONT_SIZE		(1u << 2)
#define CSS_P_OPACITY		(1u << 3)
#define CSS_P_COLOR		(1u << 4)
#define CSS_P_BACKGROUND	(1u << 5)
#define CSS_P_DIRECTION		(1u << 6)
#define CSS_P_BIDI		(1u << 7)
#define CSS_P_CONTENT		(1u << 8)
#define CSS_P_HEIGHT		(1u << 9)
#define CSS_P_OVERFLOW		(1u << 10)
#define CSS_P_COUNT		11

enum css_display { CSS_DISPLAY_NONE, CSS_DISPLAY_INLINE, CSS_DISPLAY_BLOCK };
enum css_unit { CSS_UNIT_PX, CSS_UNIT_FACTOR };	/* absolute, or times the parent's */

/* colours: 0xRRGGBB, or one of these */
#define CSS_COLOR_UNKNOWN	(-1L)	/* a name or function not understood, an image */
#define CSS_COLOR_TRANSPARENT	(-2L)

/* what one declaration block (or a merge of several) says */
struct css_decls {
	unsigned set;			/* CSS_P_* given */
	unsigned important;		/* CSS_P_* given with !important */
	unsigned char display;		/* enum css_display */
	unsigned char hidden;		/* visibility: hidden or collapse */
	unsigned char opacity_zero;	/* opacity at or below 5% */
	unsigned char rtl;		/* direction: rtl */
	unsigned char bidi_override;	/* unicode-bidi: bidi-override */
	unsigned char height_zero;	/* height or max-height 0 */
	unsigned char overflow_hidden;
	unsigned char font_unit;	/* enum css_unit */
	float	 font_size;		/* px, or factor of the parent's */
	long	 color;			/* 0xRRGGBB or CSS_COLOR_* */
	long	 background;		/* 0xRRGGBB or CSS_COLOR_* */
	size_t	 content_len;
	char	 content[CSS_CONTENT_MAX];	/* ::before/::after text, UTF-8 */
};

/* an element as selectors see it; ancestors need no attributes */
struct css_element {
	const char *name;		/* lower-case */
	const char *id;			/* "" if none */
	const char *classes;		/* class attribute, "" if none */
	const char *const *atts;	/* name, value pairs, NULL-ended; may be NULL */
};

enum css_pseudo { CSS_PSEUDO_NONE, CSS_PSEUDO_BEFORE, CSS_PSEUDO_AFTER, CSS_PSEUDO_COUNT };

/* declarations merged in cascade order: one priority per property */
struct css_cascade {
	struct css_decls d;
	uint64_t prio[CSS_P_COUNT];
};

struct css_sheet;

struct css_sheet *css_sheet_new(void);
void	css_sheet_free(struct css_sheet *);

/* css_sheet_parse - add the rules of one style block; -1 on memory failure */
int	css_sheet_parse(struct css_sheet *, const char *css, size_t len);

/* css_sheet_limited - a limit cut the sheet or stopped matching */
int	css_sheet_limited(const struct css_sheet *);

/* css_sheet_rules - number of selectors kept */
size_t	css_sheet_rules(const struct css_sheet *);

/*
 * css_sheet_cascade - merge into out[pseudo] the rules matching the
 * element chain[n - 1], whose ancestors are chain[0 .. n - 2] (root
 * first). Counts against the sheet's work budget.
 */
void	css_sheet_cascade(struct css_sheet *, const struct css_element *chain,
	    size_t n, struct css_cascade out[CSS_PSEUDO_COUNT]);

/* css_decls_parse - read "prop: value; ..." (an inline style or a block body) */
void	css_decls_parse(struct css_decls *, const char *s, size_t len);

/* css_cascade_init - no declaration yet */
void	css_cascade_init(struct css_cascade *);

/* css_cascade_add - merge decls with priority: UA hints 0, author rules, inline style */
void	css_cascade_add(struct css_cascade *, const struct css_decls *,
	    uint64_t prio);

/* priority of an inline style attribute: above every selector */
#define CSS_PRIO_INLINE		(1ULL << 61)
#define CSS_PRIO_IMPORTANT	(1ULL << 62)

/* css_color - parse a colour value ("#fff", "rgb(..)", "white"); CSS_COLOR_UNKNOWN if none */
long	css_color(const char *s, size_t len);

#endif
