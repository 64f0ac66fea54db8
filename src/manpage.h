/*
 * manpage.h - a man page (mdoc) for an agent, made from its metadata,
 * as fence-agents' "-o manpage" does.
 */
#ifndef HBWRAP_MANPAGE_H
#define HBWRAP_MANPAGE_H

#include <stddef.h>
#include <time.h>

/*
 * Turn the RHCS metadata XML (LEN bytes) into a man page in *OUT
 * (caller frees, *OUTLEN bytes), dated WHEN (UTC). Returns 0, or -1
 * after an error.
 */
int manpage_from_metadata(const char *xml, size_t len, time_t when, char **out,
                          size_t *outlen);

/*
 * WHEN as mdoc's .Dd wants it, "December 2, 2026" (UTC, English, no
 * leading zero), into BUF of SIZE bytes (32 are always enough).
 */
void manpage_date(time_t when, char *buf, size_t size);

/*
 * The date a generated man page carries, so that the same plugin gives
 * the same page: $SOURCE_DATE_EPOCH when it is a valid number of
 * seconds, else the modification time of PATH (the plugin file, or the
 * program for the generic page), else 0.
 */
time_t manpage_source_date(const char *path);

#endif
