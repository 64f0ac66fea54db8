/*
 * env.h - the plugin's environment, built from nothing (the OpenBSD doas
 * way): a short keep-list from our own environment, the variables the
 * shim sets, then the parameters the plugin declares, as cluster-glue
 * passes them. Undeclared names are refused (an allow-list); a deny-list
 * of names that change how a shell, libc or interpreter behaves is the
 * second line.
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

struct declared;

/*
 * The PATH a plugin gets: HELPER_DIR, then the absolute entries of the
 * PATH in ENVIRON_IN (empty and relative ones dropped), or the system
 * directories when none is left. Caller frees.
 */
char *env_plugin_path(char *const *environ_in, const char *helper_dir);

/*
 * The allow-list: 0 if every name in PARAMS is one of the shim's options
 * or declared by the plugin (DECLARED), else -1 after a one-line error
 * naming the first other one and listing what PLUGIN declares.
 */
int env_check_declared(const char *plugin, const struct params *params,
                       const struct declared *declared);

/*
 * Build the environment for PLUGIN: the keep-list taken from ENVIRON_IN,
 * PATH (env_plugin_path), HA_LOGTAG = external/PLUGIN; then, if DECLARED
 * is not NULL, the parameters of PARAMS that pass env_check_declared()
 * and are not the shim's own (nodename is passed), and each declared
 * name that is also a shim option with the request's value for it (for
 * port and plug: TARGET). DECLARED NULL passes no request parameter.
 * Every name passed must also pass the deny-list (env_name_refused).
 * Returns a NULL-terminated "NAME=value" array for execve (free with
 * env_free), or NULL after a one-line error naming a refused parameter.
 */
char **env_build_declared(char *const *environ_in, const char *plugin,
                          const char *helper_dir, const struct params *params,
                          const struct declared *declared, const char *target);

/*
 * The same without the allow-list, for the command line's --check only
 * (a person at a root shell, who can set any variable anyway): every
 * parameter that is not the shim's own passes the deny-list or fails.
 */
char **env_build(char *const *environ_in, const char *plugin,
                 const char *helper_dir, const struct params *params);

void env_free(char **envp);

#endif
