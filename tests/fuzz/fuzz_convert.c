/*
 * fuzz_convert.c - libFuzzer target: a CIB in, the converted CIB and the
 * pcs commands out (convert_parse, convert_splice, convert_pcs).
 *
 * Besides crashes, leaks and undefined behaviour, the target checks the
 * promise of convert_splice.c: whatever the CIB looks like, once it has
 * been accepted the rewrite succeeds (its own check, a second parse
 * compared with the first, passes) and the result holds each converted
 * device's new type. A violation aborts (a "crash" for libFuzzer).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with the reason and the start of the input. */
static void
broken(const char *what, const char *why, const char *text, size_t len)
{
	fprintf(stderr, "fuzz_convert: %s: %s\n%.*s\n", what, why ? why : "?",
	        (int)(len < 400 ? len : 400), text);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	char *text = malloc(size + 1), *why = NULL, *out;
	struct cv_cib cib;
	size_t outlen = 0;
	void *doc;

	if (text == NULL)
		return 0;
	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0'; /* convert_read() hands over such a buffer */
	doc = convert_parse(text, size, &cib, &why);
	if (doc == NULL) {
		free(why);
		free(text);
		return 0;
	}
	if (cib.nconverted > 0) {
		out = convert_splice(text, size, doc, &cib, &outlen, &why);
		if (out == NULL)
			broken("an accepted CIB was not rewritten", why, text,
			       size);
		for (size_t i = 0; i < cib.ndev; i++)
			if (cib.dev[i].agent && !strstr(out, cib.dev[i].agent))
				broken("a new type is missing",
				       cib.dev[i].agent, out, outlen);
		free(out);
	}
	free(convert_pcs(&cib, 0, devnull));
	convert_cib_free(&cib);
	convert_doc_free(doc);
	free(text);
	return 0;
}
