/*
 * redact.h - the one function that makes message text safe to show.
 *
 * Everything vigie writes that came from a message (excerpts in
 * explanations, the sender domain in logs) goes through redact_text():
 * runs of digits long enough to be a NIR, a card, an IBAN or an account
 * number are masked ('#'), the Corsican NIR letters 2A/2B included, and
 * control characters (CR, LF, NUL...) become spaces so nothing can forge
 * a log line or a header.
 */
#ifndef VIGIE_REDACT_H
#define VIGIE_REDACT_H

#include <stddef.h>

struct buf;

/* a run with at least this many digits is masked */
#define REDACT_MIN_DIGITS	9

/* redact_text - append the redacted form of in to out; -1 on memory failure */
int	redact_text(const char *in, size_t len, struct buf *out);

/*
 * redact_controls - only the control characters made spaces: for what
 * the user wrote, such as the file names vigie-scan prints, whose digits
 * are the user's own (Maildir names carry long number runs)
 */
int	redact_controls(const char *in, size_t len, struct buf *out);

/*
 * redact_word - the same for one word a peer gave (the MTA's queue id, a
 * domain) in a "key=value" log line: at most max bytes of in are used
 * ('+' marks a cut), long numbers are masked, and every byte that is not
 * printable ASCII other than space becomes '?', so the word can neither
 * end the line nor pose as another key=value field.
 */
int	redact_word(const char *in, size_t max, struct buf *out);

/*
 * redact_id - the same for an identifier the MTA gave (Postfix's queue
 * id), which must read as in the MTA's own log: only runs as long as a
 * whole NIR are masked, which no Postfix or Sendmail queue id has
 * ("E4892A80431" looked like part of a Corsican NIR to redact_word)
 */
#define REDACT_ID_MIN_DIGITS	13
int	redact_id(const char *in, size_t max, struct buf *out);

/*
 * redact_number_start - pos moved back to the start of the number run it
 * is in (if any) within text, so that an excerpt never begins with the
 * tail of a number that its own redaction could not see whole.
 */
size_t	redact_number_start(const char *text, size_t pos);

#endif
