/*
 * halog.c - ha_log.sh, for plugins that log through it.
 *
 * Interface (as cluster-glue's): ha_log.sh LEVEL MESSAGE...; LEVEL is
 * crit, err|error, warn|warning, notice, info or debug; debug is dropped
 * unless HA_debug is set and not 0. The tag is $HA_LOGTAG[parent pid];
 * the syslog facility $HA_LOGFACILITY (default daemon; none: no syslog);
 * $HA_LOGFILE (else $HA_DEBUGLOG), if set, gets a copy of each line.
 */
#define _GNU_SOURCE
#include "halog.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

extern char **environ;

static const struct {
	const char *name;
	const char *label;
	int prio;
} levels[] = {
        {"crit", "CRIT", LOG_CRIT},       {"err", "ERROR", LOG_ERR},
        {"error", "ERROR", LOG_ERR},      {"warn", "WARN", LOG_WARNING},
        {"warning", "WARN", LOG_WARNING}, {"notice", "notice", LOG_NOTICE},
        {"info", "info", LOG_INFO},       {"debug", "debug", LOG_DEBUG},
};

static const struct {
	const char *name;
	int code;
} facilities[] = {
        {"daemon", LOG_DAEMON}, {"user", LOG_USER},
        {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV},
        {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},
        {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
        {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
        {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

int
halog_main(int argc, char *argv[])
{
	const char *tag_env = getenv("HA_LOGTAG");
	const char *fac_env = getenv("HA_LOGFACILITY");
	const char *dbg = getenv("HA_debug");
	const char *file = getenv("HA_LOGFILE");
	char *tag, *msg, *masked;
	size_t len = 0, li;
	int facility = LOG_DAEMON;

	if (argc < 3) {
		fprintf(stderr,
		        "ha_log.sh: usage: ha_log.sh LEVEL MESSAGE...\n");
		return 1;
	}
	for (li = 0; li < sizeof(levels) / sizeof(levels[0]); li++)
		if (strcmp(argv[1], levels[li].name) == 0)
			break;
	if (li == sizeof(levels) / sizeof(levels[0])) {
		fprintf(stderr, "ha_log.sh: unrecognized loglevel: %s\n",
		        argv[1]);
		return 1;
	}
	if (levels[li].prio == LOG_DEBUG &&
	    (dbg == NULL || !strcmp(dbg, "0") || *dbg == '\0'))
		return 0;

	for (int i = 2; i < argc; i++)
		len += strlen(argv[i]) + 1;
	msg = xmalloc(len + 1);
	msg[0] = '\0';
	for (int i = 2; i < argc; i++) {
		strcat(msg, argv[i]);
		if (i + 1 < argc)
			strcat(msg, " ");
	}
	/* One message, one line: a plugin cannot make its message look
	 * like a line of the shim's own ("fence_hb_x: error: ..."). */
	for (char *c = msg; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	/* The plugin's parameters are in our environment: a plugin that
	 * logs its password gets it masked, as the shim's own log does. */
	for (char **e = environ; *e; e++) {
		char *eq = strchr(*e, '='), *name;

		if (eq == NULL)
			continue;
		name = xstrndup(*e, (size_t)(eq - *e));
		if (log_name_is_secret(name))
			log_add_secret(eq + 1);
		free(name);
	}
	masked = log_mask_copy(msg, strlen(msg), &len);
	free(msg);
	msg = masked;

	tag = xasprintf("%s[%ld]", tag_env && *tag_env ? tag_env : "ha_log.sh",
	                (long)getppid());

	fprintf(stderr, "%s: %s: %s\n", tag, levels[li].label, msg);

	if (fac_env != NULL && *fac_env != '\0') {
		facility = -1;
		for (size_t i = 0;
		     i < sizeof(facilities) / sizeof(facilities[0]); i++)
			if (strcmp(fac_env, facilities[i].name) == 0)
				facility = facilities[i].code;
	}
	if (facility != -1) {
		openlog(tag, 0, facility);
		syslog(levels[li].prio, "%s: %s", levels[li].label, msg);
		closelog();
	}

	if (file == NULL || *file == '\0')
		file = getenv("HA_DEBUGLOG");
	if (file != NULL && *file != '\0') {
		int fd = open(file,
		              O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
		                      O_NOFOLLOW,
		              0600);
		if (fd >= 0) {
			char stamp[32];
			time_t t = time(NULL);
			struct tm tm;

			localtime_r(&t, &tm);
			strftime(stamp, sizeof(stamp), "%b %d %T", &tm);
			dprintf(fd, "%s:\t%s: %s %s\n", tag, levels[li].label,
			        stamp, msg);
			close(fd);
		}
	}
	free(tag);
	free(msg);
	return 0;
}

int
halog_line_priority(const char *line, size_t len, const char *tag)
{
	size_t n = strlen(tag), at;

	if (len <= n + 1 || memcmp(line, tag, n) != 0 || line[n] != '[')
		return -1;
	for (at = n + 1; at < len && isdigit((unsigned char)line[at]); at++)
		;
	if (at == n + 1 || len - at < 3 || memcmp(line + at, "]: ", 3) != 0)
		return -1;
	at += 3;
	for (size_t li = 0; li < sizeof(levels) / sizeof(levels[0]); li++) {
		size_t ll = strlen(levels[li].label);

		if (len - at > ll + 1 &&
		    memcmp(line + at, levels[li].label, ll) == 0 &&
		    line[at + ll] == ':')
			return levels[li].prio;
	}
	return -1;
}
