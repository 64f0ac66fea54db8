/*
 * plugin.h - which plugin an invocation means, and whether its file may
 * be run (the rules cluster-glue applies, and a few more).
 */
#ifndef HBWRAP_PLUGIN_H
#define HBWRAP_PLUGIN_H

#include <stddef.h>

/* Name prefix that selects a plugin: fence_hb_<plugin>. */
#define PERSONALITY_PREFIX "fence_hb_"
#define GENERIC_NAME       "fence_hbwrap"

/* Plugin directory: $FENCE_HBWRAP_PLUGIN_DIR, else the build default. */
const char *plugin_dir(void);

/* Directory of our ha_log.sh: $FENCE_HBWRAP_HELPER_DIR, else default. */
const char *helper_dir(void);

/*
 * The plugin named by the program name PROGNAME (fence_hb_<plugin>), or
 * NULL for any other name. Points into PROGNAME.
 */
const char *personality_plugin(const char *progname);

/*
 * Decide the plugin of this invocation: from PROGNAME if it is a
 * fence_hb_ name, else from PARAM (the plugin= value, "external/"
 * prefix allowed). Returns the bare name (points into an argument), or
 * NULL after a one-line error (no plugin given, a conflict, a bad name).
 */
const char *plugin_resolve(const char *progname, const char *param);

/* NAME without cluster-glue's "external/" prefix (points into NAME). */
const char *plugin_bare_name(const char *name);

/*
 * NULL if NAME is acceptable as a bare plugin name, else a static
 * string saying why not.
 */
const char *plugin_name_problem(const char *name);

/*
 * Check that DIR/NAME may be run: a regular executable file (a symlink
 * only if it stays inside DIR), not writable by group or others, owned
 * by root or by us. Returns NULL and sets *PATH (caller frees) if it
 * may; else returns a newly allocated reason (caller frees).
 */
char *plugin_check_file(const char *dir, const char *name, char **path);

/* One entry of the plugin directory. */
struct plugin_entry {
	char *name;
	int is_plugin_name; /* plugin_name_problem() accepts the name */
	char *why;          /* why it cannot be used, or NULL if it can */
};

/*
 * Every entry of plugin_dir() but "." and "..", sorted by name, each
 * checked. Returns the array (*N entries; free with plugin_list_free()),
 * or NULL with errno set if the directory cannot be read.
 */
struct plugin_entry *plugin_list(size_t *n);

void plugin_list_free(struct plugin_entry *list, size_t n);

/*
 * Locate and check plugin NAME in plugin_dir(). Returns its path
 * (caller frees), or NULL after a one-line error with the reason.
 */
char *plugin_locate(const char *name);

#endif
