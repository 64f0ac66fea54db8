/*
 * log.c - where the shim's messages go, with secrets masked.
 *
 * Errors and warnings go to stderr and syslog (the fencer keeps an
 * agent's stderr in its log; syslog is where fence-agents report too).
 * Traces go to stderr only with verbose. The debug file gets everything.
 */
#define _GNU_SOURCE
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "xalloc.h"

#define MASK        "****"
#define MAX_SECRETS 64

static const char *prog = "fence_hbwrap";
static int verbose;
static FILE *debug_fp;
static int syslog_open;
static char *secrets[MAX_SECRETS];
static size_t nsecrets;

void
log_init(const char *progname)
{
	prog = progname;
}

void
log_set_verbose(int on)
{
	verbose = on;
}

const char *
log_dir(void)
{
	const char *d = getenv("FENCE_HBWRAP_LOG_DIR");

	return d != NULL && *d != '\0' ? d : LOG_DIR;
}

/* The name of PATH inside the log directory, or NULL if PATH is not
 * LOG_DIR/NAME (one name, not "." or ".."). Points into PATH. */
static const char *
name_in_log_dir(const char *path)
{
	const char *dir = log_dir();
	size_t n = strlen(dir);
	const char *name = path + n + 1;

	if (strncmp(path, dir, n) != 0 || path[n] != '/' || *name == '\0' ||
	    strchr(name, '/') != NULL || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return NULL;
	return name;
}

/* Why the file (or, with DIR, the log directory) described by ST may
 * not hold a debug file written by us, or NULL if it may. */
static const char *
unsafe_owner_or_mode(const struct stat *st, int dir)
{
	if (st->st_uid != geteuid())
		return dir ? "the log directory belongs to another user"
		           : "it belongs to another user";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return dir ? "the log directory's group or others may write "
		             "to it"
		           : "its group or others may write to it";
	return NULL;
}

/*
 * Open NAME in the log directory as a request may: no link followed,
 * never blocking (a FIFO), a regular file of ours that nobody else may
 * write. Returns the descriptor, or -1 with *WHY set (static text, or
 * NULL for errno).
 */
static int
open_confined(const char *name, const char **why)
{
	struct stat st;
	int dfd, fd;

	*why = NULL;
	dfd = open(log_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	if (fstat(dfd, &st) < 0 || (*why = unsafe_owner_or_mode(&st, 1))) {
		close(dfd);
		return -1;
	}
	fd = openat(dfd, name,
	            O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	                    O_CLOEXEC,
	            0600);
	close(dfd);
	if (fd < 0 && errno == ELOOP)
		*why = "it is a symbolic link";
	else if (fd < 0 && errno == ENXIO)
		*why = "it is a FIFO or socket";
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		*why = "it cannot be examined";
	else if (!S_ISREG(st.st_mode))
		*why = "it is not a regular file";
	else
		*why = unsafe_owner_or_mode(&st, 0);
	if (*why != NULL) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Open PATH as a person at a shell may name it: any file, created 0600;
 * O_NONBLOCK only while opening, so a FIFO without reader is an error
 * and not a hang. Returns the descriptor or -1 (errno). */
static int
open_any(const char *path)
{
	int fd = open(path,
	              O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC,
	              0600);
	int fl;

	if (fd >= 0 && (fl = fcntl(fd, F_GETFL)) >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

int
log_set_debug_file(const char *path, int from_request)
{
	const char *why = NULL, *name = NULL;
	int fd = -1;

	if (debug_fp != NULL) {
		fclose(debug_fp);
		debug_fp = NULL;
	}
	if (from_request && (name = name_in_log_dir(path)) == NULL) {
		log_warn("debug_file '%s' ignored: from stdin, only a file "
		         "directly in %s is accepted",
		         path, log_dir());
		return -1;
	}
	fd = from_request ? open_confined(name, &why) : open_any(path);
	if (fd >= 0 && (debug_fp = fdopen(fd, "a")) != NULL)
		return 0;
	if (why == NULL)
		why = strerror(errno);
	if (fd >= 0)
		close(fd);
	log_warn("debug_file '%s' ignored: %s", path, why);
	return -1;
}

void
log_add_secret(const char *value)
{
	if (value[0] == '\0' || nsecrets == MAX_SECRETS)
		return;
	size_t at, len = strlen(value);

	for (size_t i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], value) == 0)
			return;
	/* Longest first: a secret holding a shorter one is masked whole. */
	for (at = 0; at < nsecrets && strlen(secrets[at]) >= len; at++)
		;
	memmove(&secrets[at + 1], &secrets[at],
	        (nsecrets - at) * sizeof(*secrets));
	secrets[at] = xstrdup(value);
	nsecrets++;
}

int
log_name_is_secret(const char *name)
{
	static const char *const parts[] = {
	        "pass", "secret", "token", "key", "cred", "community", "auth",
	};
	/* How a secret is passed is not a secret (ipmi's passwd_method=env
	 * would otherwise mask every "env" in the log). */
	static const char *const not_suffixes[] = {"_method", "_type", "_mode"};
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof(not_suffixes) / sizeof(*not_suffixes);
	     i++) {
		size_t sl = strlen(not_suffixes[i]);

		if (len > sl &&
		    strcasecmp(name + len - sl, not_suffixes[i]) == 0)
			return 0;
	}
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strcasestr(name, parts[i]) != NULL)
			return 1;
	return 0;
}

char *
log_mask_copy(const char *text, size_t len, size_t *out_len)
{
	char *out = xstrndup(text, len);
	size_t n = len;

	for (size_t s = 0; s < nsecrets; s++) {
		size_t slen = strlen(secrets[s]);
		char *hit;
		size_t from = 0;

		while ((hit = memmem(out + from, n - from, secrets[s], slen))) {
			size_t at = (size_t)(hit - out);
			size_t rest = n - at - slen;
			char *next = xmalloc(at + strlen(MASK) + rest + 1);

			memcpy(next, out, at);
			memcpy(next + at, MASK, strlen(MASK));
			memcpy(next + at + strlen(MASK), out + at + slen, rest);
			n = at + strlen(MASK) + rest;
			next[n] = '\0';
			free(out);
			out = next;
			from = at + strlen(MASK);
		}
	}
	*out_len = n;
	return out;
}

static void emit(int prio, const char *label, const char *fmt, va_list ap)
        HBWRAP_PRINTF(3, 0);

static void
emit(int prio, const char *label, const char *fmt, va_list ap)
{
	char *raw = NULL, *msg;
	size_t len;
	int is_trace = prio == LOG_DEBUG;

	if (vasprintf(&raw, fmt, ap) < 0)
		return;
	msg = log_mask_copy(raw, strlen(raw), &len);
	free(raw);
	/* One message is one line, whatever a plugin or a value held. */
	for (size_t i = 0; i < len; i++)
		if (msg[i] == '\n' || msg[i] == '\r')
			msg[i] = ' ';

	if (!is_trace || verbose)
		fprintf(stderr, "%s: %s%s\n", prog, label, msg);
	if (!is_trace) {
		if (!syslog_open) {
			openlog(prog, LOG_PID, LOG_DAEMON);
			syslog_open = 1;
		}
		syslog(prio, "%s%s", label, msg);
	}
	if (debug_fp != NULL) {
		char stamp[32];
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
		fprintf(debug_fp, "%s.%03ld %s[%ld]: %s%s\n", stamp,
		        ts.tv_nsec / 1000000, prog, (long)getpid(), label, msg);
		fflush(debug_fp);
	}
	free(msg);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_ERR, "error: ", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_WARNING, "warning: ", fmt, ap);
	va_end(ap);
}

void
log_verbose(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_DEBUG, "", fmt, ap);
	va_end(ap);
}

void
log_close(void)
{
	if (debug_fp != NULL) {
		fclose(debug_fp);
		debug_fp = NULL;
	}
	if (syslog_open) {
		closelog();
		syslog_open = 0;
	}
}
