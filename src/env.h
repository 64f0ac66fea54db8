/*
 * env.h - the plugin's environment, built from nothing (the OpenBSD doas
 * way): a short keep-list from our own environment, the variables the
 * shim sets, then the plugin's parameters, as cluster-glue passes them.
 */
#ifndef HBWRAP_ENV_H
#define HBWRAP_ENV_H

#include "options.h"

/* The names kept from the caller's environment, NULL-terminated. */
extern const char *const env_keep_list[];

/*
 * NULL if a parameter called NAME may be exported to a plugin, else a
 * static string saying why it never is (names that change how the
 * loader, libc or an interpreter behaves, and the names the shim sets).
 */
const char *env_name_refused(const char *name);

/*
 * Build the environment for PLUGIN: the keep-list taken from ENVIRON_IN,
 * PATH = HELPER_DIR then the system directories, HA_LOGTAG =
 * external/PLUGIN, then every entry of PARAMS that is not one of the
 * shim's own options (nodename is passed). Returns a NULL-terminated
 * "NAME=value" array for execve (free with env_free), or NULL after a
 * one-line error naming a refused parameter.
 */
char **env_build(char *const *environ_in, const char *plugin,
                 const char *helper_dir, const struct params *params);

void env_free(char **envp);

#endif
