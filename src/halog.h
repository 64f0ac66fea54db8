/*
 * halog.h - the ha_log.sh personality: cluster-glue plugins log with
 * "ha_log.sh LEVEL MESSAGE..."; RHEL has no cluster-glue, so the shim
 * puts its own ha_log.sh (a link to this binary) first in the plugin's
 * PATH. It logs to syslog, as cluster-glue's does, and to stderr, where
 * the shim reads it when the plugin has ended: shown if the plugin
 * failed, dropped if it succeeded (but for crit and err).
 */
#ifndef HBWRAP_HALOG_H
#define HBWRAP_HALOG_H

#include <stddef.h>

#define HALOG_NAME "ha_log.sh"

/* main() of the ha_log.sh personality; returns the exit code. */
int halog_main(int argc, char *argv[]);

/*
 * The syslog priority of LINE (LEN bytes) if it is a message our
 * ha_log.sh wrote on stderr for a plugin whose HA_LOGTAG is TAG
 * ("TAG[pid]: LABEL: message"), else -1. The shim uses it to keep such
 * messages below LOG_ERR off its stderr when the plugin succeeded.
 */
int halog_line_priority(const char *line, size_t len, const char *tag);

#endif
