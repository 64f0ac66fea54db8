/*
 * fuzz_convert.c - libFuzzer target: a CIB in, the converted CIB and the
 * pcs commands out (convert_parse, convert_splice, convert_pcs).
 *
 * Besides crashes, leaks and undefined behaviour, the target checks the
 * promise of convert_splice.c: whatever the CIB looks like, once it has
 * been accepted the rewrite succeeds (its own check, a second parse
 * compared with the first, passes) and the result holds each converted
 * device's new type; and that of convert_pcs.c: commands only for a CIB
 * it does not refuse, each with "--" before the CIB's words. A violation
 * aborts (a "crash" for libFuzzer).
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

/* Non-zero if each command of OUT (lines, but for newlines inside a
 * quoted word) ends pcs's options before the CIB's words. */
static int
commands_end_options(const char *out)
{
	int quoted = 0, start = 1;

	for (const char *p = out; *p; p++) {
		if (start && strncmp(p, "pcs stonith create -- ", 22) != 0 &&
		    strncmp(p, "pcs stonith level add -- ", 25) != 0)
			return 0;
		start = 0;
		if (*p == '\\' && !quoted && p[1] != '\0')
			p++;
		else if (*p == '\'')
			quoted = !quoted;
		else if (*p == '\n' && !quoted)
			start = 1;
	}
	return !quoted;
}

/* --pcs's promise: either a reason (one line) and no commands, or
 * commands each of which ends pcs's options before its CIB words. */
static void
check_pcs(const struct cv_cib *cib, FILE *devnull)
{
	char *why = convert_pcs_problem(cib),
	     *out = convert_pcs(cib, 0, devnull);

	if (why != NULL && (out != NULL || strchr(why, '\n') != NULL))
		broken("a refused CIB got commands", why, why, strlen(why));
	if (why == NULL && out == NULL)
		broken("an accepted CIB got no commands", "", "", 0);
	if (out != NULL && !commands_end_options(out))
		broken("a command lets the CIB add options", "", out,
		       strlen(out));
	free(why);
	free(out);
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
	check_pcs(&cib, devnull);
	convert_cib_free(&cib);
	convert_doc_free(doc);
	free(text);
	return 0;
}
