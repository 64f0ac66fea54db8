/*
 * fuzz_metadata.c - libFuzzer target: plugin XML in, RHCS metadata out.
 *
 * The input holds, separated by NUL bytes, what a plugin printed for
 * the operations of input_order[] (whatever the order of meta_ops[], so
 * that the seed corpus stays valid). They go
 * through meta_from_calls() (which parses the XML with
 * meta_parse_params()), then meta_write() for the per-plugin and the
 * generic agent (always: a plugin's flaw never means no metadata), then
 * manpage_from_metadata().
 *
 * Besides crashes, leaks and undefined behaviour, the target checks the
 * promise of metadata.c: whatever the plugin printed, the metadata we
 * write is well-formed XML. A violation aborts (a "crash" for libFuzzer).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "manpage.h"
#include "metadata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const input_order[] = {
        "getinfo-xml",      "getinfo-devid",  "getinfo-devname",
        "getinfo-devdescr", "getinfo-devurl", "getconfignames",
};

/* Abort unless XML (LEN bytes) is well-formed. */
static void
require_well_formed(const char *what, const char *xml, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, "metadata", NULL,
	                              XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                      XML_PARSE_NOWARNING);

	if (doc == NULL) {
		const xmlError *e = xmlGetLastError();

		fprintf(stderr,
		        "fuzz_metadata: %s metadata is not well-formed: "
		        "%s\n%.*s\n",
		        what, e && e->message ? e->message : "?",
		        (int)(len < 400 ? len : 400), xml);
		abort();
	}
	xmlFreeDoc(doc);
}

static void
write_and_check(const struct plugin_info *info, const char *agent, int generic)
{
	char *out = NULL, *page = NULL;
	size_t len = 0, plen = 0;

	if (meta_write(agent, info, 1, generic, &out, &len) == 0) {
		require_well_formed(agent, out, len);
		if (manpage_from_metadata(out, len, 0, &page, &plen) == 0)
			free(page);
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_call calls[MOP_COUNT];
	struct plugin_info info;
	char *copy = malloc(size + 1);
	size_t at = 0;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	memset(calls, 0, sizeof(calls));
	for (size_t i = 0; i < MOP_COUNT; i++) {
		calls[i].op = meta_ops[i];
		calls[i].end = RUN_EXITED;
		calls[i].status = 0;
	}
	for (size_t k = 0;
	     k < sizeof(input_order) / sizeof(*input_order) && at <= size;
	     k++) {
		size_t len = strlen(copy + at);

		for (size_t i = 0; i < MOP_COUNT; i++)
			if (strcmp(meta_ops[i], input_order[k]) == 0) {
				/* run.c hands over NUL-terminated buffers. */
				calls[i].out.data = copy + at;
				calls[i].out.len = len;
			}
		at += len + 1;
	}
	/* Whatever the plugin printed, there is metadata (issue 10). */
	meta_from_calls("fuzz", calls, MOPS_ALL, 30, &info);
	write_and_check(&info, "fence_hb_fuzz", 0);
	write_and_check(&info, "fence_hbwrap", 1);
	meta_info_free(&info);
	free(copy);
	return 0;
}
