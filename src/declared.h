/*
 * declared.h - the parameter names a plugin declares: the names of its
 * getinfo-xml <parameter> elements and the words of its getconfignames.
 * Only these (and nodename) ever reach the plugin's environment.
 */
#ifndef HBWRAP_DECLARED_H
#define HBWRAP_DECLARED_H

#include <stddef.h>

#include "metadata.h"

struct declared {
	char **names; /* each a valid variable name, no duplicates */
	size_t n;
};

/*
 * Fill D with the names plugin NAME at PATH declares. From the metadata
 * cache when it holds an entry for this very file and binary; else by
 * running getconfignames and getinfo-xml concurrently (ENVP holds no
 * request parameter), each bounded by TIMEOUT, and keeping the answer
 * in the cache when both exited 0. A plugin whose calls fail declares
 * what the other call said, possibly nothing. Returns 0, or -1 after a
 * one-line error if the plugin could not be run at all (no process, no
 * execve): that is no plugin declaring nothing, and nothing may go on.
 * Free D with declared_free() either way.
 */
int declared_get(const char *name, const char *path, char *const envp[],
                 long timeout, struct declared *d);

/* Add every valid name of the white-space separated WORDS to D. */
void declared_add_words(struct declared *d, const char *words);

/* Add the name of every parameter of INFO (the metadata's reading of
 * the plugin's getinfo-xml and getconfignames). */
void declared_add_info(struct declared *d, const struct plugin_info *info);

/* Non-zero if D holds NAME (exact match). */
int declared_has(const struct declared *d, const char *name);

/* The names of D as "a, b, c", or "none". Caller frees. */
char *declared_list(const struct declared *d);

void declared_free(struct declared *d);

#endif
