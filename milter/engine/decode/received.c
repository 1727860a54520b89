/*
 * received.c - the client of the topmost Received field (see received.h).
 */
#include "received.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "msgview.h"

/* received_word - copy the word at s (to a space, '(', ')' or ';') into dst */
static const char *
received_word(const char *s, char *dst, size_t size)
{
	size_t n = 0;

	while (*s != '\0' && !isspace((unsigned char)*s) && *s != '(' &&
	    *s != ')' && *s != ';') {
		if (n + 1 < size)
			dst[n++] = *s;
		s++;
	}
	dst[n] = '\0';
	return s;
}

/* received_literal - the address in "[a.b.c.d]" or "[IPv6:...]" at s */
static int
received_literal(const char *s, char ip[RECEIVED_IP_MAX])
{
	const char *end = strchr(s + 1, ']');
	unsigned char bin[16];
	size_t n;

	if (end == NULL)
		return -1;
	s++;
	if (strncasecmp(s, "IPv6:", 5) == 0)
		s += 5;
	if ((n = (size_t)(end - s)) == 0 || n >= RECEIVED_IP_MAX)
		return -1;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, bin) == 1 ||
	    inet_pton(AF_INET6, ip, bin) == 1)
		return 0;
	ip[0] = '\0';
	return -1;
}

/* received_parse - see received.h */
int
received_parse(const char *value, struct received_client *out)
{
	const char *s = value, *end;

	memset(out, 0, sizeof(*out));
	while (isspace((unsigned char)*s))
		s++;
	if (strncasecmp(s, "from", 4) != 0 ||
	    !isspace((unsigned char)s[4]))
		return -1;
	s += 4;
	while (isspace((unsigned char)*s))
		s++;
	s = received_word(s, out->helo, sizeof(out->helo));
	/* the client's address: the first literal before "by" or ';' */
	end = s + strcspn(s, ";");
	for (; s < end; s++) {
		if (*s == '[' && received_literal(s, out->ip) == 0)
			break;
		if (strncasecmp(s, " by ", 4) == 0)
			break;
	}
	/* "from [192.0.2.5] (...)": the HELO itself was the literal */
	if (out->ip[0] == '\0' && out->helo[0] == '[')
		(void)received_literal(out->helo, out->ip);
	if (out->ip[0] == '\0') {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	/* Exim: "from rdns ([ip] helo=name)": the name it was greeted with */
	if ((s = strstr(value, "helo=")) != NULL && s < end)
		(void)received_word(s + 5, out->helo, sizeof(out->helo));
	return 0;
}

/* received_topmost - see received.h */
int
received_topmost(const struct msgview *mv, struct received_client *out)
{
	size_t i;

	for (i = 0; i < mv->nheaders; i++)
		if (strcasecmp(mv->headers[i].name, "Received") == 0)
			return received_parse(mv->headers[i].value, out);
	memset(out, 0, sizeof(*out));
	return -1;
}
