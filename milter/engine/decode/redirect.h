/*
 * redirect.h - the target behind a link rewriter or open redirect.
 *
 * Mail security gateways rewrite every link (Outlook safelinks,
 * Proofpoint urldefense), search engines and trackers redirect through
 * a query parameter (google.com/url?q=), and phishing hides behind both:
 * the host a reader's click finally reaches is in the query. url.c adds
 * that target beside the wrapper.
 */
#ifndef VIGIE_REDIRECT_H
#define VIGIE_REDIRECT_H

struct buf;

/* unwrapping stops after this many nested wrappers */
#define REDIRECT_MAX_HOPS	4

/*
 * redirect_unwrap - if url (absolute, cleaned) is a known rewriter or a
 * redirect carrying an http(s) target in clear, append that target,
 * decoded, to out and return 1; 0 if it is not; -1 on memory failure.
 */
int	redirect_unwrap(const char *url, struct buf *out);

#endif
