/*
 * plugin.c - choosing the plugin and checking its file before it runs.
 */
#define _GNU_SOURCE
#include "plugin.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

#ifndef PLUGIN_DIR
#define PLUGIN_DIR "/usr/lib/stonith/plugins/external"
#endif
#ifndef HELPER_DIR
#define HELPER_DIR "/usr/libexec/fence-heartbeat-wrap"
#endif

static const char *
env_or(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v != NULL && *v != '\0' ? v : def;
}

const char *
plugin_dir(void)
{
	return env_or("FENCE_HBWRAP_PLUGIN_DIR", PLUGIN_DIR);
}

const char *
helper_dir(void)
{
	return env_or("FENCE_HBWRAP_HELPER_DIR", HELPER_DIR);
}

const char *
personality_plugin(const char *progname)
{
	size_t n = strlen(PERSONALITY_PREFIX);

	if (strncmp(progname, PERSONALITY_PREFIX, n) == 0 && progname[n])
		return progname + n;
	return NULL;
}

const char *
plugin_bare_name(const char *name)
{
	return strncmp(name, "external/", 9) == 0 ? name + 9 : name;
}

const char *
plugin_name_problem(const char *name)
{
	if (*name == '\0')
		return "the name is empty";
	if (strlen(name) > NAME_MAX)
		return "the name is too long";
	if (strchr(name, '/') != NULL)
		return "a plugin is a bare name inside the plugin directory, "
		       "not a path";
	if (name[0] == '.' || name[0] == '-')
		return "a plugin name cannot start with '.' or '-'";
	for (const char *c = name; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("._+-", *c)))
			return "a plugin name holds only letters, digits and "
			       "._+-";
	}
	return NULL;
}

const char *
plugin_resolve(const char *progname, const char *param)
{
	const char *named = personality_plugin(progname);
	const char *problem;

	if (param != NULL)
		param = plugin_bare_name(param);
	if (named != NULL && param != NULL && strcmp(named, param) != 0) {
		log_error("plugin=%s conflicts with the program name %s", param,
		          progname);
		return NULL;
	}
	if (named == NULL)
		named = param;
	if (named == NULL) {
		log_error("no plugin given: use plugin=NAME (--plugin=NAME) "
		          "or call this program as %sNAME",
		          PERSONALITY_PREFIX);
		return NULL;
	}
	if ((problem = plugin_name_problem(named)) != NULL) {
		log_error("plugin '%s' refused: %s", named, problem);
		return NULL;
	}
	return named;
}

/* NULL if directory D may hold a plugin: owned by root or by us, and
 * writable by no one else (a root-owned sticky directory such as /tmp
 * excepted: no one else can rename what is in it). Else a reason. */
static char *
dir_problem(const char *d)
{
	struct stat st;

	if (lstat(d, &st) < 0)
		return xasprintf("%s: %s", d, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return xasprintf("%s is not a directory", d);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return xasprintf("directory %s is owned by uid %lu, neither "
		                 "root nor the running user",
		                 d, (unsigned long)st.st_uid);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
	    !((st.st_mode & S_ISVTX) && st.st_uid == 0))
		return xasprintf(
		        "directory %s is writable by %s (mode %04o): "
		        "another user could replace the plugin",
		        d, (st.st_mode & S_IWOTH) ? "others" : "its group",
		        (unsigned)(st.st_mode & 07777));
	return NULL;
}

/* NULL if every directory from / down to REAL (a resolved path, no
 * link in it) passes dir_problem(). */
static char *
dir_chain_problem(char *real)
{
	char *why = dir_problem("/");

	for (char *s = real + 1; why == NULL && *s; s++) {
		char c = s[1];

		if (c != '/' && c != '\0')
			continue;
		s[1] = '\0';
		why = dir_problem(real);
		s[1] = c;
	}
	return why;
}

/* Why the file P (in the resolved directory RDIR) may not run as a
 * plugin, or NULL; ST is its lstat(). A link may name another plugin of
 * RDIR, never a file elsewhere. */
static char *
file_problem(const char *rdir, const char *p, struct stat *st)
{
	if (S_ISLNK(st->st_mode)) {
		char *real = realpath(p, NULL), *why = NULL;
		size_t n = strlen(rdir);

		if (real == NULL)
			why = xasprintf("%s: cannot resolve the link: %s", p,
			                strerror(errno));
		else if (strncmp(real, rdir, n) != 0 || real[n] != '/' ||
		         strchr(real + n + 1, '/') != NULL)
			why = xasprintf("%s is a symlink that leaves the "
			                "plugin directory (to %s)",
			                p, real);
		free(real);
		if (why != NULL)
			return why;
		if (stat(p, st) < 0)
			return xasprintf("%s: %s", p, strerror(errno));
	}
	if (!S_ISREG(st->st_mode))
		return xasprintf("%s is not a regular file", p);
	if (!(st->st_mode & S_IXUSR) || access(p, X_OK) < 0)
		return xasprintf("%s is not executable", p);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return xasprintf(
		        "%s is writable by %s (mode %04o); a plugin "
		        "must not be: chmod go-w it",
		        p, (st->st_mode & S_IWOTH) ? "others" : "its group",
		        (unsigned)(st->st_mode & 07777));
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return xasprintf("%s is owned by uid %lu, neither root nor the "
		                 "running user",
		                 p, (unsigned long)st->st_uid);
	return NULL;
}

/*
 * The directory is resolved once, and everything after (the file's
 * checks, the chain's, and the path returned, which run_calls executes)
 * uses that resolved path: a link on the way as written (one another
 * user owns, in a sticky directory) can be re-pointed at will, the
 * checked directories cannot.
 */
char *
plugin_check_file(const char *dir, const char *name, char **path)
{
	char *rdir = realpath(dir, NULL), *p = NULL, *why;
	struct stat st;

	*path = NULL;
	if (rdir == NULL)
		return xasprintf("%s: %s", dir, strerror(errno));
	p = xasprintf("%s/%s", strcmp(rdir, "/") ? rdir : "", name);
	if (lstat(p, &st) < 0)
		why = xasprintf("%s: %s", p, strerror(errno));
	else if ((why = file_problem(rdir, p, &st)) == NULL)
		why = dir_chain_problem(rdir);
	free(rdir);
	if (why == NULL)
		*path = p;
	else
		free(p);
	return why;
}

char *
plugin_locate(const char *name)
{
	char *path, *why = plugin_check_file(plugin_dir(), name, &path);

	if (why != NULL) {
		log_error("plugin '%s' cannot be used: %s", name, why);
		free(why);
		return NULL;
	}
	return path;
}

struct plugin_entry *
plugin_list(size_t *n)
{
	struct dirent **ents = NULL;
	int count = scandir(plugin_dir(), &ents, NULL, alphasort);
	struct plugin_entry *list;

	*n = 0;
	if (count < 0)
		return NULL;
	list = xcalloc((size_t)count + 1, sizeof(*list));
	for (int i = 0; i < count; i++) {
		const char *name = ents[i]->d_name, *problem;
		struct plugin_entry *e = &list[*n];
		char *path = NULL;

		if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
			e->name = xstrdup(name);
			problem = plugin_name_problem(name);
			e->is_plugin_name = problem == NULL;
			e->why = problem != NULL
			                 ? xstrdup(problem)
			                 : plugin_check_file(plugin_dir(), name,
			                                     &path);
			free(path);
			(*n)++;
		}
		free(ents[i]);
	}
	free(ents);
	return list;
}

void
plugin_list_free(struct plugin_entry *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].why);
	}
	free(list);
}
