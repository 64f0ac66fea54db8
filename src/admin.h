/*
 * admin.h - helpers for the administrator, in the same binary:
 * --list-plugins, --check PLUGIN, --link PLUGIN / --link-all.
 */
#ifndef HBWRAP_ADMIN_H
#define HBWRAP_ADMIN_H

#include "options.h"

/* Print every entry of the plugin directory, usable or not and why.
 * Returns the exit code (0, or 1 if the directory cannot be read). */
int admin_list_plugins(void);

/* Run every informational operation of PLUGIN, validate what it says,
 * and explain each problem. Returns 0 only if the plugin will work
 * through the shim, else 1. */
int admin_check(const struct request *req, const char *plugin);

/* Create the fence_hb_PLUGIN link (every usable plugin's when PLUGIN is
 * NULL) next to this program, idempotently, refusing to replace anything
 * that is not our link. Returns the exit code. */
int admin_link(const char *plugin);

#endif
