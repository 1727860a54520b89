/*
 * milter_stats_http.h - the statistics endpoint (libmicrohttpd).
 */
#ifndef VIGIE_MILTER_STATS_HTTP_H
#define VIGIE_MILTER_STATS_HTTP_H

/*
 * milter_stats_http_start - serve GET /metrics on "ADDR:PORT" (an IPv4 or
 * [IPv6] loopback address); -1 with a logged reason on failure.
 */
int	milter_stats_http_start(const char *listen);

/* milter_stats_http_check - 0 when listen is one start would accept */
int	milter_stats_http_check(const char *listen);
void	milter_stats_http_stop(void);

#endif
