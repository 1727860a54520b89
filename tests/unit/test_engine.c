/*
 * test_engine.c - engine.c: the same message gets the same verdict
 * whether it arrives as milter header fields and body chunks of any size
 * or as raw bytes; limits are recorded; allow-lists, monitor mode and
 * thresholds decide as documented.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "conf.h"
#include "engine.h"
#include "scanctx.h"
#include "testutil.h"

static const char rules_text[] =
    "rules = (\n"
    "  { id = \"SUBJ\"; target = \"subject\"; pattern = \"carte vitale\"; score = 3.0; },\n"
    "  { id = \"BODY\"; target = \"body\"; pattern = \"frais d'envoi\"; score = 2.0; },\n"
    "  { id = \"HOST\"; target = \"url_host\"; pattern = \"^pay\\\\.\"; score = 4.0; },\n"
    "  { id = \"MON\"; target = \"body\"; pattern = \"bonjour\"; score = 50.0; monitor = true; },\n"
    "  { id = \"BIG\"; detector = \"anomaly\"; arg = \"limit_scan_bytes\"; score = 1.0; }\n"
    ");\n";

/* a message whose body is base64 so that chunk cuts land inside quads */
static const char headers[][2][80] = {
	{ "From", "Service <svc@sender.example>" },
	{ "To", "someone@rcpt.example" },
	{ "Subject", "=?utf-8?Q?Votre_carte_Vitale?=" },
	{ "MIME-Version", "1.0" },
	{ "Content-Type", "text/plain; charset=utf-8" },
	{ "Content-Transfer-Encoding", "base64" },
};
/* "Bonjour, réglez les frais d'envoi sur https://pay.example/x\n" */
static const char body[] =
    "Qm9uam91ciwgcsOpZ2xleiBsZXMgZnJhaXMgZCdlbnZvaSBzdXIgaHR0cHM6Ly9wYXku\r\n"
    "ZXhhbXBsZS94Cg==\r\n";

static struct conf *test_conf;

/* conf_with - load rules_text with extra vigie.conf lines */
static struct conf *
conf_with(const char *extra)
{
	char dir[64], path[256], conf_text[1024];
	struct buf err;
	struct conf *c;

	test_tmpdir(dir);
	test_write(dir, "t.rules", rules_text, path);
	snprintf(conf_text, sizeof(conf_text), "rules = [ \"t.rules\" ];\n%s",
	    extra);
	test_write(dir, "vigie.conf", conf_text, path);
	buf_init(&err);
	if ((c = conf_load(path, &err)) == NULL)
		fail_msg("conf: %s", buf_cstr(&err));
	buf_free(&err);
	return c;
}

/* verdict_string - "action score ids" for comparisons */
static void
verdict_string(const struct verdict *v, char *out, size_t len)
{
	size_t i, n;

	n = (size_t)snprintf(out, len, "%d %.1f", v->action, v->score);
	for (i = 0; i < v->nhits && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, " %s",
		    v->hits[i].rule->id);
}

/* judge_milter - feed as a milter does, body cut in chunks of size chunk */
static void
judge_milter(const struct conf *c, size_t chunk, char *out, size_t len)
{
	struct engine_msg *m = engine_msg_new(c);
	struct verdict v;
	size_t i, off;

	assert_non_null(m);
	assert_int_equal(engine_msg_sender(m, "<svc@sender.example>"), 0);
	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		assert_int_equal(engine_msg_header(m, headers[i][0],
		    headers[i][1]), 0);
	for (off = 0; off < sizeof(body) - 1; off += chunk) {
		size_t n = sizeof(body) - 1 - off < chunk ?
		    sizeof(body) - 1 - off : chunk;

		assert_int_equal(engine_msg_body(m, body + off, n), 0);
	}
	engine_msg_finish(m, &v);
	assert_false(v.error);
	verdict_string(&v, out, len);
	engine_msg_free(m);
}

/* judge_raw - feed the same message as a file, in chunks */
static void
judge_raw(const struct conf *c, size_t chunk, char *out, size_t len)
{
	struct engine_msg *m = engine_msg_new(c);
	struct verdict v;
	struct buf raw;
	size_t i, off;

	buf_init(&raw);
	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		assert_int_equal(buf_printf(&raw, "%s: %s\r\n", headers[i][0],
		    headers[i][1]), 0);
	assert_int_equal(buf_printf(&raw, "\r\n%s", body), 0);
	assert_int_equal(engine_msg_sender(m, "svc@sender.example"), 0);
	for (off = 0; off < raw.len; off += chunk)
		assert_int_equal(engine_msg_raw(m, raw.data + off,
		    raw.len - off < chunk ? raw.len - off : chunk), 0);
	engine_msg_finish(m, &v);
	verdict_string(&v, out, len);
	engine_msg_free(m);
	buf_free(&raw);
}

/* test_same_verdict - every way of feeding gives one verdict */
static void
test_same_verdict(void **state)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 64, 65535 };
	char want[256], got[256];
	size_t i;

	(void)state;
	judge_milter(test_conf, 65535, want, sizeof(want));
	assert_string_equal(want, "2 9.0 SUBJ BODY HOST MON");	/* quarantine */
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		judge_milter(test_conf, chunks[i], got, sizeof(got));
		if (strcmp(got, want) != 0)
			fail_msg("milter chunk %zu: \"%s\" != \"%s\"", chunks[i],
			    got, want);
		judge_raw(test_conf, chunks[i], got, sizeof(got));
		if (strcmp(got, want) != 0)
			fail_msg("raw chunk %zu: \"%s\" != \"%s\"", chunks[i],
			    got, want);
	}
}

/* test_thresholds_and_monitor - monitor caps the action, keeps the score */
static void
test_thresholds_and_monitor(void **state)
{
	struct conf *c = conf_with("mode = \"monitor\";\n");
	char got[256];

	(void)state;
	judge_milter(c, 100, got, sizeof(got));
	assert_string_equal(got, "1 9.0 SUBJ BODY HOST MON");	/* tag */
	conf_free(c);
	c = conf_with("thresholds = { tag = 1; quarantine = 2; reject = 9; };\n");
	judge_milter(c, 100, got, sizeof(got));
	assert_string_equal(got, "3 9.0 SUBJ BODY HOST MON");	/* reject */
	conf_free(c);
}

/* test_allow - allow-listed senders, clients and recipients are not scanned */
static void
test_allow(void **state)
{
	struct conf *c = conf_with("allow = { sender_domains = [ \"sender.example\" ];"
	    " client_ips = [ \"10.1.0.0/16\" ]; recipients = [ \"abuse@rcpt.example\" ]; };\n");
	struct engine_msg *m;
	struct verdict v;

	(void)state;
	m = engine_msg_new(c);
	engine_msg_sender(m, "x@sender.example");
	engine_msg_raw(m, "Subject: carte vitale\n\nx", 25);
	engine_msg_finish(m, &v);
	assert_string_equal(v.allowed_by, "sender_domain");
	assert_int_equal(v.action, ACTION_ACCEPT);
	engine_msg_free(m);

	m = engine_msg_new(c);
	engine_msg_client(m, "10.1.2.3");
	engine_msg_finish(m, &v);
	assert_string_equal(v.allowed_by, "client_ip");
	engine_msg_free(m);

	/* every recipient must be allow-listed */
	m = engine_msg_new(c);
	engine_msg_recipient(m, "<abuse@rcpt.example>");
	engine_msg_recipient(m, "<ceo@rcpt.example>");
	engine_msg_raw(m, "Subject: carte vitale\n\nx", 25);
	engine_msg_finish(m, &v);
	assert_null(v.allowed_by);
	assert_int_equal(v.nhits, 1);
	engine_msg_free(m);
	conf_free(c);
}

/* test_limits - a message past max_scan_bytes is cut, recorded, judged */
static void
test_limits(void **state)
{
	struct conf *c = conf_with("limits = { max_scan_bytes = 4096; max_header_bytes = 1024; };\n");
	struct engine_msg *m = engine_msg_new(c);
	struct verdict v;
	char line[100];
	int i;

	(void)state;
	engine_msg_header(m, "Subject", "carte vitale");
	for (i = 0; i < 100; i++)	/* headers past 1 KiB are dropped */
		engine_msg_header(m, "X-Filler", "0123456789012345678901234567890123456789");
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (i = 0; i < 1000; i++)
		engine_msg_body(m, line, sizeof(line));
	engine_msg_finish(m, &v);
	assert_false(v.error);
	assert_true(v.anomalies & MV_ANOM_LIMIT_SCAN_BYTES);
	assert_true(v.anomalies & MV_ANOM_LIMIT_HEADER_BYTES);
	assert_int_equal(v.nhits, 2);	/* SUBJ and BIG */
	engine_msg_free(m);
	conf_free(c);
}

/* test_finish_twice - a second finish is an error, not a crash */
static void
test_finish_twice(void **state)
{
	struct engine_msg *m = engine_msg_new(test_conf);
	struct verdict v;

	(void)state;
	engine_msg_finish(m, &v);
	assert_false(v.error);
	engine_msg_finish(m, &v);
	assert_true(v.error);
	engine_msg_free(m);
}

/* conf_setup - cmocka group setup: the engine and the test rules, read-only */
static int
conf_setup(void **state)
{
	(void)state;
	if (engine_init() < 0)
		return -1;
	test_conf = conf_with("");
	return 0;
}

/* conf_teardown - cmocka group teardown */
static int
conf_teardown(void **state)
{
	(void)state;
	conf_free(test_conf);
	test_conf = NULL;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_verdict),
		cmocka_unit_test(test_thresholds_and_monitor),
		cmocka_unit_test(test_allow),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_finish_twice),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, conf_setup, conf_teardown);
}
