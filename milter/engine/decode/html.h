/*
 * html.h - visible text and links of an HTML part.
 *
 * html_extract() parses hostile HTML with a bounded, error-tolerant parser
 * and appends to the view: the text a browser would show (entities
 * decoded; comments, <script>, <style> and <head> dropped; <style> rules
 * and inline styles applied (css.c); text the reader cannot see dropped
 * and noted as MV_ANOM_HIDDEN_HTML; <img> alt and title shown) and the
 * links: <a> and <area> href with their anchor text, <form action>,
 * <img src>, with <base href> applied. Pages behind data: links are read
 * the same way after the page.
 */
#ifndef VIGIE_HTML_H
#define VIGIE_HTML_H

#include <stddef.h>

struct msgview;

/* html_extract - -1 only on memory failure */
int	html_extract(struct msgview *mv, const char *html, size_t len);

#endif
