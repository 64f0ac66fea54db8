/*
 * halog.h - the ha_log.sh personality: cluster-glue plugins log with
 * "ha_log.sh LEVEL MESSAGE..."; RHEL has no cluster-glue, so the shim
 * puts its own ha_log.sh (a link to this binary) first in the plugin's
 * PATH. It logs to stderr (which the shim passes to the fencer's log)
 * and to syslog.
 */
#ifndef HBWRAP_HALOG_H
#define HBWRAP_HALOG_H

#define HALOG_NAME "ha_log.sh"

/* main() of the ha_log.sh personality; returns the exit code. */
int halog_main(int argc, char *argv[]);

#endif
