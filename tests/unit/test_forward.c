/*
 * test_forward.c - a report to the security team is judged for what it
 * forwards (forward.c): inline forwards as Outlook, Gmail, Thunderbird
 * and Apple Mail quote them, in French and English; an attached message,
 * whose own Authentication-Results are never trusted; a report that
 * forwards nothing; and mail to an ordinary mailbox, never searched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "conf.h"
#include "engine.h"
#include "testutil.h"

static struct conf *site;

#define REPORT_HEAD \
    "From: Paul Martin <paul.martin@acme-industries.fr>\n" \
    "To: securite@acme-industries.fr\n" \
    "Subject: TR: Votre carte Vitale\n"
#define LURE_BODY \
    "Votre carte Vitale arrive a expiration. Commandez la nouvelle carte " \
    "pour 1,99 EUR de frais d'envoi : https://vitale-renouvellement.example/c\n" \
    "L'equipe Assurance Maladie\n"

/* judge - RAW sent to RCPT; the verdict's forwarded words, or "" */
static void
judge(const char *raw, const char *rcpt, char *fwd, size_t cap)
{
	struct engine_msg *m = engine_msg_new(site);
	struct verdict v;

	assert_non_null(m);
	assert_int_equal(engine_msg_recipient(m, rcpt), 0);
	assert_int_equal(engine_msg_raw(m, raw, strlen(raw)), 0);
	engine_msg_finish(m, &v);
	assert_false(v.error);
	assert_true(v.action <= ACTION_TAG || strcmp(rcpt,
	    "securite@acme-industries.fr") != 0);
	snprintf(fwd, cap, "%s", v.forwarded != NULL ? v.forwarded : "");
	engine_msg_free(m);
}

/* held - the forwarded words say the lure would be stopped */
static void
assert_lure_stopped(const char *fwd)
{
	if (strncmp(fwd, "quarantine ", 11) != 0 &&
	    strncmp(fwd, "reject ", 7) != 0)
		fail_msg("forwarded: \"%s\"", fwd);
	assert_non_null(strstr(fwd, "IMPERSONATION"));
}

/* test_inline_clients - every client's quoted header block is found */
static void
test_inline_clients(void **state)
{
	static const char *const blocks[] = {
		/* Outlook, French */
		"________________________________\n"
		"De : Assurance Maladie <noreply@vitale-renouvellement.example>\n"
		"Envoy\xc3\xa9 : mardi 3 f\xc3\xa9vrier 2026 09:12\n"
		"\xc3\x80 : Paul Martin <paul.martin@acme-industries.fr>\n"
		"Objet : Votre nouvelle carte Vitale\n\n",
		/* Gmail, English */
		"---------- Forwarded message ---------\n"
		"From: Assurance Maladie <noreply@vitale-renouvellement.example>\n"
		"Date: Tue, Feb 3, 2026 at 9:12 AM\n"
		"Subject: Votre nouvelle carte Vitale\n"
		"To: <paul.martin@acme-industries.fr>\n\n",
		/* Thunderbird, French */
		"-------- Message transf\xc3\xa9r\xc3\xa9 --------\n"
		"Sujet :\tVotre nouvelle carte Vitale\n"
		"Date :\tTue, 3 Feb 2026 09:12:00 +0100\n"
		"De :\tAssurance Maladie <noreply@vitale-renouvellement.example>\n"
		"Pour :\tpaul.martin@acme-industries.fr\n\n",
		/* Apple Mail, French, non-breaking spaces before the colons */
		"D\xc3\xa9" "but du message r\xc3\xa9" "exp\xc3\xa9" "di\xc3\xa9 :\n\n"
		"De\xc2\xa0: Assurance Maladie <noreply@vitale-renouvellement.example>\n"
		"Objet\xc2\xa0: Votre nouvelle carte Vitale\n"
		"Date\xc2\xa0: 3 f\xc3\xa9vrier 2026 \xc3\xa0 09:12:00 UTC+1\n\n",
	};
	char raw[4096], fwd[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		snprintf(raw, sizeof(raw), "%s\nBonjour, est-ce un vrai "
		    "message ?\nPaul\n\n%s%s", REPORT_HEAD, blocks[i],
		    LURE_BODY);
		judge(raw, "securite@acme-industries.fr", fwd, sizeof(fwd));
		assert_lure_stopped(fwd);
	}
}

/*
 * test_attached_untrusted - an attached message is judged as it is, but
 * an Authentication-Results it carries under the site's own trusted id
 * is the report's content, not a result: no BRAND_AUTHENTICATED
 */
static void
test_attached_untrusted(void **state)
{
	static const char raw[] =
	    REPORT_HEAD
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
	    "--b\nContent-Type: text/plain; charset=utf-8\n\nVoir la piece jointe.\n"
	    "--b\nContent-Type: message/rfc822\n"
	    "Content-Disposition: attachment; filename=\"lure.eml\"\n\n"
	    "Authentication-Results: mx.site.example; dmarc=pass header.from=ameli.fr\n"
	    "From: Assurance Maladie <noreply@ameli.fr>\n"
	    "Subject: Votre nouvelle carte Vitale\n\n"
	    LURE_BODY
	    "--b--\n";
	char fwd[1024];

	(void)state;
	judge(raw, "securite@acme-industries.fr", fwd, sizeof(fwd));
	assert_true(strncmp(fwd, "accept ", 7) != 0);
	assert_null(strstr(fwd, "BRAND_AUTHENTICATED"));
}

/* test_nothing_forwarded - a plain note to the team: no forwarded verdict */
static void
test_nothing_forwarded(void **state)
{
	char fwd[64];

	(void)state;
	judge(REPORT_HEAD "\nBonjour, je pense avoir clique sur un lien hier.\n",
	    "securite@acme-industries.fr", fwd, sizeof(fwd));
	assert_string_equal(fwd, "");
}

/* test_ordinary_mailbox - only reports are searched for a forward */
static void
test_ordinary_mailbox(void **state)
{
	char raw[2048], fwd[64];

	(void)state;
	snprintf(raw, sizeof(raw), "%s\nFrom: Assurance Maladie <x@vitale-"
	    "renouvellement.example>\nSubject: Votre carte\n\n%s", REPORT_HEAD,
	    LURE_BODY);
	judge(raw, "jeanne.roux@acme-industries.fr", fwd, sizeof(fwd));
	assert_string_equal(fwd, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inline_clients),
		cmocka_unit_test(test_attached_untrusted),
		cmocka_unit_test(test_nothing_forwarded),
		cmocka_unit_test(test_ordinary_mailbox),
	};
	char dir[64], path[256], text[1024];
	struct buf err;
	int rc;

	if (engine_init() < 0)
		return 1;
	test_tmpdir(dir);
	snprintf(text, sizeof(text),
	    "rules = [ \"%s/config/rules/fr-health.rules\" ];\n"
	    "trusted_authserv_ids = [ \"mx.site.example\" ];\n"
	    "local_domains = [ \"acme-industries.fr\" ];\n"
	    "report_addresses = [ \"securite@acme-industries.fr\" ];\n", SRCDIR);
	test_write(dir, "vigie.conf", text, path);
	buf_init(&err);
	if ((site = conf_load(path, &err)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&err));
		return 1;
	}
	buf_free(&err);
	test_filter_from_env();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	conf_free(site);
	return rc;
}
