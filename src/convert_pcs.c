/*
 * convert_pcs.c - --convert-cib --pcs: the pcs commands that recreate the
 * converted fencing devices and the fencing levels on a fresh cluster,
 * one per line, quoted for a POSIX shell.
 *
 * Without --show-secrets a secret's value is never printed: the command
 * reads it from an environment variable, "${SECRET_ID_NAME:?...}", so
 * that the shell refuses to run it (instead of creating a device with a
 * wrong password) until the administrator has set the variable.
 *
 * pcs reads options anywhere on its line, so the CIB must not be able
 * to add one: each command ends pcs's options with "--" before its
 * first word from the CIB, and a CIB with a word pcs could take for an
 * option, or that is no valid CIB id or name, gets no commands at all.
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
	size_t len, cap;
	FILE *notes;
	char **vars; /* per pair of every device's params: secret_vars() */
	size_t *first;
};

/* Append the N bytes at S. */
static void
add_n(struct text *t, const char *s, size_t n)
{
	while (t->len + n + 1 > t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->s = xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void
add(struct text *t, const char *s)
{
	add_n(t, s, strlen(s));
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
	struct text t = {NULL, 0, 0, NULL, NULL, NULL};
	size_t n = strlen(s), start = 0;

	if (n > 0 && strspn(s, safe) == n)
		return xstrdup(s);
	add(&t, "'");
	for (size_t i = 0; i <= n; i++) {
		if (s[i] != '\'' && s[i] != '\0')
			continue;
		add_n(&t, s + start, i - start);
		add(&t, s[i] == '\'' ? "'\\''" : "'");
		start = i + 1;
	}
	return t.s;
}

/* ---- the words pcs is given ------------------------------------------ */

/* Non-zero if S is a CIB id as pcs checks one (an XML NCName in ASCII):
 * a letter or _, then letters, digits, _ . -. Pacemaker's names of
 * parameters, meta attributes and operations follow the same rule. */
static int
is_cib_id(const char *s)
{
	static const char more[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
	                           "OPQRSTUVWXYZ0123456789_.-";

	return (isalpha((unsigned char)*s) || *s == '_') &&
	       strspn(s, more) == strlen(s);
}

/* Non-zero if S is a node name a level can target: a host name's
 * letters, digits, _ . - (a digit may come first, a '-' may not). */
static int
is_node_name(const char *s)
{
	return (isalnum((unsigned char)*s) || *s == '_') &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
	                 "YZ0123456789_.-") == strlen(s);
}

/* Non-zero if S holds no control character (it is one word of a line). */
static int
is_text(const char *s)
{
	for (; *s; s++)
		if (iscntrl((unsigned char)*s))
			return 0;
	return 1;
}

/* The reason WHAT S of device/level OF is refused (a new string), with S
 * shown safely: control characters as '?', at most 60 bytes. */
static char *
refusal(const char *what, const char *s, const char *of)
{
	char shown[64];
	size_t n = 0;

	for (; s[n] && n < 60; n++)
		shown[n] = iscntrl((unsigned char)s[n]) ? '?' : s[n];
	strcpy(shown + n, s[n] ? "..." : "");
	return xasprintf("--pcs refuses %s '%s' of %s: %s", what, shown, of,
	                 shown[0] == '-' ? "pcs would read it as an option"
	                                 : "not a valid CIB id or name (a "
	                                   "letter or _, then letters, "
	                                   "digits, _ . -)");
}

/* The agent DEV has on the new cluster: its converted one, its own if
 * it is a fence agent already, or NULL (it cannot be recreated). */
static const char *
new_agent(const struct cv_device *dev)
{
	return dev->agent ? dev->agent : dev->why_not ? NULL : dev->type;
}

/* The first name of P that is no valid CIB name, as a refusal, or NULL. */
static char *
pairs_problem(const struct cv_pairs *p, const char *what, const char *of)
{
	for (size_t i = 0; i < p->n; i++)
		if (!is_cib_id(p->v[i].name))
			return refusal(what, p->v[i].name, of);
	return NULL;
}

/* Why device DEV cannot be given to pcs, or NULL. */
static char *
device_problem(const struct cv_device *dev)
{
	char *of = xasprintf("device %s", dev->id), *why = NULL;

	if (!is_cib_id(dev->id))
		why = refusal("the device id", dev->id, "a fencing device");
	else if (!is_cib_id(new_agent(dev)))
		why = refusal("the agent", new_agent(dev), of);
	else if ((why = pairs_problem(&dev->params, "the nvpair name", of)) ==
	                 NULL &&
	         (why = pairs_problem(&dev->meta, "the meta attribute name",
	                              of)) == NULL)
		for (size_t i = 0; i < dev->nops && why == NULL; i++) {
			const char *name = dev->ops[i].name;

			/* "op" and "meta" would start a new part of the line.
			 */
			if (!is_cib_id(name) || !strcmp(name, "op") ||
			    !strcmp(name, "meta"))
				why = refusal("the op name", name, of);
			else
				why = pairs_problem(&dev->ops[i].attrs,
				                    "the op attribute name",
				                    of);
		}
	free(of);
	return why;
}

/* Non-zero if TARGET (as pcs writes it: NODE, regexp%PATTERN or
 * attrib%NAME=VALUE) is one pcs reads as that, and never as an option. */
static int
is_level_target(const char *t)
{
	char *name;
	int ok;

	if (strncmp(t, "regexp%", 7) == 0)
		return t[7] != '\0' && is_text(t);
	if (strncmp(t, "attrib%", 7) != 0)
		return is_node_name(t);
	name = xstrndup(t + 7, strcspn(t + 7, "="));
	ok = is_cib_id(name) && t[7 + strlen(name)] == '=' && is_text(t);
	free(name);
	return ok;
}

/* Why level L cannot be given to pcs, or NULL. */
static char *
level_problem(const struct cv_level *l)
{
	char *of = xasprintf("fencing level %s", l->index), *why = NULL;
	char *copy = xstrdup(l->devices), *save = NULL, *d;
	size_t n = strlen(l->index);

	if (n == 0 || n > 9 || l->index[0] == '0' ||
	    strspn(l->index, "0123456789") != n)
		why = refusal("the index", l->index, "a fencing level");
	else if (!is_level_target(l->target))
		why = refusal("the target", l->target, of);
	for (d = strtok_r(copy, ",", &save); d && !why;
	     d = strtok_r(NULL, ",", &save))
		if (!is_cib_id(d))
			why = refusal("the device", d, of);
	if (why == NULL && strspn(l->devices, ",") == strlen(l->devices))
		why = refusal("the devices", l->devices, of);
	free(copy);
	free(of);
	return why;
}

char *
convert_pcs_problem(const struct cv_cib *cib)
{
	struct cv_set ids = {NULL, 0, 0};
	char *why = NULL;

	for (size_t i = 0; i < cib->ndev && why == NULL; i++) {
		const struct cv_device *d = &cib->dev[i];

		if (new_agent(d) == NULL)
			continue;
		if ((why = device_problem(d)) == NULL &&
		    !cv_set_add(&ids, d->id))
			why = xasprintf("--pcs refuses the device id '%s': two "
			                "devices have it",
			                d->id);
	}
	for (size_t i = 0; i < cib->nlvl && why == NULL; i++)
		why = level_problem(&cib->lvl[i]);
	cv_set_free(&ids);
	return why;
}

/* ---- the secrets' variables ---------------------------------------- */

/* The variable SECRET_ID_NAME, folded to [A-Z0-9_]. */
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

/* Non-zero if parameter K of DEV is a secret pcs is told of by a
 * variable (unless SHOW): a secret name, given first there. */
static int
is_hidden(const struct cv_pairs *p, size_t k, struct cv_set *given, int show)
{
	return cv_set_add(given, p->v[k].name) && !show &&
	       log_name_is_secret(p->v[k].name);
}

/* The variable of each secret of CIB's recreated devices before it is
 * made unique, into BASE[first[i] + k]; the names given twice go to
 * TWICE, every name to SEEN. */
static void
fold_secrets(const struct cv_cib *cib, const size_t *first, int show,
             char **base, struct cv_set *seen, struct cv_set *twice)
{
	for (size_t i = 0; i < cib->ndev; i++) {
		const struct cv_device *d = &cib->dev[i];
		struct cv_set given = {NULL, 0, 0};

		for (size_t k = 0; new_agent(d) && k < d->params.n; k++) {
			char **v = &base[first[i] + k];

			if (!is_hidden(&d->params, k, &given, show))
				continue;
			*v = secret_var(d->id, d->params.v[k].name);
			if (!cv_set_add(seen, *v))
				cv_set_add(twice, *v);
		}
		cv_set_free(&given);
	}
}

/*
 * The variable of every secret of CIB's recreated devices, into T:
 * vars[first[i] + k] for parameter k of device i, or NULL. Folding ids
 * and names to [A-Z0-9_] may give two secrets one name (f-1 and f.1):
 * those each get _1, _2, ... in document order instead, the first
 * number that no other variable has.
 */
static void
secret_vars(struct text *t, const struct cv_cib *cib, int show)
{
	struct cv_set seen = {NULL, 0, 0}, twice = {NULL, 0, 0};
	size_t total = 0;
	char **base;

	t->first = xcalloc(cib->ndev + 1, sizeof(*t->first));
	for (size_t i = 0; i < cib->ndev; i++) {
		t->first[i] = total;
		total += cib->dev[i].params.n;
	}
	t->vars = xcalloc(total + 1, sizeof(*t->vars));
	base = xcalloc(total + 1, sizeof(*base));
	fold_secrets(cib, t->first, show, base, &seen, &twice);
	for (size_t j = 0; j < total; j++) {
		if (base[j] == NULL || !cv_set_has(&twice, base[j])) {
			t->vars[j] = base[j];
			base[j] = NULL;
			continue;
		}
		for (size_t n = 1; t->vars[j] == NULL; n++) {
			char *v = xasprintf("%s_%zu", base[j], n);

			if (cv_set_add(&seen, v))
				t->vars[j] = v;
			else
				free(v);
		}
	}
	cv_set_free(&seen);
	cv_set_free(&twice);
	for (size_t j = 0; j < total; j++)
		free(base[j]);
	free(base);
}

/* ---- the commands ---------------------------------------------------- */

/* Add " NAME=VALUE" for each pair of P (parameter K of device I is
 * VARS[K] when VARS is set), a secret one as a variable the shell must
 * have. A repeated name is given once, its first value (pcs would
 * refuse it twice). */
static void
add_pairs(struct text *t, const char *id, const struct cv_pairs *p,
          char *const *vars)
{
	struct cv_set given = {NULL, 0, 0};

	for (size_t i = 0; i < p->n; i++) {
		const struct cv_pair *a = &p->v[i];
		char *word, *msg;

		if (!cv_set_add(&given, a->name))
			continue;
		if (vars == NULL || vars[i] == NULL) {
			word = xasprintf("%s=%s", a->name, a->value);
			add_word(t, word);
			free(word);
			continue;
		}
		word = xasprintf("%s=", a->name);
		add_word(t, word);
		free(word);
		msg = xasprintf("must hold the secret %s of %s", a->name, id);
		for (char *c = msg; *c; c++)
			if (!isalnum((unsigned char)*c) && !strchr(" _.-", *c))
				*c = '_';
		word = xasprintf("\"${%s:?%s}\"", vars[i], msg);
		add(t, word);
		fprintf(t->notes,
		        "pcs: %s: set %s to the secret %s before running the "
		        "commands, or use --show-secrets\n",
		        id, vars[i], a->name);
		free(word);
		free(msg);
	}
	cv_set_free(&given);
}

/* Add the pcs stonith create command of device I of CIB. */
static void
add_create(struct text *t, const struct cv_cib *cib, size_t i)
{
	const struct cv_device *dev = &cib->dev[i];

	add(t, "pcs stonith create --");
	add_word(t, dev->id);
	add_word(t, new_agent(dev));
	add_pairs(t, dev->id, &dev->params, t->vars + t->first[i]);
	for (size_t k = 0; k < dev->nops; k++) {
		add(t, " op");
		add_word(t, dev->ops[k].name);
		add_pairs(t, dev->id, &dev->ops[k].attrs, NULL);
	}
	if (dev->meta.n > 0) {
		add(t, " meta");
		add_pairs(t, dev->id, &dev->meta, NULL);
	}
	add(t, "\n");
}

/* Non-zero if DEVICES (comma-separated ids) are all in CREATED. */
static int
all_created(const struct cv_set *created, const char *devices)
{
	char *copy = xstrdup(devices), *save = NULL;
	int all = 1;

	for (char *d = strtok_r(copy, ",", &save); d && all;
	     d = strtok_r(NULL, ",", &save))
		all = cv_set_has(created, d);
	free(copy);
	return all;
}

/* Add the pcs stonith level add command of L, or a note saying why it
 * cannot be given. */
static void
add_level(struct text *t, const struct cv_set *created,
          const struct cv_level *l)
{
	char *copy, *save = NULL;

	if (!all_created(created, l->devices)) {
		fprintf(t->notes,
		        "pcs: fencing level %s of %s names a device not "
		        "recreated: add it by hand\n",
		        l->index, l->target);
		return;
	}
	add(t, "pcs stonith level add --");
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
	struct text t = {NULL, 0, 0, notes, NULL, NULL};
	struct cv_set created = {NULL, 0, 0};
	char *why = convert_pcs_problem(cib);
	size_t total = 0;

	if (why != NULL) {
		free(why);
		return NULL;
	}
	add(&t, "");
	secret_vars(&t, cib, show_secrets);
	for (size_t i = 0; i < cib->ndev; i++)
		if (new_agent(&cib->dev[i]) != NULL) {
			add_create(&t, cib, i);
			cv_set_add(&created, cib->dev[i].id);
		}
	for (size_t i = 0; i < cib->nlvl; i++)
		add_level(&t, &created, &cib->lvl[i]);
	for (size_t i = 0; i < cib->ndev; i++)
		total += cib->dev[i].params.n;
	for (size_t j = 0; j < total; j++)
		free(t.vars[j]);
	free(t.vars);
	free(t.first);
	cv_set_free(&created);
	return t.s;
}
