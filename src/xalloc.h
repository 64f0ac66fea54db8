/*
 * xalloc.h - allocation that cannot fail: on exhaustion the program
 * reports "out of memory" and exits 1 (a fence agent that cannot
 * allocate a few bytes cannot do anything useful, and must not claim
 * success).
 */
#ifndef HBWRAP_XALLOC_H
#define HBWRAP_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Newly allocated formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap)
        __attribute__((format(printf, 1, 0)));

#endif
