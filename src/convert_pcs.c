/*
 * convert_pcs.c - --convert-cib --pcs: the pcs commands that recreate the
 * converted fencing devices and the fencing levels on a fresh cluster,
 * one per line, quoted for a POSIX shell.
 *
 * Without --show-secrets a secret's value is never printed: the command
 * reads it from an environment variable, "${SECRET_ID_NAME:?...}", so
 * that the shell refuses to run it (instead of creating a device with a
 * wrong password) until the administrator has set the variable.
 */
#define _GNU_SOURCE
#include "convert.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xalloc.h"

/* The growing text of the commands, and where notes to the reader go
 * (the commands stay pure: a file of them runs as it is). */
struct text {
	char *s;
	size_t len;
	FILE *notes;
};

static void
add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	t->s = xrealloc(t->s, t->len + n + 1);
	memcpy(t->s + t->len, s, n + 1);
	t->len += n;
}

/* Add " " and S, quoted. */
static void
add_word(struct text *t, const char *s)
{
	char *q = convert_shell_quote(s);

	add(t, " ");
	add(t, q);
	free(q);
}

char *
convert_shell_quote(const char *s)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
	                           "QRSTUVWXYZ0123456789_@%+=:,./-";
	struct text t = {NULL, 0, NULL};

	if (*s != '\0' && strspn(s, safe) == strlen(s))
		return xstrdup(s);
	add(&t, "'");
	for (const char *c = s; *c; c++) {
		char one[2] = {*c, '\0'};

		add(&t, *c == '\'' ? "'\\''" : one);
	}
	add(&t, "'");
	return t.s;
}

/* The environment variable that holds secret NAME of device ID. */
static char *
secret_var(const char *id, const char *name)
{
	char *v = xasprintf("SECRET_%s_%s", id, name);

	for (char *c = v; *c; c++)
		*c = isalnum((unsigned char)*c)
		             ? (char)toupper((unsigned char)*c)
		             : '_';
	return v;
}

/* Add " NAME=VALUE" for each pair of P, a secret one as
 * a variable the shell must have (unless SHOW). A repeated name is
 * given once, its first value (pcs would refuse it twice). */
static void
add_pairs(struct text *t, const char *id, const struct cv_pairs *p, int show)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct cv_pair *a = &p->v[i];
		char *word, *var, *msg;
		int seen = 0;

		for (size_t k = 0; k < i; k++)
			seen |= strcmp(p->v[k].name, a->name) == 0;
		if (seen)
			continue;
		if (show || !log_name_is_secret(a->name)) {
			word = xasprintf("%s=%s", a->name, a->value);
			add_word(t, word);
			free(word);
			continue;
		}
		var = secret_var(id, a->name);
		word = xasprintf("%s=", a->name);
		add_word(t, word);
		free(word);
		msg = xasprintf("must hold the secret %s of %s", a->name, id);
		for (char *c = msg; *c; c++)
			if (!isalnum((unsigned char)*c) && !strchr(" _.-", *c))
				*c = '_';
		word = xasprintf("\"${%s:?%s}\"", var, msg);
		add(t, word);
		fprintf(t->notes,
		        "pcs: %s: set %s to the secret %s before running the "
		        "commands, or use --show-secrets\n",
		        id, var, a->name);
		free(word);
		free(msg);
		free(var);
	}
}

/* The agent DEV has on the new cluster: its converted one, its own if
 * it is a fence agent already, or NULL (it cannot be recreated). */
static const char *
new_agent(const struct cv_device *dev)
{
	return dev->agent ? dev->agent : dev->why_not ? NULL : dev->type;
}

/* Add the pcs stonith create command of DEV. */
static void
add_create(struct text *t, const struct cv_device *dev, int show)
{
	add(t, "pcs stonith create");
	add_word(t, dev->id);
	add_word(t, new_agent(dev));
	add_pairs(t, dev->id, &dev->params, show);
	for (size_t i = 0; i < dev->nops; i++) {
		add(t, " op");
		add_word(t, dev->ops[i].name);
		add_pairs(t, dev->id, &dev->ops[i].attrs, 1);
	}
	if (dev->meta.n > 0) {
		add(t, " meta");
		add_pairs(t, dev->id, &dev->meta, 1);
	}
	add(t, "\n");
}

/* Non-zero if DEVICES (comma-separated ids) are all created by CIB. */
static int
all_created(const struct cv_cib *cib, const char *devices)
{
	char *copy = xstrdup(devices), *save = NULL;
	int all = 1;

	for (char *d = strtok_r(copy, ",", &save); d && all;
	     d = strtok_r(NULL, ",", &save)) {
		int found = 0;

		for (size_t i = 0; i < cib->ndev; i++)
			found |= new_agent(&cib->dev[i]) &&
			         !strcmp(cib->dev[i].id, d);
		all = found;
	}
	free(copy);
	return all;
}

/* Add the pcs stonith level add command of L, or a note saying why it
 * cannot be given. */
static void
add_level(struct text *t, const struct cv_cib *cib, const struct cv_level *l)
{
	char *copy, *save = NULL;

	if (!all_created(cib, l->devices)) {
		fprintf(t->notes,
		        "pcs: fencing level %s of %s names a device not "
		        "recreated: add it by hand\n",
		        l->index, l->target);
		return;
	}
	add(t, "pcs stonith level add");
	add_word(t, l->index);
	add_word(t, l->target);
	copy = xstrdup(l->devices);
	for (char *d = strtok_r(copy, ",", &save); d;
	     d = strtok_r(NULL, ",", &save))
		add_word(t, d);
	free(copy);
	add(t, "\n");
}

char *
convert_pcs(const struct cv_cib *cib, int show_secrets, FILE *notes)
{
	struct text t = {xstrdup(""), 0, notes};

	for (size_t i = 0; i < cib->ndev; i++)
		if (new_agent(&cib->dev[i]) != NULL)
			add_create(&t, &cib->dev[i], show_secrets);
	for (size_t i = 0; i < cib->nlvl; i++)
		add_level(&t, cib, &cib->lvl[i]);
	return t.s;
}
