/*
 * htmlscript.h - the redirects of an HTML file: meta refresh and script navigation.
 */
#ifndef VIGIE_HTMLSCRIPT_H
#define VIGIE_HTMLSCRIPT_H

#include <stddef.h>

struct msgview;

/*
 * htmlscript_scan - add as links (MV_URL_HREF) the targets of
 * <meta http-equiv=refresh content="N; url=..."> and the string literals
 * given to location, location.href, location.replace/assign and
 * window.open in html (UTF-8). -1 only on memory failure.
 */
int	htmlscript_scan(struct msgview *mv, const char *html, size_t len);

#endif
