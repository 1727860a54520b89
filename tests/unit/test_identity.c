/*
 * test_identity.c - claims against authenticated identity (issue 13):
 * counter-evidence nobody can forge, a claim with something to act on
 * quarantined by itself, the site's own domains and report mailboxes,
 * the lint warning for forgeable negative rules, internal IP links and
 * look-alike tokens written with dashes. Uses the shipped rule pack with
 * a site configuration written for the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "conf.h"
#include "detect_brand.h"
#include "engine.h"
#include "ip_scope.h"
#include "lint.h"
#include "ruleset.h"
#include "scanctx.h"
#include "testutil.h"

static struct conf *site;

/* the 4.5 case: a brand in the display name, a foreign link, no lure word */
#define CLAIM_LINK \
    "From: \"Assurance Maladie\" <info@rbt-sante.example>\n" \
    "To: paul.martin@acme-industries.fr\n" \
    "Subject: Information\n" \
    "\n" \
    "Bonjour,\nconsultez votre espace : https://rbt-sante.example/espace\n"
/* the same with a security footer pasted at the end */
#define FOOTER \
    "Attention aux faux messages : ne communiquez jamais vos codes. " \
    "L'Assurance Maladie ne vous demandera jamais vos coordonnees " \
    "bancaires.\n"
/* HR confirming an enrolment with the employee's own NIR */
#define HR_NIR_BODY \
    "Subject: Adhesion mutuelle d'entreprise\n" \
    "\n" \
    "Bonjour Paul,\nvotre adhesion est enregistree. Numero de securite " \
    "sociale : 1 85 03 75 112 004 47.\nLe service RH\n"
#define HR_FROM "From: Service RH <rh@acme-industries.fr>\n"
#define HR_AUTH "Authentication-Results: mx.site.example; dkim=pass " \
    "header.d=acme-industries.fr; dmarc=pass header.from=acme-industries.fr\n"

/* conf_site - the shipped rules with the test site's settings, or extra */
static struct conf *
conf_site(const char *rules_path, const char *extra, struct buf *err)
{
	char dir[64], path[256], text[2048];

	test_tmpdir(dir);
	snprintf(text, sizeof(text), "rules = [ \"%s\" ];\n%s", rules_path,
	    extra);
	test_write(dir, "vigie.conf", text, path);
	return conf_load(path, err);
}

/* judge - one raw message to the given recipients (NULL-terminated) */
static void
judge(const char *raw, const char *const *rcpts, struct engine_msg **m,
    struct verdict *v)
{
	*m = engine_msg_new(site);
	assert_non_null(*m);
	for (; rcpts != NULL && *rcpts != NULL; rcpts++)
		assert_int_equal(engine_msg_recipient(*m, *rcpts), 0);
	assert_int_equal(engine_msg_raw(*m, raw, strlen(raw)), 0);
	engine_msg_finish(*m, v);
	assert_false(v->error);
}

/* hit - did the verdict include this rule? */
static int
hit(const struct verdict *v, const char *id)
{
	size_t i;

	for (i = 0; i < v->nhits; i++)
		if (strcmp(v->hits[i].rule->id, id) == 0)
			return 1;
	return 0;
}

/* test_claim_with_link - quarantined with no lure word at all */
static void
test_claim_with_link(void **state)
{
	struct engine_msg *m;
	struct verdict v;

	(void)state;
	judge(CLAIM_LINK, NULL, &m, &v);
	assert_true(hit(&v, "IMPERSONATION"));
	assert_false(hit(&v, "LURES_1"));
	assert_true(v.action >= ACTION_QUARANTINE);
	engine_msg_free(m);
}

/* test_pasted_footer - a copied warning lowers nothing */
static void
test_pasted_footer(void **state)
{
	struct engine_msg *m;
	struct verdict v;
	double plain;

	(void)state;
	judge(CLAIM_LINK, NULL, &m, &v);
	plain = v.score;
	engine_msg_free(m);
	judge(CLAIM_LINK FOOTER, NULL, &m, &v);
	assert_true(hit(&v, "WARNING_WORDS_BODY"));
	assert_false(hit(&v, "AWARENESS_NOTE"));
	assert_true(v.score >= plain);
	assert_true(v.action >= ACTION_QUARANTINE);
	engine_msg_free(m);
}

/*
 * test_self_authenticated - AUTH_SELF needs a trusted pass for the From's
 * own domain; the subject of such a third party's warning about fakes is
 * no claim that quarantines it, the same subject from anyone else is
 */
static void
test_self_authenticated(void **state)
{
	static const char warning[] =
	    "From: Banque Exemple <info@banque-exemple.example>\r\n"
	    "To: client@acme-industries.fr\r\n"
	    "Subject: Attention aux faux e-mails Ameli\r\n"
	    "Authentication-Results: mx.site.example; dmarc=pass header.from=banque-exemple.example\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
	    "Des messages imitent l'Assurance Maladie : \"votre carte Vitale expire, "
	    "cliquez ici\". En savoir plus : https://www.banque-exemple.example/fraudes\r\n";
	char *forged;
	struct engine_msg *m;
	struct verdict v;

	(void)state;
	judge(warning, NULL, &m, &v);
	assert_true(hit(&v, "AUTH_SELF"));
	assert_true(hit(&v, "THIRD_PARTY_WARNING"));
	assert_false(hit(&v, "IMPERSONATION_SUBJECT"));
	assert_true(v.action <= ACTION_TAG);
	engine_msg_free(m);
	/* the same from an untrusted authserv-id: no identity, a claim */
	forged = strdup(warning);
	assert_non_null(forged);
	memcpy(strstr(forged, "mx.site.example"), "mx.evil.example", 15);
	judge(forged, NULL, &m, &v);
	assert_false(hit(&v, "AUTH_SELF"));
	assert_true(hit(&v, "IMPERSONATION_SUBJECT"));
	engine_msg_free(m);
	free(forged);
}

/* test_report_addresses - the security team gets its reports, tagged */
static void
test_report_addresses(void **state)
{
	static const char *const team[] = { "<phishing@acme-industries.fr>",
	    "securite@ACME-industries.fr", NULL };
	static const char *const mixed[] = { "<phishing@acme-industries.fr>",
	    "<paul.martin@acme-industries.fr>", NULL };
	static const char *const lookalike[] = {
	    "<phishing.team@acme-industries.fr>", NULL };
	struct engine_msg *m;
	struct verdict v;

	(void)state;
	judge(CLAIM_LINK, team, &m, &v);
	assert_true(v.to_report_address);
	assert_true(v.scored >= ACTION_QUARANTINE);
	assert_int_equal(v.action, ACTION_TAG);
	engine_msg_free(m);
	/* forwarded by an authenticated colleague: judged for the lure */
	judge(HR_AUTH "From: Paul Martin <paul.martin@acme-industries.fr>\n"
	    "Subject: TR: Information\n\nUn faux ?\n\nDe : \"Assurance Maladie\" "
	    "<info@rbt-sante.example>\nconsultez votre espace : "
	    "https://rbt-sante.example/espace\nL'equipe Assurance Maladie\n",
	    team, &m, &v);
	assert_false(hit(&v, "AUTH_LOCAL"));
	assert_true(hit(&v, "IMPERSONATION"));
	assert_true(v.scored >= ACTION_QUARANTINE);
	assert_int_equal(v.action, ACTION_TAG);
	engine_msg_free(m);
	/* one ordinary recipient among them: judged as usual */
	judge(CLAIM_LINK, mixed, &m, &v);
	assert_false(v.to_report_address);
	assert_true(v.action >= ACTION_QUARANTINE);
	engine_msg_free(m);
	/* "phishing@" names that local part, not one that starts with it */
	judge(CLAIM_LINK, lookalike, &m, &v);
	assert_false(v.to_report_address);
	engine_msg_free(m);
}

/* test_local_domain_nir - HR's own authenticated mail may carry a NIR */
static void
test_local_domain_nir(void **state)
{
	struct engine_msg *m;
	struct verdict v;

	(void)state;
	judge(HR_AUTH HR_FROM HR_NIR_BODY, NULL, &m, &v);
	assert_true(hit(&v, "AUTH_LOCAL"));
	assert_true(hit(&v, "NIR_SEEN_LABELLED"));
	assert_false(hit(&v, "NIR_LABELLED"));
	assert_int_equal(v.action, ACTION_ACCEPT);
	engine_msg_free(m);
	/* the same From, unauthenticated: anyone could have written it */
	judge(HR_FROM HR_NIR_BODY, NULL, &m, &v);
	assert_false(hit(&v, "AUTH_LOCAL"));
	assert_true(hit(&v, "NIR_LABELLED"));
	engine_msg_free(m);
	/* a DMARC pass for another domain proves nothing about this From */
	judge("Authentication-Results: mx.site.example; dmarc=pass "
	    "header.from=evil.example\n" HR_FROM HR_NIR_BODY, NULL, &m, &v);
	assert_false(hit(&v, "AUTH_LOCAL"));
	engine_msg_free(m);
}

/*
 * test_lint_negative - a forgeable negative rule is reported, a safe one
 * not; a score-0 rule named only negated, or first in an at_least, is
 * used by a combination
 */
static void
test_lint_negative(void **state)
{
	static const char rules[] =
	    "rules = (\n"
	    "  { id = \"WORDS\"; target = \"body\"; pattern = \"vigilance\"; score = 0.0; },\n"
	    "  { id = \"NEG_WORDS\"; target = \"body\"; pattern = \"merci\"; score = -2.0; },\n"
	    "  { id = \"ME\"; detector = \"sender_authenticated\"; arg = \"local\"; score = 0.0; },\n"
	    "  { id = \"NEG_SAFE\"; detector = \"all_of\"; arg = \"WORDS,ME\"; score = -2.0; },\n"
	    "  { id = \"NEG_NEGATED\"; detector = \"all_of\"; arg = \"WORDS,!ME\"; score = -2.0; },\n"
	    "  { id = \"NEG_EITHER\"; detector = \"at_least\"; arg = \"1:ME,WORDS\"; score = -1.0; },\n"
	    "  { id = \"SELF\"; detector = \"sender_authenticated\"; arg = \"self\"; score = 0.0; },\n"
	    "  { id = \"NEG_SELF\"; detector = \"all_of\"; arg = \"WORDS,SELF\"; score = -2.0; },\n"
	    "  { id = \"ONLY_NEGATED\"; target = \"body\"; pattern = \"x\"; score = 0.0; },\n"
	    "  { id = \"FIRST\"; target = \"body\"; pattern = \"y\"; score = 0.0; },\n"
	    "  { id = \"USES\"; detector = \"all_of\"; arg = \"WORDS,!ONLY_NEGATED\"; score = 1.0; },\n"
	    "  { id = \"USES2\"; detector = \"at_least\"; arg = \"1:FIRST\"; score = 1.0; }\n"
	    ");\n";
	char dir[64], rpath[256];
	struct buf err, warnings;
	struct conf *c;

	(void)state;
	test_tmpdir(dir);
	test_write(dir, "neg.rules", rules, rpath);
	buf_init(&err);
	buf_init(&warnings);
	c = conf_site(rpath, "", &err);
	if (c == NULL)
		fail_msg("conf: %s", buf_cstr(&err));
	(void)lint_ruleset(&c->rules, c->path, &warnings);
	assert_non_null(strstr(buf_cstr(&warnings), "NEG_WORDS: warning: negative"));
	assert_non_null(strstr(buf_cstr(&warnings), "NEG_NEGATED: warning: negative"));
	assert_non_null(strstr(buf_cstr(&warnings), "NEG_EITHER: warning: negative"));
	/* anyone can authenticate a domain of his own */
	assert_non_null(strstr(buf_cstr(&warnings), "NEG_SELF: warning: negative"));
	assert_null(strstr(buf_cstr(&warnings), "NEG_SAFE:"));
	assert_null(strstr(buf_cstr(&warnings), "ONLY_NEGATED:"));
	assert_null(strstr(buf_cstr(&warnings), "FIRST:"));
	conf_free(c);
	buf_free(&err);
	buf_free(&warnings);
}

/* test_shipped_lint_clean - the shipped pack has no forgeable negative rule */
static void
test_shipped_lint_clean(void **state)
{
	struct buf warnings;

	(void)state;
	buf_init(&warnings);
	(void)lint_ruleset(&site->rules, site->path, &warnings);
	assert_null(strstr(buf_cstr(&warnings), "negative score"));
	buf_free(&warnings);
}

/* test_ip_scope - internal addresses recognised, public ones not */
static void
test_ip_scope(void **state)
{
	static const char *const internal[] = { "127.0.0.1", "10.2.3.4",
	    "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.10.1",
	    "0.0.0.0", "::1", "[::1]", "fd12:3456::1", "fe80::1",
	    "::ffff:192.168.0.1", NULL };
	static const char *const external[] = { "8.8.8.8", "172.32.0.1",
	    "192.169.0.1", "203.0.113.5", "2001:db8::1", "ameli.fr", "",
	    "[::1", NULL };
	const char *const *p;

	(void)state;
	for (p = internal; *p != NULL; p++)
		if (!ip_scope_is_internal(*p))
			fail_msg("%s: not internal", *p);
	for (p = external; *p != NULL; p++)
		if (ip_scope_is_internal(*p))
			fail_msg("%s: internal", *p);
}

/* test_internal_ip_link - a router page is no LINK_IP evidence */
static void
test_internal_ip_link(void **state)
{
	struct engine_msg *m;
	struct verdict v;

	(void)state;
	judge("From: Jean <jean@acme-industries.fr>\nSubject: imprimante\n\n"
	    "La page d'administration : http://192.168.1.20/admin\n", NULL,
	    &m, &v);
	assert_false(hit(&v, "LINK_IP"));
	engine_msg_free(m);
	judge("From: Jean <jean@acme-industries.fr>\nSubject: imprimante\n\n"
	    "La page : http://203.0.113.9/admin\n", NULL, &m, &v);
	assert_true(hit(&v, "LINK_IP"));
	engine_msg_free(m);
}

/* test_link_text - file names are no domains, "ameli.fr-xyz" shows ameli.fr */
static void
test_link_text(void **state)
{
	struct engine_msg *m;
	struct verdict v;

	(void)state;
	judge("From: Jean <jean@acme-industries.fr>\nSubject: CR\n"
	    "Content-Type: text/html\n\n<a href=\"https://partage.acme-industries.fr/d/1\">"
	    "Document.pdf</a> <a href=\"https://git.acme-industries.fr/c\">core.yaml</a>\n",
	    NULL, &m, &v);
	assert_false(hit(&v, "LINK_TEXT_MISMATCH"));
	engine_msg_free(m);
	judge("From: Jean <jean@acme-industries.fr>\nSubject: CR\n"
	    "Content-Type: text/html\n\n<a href=\"https://rbt.example/x\">"
	    "ameli.fr-remboursement</a>\n", NULL, &m, &v);
	assert_true(hit(&v, "LINK_TEXT_MISMATCH"));
	engine_msg_free(m);
}

/* test_dashed_tokens - brand tokens written with dashes or dots */
static void
test_dashed_tokens(void **state)
{
	static const struct {
		const char *host;
		int	 lookalike;
	} hosts[] = {
		{ "assurance-maladie-remboursement.com", 1 },
		{ "assurance.maladie.dossier.example", 1 },
		{ "mon-espace-sante.info", 1 },
		{ "secure.carte-vitale-2026.com", 1 },
		{ "assurance-vie-conseil.fr", 0 },
		{ "monespace.example", 0 },
		{ "xassurance-maladie.example", 0 },	/* not at a word start */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		int got = detect_lookalike_host(&site->rules, hosts[i].host,
		    hosts[i].host);

		if (got != hosts[i].lookalike)
			fail_msg("%s: got %d, want %d", hosts[i].host, got,
			    hosts[i].lookalike);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claim_with_link),
		cmocka_unit_test(test_pasted_footer),
		cmocka_unit_test(test_self_authenticated),
		cmocka_unit_test(test_report_addresses),
		cmocka_unit_test(test_local_domain_nir),
		cmocka_unit_test(test_lint_negative),
		cmocka_unit_test(test_shipped_lint_clean),
		cmocka_unit_test(test_ip_scope),
		cmocka_unit_test(test_internal_ip_link),
		cmocka_unit_test(test_link_text),
		cmocka_unit_test(test_dashed_tokens),
	};
	struct buf err;
	int rc;

	if (engine_init() < 0)
		return 1;
	buf_init(&err);
	site = conf_site(SRCDIR "/config/rules/fr-health.rules",
	    "trusted_authserv_ids = [ \"mx.site.example\" ];\n"
	    "local_domains = [ \"acme-industries.fr\" ];\n"
	    "partner_domains = [ \"cybermalveillance.gouv.fr\" ];\n"
	    "report_addresses = [ \"phishing@\", \"securite@acme-industries.fr\" ];\n",
	    &err);
	if (site == NULL) {
		fprintf(stderr, "%s", buf_cstr(&err));
		return 1;
	}
	buf_free(&err);
	test_filter_from_env();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	conf_free(site);
	return rc;
}
