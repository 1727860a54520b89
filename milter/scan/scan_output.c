/*
 * scan_output.c - vigie-scan's text, JSON and dump formats (scan_output.h).
 *
 * Message text reaches the output only as redacted excerpts (scanctx.c)
 * or, with --dump, as the decoded message an analyst asked to see.
 */
#include "scan_output.h"

#include <stdio.h>

#include "buf.h"
#include "detector.h"
#include "msgview.h"
#include "report.h"
#include "rule_match.h"
#include "ruleset.h"
#include "scanctx.h"
#include "verdict.h"

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

/* format_json - one JSON object per message */
static void
format_json(struct buf *out, int explain, const char *label,
    const struct verdict *v)
{
	struct buf *b = out;
	size_t i;

	(void)buf_append_str(b, "{\"path\":");
	json_string(b, label);
	(void)buf_printf(b, ",\"action\":\"%s\",\"score\":%.1f",
	    action_name(v->action), v->score);
	if (v->monitor)
		(void)buf_printf(b, ",\"monitor\":\"%s\"",
		    action_name(v->scored));
	if (v->allowed_by != NULL)
		(void)buf_printf(b, ",\"allowed\":\"%s\"", v->allowed_by);
	if (v->error)
		(void)buf_append_str(b, ",\"error\":true");
	if (v->auth != NULL && *v->auth != '\0') {
		(void)buf_append_str(b, ",\"auth\":");
		json_string(b, v->auth);
	}
	if (v->forwarded != NULL) {
		(void)buf_append_str(b, ",\"forwarded\":");
		json_string(b, v->forwarded);
	}
	(void)buf_append_str(b, ",\"rules\":[");
	for (i = 0; i < v->nhits; i++) {
		const struct hit *h = &v->hits[i];

		(void)buf_printf(b, "%s{\"id\":\"%s\",\"score\":%.1f",
		    i ? "," : "", h->rule->id, h->score);
		if (h->rule->monitor)
			(void)buf_append_str(b, ",\"monitor\":true");
		if (explain) {
			(void)buf_printf(b, ",\"target\":\"%s\",\"excerpt\":",
			    h->rule->detector ? h->rule->detector->name :
			    rule_target_name(h->rule->target));
			json_string(b, h->excerpt);
		}
		(void)buf_append_char(b, '}');
	}
	(void)buf_append_str(b, "],\"anomalies\":[");
	for (i = 0; i < MV_ANOM_COUNT; i++)
		if (v->anomalies & (1u << i))
			(void)buf_printf(b, "%s\"%s\"",
			    b->data[b->len - 1] == '[' ? "" : ",",
			    mv_anomaly_name(1u << i));
	(void)buf_append_str(b, "]}\n");
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

/* format_dump - the decoded message as one JSON object */
static void
format_dump(struct buf *out, const char *label, const struct msgview *mv)
{
	static const char *const sources[] = { "text", "href", "form", "img",
	    "qr" };
	struct buf *b = out;
	size_t i;

	(void)buf_append_str(b, "{\"path\":");
	json_string(b, label);
	(void)buf_append_str(b, ",\"subject\":");
	json_string(b, mv->subject);
	(void)buf_append_str(b, ",\"from\":");
	json_addresses(b, mv->from, mv->nfrom);
	(void)buf_append_str(b, ",\"reply_to\":");
	json_addresses(b, mv->reply_to, mv->nreply_to);
	(void)buf_append_str(b, ",\"text\":");
	json_string(b, buf_cstr(&mv->text));
	(void)buf_append_str(b, ",\"urls\":[");
	for (i = 0; i < mv->nurls; i++) {
		const struct mv_url *u = &mv->urls[i];

		(void)buf_printf(b, "%s{\"source\":\"%s\",\"url\":",
		    i ? "," : "", sources[u->source]);
		json_string(b, u->url);
		(void)buf_append_str(b, ",\"host\":");
		json_string(b, u->host);
		(void)buf_append_str(b, ",\"domain\":");
		json_string(b, u->domain);
		if (u->flags & (MV_URL_WRAPPER | MV_URL_UNWRAPPED))
			(void)buf_append_str(b, u->flags & MV_URL_WRAPPER ?
			    ",\"wrapper\":true" : ",\"unwrapped\":true");
		if (u->text != NULL) {
			(void)buf_append_str(b, ",\"text\":");
			json_string(b, u->text);
		}
		if (u->origin != NULL) {
			(void)buf_append_str(b, ",\"origin\":");
			json_string(b, u->origin);
		}
		(void)buf_append_char(b, '}');
	}
	(void)buf_append_str(b, "],\"attachments\":[");
	for (i = 0; i < mv->nattachments; i++) {
		(void)buf_append_str(b, i ? ",{\"name\":" : "{\"name\":");
		json_string(b, mv->attachments[i].name);
		(void)buf_append_str(b, ",\"type\":");
		json_string(b, mv->attachments[i].declared_type);
		(void)buf_append_str(b, ",\"sniffed\":");
		json_string(b, mv->attachments[i].sniffed_type);
		if (mv->attachments[i].origin != NULL) {
			(void)buf_append_str(b, ",\"origin\":");
			json_string(b, mv->attachments[i].origin);
		}
		(void)buf_append_char(b, '}');
	}
	/* where text from attachments starts (byte offsets in "text") */
	(void)buf_append_str(b, "],\"text_origins\":[");
	for (i = 0; i < mv->ntext_origins; i++) {
		(void)buf_printf(b, "%s{\"at\":%zu,\"origin\":", i ? "," : "",
		    mv->text_origins[i].offset);
		json_string(b, mv->text_origins[i].origin != NULL ?
		    mv->text_origins[i].origin : "body");
		(void)buf_append_char(b, '}');
	}
	(void)buf_append_str(b, "],\"anomalies\":[");
	for (i = 0; i < MV_ANOM_COUNT; i++)
		if (mv->anomalies & (1u << i))
			(void)buf_printf(b, "%s\"%s\"",
			    b->data[b->len - 1] == '[' ? "" : ",",
			    mv_anomaly_name(1u << i));
	(void)buf_append_str(b, "]}\n");
}

/*
 * combined - the rules a combination's hit stands on, comma-separated
 * (not itself, which a prefix of its own may name)
 */
static void
combined(struct buf *out, const struct verdict *v, const struct rule *self,
    const struct rule *rules)
{
	const struct combo *c = self->combo;
	size_t i, j, k;
	int any = 0;

	for (i = 0; i < c->nitems; i++)
		for (j = 0; j < c->items[i].nrules; j++)
			for (k = 0; k < v->nhits; k++)
				if (v->hits[k].rule ==
				    &rules[c->items[i].rules[j]] &&
				    v->hits[k].rule != self)
					(void)buf_printf(out, "%s%s",
					    any++ ? "," : "",
					    v->hits[k].rule->id);
	if (!any)
		(void)buf_append_str(out, "-");
}

/*
 * format_text - "path action score rules" (and, in monitor mode, what
 * would have been done), then with explain the authentication results,
 * for a report what it forwards, judged, and a line per hit: id, score,
 * target or detector, excerpt, and the rule's description or, for a
 * combination, the hits it combined
 */
static void
format_text(struct buf *out, int explain, const char *label,
    const struct verdict *v, const struct rule *rules)
{
	size_t i;

	(void)buf_printf(out, "%s %s %.1f ", label, action_name(v->action),
	    v->score);
	(void)report_rule_ids(v, out);
	if (v->monitor)
		(void)buf_printf(out, " monitor=%s", action_name(v->scored));
	(void)buf_append_char(out, '\n');
	if (!explain)
		return;
	if (v->auth != NULL && *v->auth != '\0')
		(void)buf_printf(out, "  auth: %s\n", v->auth);
	if (v->forwarded != NULL)
		(void)buf_printf(out, "  forwarded: %s\n", v->forwarded);
	for (i = 0; i < v->nhits; i++) {
		const struct hit *h = &v->hits[i];

		(void)buf_printf(out, "  %-28s %6.1f%s  %-16s \"%s\"", h->rule->id,
		    h->score, h->rule->monitor ? " (monitor)" : "",
		    h->rule->detector ? h->rule->detector->name :
		    rule_target_name(h->rule->target), h->excerpt);
		if (h->rule->combo != NULL) {
			(void)buf_append_str(out, "  combined: ");
			combined(out, v, h->rule, rules);
		} else if (h->rule->description != NULL)
			(void)buf_printf(out, "  -- %s", h->rule->description);
		(void)buf_append_char(out, '\n');
	}
}

/* scan_output_format - see scan_output.h */
void
scan_output_format(struct buf *out, enum scan_format format, int explain,
    const char *label, const struct verdict *v, const struct msgview *mv,
    const struct rule *rules)
{
	switch (format) {
	case SCAN_DUMP:
		format_dump(out, label, mv);
		break;
	case SCAN_JSON:
		format_json(out, explain, label, v);
		break;
	case SCAN_TEXT:
		format_text(out, explain, label, v, rules);
		break;
	}
}
