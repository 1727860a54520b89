/*
 * nir.c - find NIRs with a valid key in normalised text.
 */
#include "nir.h"

#include <string.h>

#define NIR_LABEL_WINDOW	80	/* bytes before the number searched */

/* is_digit - ASCII digit */
static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* is_word - letters and digits: a NIR must not touch them */
static int
is_word(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* nir_key_valid - see nir.h */
int
nir_key_valid(const char n[15])
{
	unsigned long long v = 0;
	int i, key, month, sex = n[0] - '0';

	if (sex != 1 && sex != 2 && sex != 3 && sex != 4 && sex != 7 &&
	    sex != 8)
		return 0;
	for (i = 0; i < 15; i++)
		if (!is_digit(n[i]) && !(i == 6 && n[5] == '2' &&
		    (n[6] == 'a' || n[6] == 'b')))
			return 0;
	month = (n[3] - '0') * 10 + (n[4] - '0');
	if (month == 0 || (month > 12 && month < 20) ||
	    (month > 42 && month < 50))
		return 0;
	if (n[5] == '0' && n[6] == '0')
		return 0;
	for (i = 0; i < 13; i++) {
		if (i == 5 && (n[6] == 'a' || n[6] == 'b')) {
			v = v * 100 + (n[6] == 'a' ? 19 : 18);
			i++;
			continue;
		}
		v = v * 10 + (unsigned)(n[i] - '0');
	}
	key = (n[13] - '0') * 10 + (n[14] - '0');
	return key >= 1 && key <= 97 && (unsigned long long)key == 97 - v % 97;
}

/* is_sep - separators allowed between the characters of a NIR */
static int
is_sep(char c)
{
	return c == ' ' || c == '.' || c == '-';
}

/* nir_at - read a NIR starting at i; its end, or 0 */
static size_t
nir_at(const char *s, size_t len, size_t i, char out[15])
{
	size_t k = 0;

	while (i < len && k < 15) {
		char c = s[i];

		if (is_digit(c) || (k == 6 && out[5] == '2' &&
		    (c == 'a' || c == 'b')))
			out[k++] = c;
		else
			return 0;
		i++;
		if (k < 15 && i + 1 < len && is_sep(s[i]) && !is_sep(s[i + 1]))
			i++;
	}
	if (k < 15 || (i < len && is_word(s[i])))
		return 0;
	return i;
}

/* nir_find - see nir.h */
int
nir_find(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	char n[15];
	size_t i, e;

	for (i = from; i < len; i++) {
		if (s[i] < '1' || s[i] > '8')
			continue;
		if (i > 0 && (is_word(s[i - 1]) ||
		    (is_sep(s[i - 1]) && i > 1 && is_digit(s[i - 2]))))
			continue;	/* inside a longer number or word */
		if ((e = nir_at(s, len, i, n)) != 0 && nir_key_valid(n)) {
			*start = i;
			*end = e;
			return 1;
		}
	}
	return 0;
}

/* nir_labelled - see nir.h */
int
nir_labelled(const char *s, size_t start)
{
	static const char *const labels[] = {
		"securite sociale", "secu", "nir", "n ss", "n°ss", "n° ss",
		"numero ss", "no ss", "assure social", "immatriculation",
		"numero d'assure", "num. ss", NULL
	};
	size_t from = start > NIR_LABEL_WINDOW ? start - NIR_LABEL_WINDOW : 0;
	const char *const *l;
	size_t i, n;

	for (l = labels; *l != NULL; l++) {
		n = strlen(*l);
		for (i = from; i + n <= start; i++)
			if (memcmp(s + i, *l, n) == 0 &&
			    (i == 0 || !is_word(s[i - 1])))
				return 1;
	}
	return 0;
}
