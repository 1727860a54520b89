/*
 * redact.c - mask NIR-, card- and IBAN-shaped numbers, drop control bytes.
 *
 * A "number run" starts at a digit and goes on through digits, single
 * separators (space, dot, dash, slash) between digits, and the letters A
 * or B right after a 2 (Corsican département in a NIR). Runs with at
 * least REDACT_MIN_DIGITS digits (REDACT_LABEL_MIN_DIGITS in file
 * names) have every digit and such letter replaced by '#'; shorter runs
 * (dates, amounts, times, Maildir timestamps) stay readable.
 */
#include "redact.h"

#include <string.h>

#include "buf.h"

/* is_sep - separators people put inside long numbers */
static int
is_sep(char c)
{
	return c == ' ' || c == '.' || c == '-' || c == '/';
}

/* is_digit - ASCII digit */
static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* run_end - end of the number run starting at i; counts its digits */
static size_t
run_end(const char *s, size_t len, size_t i, size_t *digits)
{
	size_t end = i;

	*digits = 0;
	while (i < len) {
		if (is_digit(s[i])) {
			(*digits)++;
			end = ++i;
		} else if ((s[i] == 'A' || s[i] == 'B' || s[i] == 'a' ||
		    s[i] == 'b') && i > 0 && s[i - 1] == '2' &&
		    (i + 1 >= len || !((s[i + 1] | 0x20) >= 'a' &&
		    (s[i + 1] | 0x20) <= 'z'))) {
			end = ++i;
		} else if (is_sep(s[i]) && i + 1 < len && is_digit(s[i + 1]) &&
		    i > 0 && (is_digit(s[i - 1]) || s[i - 1] == 'A' ||
		    s[i - 1] == 'B' || s[i - 1] == 'a' || s[i - 1] == 'b')) {
			i++;
		} else
			break;
	}
	return end;
}

/* redact_runs - mask number runs of at least min_digits digits */
static int
redact_runs(const char *in, size_t len, size_t min_digits, struct buf *out)
{
	size_t i = 0, end, digits, k;

	while (i < len) {
		unsigned char c = (unsigned char)in[i];

		if (is_digit(in[i])) {
			end = run_end(in, len, i, &digits);
			for (k = i; k < end; k++) {
				char d = in[k];

				if (digits >= min_digits && !is_sep(d))
					d = '#';
				if (buf_append_char(out, d) < 0)
					return -1;
			}
			i = end;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (buf_append_char(out, (char)c) < 0)
			return -1;
		i++;
	}
	return 0;
}

/* redact_text - see redact.h */
int
redact_text(const char *in, size_t len, struct buf *out)
{
	return redact_runs(in, len, REDACT_MIN_DIGITS, out);
}

/* redact_controls - see redact.h; a minimum no run reaches */
int
redact_controls(const char *in, size_t len, struct buf *out)
{
	return redact_runs(in, len, (size_t)-1, out);
}

/* one_word - in made one bounded printable word; runs of min_digits masked */
static int
one_word(const char *in, size_t max, size_t min_digits, struct buf *out)
{
	size_t len = strnlen(in, max), start = out->len, i;

	if (redact_runs(in, len, min_digits, out) < 0)
		return -1;
	for (i = start; i < out->len; i++)
		if (out->data[i] <= ' ' || out->data[i] > '~')
			out->data[i] = '?';
	return in[len] != '\0' ? buf_append_char(out, '+') : 0;
}

/* redact_word - see redact.h */
int
redact_word(const char *in, size_t max, struct buf *out)
{
	return one_word(in, max, REDACT_MIN_DIGITS, out);
}

/* redact_id - see redact.h */
int
redact_id(const char *in, size_t max, struct buf *out)
{
	return one_word(in, max, REDACT_ID_MIN_DIGITS, out);
}

/* redact_number_start - see redact.h */
size_t
redact_number_start(const char *s, size_t pos)
{
	while (pos > 0) {
		char c = s[pos - 1];

		if (is_digit(c) || ((c == 'A' || c == 'B' || c == 'a' ||
		    c == 'b') && pos > 1 && s[pos - 2] == '2'))
			pos--;
		else if (is_sep(c) && pos > 1 && is_digit(s[pos - 2]) &&
		    is_digit(s[pos]))
			pos--;
		else
			break;
	}
	return pos;
}
