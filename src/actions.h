/*
 * actions.h - RHCS actions mapped to plugin operations.
 *
 *   reboot  -> reset TARGET (method=onoff: off TARGET, then on TARGET)
 *   off/on  -> off TARGET / on TARGET
 *   list    -> gethosts, printed one host per line
 *   monitor -> status (is the device reachable)
 *   status  -> status and gethosts: 0 if the device answers and TARGET
 *              is one of its hosts, else 1
 *   validate-all -> the plugin is runnable and every required parameter
 *              is given
 *   metadata, manpage -> built from getinfo-* and getconfignames
 */
#ifndef HBWRAP_ACTIONS_H
#define HBWRAP_ACTIONS_H

#include "options.h"

/* Exit codes of the fence-agents API (its "off" status is never ours:
 * a Heartbeat plugin cannot tell a node's power state). */
#define EXIT_OK   0
#define EXIT_FAIL 1

/*
 * Carry out REQ's action as agent PROGNAME (the name we were called
 * as). Returns the exit code; every failure has been reported in one
 * line first.
 */
int action_dispatch(const struct request *req, const char *progname);

/*
 * Build the metadata of PROGNAME (per-plugin, or generic when PLUGIN is
 * NULL) into *OUT (caller frees). Returns 0 or -1 after an error.
 */
int action_metadata_text(const struct request *req, const char *progname,
                         const char *plugin, char **out, size_t *outlen);

#endif
