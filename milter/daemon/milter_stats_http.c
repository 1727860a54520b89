/*
 * milter_stats_http.c - Prometheus endpoint on a loopback address.
 *
 * libmicrohttpd runs its own polling thread; each request formats the
 * counters (stats.c) afresh. Only loopback addresses are accepted in the
 * configuration: the numbers are harmless, but an MX has no business
 * exposing another port to the world.
 */
#include "milter_stats_http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "log.h"
#include "stats.h"

static struct MHD_Daemon *stats_daemon;

/* answer - GET /metrics, anything else 404 */
static enum MHD_Result
answer(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **con_cls)
{
	struct MHD_Response *resp;
	struct buf body;
	enum MHD_Result ret;
	unsigned status = MHD_HTTP_OK;

	(void)cls;
	(void)version;
	(void)upload_data;
	(void)upload_size;
	(void)con_cls;
	buf_init(&body);
	if (strcmp(method, "GET") != 0 || strcmp(url, "/metrics") != 0) {
		status = MHD_HTTP_NOT_FOUND;
		(void)buf_append_str(&body, "see /metrics\n");
	} else if (stats_format(&body) < 0) {
		buf_free(&body);
		return MHD_NO;
	}
	resp = MHD_create_response_from_buffer(body.len, body.data,
	    MHD_RESPMEM_MUST_COPY);
	buf_free(&body);
	if (resp == NULL)
		return MHD_NO;
	(void)MHD_add_response_header(resp, "Content-Type",
	    "text/plain; version=0.0.4");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* parse_listen - "127.0.0.1:9810" or "[::1]:9810" into a loopback address */
static int
parse_listen(const char *listen, struct sockaddr_storage *ss)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	size_t hl;
	long port;
	char *end;

	if (colon == NULL || (hl = (size_t)(colon - listen)) >= sizeof(host))
		return -1;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port <= 0 || port > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		host[hl - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1 ||
		    !IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
			return -1;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)port);
		return 0;
	}
	{
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1 ||
		    (ntohl(s4->sin_addr.s_addr) >> 24) != 127)
			return -1;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)port);
	}
	return 0;
}

/* milter_stats_http_check - see milter_stats_http.h */
int
milter_stats_http_check(const char *listen)
{
	struct sockaddr_storage ss;

	return parse_listen(listen, &ss);
}

/* milter_stats_http_start - see milter_stats_http.h */
int
milter_stats_http_start(const char *listen)
{
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;

	if (parse_listen(listen, &ss) < 0) {
		log_msg(LOG_ERR, "stats_listen \"%s\": need a loopback "
		    "ADDRESS:PORT", listen);
		return -1;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	stats_daemon = MHD_start_daemon(flags, 0, NULL, NULL, answer, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, 16u,
	    MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	if (stats_daemon == NULL) {
		log_msg(LOG_ERR, "cannot serve statistics on %s", listen);
		return -1;
	}
	return 0;
}

/* milter_stats_http_stop - close the endpoint */
void
milter_stats_http_stop(void)
{
	if (stats_daemon != NULL)
		MHD_stop_daemon(stats_daemon);
	stats_daemon = NULL;
}
