/*
 * auth_dname.c - wire-form domain names to text (see auth_dname.h).
 */
#include "auth_dname.h"

#include <ctype.h>

#define AUTH_DNAME_LABEL_MAX	63
#define AUTH_DNAME_TEXT_MAX	253

/* auth_dname_text - see auth_dname.h */
long
auth_dname_text(const unsigned char *wire, size_t len, char *out,
    size_t cap)
{
	size_t i = 0, n = 0, label, k;

	for (;;) {
		if (i >= len)
			return -1;
		label = wire[i++];
		if (label == 0)
			break;
		if (label > AUTH_DNAME_LABEL_MAX || label > len - i)
			return -1;
		if (n + (n > 0) + label > AUTH_DNAME_TEXT_MAX ||
		    n + (n > 0) + label >= cap)
			return -1;
		if (n > 0)
			out[n++] = '.';
		for (k = 0; k < label; k++) {
			unsigned char c = wire[i + k];

			if (!isalnum(c) && c != '-' && c != '_')
				return -1;
			out[n++] = (char)tolower(c);
		}
		i += label;
	}
	if (cap == 0)
		return -1;
	out[n] = '\0';
	return (long)n;
}
