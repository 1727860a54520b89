/*
 * scan_input.h - the messages vigie-scan reads: files, directories,
 * Maildirs, mbox files and standard input.
 *
 * Each message is streamed to a sink (begin, data..., end) so that a
 * large file never has to fit in memory; the engine keeps what its
 * limits allow.
 */
#ifndef VIGIE_SCAN_INPUT_H
#define VIGIE_SCAN_INPUT_H

#include <stddef.h>

struct scan_sink {
	/* begin - a message starts; label is its path ("file:N" in an mbox) */
	int	 (*begin)(void *arg, const char *label);
	int	 (*data)(void *arg, const void *, size_t);
	void	 (*end)(void *arg);
	void	*arg;
};

/*
 * scan_input_path - every message under path ("-" is standard input).
 * Returns 0, or -1 when something could not be read (already reported
 * on stderr); the messages that could be read have been scanned.
 */
int	scan_input_path(const char *path, const struct scan_sink *);

#endif
