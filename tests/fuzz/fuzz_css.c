/*
 * fuzz_css.c - libFuzzer target: css_sheet_parse() of arbitrary bytes,
 * then the cascade for a small element chain (with attributes) and
 * css_decls_parse() of the same bytes read as an inline style.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "css.h"

/* LLVMFuzzerTestOneInput - parse, match and read declarations */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const atts[] = { "hidden", "", "lang", "fr-FR",
	    "data-x", "a b", NULL };
	const struct css_element chain[] = {
		{ "html", "", "", NULL },
		{ "body", "main", "wrap dark", NULL },
		{ "div", "x", "pre hidden", NULL },
		{ "span", "k", "a b c", atts },
	};
	struct css_cascade out[CSS_PSEUDO_COUNT];
	struct css_sheet *sh;
	struct css_decls d;
	size_t n;
	int p;

	if ((sh = css_sheet_new()) == NULL)
		return 0;
	if (css_sheet_parse(sh, (const char *)data, size) == 0) {
		for (n = 1; n <= sizeof(chain) / sizeof(chain[0]); n++) {
			for (p = 0; p < CSS_PSEUDO_COUNT; p++)
				css_cascade_init(&out[p]);
			css_sheet_cascade(sh, chain, n, out);
		}
	}
	css_sheet_free(sh);
	css_decls_parse(&d, (const char *)data, size);
	return 0;
}
