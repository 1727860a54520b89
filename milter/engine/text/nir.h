/*
 * nir.h - French social security numbers (NIR) with a valid key.
 *
 * nir_find() looks for 15 characters shaped like a NIR (sex, year, month,
 * département with Corsican 2A/2B, commune, order, key), compact or with
 * single spaces, dots or dashes between any characters, standing alone
 * (not inside a longer number or word), whose key is 97 - (N mod 97)
 * over the first 13 characters (2A counts as 19, 2B as 18). The text is
 * expected in normalised form (lower case). A random 15-digit number
 * passes about one time in 97, so callers ask for a label nearby
 * (nir_labelled) before trusting a find much.
 *
 * The NIR is personal data: nothing here copies or logs it.
 */
#ifndef VIGIE_NIR_H
#define VIGIE_NIR_H

#include <stddef.h>

/* nir_find - first valid NIR at or after from; 1 found (bounds set), 0 not */
int	nir_find(const char *s, size_t len, size_t from, size_t *start,
	    size_t *end);

/* nir_labelled - a NIR label ("securite sociale", "nir", ...) just before start */
int	nir_labelled(const char *s, size_t start);

/* nir_key_valid - the 15 normalised characters (digits, 2a/2b) check out */
int	nir_key_valid(const char nir[15]);

#endif
