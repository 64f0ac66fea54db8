/*
 * metacache.h - a cache of per-plugin metadata.
 *
 * Pacemaker and pcs ask for an agent's metadata often (every pcs
 * command that names it, every device registration), and a plugin's
 * five informational calls cost more than everything else the shim
 * does. The result is kept in a root-only directory on /run (emptied at
 * boot), under a key made of everything it depends on: this binary, the
 * agent name, the plugin file's identity (device, inode, size, mtime,
 * ctime) and the helper directory. Editing or replacing the plugin
 * changes the key.
 */
#ifndef HBWRAP_METACACHE_H
#define HBWRAP_METACACHE_H

#include <stddef.h>

/* The cache directory: $FENCE_HBWRAP_CACHE_DIR, else the build default;
 * "none" turns the cache off. */
const char *metacache_dir(void);

/* The key for AGENT's metadata from the plugin at PATH (GENERIC: the
 * generic name's form), or NULL if the cache cannot be used. Caller
 * frees. */
char *metacache_key(const char *agent, const char *path, int generic);

/* The cached metadata for KEY in *OUT (caller frees) and *LEN. Returns
 * 0 on a hit, -1 on a miss (including an untrustworthy cache file). */
int metacache_get(const char *key, char **out, size_t *len);

/* Store TEXT (LEN bytes) under KEY, atomically; failures only make the
 * next call a miss, and are traced with verbose. */
void metacache_put(const char *key, const char *text, size_t len);

#endif
