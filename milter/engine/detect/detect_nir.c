/*
 * detect_nir.c - detector "nir" (see detect_nir.h).
 */
#include "detect_nir.h"

#include <stdio.h>
#include <string.h>

#include "facts.h"
#include "nir.h"
#include "ruleset.h"
#include "scanctx.h"

/* detect_nir_check - see detect_nir.h */
int
detect_nir_check(const char *arg, const struct ruleset *rs, char *why,
    size_t whylen)
{
	(void)rs;
	if (strcmp(arg, "labelled") == 0 || strcmp(arg, "any") == 0)
		return 0;
	snprintf(why, whylen, "arg \"%s\": use labelled or any", arg);
	return -1;
}

/* nir_in - a (labelled) NIR in one text */
static int
nir_in(const struct normtext *t, int labelled)
{
	size_t from = 0, b, e;

	if (t->s == NULL)
		return 0;
	while (nir_find(t->s, t->len, from, &b, &e)) {
		if (!labelled || nir_labelled(t->s, b))
			return 1;
		from = e;
	}
	return 0;
}

/* detect_nir - see detect_nir.h */
int
detect_nir(struct scanctx *x, const struct rule *r, const char **excerpt,
    size_t *elen)
{
	const struct ruleset *rs = x->rules;
	int labelled = strcmp(r->detector_arg, "labelled") == 0;
	size_t i;

	if (facts_ready(x) < 0)
		return -1;
	for (i = 0; i < rs->nbrands; i++)
		if (facts_authenticated(x, &rs->brands[i]))
			return 0;
	if (nir_in(&x->subject, labelled) || nir_in(&x->body, labelled)) {
		*excerpt = "numero de securite sociale";
		*elen = strlen(*excerpt);
		return 1;
	}
	return 0;
}
