/*
 * admin.c - --list-plugins and --link: the commands that show an
 * administrator the plugins and wire them up (--check is in check.c).
 */
#define _GNU_SOURCE
#include "admin.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions.h"
#include "log.h"
#include "plugin.h"
#include "xalloc.h"

int
admin_list_plugins(void)
{
	size_t n;
	struct plugin_entry *list = plugin_list(&n);

	if (list == NULL) {
		log_error("cannot read the plugin directory %s: %s",
		          plugin_dir(), strerror(errno));
		return EXIT_FAIL;
	}
	printf("plugins in %s:\n", plugin_dir());
	for (size_t i = 0; i < n; i++) {
		if (list[i].why == NULL)
			printf("%-24s usable\n", list[i].name);
		else
			printf("%-24s unusable: %s\n", list[i].name,
			       list[i].why);
	}
	plugin_list_free(list, n);
	return EXIT_OK;
}

/*
 * Link fence_hb_NAME in DIR to TARGET (a name in DIR). A link already
 * there is ours if it names TARGET or resolves to this program (EXE, its
 * real path); anything else is left alone. Returns the exit code.
 */
static int
link_one(const char *dir, const char *target, const char *exe, const char *name)
{
	char *link = xasprintf("%s/fence_hb_%s", dir, name);
	char buf[PATH_MAX];
	ssize_t n;
	int rc = EXIT_FAIL;
	char *path, *why = plugin_check_file(plugin_dir(), name, &path);

	if (why != NULL) {
		log_error("not linking %s: %s", link, why);
		free(why);
		free(link);
		return EXIT_FAIL;
	}
	free(path);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n >= 0) {
		char *real = realpath(link, NULL);

		buf[n] = '\0';
		if (strcmp(buf, target) == 0 ||
		    (real != NULL && strcmp(real, exe) == 0)) {
			printf("%s -> %s (already there)\n", link, buf);
			rc = EXIT_OK;
		} else {
			log_error("%s exists and links to %s, not to %s: left "
			          "alone",
			          link, buf, target);
		}
		free(real);
	} else if (errno == EINVAL) {
		log_error("%s exists and is not a link: left alone", link);
	} else if (errno != ENOENT) {
		log_error("%s: %s", link, strerror(errno));
	} else if (symlink(target, link) < 0) {
		log_error("cannot create %s: %s", link, strerror(errno));
	} else {
		printf("%s -> %s\n", link, target);
		rc = EXIT_OK;
	}
	free(link);
	return rc;
}

int
admin_link(const char *plugin)
{
	char *exe = realpath("/proc/self/exe", NULL), *d, *b;
	const char *dir, *target;
	struct plugin_entry *list;
	int rc = EXIT_OK;
	size_t n;

	if (exe == NULL) {
		log_error("cannot find this program's path: %s",
		          strerror(errno));
		return EXIT_FAIL;
	}
	d = xstrdup(exe);
	b = xstrdup(exe);
	dir = dirname(d);
	target = basename(b);
	if (plugin != NULL) {
		const char *name = plugin_bare_name(plugin);

		if (plugin_name_problem(name) != NULL) {
			log_error("plugin '%s' refused: %s", name,
			          plugin_name_problem(name));
			rc = EXIT_FAIL;
		} else {
			rc = link_one(dir, target, exe, name);
		}
	} else if ((list = plugin_list(&n)) == NULL) {
		log_error("cannot read the plugin directory %s: %s",
		          plugin_dir(), strerror(errno));
		rc = EXIT_FAIL;
	} else {
		for (size_t i = 0; i < n; i++) {
			/* Entries that are not plugin names are not plugins. */
			if (!list[i].is_plugin_name)
				continue;
			if (list[i].why != NULL)
				printf("skipped external/%s: %s\n",
				       list[i].name, list[i].why);
			else if (link_one(dir, target, exe, list[i].name) !=
			         EXIT_OK)
				rc = EXIT_FAIL;
		}
		plugin_list_free(list, n);
	}
	free(exe);
	free(d);
	free(b);
	return rc;
}
