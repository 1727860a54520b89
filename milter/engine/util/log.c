/*
 * log.c - syslog or stderr, chosen once at start-up.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int log_to_stderr = 1;
static const char *log_ident = "vigie";

/* log_open - see log.h */
void
log_open(const char *ident, int to_stderr)
{
	log_ident = ident;
	log_to_stderr = to_stderr;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

/* log_msg - one line; stderr lines carry the program name */
void
log_msg(int priority, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (log_to_stderr)
		fprintf(stderr, "%s: %s\n", log_ident, line);
	else
		syslog(priority, "%s", line);
}
