/*
 * rule_load.c - read rule files (libconfig) into a ruleset.
 *
 * A rule file has up to four top-level lists:
 *   brands = ( { id; name; names = [regex...]; sender_domains = [...];
 *                link_domains = [...]; auth_domains = [...]; tokens = [...]; } );
 *   rules  = ( { id; description; target; pattern; | detector; arg;
 *                score; monitor; must_match = [...]; must_not_match = [...]; } );
 *   freemail = [ "gmail.com", ... ];
 * Every message names the file, the line and, once known, the rule id.
 */
#include "rule_load.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfgfile.h"
#include "detector.h"
#include "hostmemo.h"
#include "scan_limits.h"
#include "pattern.h"
#include "prefilter.h"
#include "ruleset.h"
#include "textnorm.h"

/* hosts whose look-alike verdict a rule set remembers (about 150 KiB) */
#define RF_LOOKALIKE_MEMO	2048

struct rf_ctx {
	const char *path;
	const struct scan_limits *limits;
	struct ruleset *rs;
	struct buf *errors;
};

/* rf_strlist - optional list of strings member of a group */
static int
rf_strlist(struct rf_ctx *x, const config_setting_t *g, const char *name,
    const char *who, struct strlist *out)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	const char *v;
	int i, n;

	if (s == NULL)
		return 0;
	if (!config_setting_is_aggregate(s)) {
		cfgfile_error(x->errors, cfgfile_file(s, x->path), cfgfile_line(s),
		    "%s: %s: expected a list of strings", who, name);
		return -1;
	}
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		if ((v = config_setting_get_string_elem(s, i)) == NULL) {
			cfgfile_error(x->errors, cfgfile_file(s, x->path), cfgfile_line(s),
			    "%s: %s: element %d is not a string", who, name,
			    i + 1);
			return -1;
		}
		if (strlist_push(out, v) < 0)
			return -1;
	}
	return 0;
}

/* rf_check_keys - report members of g not in the allowed list */
static int
rf_check_keys(struct rf_ctx *x, const config_setting_t *g, const char *who,
    const char *const *allowed)
{
	const config_setting_t *s;
	const char *const *a;
	int i, n, rc = 0;

	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		for (a = allowed; *a != NULL; a++)
			if (config_setting_name(s) != NULL &&
			    strcmp(*a, config_setting_name(s)) == 0)
				break;
		if (*a == NULL) {
			cfgfile_error(x->errors, cfgfile_file(s, x->path), cfgfile_line(s),
			    "%s: unknown key \"%s\"", who,
			    config_setting_name(s) ? config_setting_name(s) :
			    "(unnamed)");
			rc = -1;
		}
	}
	return rc;
}

/* rf_id_ok - ids are [A-Za-z0-9_.-]+, so they are safe in headers and logs */
static int
rf_id_ok(const char *id)
{
	if (*id == '\0' || strlen(id) > 64)
		return 0;
	for (; *id; id++)
		if (!isalnum((unsigned char)*id) && *id != '_' && *id != '-' &&
		    *id != '.')
			return 0;
	return 1;
}

/* rf_compile - compile a pattern, reporting the offset on error */
static struct pattern *
rf_compile(struct rf_ctx *x, const config_setting_t *s, const char *who,
    const char *re)
{
	struct pattern *p;
	char err[256];
	size_t off;

	p = pattern_compile(re, x->limits->regex_match_limit,
	    x->limits->regex_depth_limit, err, sizeof(err), &off);
	if (p == NULL)
		cfgfile_error(x->errors, cfgfile_file(s, x->path), cfgfile_line(s),
		    "%s: pattern error at offset %zu: %s", who, off, err);
	return p;
}

/* rf_skeletons - confusable skeletons of a brand's domains, made once here */
static int
rf_skeletons(struct brand *b)
{
	const struct strlist *lists[2] = { &b->sender_domains,
	    &b->link_domains };
	struct buf sk;
	size_t l, i;
	int rc = 0;

	buf_init(&sk);
	for (l = 0; l < 2 && rc == 0; l++)
		for (i = 0; i < lists[l]->n && rc == 0; i++) {
			buf_reset(&sk);
			if (textnorm_skeleton(lists[l]->v[i], &sk) < 0 ||
			    strlist_push(&b->skeletons, buf_cstr(&sk)) < 0)
				rc = -1;
		}
	buf_free(&sk);
	return rc;
}

static const char *const rf_brand_keys[] = {
	"id", "name", "names", "sender_domains", "link_domains",
	"auth_domains", "tokens", NULL
};

/* rf_brand - one element of brands */
static int
rf_brand(struct rf_ctx *x, const config_setting_t *g)
{
	struct brand *b, *nb;
	const char *id = NULL, *name = NULL;
	char who[128];
	struct buf re;
	struct strlist names = { 0 };
	size_t i;
	int rc = -1;

	if (!config_setting_is_group(g)) {
		cfgfile_error(x->errors, cfgfile_file(g, x->path), cfgfile_line(g),
		    "brands: each brand is a group { ... }");
		return -1;
	}
	if (!config_setting_lookup_string(g, "id", &id) || !rf_id_ok(id)) {
		cfgfile_error(x->errors, cfgfile_file(g, x->path), cfgfile_line(g),
		    "brand: missing or invalid id (letters, digits, _ . -)");
		return -1;
	}
	snprintf(who, sizeof(who), "brand %s", id);
	if ((nb = realloc(x->rs->brands, (x->rs->nbrands + 1) *
	    sizeof(*nb))) == NULL)
		return -1;
	x->rs->brands = nb;
	b = &nb[x->rs->nbrands++];
	memset(b, 0, sizeof(*b));
	b->line = cfgfile_line(g);
	if ((b->id = strdup(id)) == NULL ||
	    (b->file = strdup(cfgfile_file(g, x->path))) == NULL)
		return -1;
	(void)config_setting_lookup_string(g, "name", &name);
	if ((b->name = strdup(name ? name : id)) == NULL)
		return -1;
	buf_init(&re);
	if (rf_check_keys(x, g, who, rf_brand_keys) < 0 ||
	    rf_strlist(x, g, "names", who, &names) < 0 ||
	    rf_strlist(x, g, "sender_domains", who, &b->sender_domains) < 0 ||
	    rf_strlist(x, g, "link_domains", who, &b->link_domains) < 0 ||
	    rf_strlist(x, g, "auth_domains", who, &b->auth_domains) < 0 ||
	    rf_strlist(x, g, "tokens", who, &b->tokens) < 0)
		goto out;
	if (names.n == 0) {
		cfgfile_error(x->errors, b->file, b->line,
		    "%s: \"names\" must list at least one pattern", who);
		goto out;
	}
	if (b->sender_domains.n == 0 && b->link_domains.n == 0) {
		cfgfile_error(x->errors, b->file, b->line,
		    "%s: no genuine sender_domains or link_domains", who);
		goto out;
	}
	/* one alternation: each name pattern is checked alone first */
	for (i = 0; i < names.n; i++) {
		struct pattern *one = rf_compile(x, g, who, names.v[i]);

		if (one == NULL)
			goto out;
		pattern_free(one);
		if (buf_printf(&re, "%s(?:%s)", i ? "|" : "", names.v[i]) < 0)
			goto out;
	}
	if ((b->names = rf_compile(x, g, who, buf_cstr(&re))) == NULL ||
	    (b->names_text = strdup(buf_cstr(&re))) == NULL ||
	    rf_skeletons(b) < 0)
		goto out;
	rc = 0;
out:
	buf_free(&re);
	strlist_free(&names);
	return rc;
}

static const char *const rf_rule_keys[] = {
	"id", "description", "target", "pattern", "detector", "arg", "score",
	"monitor", "must_match", "must_not_match", NULL
};

/* rf_rule - one element of rules */
static int
rf_rule(struct rf_ctx *x, const config_setting_t *g)
{
	struct rule *r, *nr;
	const char *id = NULL, *s = NULL, *header;
	const config_setting_t *m;
	char who[128];
	double score;
	int monitor = 0;

	if (!config_setting_is_group(g)) {
		cfgfile_error(x->errors, cfgfile_file(g, x->path), cfgfile_line(g),
		    "rules: each rule is a group { ... }");
		return -1;
	}
	if (!config_setting_lookup_string(g, "id", &id) || !rf_id_ok(id)) {
		cfgfile_error(x->errors, cfgfile_file(g, x->path), cfgfile_line(g),
		    "rule: missing or invalid id (letters, digits, _ . -)");
		return -1;
	}
	snprintf(who, sizeof(who), "rule %s", id);
	if ((nr = realloc(x->rs->rules, (x->rs->nrules + 1) *
	    sizeof(*nr))) == NULL)
		return -1;
	x->rs->rules = nr;
	r = &nr[x->rs->nrules++];
	memset(r, 0, sizeof(*r));
	r->line = cfgfile_line(g);
	if ((r->id = strdup(id)) == NULL ||
	    (r->file = strdup(cfgfile_file(g, x->path))) == NULL)
		return -1;
	if (rf_check_keys(x, g, who, rf_rule_keys) < 0)
		return -1;
	if (config_setting_lookup_string(g, "description", &s) &&
	    (r->description = strdup(s)) == NULL)
		return -1;
	if ((m = config_setting_get_member(g, "score")) == NULL ||
	    (config_setting_type(m) != CONFIG_TYPE_INT &&
	    config_setting_type(m) != CONFIG_TYPE_FLOAT)) {
		cfgfile_error(x->errors, r->file, r->line,
		    "%s: \"score\" is required and must be a number", who);
		return -1;
	}
	score = config_setting_type(m) == CONFIG_TYPE_INT ?
	    config_setting_get_int(m) : config_setting_get_float(m);
	if (score < -100 || score > 100) {
		cfgfile_error(x->errors, r->file, r->line,
		    "%s: score %.1f is outside [-100, 100]", who, score);
		return -1;
	}
	r->score = score;
	if ((m = config_setting_get_member(g, "monitor")) != NULL) {
		if (config_setting_type(m) != CONFIG_TYPE_BOOL) {
			cfgfile_error(x->errors, r->file, cfgfile_line(m),
			    "%s: \"monitor\" must be true or false", who);
			return -1;
		}
		monitor = config_setting_get_bool(m);
	}
	r->monitor = monitor;
	if (rf_strlist(x, g, "must_match", who, &r->examples_match) < 0 ||
	    rf_strlist(x, g, "must_not_match", who, &r->examples_nomatch) < 0)
		return -1;

	if (config_setting_lookup_string(g, "detector", &s)) {
		const char *arg = NULL;

		if (config_setting_get_member(g, "pattern") != NULL ||
		    config_setting_get_member(g, "target") != NULL) {
			cfgfile_error(x->errors, r->file, r->line, "%s: a detector "
			    "rule has no \"pattern\" or \"target\"", who);
			return -1;
		}
		if ((r->detector = detector_find(s)) == NULL) {
			cfgfile_error(x->errors, r->file, r->line,
			    "%s: unknown detector \"%s\"", who, s);
			return -1;
		}
		(void)config_setting_lookup_string(g, "arg", &arg);
		if (r->detector->takes_arg && arg == NULL) {
			cfgfile_error(x->errors, r->file, r->line,
			    "%s: detector \"%s\" needs an \"arg\"", who, s);
			return -1;
		}
		if (!r->detector->takes_arg && arg != NULL) {
			cfgfile_error(x->errors, r->file, r->line,
			    "%s: detector \"%s\" takes no \"arg\"", who, s);
			return -1;
		}
		if (arg != NULL && (r->detector_arg = strdup(arg)) == NULL)
			return -1;
		if (r->examples_match.n || r->examples_nomatch.n) {
			cfgfile_error(x->errors, r->file, r->line, "%s: examples "
			    "are for pattern rules; test detectors with "
			    "messages", who);
			return -1;
		}
		return 0;
	}
	if (!config_setting_lookup_string(g, "target", &s)) {
		cfgfile_error(x->errors, r->file, r->line,
		    "%s: needs \"target\" and \"pattern\", or \"detector\"", who);
		return -1;
	}
	if (rule_target_parse(s, &r->target, &header) < 0) {
		char names[512];

		rule_target_names(names, sizeof(names));
		cfgfile_error(x->errors, r->file, r->line,
		    "%s: unknown target \"%s\" (one of: %s)", who, s, names);
		return -1;
	}
	if (header != NULL && (r->header = strdup(header)) == NULL)
		return -1;
	if (!config_setting_lookup_string(g, "pattern", &s)) {
		cfgfile_error(x->errors, r->file, r->line,
		    "%s: \"pattern\" is missing", who);
		return -1;
	}
	if ((r->pattern_text = strdup(s)) == NULL ||
	    (r->pattern = rf_compile(x, config_setting_get_member(g,
	    "pattern"), who, s)) == NULL)
		return -1;
	return 0;
}

/* rf_list - apply fn to each element of a top-level list */
static int
rf_list(struct rf_ctx *x, const config_t *cfg, const char *name,
    int (*fn)(struct rf_ctx *, const config_setting_t *))
{
	const config_setting_t *l = config_lookup(cfg, name);
	int i, n, rc = 0;

	if (l == NULL)
		return 0;
	if (!config_setting_is_list(l) && !config_setting_is_array(l)) {
		cfgfile_error(x->errors, cfgfile_file(l, x->path), cfgfile_line(l),
		    "%s: expected a list ( { ... }, ... )", name);
		return -1;
	}
	n = config_setting_length(l);
	for (i = 0; i < n; i++)
		if (fn(x, config_setting_get_elem(l, (unsigned)i)) < 0)
			rc = -1;
	return rc;
}

static const char *const rf_top_keys[] = {
	"brands", "rules", "freemail", NULL
};

/* rule_load_file - see rule_load.h */
int
rule_load_file(const char *path, const struct scan_limits *limits,
    struct ruleset *rs, struct buf *errors)
{
	struct rf_ctx x = { path, limits, rs, errors };
	config_t cfg;
	int rc;

	if (cfgfile_open(&cfg, path, "rule file", errors) < 0)
		return -1;
	rc = rf_check_keys(&x, config_root_setting(&cfg), "rule file",
	    rf_top_keys);
	if (rf_list(&x, &cfg, "brands", rf_brand) < 0 ||
	    rf_list(&x, &cfg, "rules", rf_rule) < 0 ||
	    rf_strlist(&x, config_root_setting(&cfg), "freemail",
	    "rule file", &rs->freemail) < 0)
		rc = -1;
	config_destroy(&cfg);
	return rc;
}

/* rf_example - does the rule's pattern match this example as a target value? */
static int
rf_example(const struct rule *r, const char *example)
{
	struct buf norm;
	size_t ms, me;
	int rc;

	buf_init(&norm);
	if (rule_target_normalised(r->target)) {
		if (textnorm_fold(example, strlen(example), &norm) < 0)
			return -1;
	} else if (buf_append_str(&norm, example) < 0)
		return -1;
	rc = pattern_match(r->pattern, norm.data ? norm.data : "", norm.len,
	    &ms, &me) == PATTERN_MATCH;
	buf_free(&norm);
	return rc;
}

/* rf_body_prefilter - one prefilter for every pattern run on the body */
static int
rf_body_prefilter(struct ruleset *rs)
{
	const char **pats;
	size_t i, n = 0;

	if ((pats = calloc(rs->nrules + rs->nbrands + 1, sizeof(*pats))) ==
	    NULL)
		return -1;
	for (i = 0; i < rs->nrules; i++) {
		struct rule *r = &rs->rules[i];

		r->body_slot = -1;
		if (r->pattern != NULL && r->target == TARGET_BODY) {
			r->body_slot = (int)n;
			pats[n++] = r->pattern_text;
		}
	}
	for (i = 0; i < rs->nbrands; i++) {
		rs->brands[i].body_slot = (int)n;
		pats[n++] = rs->brands[i].names_text;
	}
	rs->body_slots = n;
	rs->body_prefilter = prefilter_build(pats, n);
	free(pats);
	return rs->body_prefilter != NULL ? 0 : -1;
}

/* rule_load_finish - see rule_load.h */
int
rule_load_finish(struct ruleset *rs, struct buf *errors)
{
	size_t i, j;
	int rc = 0, m;

	for (i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];

		for (j = 0; j < i; j++)
			if (strcmp(rs->rules[j].id, r->id) == 0) {
				cfgfile_error(errors, r->file, r->line,
				    "rule %s: duplicate id (first defined at "
				    "%s:%d)", r->id, rs->rules[j].file,
				    rs->rules[j].line);
				rc = -1;
			}
		for (j = 0; j < r->examples_match.n; j++)
			if ((m = rf_example(r, r->examples_match.v[j])) != 1) {
				if (m < 0)
					return -1;
				cfgfile_error(errors, r->file, r->line,
				    "rule %s: does not match its must_match "
				    "example %zu", r->id, j + 1);
				rc = -1;
			}
		for (j = 0; j < r->examples_nomatch.n; j++)
			if ((m = rf_example(r, r->examples_nomatch.v[j])) != 0) {
				if (m < 0)
					return -1;
				cfgfile_error(errors, r->file, r->line,
				    "rule %s: matches its must_not_match "
				    "example %zu", r->id, j + 1);
				rc = -1;
			}
	}
	for (i = 0; i < rs->nbrands; i++)
		for (j = 0; j < i; j++)
			if (strcmp(rs->brands[j].id, rs->brands[i].id) == 0) {
				cfgfile_error(errors, rs->brands[i].file,
				    rs->brands[i].line, "brand %s: duplicate "
				    "id (first defined at %s:%d)",
				    rs->brands[i].id, rs->brands[j].file,
				    rs->brands[j].line);
				rc = -1;
			}
	for (i = 0; i < rs->nrules; i++) {
		struct rule *r = &rs->rules[i];
		const struct detector *d = r->detector;
		char why[256] = "";

		if (d != NULL && ((d->check_arg != NULL &&
		    d->check_arg(r->detector_arg, rs, why, sizeof(why)) < 0) ||
		    (d->compile != NULL &&
		    d->compile(r, rs, why, sizeof(why)) < 0))) {
			cfgfile_error(errors, r->file, r->line, "rule %s: %s",
			    r->id, why);
			rc = -1;
		}
	}
	if (rc == 0 && (rf_body_prefilter(rs) < 0 ||
	    (rs->lookalike_memo = hostmemo_new(RF_LOOKALIKE_MEMO)) == NULL))
		return -1;
	return rc;
}
