/*
 * test_css.c - css.c on its own: colours, declarations, selectors and
 * the cascade order, generated content, @media, and the rule limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "css.h"
#include "testutil.h"

/* test_css_colors - every colour notation mail uses */
static void
test_css_colors(void **state)
{
	static const struct {
		const char *v;
		long want;
	} cases[] = {
		{ "#fff", 0xFFFFFF }, { "#FFFFFF", 0xFFFFFF },
		{ " #1b7f3b ", 0x1B7F3B }, { "#ffff", 0xFFFFFF },
		{ "#ffffff00", CSS_COLOR_TRANSPARENT },
		{ "#fff0", CSS_COLOR_TRANSPARENT },
		{ "rgb(255, 255, 255)", 0xFFFFFF }, { "rgb(100% 0% 0%)", 0xFF0000 },
		{ "rgba(0,0,0,0)", CSS_COLOR_TRANSPARENT },
		{ "rgb(0 0 0 / 0%)", CSS_COLOR_TRANSPARENT },
		{ "White", 0xFFFFFF }, { "transparent", CSS_COLOR_TRANSPARENT },
		{ "hsl(0,0%,100%)", CSS_COLOR_UNKNOWN },
		{ "currentcolor", CSS_COLOR_UNKNOWN }, { "#ggg", CSS_COLOR_UNKNOWN },
		{ "#12345", CSS_COLOR_UNKNOWN }, { "", CSS_COLOR_UNKNOWN },
	};
	size_t i;
	long got;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if ((got = css_color(cases[i].v, strlen(cases[i].v))) !=
		    cases[i].want)
			fail_msg("\"%s\": got %lx, want %lx", cases[i].v, got,
			    cases[i].want);
}

/* test_css_declarations - inline declarations as a client reads them */
static void
test_css_declarations(void **state)
{
	struct css_decls d;
	const char *s;

	(void)state;
	s = "DISPLAY : None !IMPORTANT; color:#fff;font:italic bold 0/0 a;"
	    "background:url(x.png) #000; opacity: 4%; max-height:0px;"
	    "overflow:hidden; direction:rtl; unicode-bidi:bidi-override;"
	    "bogus:1; :x; ;";
	css_decls_parse(&d, s, strlen(s));
	assert_true(d.set & CSS_P_DISPLAY);
	assert_int_equal(d.display, CSS_DISPLAY_NONE);
	assert_true(d.important & CSS_P_DISPLAY);
	assert_false(d.important & CSS_P_COLOR);
	assert_int_equal(d.color, 0xFFFFFF);
	assert_true(d.set & CSS_P_FONT_SIZE);
	assert_true(d.font_size == 0 && d.font_unit == CSS_UNIT_PX);
	assert_int_equal(d.background, CSS_COLOR_UNKNOWN);
	assert_true(d.opacity_zero && d.height_zero && d.overflow_hidden);
	assert_true(d.rtl && d.bidi_override);

	s = "font-size:150%;display:inline-block;visibility:visible";
	css_decls_parse(&d, s, strlen(s));
	assert_true(d.font_unit == CSS_UNIT_FACTOR && d.font_size > 1.49f &&
	    d.font_size < 1.51f);
	assert_int_equal(d.display, CSS_DISPLAY_INLINE);
	assert_true((d.set & CSS_P_VISIBILITY) && !d.hidden);

	s = "font-size:9pt;opacity:.5;content:'x'";
	css_decls_parse(&d, s, strlen(s));
	assert_true(d.font_size == 12 && !d.opacity_zero);
	assert_string_equal(d.content, "x");
}

/* cascade - the merged declarations for chain[n - 1] */
static void
cascade(struct css_sheet *sh, const struct css_element *chain, size_t n,
    struct css_cascade out[CSS_PSEUDO_COUNT])
{
	int p;

	for (p = 0; p < CSS_PSEUDO_COUNT; p++)
		css_cascade_init(&out[p]);
	css_sheet_cascade(sh, chain, n, out);
}

/* test_css_cascade - specificity, order, !important, combinators, attributes */
static void
test_css_cascade(void **state)
{
	static const char sheet[] =
	    "/* c */ #k{display:block} .a.b{display:none} p{display:inline}"
	    " div > p.a { visibility : hidden } body p[lang|=fr]{color:#fff}"
	    " div p.c{color:#000 !important} p.c{color:red}"
	    " p:hover, p + p, p:first-child{display:none}"
	    " .n::before{content:\"Assu\\72 ance \\\"M\\\"\"}"
	    " .n:after{content:'\\01F600'}";
	static const char *const atts[] = { "lang", "fr-FR", NULL };
	const struct css_element chain[] = {
		{ "body", "", "", NULL },
		{ "div", "", "", NULL },
		{ "p", "k", "a B c n", atts },
	};
	struct css_cascade out[CSS_PSEUDO_COUNT];
	struct css_sheet *sh = css_sheet_new();

	(void)state;
	assert_non_null(sh);
	assert_int_equal(css_sheet_parse(sh, sheet, strlen(sheet)), 0);
	/* the three selectors of the unsupported list are dropped */
	assert_int_equal(css_sheet_rules(sh), 9);
	cascade(sh, chain, 3, out);
	/* #k (1,0,0) beats .a.b (0,2,0) whatever the order */
	assert_int_equal(out[CSS_PSEUDO_NONE].d.display, CSS_DISPLAY_BLOCK);
	assert_true(out[CSS_PSEUDO_NONE].d.hidden);
	/* !important beats a later rule of the same weight */
	assert_int_equal(out[CSS_PSEUDO_NONE].d.color, 0x000000);
	assert_string_equal(out[CSS_PSEUDO_BEFORE].d.content,
	    "Assurance \"M\"");
	assert_string_equal(out[CSS_PSEUDO_AFTER].d.content,
	    "\xF0\x9F\x98\x80");
	/* child combinator: p not directly under div */
	cascade(sh, (const struct css_element[]){ chain[1], chain[0],
	    chain[2] }, 3, out);
	assert_false(out[CSS_PSEUDO_NONE].d.set & CSS_P_VISIBILITY);
	css_sheet_free(sh);
}

/* test_css_media - @media rules count where they show text, not where they hide it */
static void
test_css_media(void **state)
{
	static const char sheet[] =
	    "@import url(x.css); @font-face{font-family:a;src:url(a)}"
	    "@media screen and (max-width:600px){ .m{display:block!important;"
	    "color:#fff} .d{display:none} @media print{.p{font-size:14px}} }"
	    "<!-- .x{opacity:0} -->";
	const struct css_element m = { "p", "", "m d p x", NULL };
	struct css_cascade out[CSS_PSEUDO_COUNT];
	struct css_sheet *sh = css_sheet_new();

	(void)state;
	assert_non_null(sh);
	assert_int_equal(css_sheet_parse(sh, sheet, strlen(sheet)), 0);
	cascade(sh, &m, 1, out);
	assert_int_equal(out[CSS_PSEUDO_NONE].d.display, CSS_DISPLAY_BLOCK);
	assert_false(out[CSS_PSEUDO_NONE].d.set & CSS_P_COLOR);
	assert_true(out[CSS_PSEUDO_NONE].d.set & CSS_P_FONT_SIZE);
	assert_true(out[CSS_PSEUDO_NONE].d.opacity_zero);
	assert_false(css_sheet_limited(sh));
	css_sheet_free(sh);
}

/* test_css_limits - rules past CSS_MAX_RULES and bytes past CSS_MAX_BYTES are dropped, and said so */
static void
test_css_limits(void **state)
{
	struct css_sheet *sh = css_sheet_new();
	struct buf b;
	size_t i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < CSS_MAX_RULES + 10; i++)
		assert_int_equal(buf_printf(&b, ".r%zu{display:none}", i), 0);
	assert_int_equal(css_sheet_parse(sh, buf_cstr(&b), b.len), 0);
	assert_int_equal(css_sheet_rules(sh), CSS_MAX_RULES);
	assert_true(css_sheet_limited(sh));
	css_sheet_free(sh);

	sh = css_sheet_new();
	buf_reset(&b);
	while (b.len <= CSS_MAX_BYTES)
		assert_int_equal(buf_append_str(&b, "/* padding */ "), 0);
	assert_int_equal(buf_append_str(&b, ".late{display:none}"), 0);
	assert_int_equal(css_sheet_parse(sh, buf_cstr(&b), b.len), 0);
	assert_int_equal(css_sheet_rules(sh), 0);
	assert_true(css_sheet_limited(sh));
	css_sheet_free(sh);

	/* blocks whose selectors are all dropped keep nothing */
	sh = css_sheet_new();
	buf_reset(&b);
	for (i = 0; i < 10000; i++)
		assert_int_equal(buf_append_str(&b, "a:hover{color:red}"), 0);
	assert_int_equal(buf_append_str(&b, ".k{display:none}"), 0);
	assert_int_equal(css_sheet_parse(sh, buf_cstr(&b), b.len), 0);
	assert_int_equal(css_sheet_rules(sh), 1);
	assert_false(css_sheet_limited(sh));
	css_sheet_free(sh);
	buf_free(&b);
}

/* main - run the css.c tests */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_css_colors),
		cmocka_unit_test(test_css_declarations),
		cmocka_unit_test(test_css_cascade),
		cmocka_unit_test(test_css_media),
		cmocka_unit_test(test_css_limits),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
