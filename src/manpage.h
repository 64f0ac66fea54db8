/*
 * manpage.h - a man page (mdoc) for an agent, made from its metadata,
 * as fence-agents' "-o manpage" does.
 */
#ifndef HBWRAP_MANPAGE_H
#define HBWRAP_MANPAGE_H

#include <stddef.h>

/*
 * Turn the RHCS metadata XML (LEN bytes) into a man page in *OUT
 * (caller frees, *OUTLEN bytes). Returns 0, or -1 after an error.
 */
int manpage_from_metadata(const char *xml, size_t len, char **out,
                          size_t *outlen);

#endif
