/*
 * scan_output.h - what vigie-scan prints for one judged message.
 *
 * Text: "path action score RULE,RULE" (+ one line per hit with --explain).
 * JSON: one object per line, fields documented in vigie-scan(1):
 *   path, action, score, [monitor], [allowed], [error], rules[{id, score,
 *   [monitor], [target, excerpt]}], anomalies[].
 * Dump: the decoded message (subject, from, reply_to, text, urls,
 *   attachments, anomalies), for analysts and the differential test.
 */
#ifndef VIGIE_SCAN_OUTPUT_H
#define VIGIE_SCAN_OUTPUT_H

struct buf;
struct msgview;
struct rule;
struct verdict;

enum scan_format {
	SCAN_TEXT,
	SCAN_JSON,
	SCAN_DUMP,
};

/*
 * scan_output_format - append the output for one message to out; rules
 * is the rule set's array (to show what a combination combined)
 */
void	scan_output_format(struct buf *out, enum scan_format, int explain,
	    const char *label, const struct verdict *, const struct msgview *,
	    const struct rule *rules);

#endif
