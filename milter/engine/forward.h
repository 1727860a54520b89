/*
 * forward.h - the lure a report to the security team forwards, judged on
 * its own (see forward.c).
 */
#ifndef VIGIE_FORWARD_H
#define VIGIE_FORWARD_H

struct buf;
struct conf;
struct msgview;

/*
 * forward_judge - find what the report (its decoded view) forwards and
 * judge it as a message of its own; its verdict in words into out:
 * "quarantine score=21.5 rules=IMPERSONATION,LURE_FEE". out stays empty
 * when the report forwards nothing vigie can find. -1 on memory failure.
 */
int	forward_judge(const struct conf *, const struct msgview *report,
	    struct buf *out);

#endif
