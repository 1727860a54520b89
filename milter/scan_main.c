/*
 * scan_main.c - vigie-scan: judge message files with the same engine as
 * the milter and print one line (or JSON object) per message.
 *
 * usage: vigie-scan [-c FILE] [--json] [--explain] [--dump] [--sender ADDR]
 *                   [--trusted-authserv-id ID]... PATH...
 *
 * --dump prints, instead of the verdict, what the engine decoded: the
 * message as its recipient would see it (one JSON object per message),
 * for analysts and for the differential test against Python's parser.
 *
 * Exit status: 0 when every message was scanned (whatever the verdicts),
 * 1 when an input could not be read, 2 on a usage or configuration error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf.h"
#include "detector.h"
#include "engine.h"
#include "msgview.h"
#include "log.h"
#include "redact.h"
#include "report.h"
#include "rules.h"
#include "scan_input.h"
#include "scanctx.h"
#include "verdict.h"

#define DEFAULT_CONF	"/etc/vigie/vigie.conf"

struct scan_state {
	const struct conf *conf;
	const char *sender;		/* --sender: envelope sender to assume */
	int	 json;
	int	 explain;
	int	 dump;
	struct engine_msg *msg;
	struct buf label;
	int	 failed;
};

/* usage - synopsis, then exit 2 */
static void
usage(void)
{
	fprintf(stderr, "usage: vigie-scan [-c FILE] [--json] [--explain] "
	    "[--dump] [--sender ADDR] [--trusted-authserv-id ID]... PATH...\n");
	exit(2);
}

/* json_string - a JSON string literal of s */
static void
json_string(struct buf *b, const char *s)
{
	(void)buf_append_char(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			(void)buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			(void)buf_printf(b, "\\u%04x", c);
		else
			(void)buf_append_char(b, (char)c);
	}
	(void)buf_append_char(b, '"');
}

/* print_json - one JSON object per message */
static void
print_json(const struct scan_state *st, const struct verdict *v)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	(void)buf_append_str(&b, "{\"path\":");
	json_string(&b, buf_cstr(&st->label));
	(void)buf_printf(&b, ",\"action\":\"%s\",\"score\":%.1f",
	    action_name(v->action), v->score);
	if (v->monitor)
		(void)buf_printf(&b, ",\"monitor\":\"%s\"",
		    action_name(v->scored));
	if (v->allowed_by != NULL)
		(void)buf_printf(&b, ",\"allowed\":\"%s\"", v->allowed_by);
	if (v->error)
		(void)buf_append_str(&b, ",\"error\":true");
	(void)buf_append_str(&b, ",\"rules\":[");
	for (i = 0; i < v->nhits; i++) {
		const struct hit *h = &v->hits[i];

		(void)buf_printf(&b, "%s{\"id\":\"%s\",\"score\":%.1f",
		    i ? "," : "", h->rule->id, h->score);
		if (h->rule->monitor)
			(void)buf_append_str(&b, ",\"monitor\":true");
		if (st->explain) {
			(void)buf_printf(&b, ",\"target\":\"%s\",\"excerpt\":",
			    h->rule->detector ? h->rule->detector->name :
			    rules_target_name(h->rule->target));
			json_string(&b, h->excerpt);
		}
		(void)buf_append_char(&b, '}');
	}
	(void)buf_append_str(&b, "],\"anomalies\":[");
	for (i = 0; i < MV_ANOM_COUNT; i++)
		if (v->anomalies & (1u << i))
			(void)buf_printf(&b, "%s\"%s\"",
			    b.data[b.len - 1] == '[' ? "" : ",",
			    mv_anomaly_name(1u << i));
	(void)buf_append_str(&b, "]}\n");
	fputs(buf_cstr(&b), stdout);
	buf_free(&b);
}

/* json_addresses - a JSON array of {"name", "address"} */
static void
json_addresses(struct buf *b, const struct mv_address *a, size_t n)
{
	size_t i;

	(void)buf_append_char(b, '[');
	for (i = 0; i < n; i++) {
		(void)buf_append_str(b, i ? ",{\"name\":" : "{\"name\":");
		json_string(b, a[i].display);
		(void)buf_append_str(b, ",\"address\":");
		json_string(b, a[i].addr);
		(void)buf_append_char(b, '}');
	}
	(void)buf_append_char(b, ']');
}

/* print_dump - the decoded message as one JSON object */
static void
print_dump(const struct scan_state *st, const struct msgview *mv)
{
	static const char *const sources[] = { "text", "href", "form", "img" };
	struct buf b;
	size_t i;

	buf_init(&b);
	(void)buf_append_str(&b, "{\"path\":");
	json_string(&b, buf_cstr(&st->label));
	(void)buf_append_str(&b, ",\"subject\":");
	json_string(&b, mv->subject);
	(void)buf_append_str(&b, ",\"from\":");
	json_addresses(&b, mv->from, mv->nfrom);
	(void)buf_append_str(&b, ",\"reply_to\":");
	json_addresses(&b, mv->reply_to, mv->nreply_to);
	(void)buf_append_str(&b, ",\"text\":");
	json_string(&b, buf_cstr(&mv->text));
	(void)buf_append_str(&b, ",\"urls\":[");
	for (i = 0; i < mv->nurls; i++) {
		const struct mv_url *u = &mv->urls[i];

		(void)buf_printf(&b, "%s{\"source\":\"%s\",\"url\":",
		    i ? "," : "", sources[u->source]);
		json_string(&b, u->url);
		(void)buf_append_str(&b, ",\"host\":");
		json_string(&b, u->host);
		(void)buf_append_str(&b, ",\"domain\":");
		json_string(&b, u->domain);
		if (u->text != NULL) {
			(void)buf_append_str(&b, ",\"text\":");
			json_string(&b, u->text);
		}
		(void)buf_append_char(&b, '}');
	}
	(void)buf_append_str(&b, "],\"attachments\":[");
	for (i = 0; i < mv->nattachments; i++) {
		(void)buf_append_str(&b, i ? ",{\"name\":" : "{\"name\":");
		json_string(&b, mv->attachments[i].name);
		(void)buf_append_str(&b, ",\"type\":");
		json_string(&b, mv->attachments[i].declared_type);
		(void)buf_append_str(&b, ",\"sniffed\":");
		json_string(&b, mv->attachments[i].sniffed_type);
		(void)buf_append_char(&b, '}');
	}
	(void)buf_append_str(&b, "],\"anomalies\":[");
	for (i = 0; i < MV_ANOM_COUNT; i++)
		if (mv->anomalies & (1u << i))
			(void)buf_printf(&b, "%s\"%s\"",
			    b.data[b.len - 1] == '[' ? "" : ",",
			    mv_anomaly_name(1u << i));
	(void)buf_append_str(&b, "]}\n");
	fputs(buf_cstr(&b), stdout);
	buf_free(&b);
}

/* print_text - "path action score rules", then the explanation lines */
static void
print_text(const struct scan_state *st, const struct verdict *v)
{
	struct buf rules;
	size_t i;

	buf_init(&rules);
	(void)report_rule_ids(v, &rules);
	printf("%s %s %.1f %s\n", buf_cstr(&st->label), action_name(v->action),
	    v->score, buf_cstr(&rules));
	buf_free(&rules);
	if (!st->explain)
		return;
	for (i = 0; i < v->nhits; i++) {
		const struct hit *h = &v->hits[i];

		printf("  %-28s %6.1f%s  %-16s \"%s\"\n", h->rule->id,
		    h->score, h->rule->monitor ? " (monitor)" : "",
		    h->rule->detector ? h->rule->detector->name :
		    rules_target_name(h->rule->target), h->excerpt);
	}
}

/* sink_begin - a message starts */
static int
sink_begin(void *arg, const char *label)
{
	struct scan_state *st = arg;
	struct buf safe;

	buf_reset(&st->label);
	buf_init(&safe);
	/* a file name is attacker-chosen too: no control characters */
	(void)redact_text(label, strlen(label), &safe);
	(void)buf_append_str(&st->label, buf_cstr(&safe));
	buf_free(&safe);
	if ((st->msg = engine_msg_new(st->conf)) == NULL ||
	    (st->sender != NULL && engine_msg_sender(st->msg,
	    st->sender) < 0)) {
		fprintf(stderr, "vigie-scan: out of memory\n");
		engine_msg_free(st->msg);
		st->msg = NULL;
		st->failed = 1;
		return -1;
	}
	return 0;
}

/* sink_data - more of the message */
static int
sink_data(void *arg, const void *p, size_t n)
{
	struct scan_state *st = arg;

	return engine_msg_raw(st->msg, p, n);
}

/* sink_end - judge and print */
static void
sink_end(void *arg)
{
	struct scan_state *st = arg;
	struct verdict v;

	engine_msg_finish(st->msg, &v);
	if (v.error)
		st->failed = 1;
	if (st->dump)
		print_dump(st, engine_msg_view(st->msg));
	else if (st->json)
		print_json(st, &v);
	else
		print_text(st, &v);
	engine_msg_free(st->msg);
	st->msg = NULL;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "explain", no_argument, NULL, 'e' },
		{ "dump", no_argument, NULL, 'd' },
		{ "sender", required_argument, NULL, 's' },
		{ "trusted-authserv-id", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scan_state st;
	struct scan_sink sink = { sink_begin, sink_data, sink_end, &st };
	struct strlist trusted = { 0 };
	const char *conf_path = DEFAULT_CONF;
	struct buf errors;
	struct conf *conf;
	size_t i;
	int ch, rc = 0;

	memset(&st, 0, sizeof(st));
	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			break;
		case 'j':
			st.json = 1;
			break;
		case 'e':
			st.explain = 1;
			break;
		case 'd':
			st.dump = 1;
			break;
		case 's':
			st.sender = optarg;
			break;
		case 't':
			if (strlist_push(&trusted, optarg) < 0)
				return 2;
			break;
		default:
			usage();
		}
	}
	if (optind == argc)
		usage();
	log_open("vigie-scan", 1);
	if (engine_init() < 0) {
		fprintf(stderr, "vigie-scan: cannot initialise the libraries\n");
		return 2;
	}
	buf_init(&errors);
	if ((conf = conf_load(conf_path, &errors)) == NULL) {
		fputs(buf_cstr(&errors), stderr);
		buf_free(&errors);
		return 2;
	}
	buf_free(&errors);
	for (i = 0; i < trusted.n; i++)
		if (strlist_push(&conf->trusted_authserv_ids, trusted.v[i]) < 0)
			return 2;
	strlist_free(&trusted);
	st.conf = conf;
	buf_init(&st.label);
	for (i = (size_t)optind; i < (size_t)argc; i++)
		if (scan_input_path(argv[i], &sink) < 0)
			rc = 1;
	if (st.failed)
		rc = 1;
	buf_free(&st.label);
	conf_free(conf);
	return rc;
}
