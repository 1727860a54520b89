/*
 * rule_load.c - read rule files (libconfig) into a ruleset.
 *
 * A rule file has up to three top-level keys:
 *   brands = ( { id; name; names = [regex...]; sender_domains = [...];
 *                link_domains = [...]; auth_domains = [...]; tokens = [...]; } );
 *   rules  = ( { id; description; target; pattern; | detector; arg;
 *                score; monitor; must_match = [...]; must_not_match = [...]; } );
 *   freemail = [ "gmail.com", ... ];
 * Each is described once in a key table (cfgfile.h), read into a
 * source struct as written, then checked and compiled into the ruleset.
 * Every message names the file, the line and, once known, the rule id.
 */
#include "rule_load.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfgfile.h"
#include "confusable.h"
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

/* rf_skeletons - confusable skeletons of a brand's domains and tokens */
static int
rf_skeletons(struct brand *b)
{
	const struct strlist *lists[3] = { &b->sender_domains,
	    &b->link_domains, &b->tokens };
	struct strlist *skels[3] = { &b->skeletons, &b->skeletons,
	    &b->token_skeletons };
	struct buf sk;
	size_t l, i;
	int rc = 0;

	buf_init(&sk);
	for (l = 0; l < 3 && rc == 0; l++)
		for (i = 0; i < lists[l]->n && rc == 0; i++) {
			buf_reset(&sk);
			if (textnorm_skeleton(lists[l]->v[i], &sk) < 0 ||
			    strlist_push(skels[l], buf_cstr(&sk)) < 0)
				rc = -1;
		}
	buf_free(&sk);
	return rc;
}

/*
 * rf_brand_words - the words brand names are recognised by through
 * look-alike letters: each brand's tokens and the first label of its
 * domains ("ameli", "cpam", "franceconnect", "ipeca"); the lexicon keeps
 * those of plain letters and long enough (confusable.h).
 */
static int
rf_brand_words(struct ruleset *rs)
{
	char label[CONFUSABLE_MAX_WORD + 1];
	size_t i, l, k, n;

	if ((rs->brand_words = confusable_lexicon_new()) == NULL)
		return -1;
	for (i = 0; i < rs->nbrands; i++) {
		const struct brand *b = &rs->brands[i];
		const struct strlist *lists[3] = { &b->tokens,
		    &b->sender_domains, &b->link_domains };

		for (l = 0; l < 3; l++)
			for (k = 0; k < lists[l]->n; k++) {
				n = strcspn(lists[l]->v[k], ".");
				if (n > CONFUSABLE_MAX_WORD)
					continue;
				memcpy(label, lists[l]->v[k], n);
				label[n] = '\0';
				if (confusable_lexicon_add(rs->brand_words,
				    label) < 0)
					return -1;
			}
	}
	return 0;
}

/* a brand as written in the file, before its names are compiled */
struct rf_brand_src {
	char	*id;
	char	*name;
	struct strlist names;
	struct strlist sender_domains, link_domains, auth_domains, tokens;
};

#define BOFF(f)	offsetof(struct rf_brand_src, f)

static const struct cfgkey rf_brand_keys[] = {
	{ .name = "id", .type = CFGKEY_STRING, .offset = BOFF(id),
	    .required = 1 },
	{ .name = "name", .type = CFGKEY_STRING, .offset = BOFF(name) },
	{ .name = "names", .type = CFGKEY_STRLIST, .offset = BOFF(names) },
	{ .name = "sender_domains", .type = CFGKEY_STRLIST,
	    .offset = BOFF(sender_domains) },
	{ .name = "link_domains", .type = CFGKEY_STRLIST,
	    .offset = BOFF(link_domains) },
	{ .name = "auth_domains", .type = CFGKEY_STRLIST,
	    .offset = BOFF(auth_domains) },
	{ .name = "tokens", .type = CFGKEY_STRLIST, .offset = BOFF(tokens) },
	{ .name = NULL }
};

/* a rule as written in the file, before it is checked and compiled */
struct rf_rule_src {
	char	*id, *description, *target, *pattern, *detector, *arg;
	double	 score;
	int	 monitor;
	struct strlist must_match, must_not_match;
};

#define ROFF(f)	offsetof(struct rf_rule_src, f)

static const struct cfgkey rf_rule_keys[] = {
	{ .name = "id", .type = CFGKEY_STRING, .offset = ROFF(id),
	    .required = 1 },
	{ .name = "description", .type = CFGKEY_STRING,
	    .offset = ROFF(description) },
	{ .name = "target", .type = CFGKEY_STRING, .offset = ROFF(target) },
	{ .name = "pattern", .type = CFGKEY_STRING, .offset = ROFF(pattern) },
	{ .name = "detector", .type = CFGKEY_STRING, .offset = ROFF(detector) },
	{ .name = "arg", .type = CFGKEY_STRING, .offset = ROFF(arg) },
	{ .name = "score", .type = CFGKEY_NUMBER, .offset = ROFF(score),
	    .min = -100, .max = 100, .required = 1 },
	{ .name = "monitor", .type = CFGKEY_BOOL, .offset = ROFF(monitor),
	    .def = "false" },
	{ .name = "must_match", .type = CFGKEY_STRLIST,
	    .offset = ROFF(must_match) },
	{ .name = "must_not_match", .type = CFGKEY_STRLIST,
	    .offset = ROFF(must_not_match) },
	{ .name = NULL }
};

/* rf_take - move a string out of a source struct (it is NULLed) */
static char *
rf_take(char **s)
{
	char *v = *s;

	*s = NULL;
	return v;
}

/* rf_who - "rule ID" / "brand ID" for messages, from a valid id */
static int
rf_who(struct rf_ctx *x, const config_setting_t *g, const char *kind,
    char *who, size_t size)
{
	const char *id = NULL;

	if (!config_setting_is_group(g)) {
		cfgfile_error(x->errors, cfgfile_file(g, x->path),
		    cfgfile_line(g), "%ss: each %s is a group { ... }", kind,
		    kind);
		return -1;
	}
	if (!config_setting_lookup_string(g, "id", &id) || !rf_id_ok(id)) {
		cfgfile_error(x->errors, cfgfile_file(g, x->path),
		    cfgfile_line(g), "%s: missing or invalid id (letters, "
		    "digits, _ . -)", kind);
		return -1;
	}
	snprintf(who, size, "%s %s", kind, id);
	return 0;
}

/* rf_brand_names - the brand's names compiled as one alternation */
static int
rf_brand_names(struct rf_ctx *x, const config_setting_t *g, const char *who,
    struct brand *b, const struct strlist *names)
{
	struct buf re;
	size_t i;
	int rc = -1;

	buf_init(&re);
	/* each name pattern is checked alone first, for a precise message */
	for (i = 0; i < names->n; i++) {
		struct pattern *one = rf_compile(x, g, who, names->v[i]);

		if (one == NULL)
			goto out;
		pattern_free(one);
		if (buf_printf(&re, "%s(?:%s)", i ? "|" : "", names->v[i]) < 0)
			goto out;
	}
	if ((b->names = rf_compile(x, g, who, buf_cstr(&re))) != NULL &&
	    (b->names_text = strdup(buf_cstr(&re))) != NULL)
		rc = 0;
out:
	buf_free(&re);
	return rc;
}

/* rf_brand - one element of brands */
static int
rf_brand(struct rf_ctx *x, const config_setting_t *g)
{
	struct rf_brand_src src;
	struct brand *b, *nb;
	char who[128];
	int rc = -1;

	if (rf_who(x, g, "brand", who, sizeof(who)) < 0)
		return -1;
	if ((nb = realloc(x->rs->brands, (x->rs->nbrands + 1) *
	    sizeof(*nb))) == NULL)
		return -1;
	x->rs->brands = nb;
	b = &nb[x->rs->nbrands++];
	memset(b, 0, sizeof(*b));
	memset(&src, 0, sizeof(src));
	b->line = cfgfile_line(g);
	if ((b->file = strdup(cfgfile_file(g, x->path))) == NULL ||
	    cfgfile_read_group(&src, rf_brand_keys, g, x->path, who,
	    x->errors) < 0)
		goto out;
	b->id = rf_take(&src.id);
	b->name = src.name ? rf_take(&src.name) : strdup(b->id);
	b->sender_domains = src.sender_domains;
	b->link_domains = src.link_domains;
	b->auth_domains = src.auth_domains;
	b->tokens = src.tokens;
	memset(&src.sender_domains, 0, sizeof(src.sender_domains));
	memset(&src.link_domains, 0, sizeof(src.link_domains));
	memset(&src.auth_domains, 0, sizeof(src.auth_domains));
	memset(&src.tokens, 0, sizeof(src.tokens));
	if (b->name == NULL)
		goto out;
	if (src.names.n == 0) {
		cfgfile_error(x->errors, b->file, b->line,
		    "%s: \"names\" must list at least one pattern", who);
		goto out;
	}
	if (b->sender_domains.n == 0 && b->link_domains.n == 0) {
		cfgfile_error(x->errors, b->file, b->line,
		    "%s: no genuine sender_domains or link_domains", who);
		goto out;
	}
	if (rf_brand_names(x, g, who, b, &src.names) == 0 &&
	    rf_skeletons(b) == 0)
		rc = 0;
out:
	free(src.id);
	free(src.name);
	strlist_free(&src.names);
	strlist_free(&src.sender_domains);
	strlist_free(&src.link_domains);
	strlist_free(&src.auth_domains);
	strlist_free(&src.tokens);
	return rc;
}

/* rf_rule_detector - a detector rule: the detector and its arg */
static int
rf_rule_detector(struct rf_ctx *x, const char *who, struct rule *r,
    struct rf_rule_src *src)
{
	if (src->pattern != NULL || src->target != NULL) {
		cfgfile_error(x->errors, r->file, r->line, "%s: a detector "
		    "rule has no \"pattern\" or \"target\"", who);
		return -1;
	}
	if ((r->detector = detector_find(src->detector)) == NULL) {
		cfgfile_error(x->errors, r->file, r->line,
		    "%s: unknown detector \"%s\"", who, src->detector);
		return -1;
	}
	if (r->detector->takes_arg != (src->arg != NULL)) {
		cfgfile_error(x->errors, r->file, r->line,
		    src->arg ? "%s: detector \"%s\" takes no \"arg\"" :
		    "%s: detector \"%s\" needs an \"arg\"", who,
		    src->detector);
		return -1;
	}
	r->detector_arg = rf_take(&src->arg);
	if (r->examples_match.n || r->examples_nomatch.n) {
		cfgfile_error(x->errors, r->file, r->line, "%s: examples "
		    "are for pattern rules; test detectors with "
		    "messages", who);
		return -1;
	}
	return 0;
}

/* rf_rule_pattern - a pattern rule: its target and compiled pattern */
static int
rf_rule_pattern(struct rf_ctx *x, const config_setting_t *g, const char *who,
    struct rule *r, struct rf_rule_src *src)
{
	const char *header;

	if (src->target == NULL) {
		cfgfile_error(x->errors, r->file, r->line,
		    "%s: needs \"target\" and \"pattern\", or \"detector\"",
		    who);
		return -1;
	}
	if (rule_target_parse(src->target, &r->target, &header) < 0) {
		char names[512];

		rule_target_names(names, sizeof(names));
		cfgfile_error(x->errors, r->file, r->line,
		    "%s: unknown target \"%s\" (one of: %s)", who,
		    src->target, names);
		return -1;
	}
	if (header != NULL && (r->header = strdup(header)) == NULL)
		return -1;
	if (src->pattern == NULL) {
		cfgfile_error(x->errors, r->file, r->line,
		    "%s: \"pattern\" is missing", who);
		return -1;
	}
	r->pattern_text = rf_take(&src->pattern);
	return (r->pattern = rf_compile(x, config_setting_get_member(g,
	    "pattern"), who, r->pattern_text)) != NULL ? 0 : -1;
}

/* rf_rule - one element of rules */
static int
rf_rule(struct rf_ctx *x, const config_setting_t *g)
{
	struct rf_rule_src src;
	struct rule *r, *nr;
	char who[128];
	int rc = -1;

	if (rf_who(x, g, "rule", who, sizeof(who)) < 0)
		return -1;
	if ((nr = realloc(x->rs->rules, (x->rs->nrules + 1) *
	    sizeof(*nr))) == NULL)
		return -1;
	x->rs->rules = nr;
	r = &nr[x->rs->nrules++];
	memset(r, 0, sizeof(*r));
	memset(&src, 0, sizeof(src));
	r->line = cfgfile_line(g);
	if ((r->file = strdup(cfgfile_file(g, x->path))) == NULL ||
	    cfgfile_defaults(&src, rf_rule_keys) < 0 ||
	    cfgfile_read_group(&src, rf_rule_keys, g, x->path, who,
	    x->errors) < 0)
		goto out;
	r->id = rf_take(&src.id);
	r->description = rf_take(&src.description);
	r->score = src.score;
	r->monitor = src.monitor;
	r->examples_match = src.must_match;
	r->examples_nomatch = src.must_not_match;
	memset(&src.must_match, 0, sizeof(src.must_match));
	memset(&src.must_not_match, 0, sizeof(src.must_not_match));
	if (src.detector != NULL)
		rc = rf_rule_detector(x, who, r, &src);
	else
		rc = rf_rule_pattern(x, g, who, r, &src);
out:
	free(src.id);
	free(src.description);
	free(src.target);
	free(src.pattern);
	free(src.detector);
	free(src.arg);
	strlist_free(&src.must_match);
	strlist_free(&src.must_not_match);
	return rc;
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
	if (!config_setting_is_list(l) && !config_setting_is_array(l))
		return -1;	/* reported with the file's keys */
	n = config_setting_length(l);
	for (i = 0; i < n; i++)
		if (fn(x, config_setting_get_elem(l, (unsigned)i)) < 0)
			rc = -1;
	return rc;
}

/* what a rule file holds besides its brands and rules */
struct rf_file_src {
	struct strlist freemail;
};

static const struct cfgkey rf_file_keys[] = {
	{ .name = "brands", .type = CFGKEY_LIST },
	{ .name = "rules", .type = CFGKEY_LIST },
	{ .name = "freemail", .type = CFGKEY_STRLIST,
	    .offset = offsetof(struct rf_file_src, freemail) },
	{ .name = NULL }
};

/* rule_load_file - see rule_load.h */
int
rule_load_file(const char *path, const struct scan_limits *limits,
    struct ruleset *rs, struct buf *errors)
{
	struct rf_ctx x = { path, limits, rs, errors };
	struct rf_file_src src = { { NULL, 0 } };
	config_t cfg;
	size_t i;
	int rc;

	if (cfgfile_open(&cfg, path, "rule file", errors) < 0)
		return -1;
	rc = cfgfile_read_group(&src, rf_file_keys, config_root_setting(&cfg),
	    path, "rule file", errors);
	/* both lists, so that every mistake is reported at once */
	if (rf_list(&x, &cfg, "brands", rf_brand) < 0)
		rc = -1;
	if (rf_list(&x, &cfg, "rules", rf_rule) < 0)
		rc = -1;
	/* free-mail domains add up over the rule files */
	for (i = 0; i < src.freemail.n; i++)
		if (strlist_push(&rs->freemail, src.freemail.v[i]) < 0)
			rc = -1;
	strlist_free(&src.freemail);
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
	if (rule_target_normalised(r->target) ?
	    textnorm_fold(example, strlen(example), &norm) < 0 :
	    buf_append_str(&norm, example) < 0) {
		buf_free(&norm);
		return -1;
	}
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
	if (rc == 0 && (rf_body_prefilter(rs) < 0 || rf_brand_words(rs) < 0 ||
	    (rs->lookalike_memo = hostmemo_new(RF_LOOKALIKE_MEMO)) == NULL))
		return -1;
	return rc;
}
