/*
 * env.c - building the plugin's environment from nothing.
 */
#define _GNU_SOURCE
#include "env.h"

#include <stdlib.h>
#include <string.h>

#include "declared.h"
#include "log.h"
#include "xalloc.h"

#define SYSTEM_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * Kept from our caller: locale and time zone (plugins parse tool output),
 * HOME (ssh-based plugins find their keys there), and cluster-glue's
 * logging knobs that our ha_log.sh honours.
 */
const char *const env_keep_list[] = {
        "HOME",           "LANG",       "LANGUAGE",    "LC_ALL", "LC_CTYPE",
        "LC_MESSAGES",    "LC_NUMERIC", "LC_TIME",     "TZ",     "HA_debug",
        "HA_LOGFACILITY", "HA_LOGFILE", "HA_DEBUGLOG", NULL,
};

/* Set by the shim itself. */
static const char *const shim_names[] = {"PATH", "HA_LOGTAG"};

/* Exact names never exported. */
static const char *const refused_names[] = {
        /* shells: startup files, tracing, word splitting */
        "ENV",
        "BASH_ENV",
        "BASH_XTRACEFD",
        "SHELLOPTS",
        "BASHOPTS",
        "PS4",
        "IFS",
        "CDPATH",
        "GLOBIGNORE",
        "PROMPT_COMMAND",
        /* glibc's list of variables unsafe for privileged programs */
        "GCONV_PATH",
        "GETCONF_DIR",
        "GLIBC_TUNABLES",
        "HOSTALIASES",
        "LOCALDOMAIN",
        "LOCPATH",
        "NIS_PATH",
        "NLSPATH",
        "RESOLV_HOST_CONF",
        "RES_OPTIONS",
        "TMPDIR",
        "TZDIR",
        /* interpreters that load code or options from the environment */
        "PERLLIB",
        "PERLIO",
        "TCLLIBPATH",
        "PHPRC",
        "PHP_INI_SCAN_DIR",
        "CLASSPATH",
        "JAVA_TOOL_OPTIONS",
        "_JAVA_OPTIONS",
        "JDK_JAVA_OPTIONS",
        /* user-level configuration and key logging */
        "HOME",
        "SSLKEYLOGFILE",
        /* programs that run other programs or load modules named here */
        "SSH_ASKPASS",
        "SSH_ASKPASS_REQUIRE",
        "KRB5_CONFIG",
        "PERLDB_OPTS",
        "ZDOTDIR",
        "BASH_COMPAT",
        "TMOUT",
        "SHELL",
        "PAGER",
        "EDITOR",
        "VISUAL",
        "LESSOPEN",
        "LESSCLOSE",
        "TERMINFO",
        "TERMINFO_DIRS",
        "TERMCAP",
        "INPUTRC",
        /* the device tools' own configuration files and module paths:
         * curl, wget, net-snmp, Tcl/Tk (expect) */
        "CURL_HOME",
        "CURL_CA_BUNDLE",
        "WGETRC",
        "SYSTEM_WGETRC",
        "SNMPCONFPATH",
        "SNMP_PERSISTENT_DIR",
        "MIBDIRS",
        "TCL_LIBRARY",
        "TK_LIBRARY",
        /* files our ha_log.sh would append to as root, and a zone file
         * (kept from the caller's environment, never from a request) */
        "HA_LOGFILE",
        "HA_DEBUGLOG",
        "TZ",
};

/* Name prefixes never exported. */
static const char *const refused_prefixes[] = {
        "LD_",
        "BASH_FUNC_",
        "MALLOC_",
        "PYTHON",
        "PERL5",
        "RUBY",
        "NODE_",
        "LUA_",
        "OPENSSL_",
        "XDG_",
        "GEM_",
        /* GIT_SSH_COMMAND, GIT_CONFIG_*: commands and configuration */
        "GIT_",
};

const char *
env_name_refused(const char *name)
{
	for (size_t i = 0; i < sizeof(shim_names) / sizeof(*shim_names); i++)
		if (strcmp(name, shim_names[i]) == 0)
			return "the shim sets it itself";
	for (size_t i = 0; i < sizeof(refused_names) / sizeof(*refused_names);
	     i++)
		if (strcmp(name, refused_names[i]) == 0)
			return "it changes how the plugin's shell, "
			       "interpreter, "
			       "libc or tools behave";
	for (size_t i = 0;
	     i < sizeof(refused_prefixes) / sizeof(*refused_prefixes); i++)
		if (strncmp(name, refused_prefixes[i],
		            strlen(refused_prefixes[i])) == 0)
			return "it changes how the plugin's loader, "
			       "interpreter or libc behaves";
	return NULL;
}

/* Growing NAME=value array; a name set again replaces the earlier one. */
struct envv {
	char **v;
	size_t n, cap;
};

static void
envv_set(struct envv *e, const char *name, const char *value)
{
	size_t nlen = strlen(name);
	char *entry = xasprintf("%s=%s", name, value);

	for (size_t i = 0; i < e->n; i++) {
		if (strncmp(e->v[i], name, nlen) == 0 && e->v[i][nlen] == '=') {
			free(e->v[i]);
			e->v[i] = entry;
			return;
		}
	}
	if (e->n + 2 > e->cap) {
		e->cap = e->cap ? e->cap * 2 : 32;
		e->v = xrealloc(e->v, e->cap * sizeof(*e->v));
	}
	e->v[e->n++] = entry;
	e->v[e->n] = NULL;
}

static const char *
lookup(char *const *environ_in, const char *name)
{
	size_t nlen = strlen(name);

	for (char *const *p = environ_in; p && *p; p++)
		if (strncmp(*p, name, nlen) == 0 && (*p)[nlen] == '=')
			return *p + nlen + 1;
	return NULL;
}

/*
 * PATH for the plugin, as cluster-glue gives it: our helpers first, then
 * the caller's PATH (the fencer's, with /usr/local/bin where device tools
 * live) without the empty and relative entries that would make the
 * plugin run what lies in its working directory; the system default
 * when nothing is left. Caller frees.
 */
char *
env_plugin_path(char *const *environ_in, const char *helper_dir)
{
	const char *caller = lookup(environ_in, "PATH");
	char *copy = xstrdup(caller ? caller : ""), *save = NULL, *kept;
	size_t len = 0;

	kept = xmalloc(strlen(copy) + 1);
	kept[0] = '\0';
	for (char *dir = strtok_r(copy, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		if (dir[0] != '/')
			continue;
		len += (size_t)sprintf(kept + len, "%s%s", len ? ":" : "", dir);
	}
	free(copy);
	copy = xasprintf("%s:%s", helper_dir, len ? kept : SYSTEM_PATH);
	free(kept);
	return copy;
}

/* The one request parameter PARAM, if it may be exported: 0, or -1
 * after a one-line error naming it. */
static int
check_exportable(const char *name)
{
	const char *why;

	if (!name_is_valid(name)) {
		log_error("parameter '%s' refused: not a valid environment "
		          "variable name",
		          name);
		return -1;
	}
	if ((why = env_name_refused(name)) != NULL) {
		log_error("parameter '%s' refused: it is never passed to a "
		          "plugin, as %s",
		          name, why);
		return -1;
	}
	return 0;
}

int
env_check_declared(const char *plugin, const struct params *params,
                   const struct declared *declared)
{
	for (size_t i = 0; i < params->n; i++) {
		const char *name = params->v[i].name;
		char *list;

		if (option_find(name) != NULL || declared_has(declared, name))
			continue;
		list = declared_list(declared);
		log_error("parameter '%s' refused: plugin %s does not declare "
		          "it (it declares: %s)",
		          name, plugin, list);
		free(list);
		return -1;
	}
	return 0;
}

/* The caller's keep-list, PATH and HA_LOGTAG into E. */
static void
set_base(struct envv *e, char *const *environ_in, const char *plugin,
         const char *helper_dir)
{
	const char *v;
	char *s;

	for (const char *const *k = env_keep_list; *k; k++)
		if ((v = lookup(environ_in, *k)) != NULL)
			envv_set(e, *k, v);
	s = env_plugin_path(environ_in, helper_dir);
	envv_set(e, "PATH", s);
	free(s);
	s = xasprintf("external/%s", plugin);
	envv_set(e, "HA_LOGTAG", s);
	free(s);
}

/* Every parameter of PARAMS that is not one of the shim's own options
 * into E. Returns 0, or -1 after a one-line error naming a refused one. */
static int
set_params(struct envv *e, const struct params *params)
{
	for (size_t i = 0; i < params->n; i++) {
		const char *name = params->v[i].name;

		if (option_is_shim_only(name))
			continue;
		if (check_exportable(name) < 0)
			return -1;
		envv_set(e, name, params->v[i].value);
	}
	return 0;
}

/*
 * The value a request gives a declared name that is also one of the
 * shim's options (a plugin's own "port": the target), or NULL.
 */
static const char *
shim_option_value(const struct params *params, const char *name,
                  const char *target)
{
	if (strcmp(name, "port") == 0 || strcmp(name, "plug") == 0)
		return target;
	return params_get(params, name);
}

char **
env_build_declared(char *const *environ_in, const char *plugin,
                   const char *helper_dir, const struct params *params,
                   const struct declared *declared, const char *target)
{
	struct envv e = {0};

	set_base(&e, environ_in, plugin, helper_dir);
	if (declared != NULL &&
	    (env_check_declared(plugin, params, declared) < 0 ||
	     set_params(&e, params) < 0))
		goto fail;
	for (size_t i = 0; declared != NULL && i < declared->n; i++) {
		const char *name = declared->names[i], *v;

		if (!option_is_shim_only(name) ||
		    (v = shim_option_value(params, name, target)) == NULL)
			continue;
		if (check_exportable(name) < 0)
			goto fail;
		envv_set(&e, name, v);
	}
	return e.v;
fail:
	env_free(e.v);
	return NULL;
}

char **
env_build(char *const *environ_in, const char *plugin, const char *helper_dir,
          const struct params *params)
{
	struct envv e = {0};

	set_base(&e, environ_in, plugin, helper_dir);
	if (set_params(&e, params) < 0) {
		env_free(e.v);
		return NULL;
	}
	return e.v;
}

void
env_free(char **envp)
{
	for (char **p = envp; p && *p; p++)
		free(*p);
	free(envp);
}
