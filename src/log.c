/*
 * log.c - where the shim's messages go, with secrets masked.
 *
 * Errors and warnings go to stderr and syslog (the fencer keeps an
 * agent's stderr in its log; syslog is where fence-agents report too).
 * Traces go to stderr only with verbose. A plugin's stderr lines go
 * where actions.c decides once the plugin has ended (log_plugin_line).
 * The debug file gets everything.
 */
#define _GNU_SOURCE
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "xalloc.h"

#define MASK "****"

static const char *prog = "fence_hbwrap";
static int verbose;
static FILE *debug_fp;
static int syslog_open;
/*
 * The values to mask, as a trie, with no limit on their number: node 0
 * is the root, and the edge from a node by a byte is found in a hash
 * table, so that masking walks the text once and, at each place, only
 * as far as some secret begins as the text does.
 */
static struct {
	uint64_t *keys; /* ((node << 8) | byte) + 1 of each edge; 0: free */
	size_t *to;     /* the node that edge leads to */
	size_t cap;     /* slots: 0 or a power of two */
	size_t nedges;
	size_t *ends; /* per node: non-zero if a secret ends there */
	size_t nnodes, nodes_cap;
} trie;

void
log_init(const char *progname)
{
	prog = progname;
}

void
log_set_verbose(int on)
{
	verbose = on;
}

const char *
log_dir(void)
{
	const char *d = getenv("FENCE_HBWRAP_LOG_DIR");

	return d != NULL && *d != '\0' ? d : LOG_DIR;
}

/* The name of PATH inside the log directory, or NULL if PATH is not
 * LOG_DIR/NAME (one name, not "." or ".."). Points into PATH. */
static const char *
name_in_log_dir(const char *path)
{
	const char *dir = log_dir(), *name;
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (strncmp(path, dir, n) != 0 || path[n] != '/')
		return NULL;
	name = path + n + 1;
	if (*name == '\0' || strchr(name, '/') != NULL || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return NULL;
	return name;
}

/* Why the file (or, with DIR, the log directory) described by ST may
 * not hold a debug file written by us, or NULL if it may. */
static const char *
unsafe_owner_or_mode(const struct stat *st, int dir)
{
	if (st->st_uid != geteuid())
		return dir ? "the log directory belongs to another user"
		           : "it belongs to another user";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return dir ? "the log directory's group or others may write "
		             "to it"
		           : "its group or others may write to it";
	return NULL;
}

/* Open the log directory, which must be ours alone and no symbolic
 * link: its parent (/var/log, group-writable on Debian) may let others
 * replace it by a link to /etc. Returns the descriptor, or -1 with *WHY
 * set (for the caller's warning). */
static int
open_log_dir(const char **why)
{
	static char error[PATH_MAX + 128];
	char dir[PATH_MAX];
	struct stat st;
	size_t n = strlen(log_dir());
	int dfd;

	/* A trailing '/' would make the kernel follow a last link. */
	while (n > 1 && log_dir()[n - 1] == '/')
		n--;
	if (n >= sizeof(dir)) {
		*why = "the log directory's name is too long";
		return -1;
	}
	memcpy(dir, log_dir(), n);
	dir[n] = '\0';
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		int e = errno;

		snprintf(error, sizeof(error), "%s: %s", dir,
		         e == ELOOP || e == ENOTDIR
		                 ? "the log directory is a symbolic link or "
		                   "no directory"
		                 : strerror(e));
		*why = error;
		return -1;
	}
	if (fstat(dfd, &st) < 0)
		*why = "the log directory cannot be examined";
	else
		*why = unsafe_owner_or_mode(&st, 1);
	if (*why != NULL) {
		close(dfd);
		return -1;
	}
	return dfd;
}

/*
 * Open NAME in the log directory as a request may: no link followed,
 * never blocking (a FIFO), a regular file of ours that nobody else may
 * write. Returns the descriptor, or -1 with *WHY set.
 */
static int
open_confined(const char *name, const char **why)
{
	struct stat st;
	int dfd, fd, e;

	if ((dfd = open_log_dir(why)) < 0)
		return -1;
	fd = openat(dfd, name,
	            O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	                    O_CLOEXEC,
	            0600);
	e = errno;
	close(dfd);
	if (fd < 0) {
		*why = e == ELOOP   ? "it is a symbolic link"
		       : e == ENXIO ? "it is a FIFO or socket"
		                    : strerror(e);
		return -1;
	}
	if (fstat(fd, &st) < 0)
		*why = "it cannot be examined";
	else if (!S_ISREG(st.st_mode))
		*why = "it is not a regular file";
	else
		*why = unsafe_owner_or_mode(&st, 0);
	if (*why != NULL) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Open PATH as a person at a shell may name it: any file, created 0600;
 * O_NONBLOCK only while opening, so a FIFO without reader is an error
 * and not a hang. Returns the descriptor or -1 (errno). */
static int
open_any(const char *path)
{
	int fd = open(path,
	              O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC,
	              0600);
	int fl;

	if (fd >= 0 && (fl = fcntl(fd, F_GETFL)) >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

int
log_set_debug_file(const char *path, int from_request)
{
	const char *why = NULL, *name = NULL;
	int fd = -1;

	if (debug_fp != NULL) {
		fclose(debug_fp);
		debug_fp = NULL;
	}
	if (from_request && (name = name_in_log_dir(path)) == NULL) {
		log_warn("debug_file '%s' ignored: from stdin, only a file "
		         "directly in %s is accepted",
		         path, log_dir());
		return -1;
	}
	fd = from_request ? open_confined(name, &why) : open_any(path);
	if (fd >= 0 && (debug_fp = fdopen(fd, "a")) != NULL)
		return 0;
	if (why == NULL)
		why = strerror(errno);
	if (fd >= 0)
		close(fd);
	log_warn("debug_file '%s' ignored: %s", path, why);
	return -1;
}

/* A byte that belongs to a word: a secret is masked only where it is
 * not glued to one (so passwd=x leaves "exited" alone). Bytes of UTF-8
 * sequences are letters. */
static int
is_word_byte(char c)
{
	unsigned char u = (unsigned char)c;

	return isalnum(u) || u == '_' || u >= 0x80;
}

/* Non-zero if VALUE is a boolean word: the value of a flag such as
 * ssh_use_key=1, which hides nothing and, masked, would hide every 0 or
 * 1 of the log. */
static int
is_flag_value(const char *value)
{
	static const char *const words[] = {
	        "0", "1", "yes", "no", "true", "false", "on", "off", "y", "n",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strcasecmp(value, words[i]) == 0)
			return 1;
	return 0;
}

/* The slot where the edge KEY is, or the free slot where it would be. */
static size_t
edge_slot(uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ULL;
	size_t i = (size_t)(h ^ (h >> 32)) & (trie.cap - 1);

	while (trie.keys[i] != 0 && trie.keys[i] != key)
		i = (i + 1) & (trie.cap - 1);
	return i;
}

/* The child of NODE by BYTE, or SIZE_MAX. */
static size_t
trie_child(size_t node, unsigned char byte)
{
	uint64_t key = (((uint64_t)node << 8) | byte) + 1;
	size_t i;

	if (trie.cap == 0)
		return SIZE_MAX;
	i = edge_slot(key);
	return trie.keys[i] == key ? trie.to[i] : SIZE_MAX;
}

/* Double the edge table (kept at most half full), rehashing it. */
static void
trie_grow_edges(void)
{
	uint64_t *keys = trie.keys;
	size_t *to = trie.to, cap = trie.cap;

	trie.cap = cap ? cap * 2 : 64;
	trie.keys = xcalloc(trie.cap, sizeof(*trie.keys));
	trie.to = xcalloc(trie.cap, sizeof(*trie.to));
	for (size_t i = 0; i < cap; i++) {
		if (keys[i] != 0) {
			size_t j = edge_slot(keys[i]);

			trie.keys[j] = keys[i];
			trie.to[j] = to[i];
		}
	}
	free(keys);
	free(to);
}

/* A new node; returns its number. */
static size_t
trie_new_node(void)
{
	if (trie.nnodes == trie.nodes_cap) {
		trie.nodes_cap = trie.nodes_cap ? trie.nodes_cap * 2 : 64;
		trie.ends = xrealloc(trie.ends,
		                     trie.nodes_cap * sizeof(*trie.ends));
	}
	trie.ends[trie.nnodes] = 0;
	return trie.nnodes++;
}

void
log_add_secret(const char *value)
{
	size_t node, len = strlen(value);

	if (len == 0 || is_flag_value(value))
		return;
	node = trie.nnodes ? 0 : trie_new_node();
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)value[i];
		size_t child = trie_child(node, b);

		if (child == SIZE_MAX) {
			uint64_t key = (((uint64_t)node << 8) | b) + 1;
			size_t slot;

			if (2 * (trie.nedges + 1) > trie.cap)
				trie_grow_edges();
			child = trie_new_node();
			slot = edge_slot(key);
			trie.keys[slot] = key;
			trie.to[slot] = child;
			trie.nedges++;
		}
		node = child;
	}
	trie.ends[node] = 1;
}

/* Non-zero if the word W (LEN bytes, lower case) of a parameter name
 * says that its value is a secret. */
static int
word_is_secret(const char *w, size_t len)
{
	/* Whole words, and parts that make any word a secret one. */
	static const char *const words[] = {"pw",  "pwd", "pass",
	                                    "psk", "key", "auth"};
	static const char *const parts[] = {
	        "passw", "passphrase", "secret", "token", "community", "cred",
	};
	/* A key is a secret key only after these (apikey, privkey, ...):
	 * not monkey, hotkey or keyboard. */
	static const char *const key_kinds[] = {
	        "api",  "access", "priv", "private", "auth",   "ssh",
	        "enc",  "crypt",  "hmac", "shared",  "secret", "session",
	        "pass", "master", "sign", "license",
	};
	static const char *const not_pass[] = {"bypass", "compass", "surpass",
	                                       "overpass", "trespass"};
	char *word = xstrndup(w, len);
	int secret = 0;

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		secret |= strcmp(word, words[i]) == 0;
	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		secret |= strstr(word, parts[i]) != NULL;
	for (size_t i = 0; i < sizeof(key_kinds) / sizeof(*key_kinds); i++)
		secret |= len == strlen(key_kinds[i]) + 3 &&
		          strncmp(word, key_kinds[i], len - 3) == 0 &&
		          strcmp(word + len - 3, "key") == 0;
	/* authpass, rootpw, adminpwd */
	if (len > 4 && strcmp(word + len - 4, "pass") == 0) {
		int ordinary = 0;

		for (size_t i = 0; i < sizeof(not_pass) / sizeof(*not_pass);
		     i++)
			ordinary |= strcmp(word, not_pass[i]) == 0;
		secret |= !ordinary;
	}
	secret |= (len > 2 && strcmp(word + len - 2, "pw") == 0) ||
	          (len > 3 && strcmp(word + len - 3, "pwd") == 0);
	free(word);
	return secret;
}

int
log_name_is_secret(const char *name)
{
	/* How a secret is passed, or where it is kept, is not a secret
	 * (ipmi's passwd_method=env would otherwise mask every "env"). */
	static const char *const not_suffixes[] = {"_method", "_type", "_mode",
	                                           "_file", "_path"};
	size_t len = strlen(name), start = 0;
	char *low;
	int secret = 0;

	for (size_t i = 0; i < sizeof(not_suffixes) / sizeof(*not_suffixes);
	     i++) {
		size_t sl = strlen(not_suffixes[i]);

		if (len > sl &&
		    strcasecmp(name + len - sl, not_suffixes[i]) == 0)
			return 0;
	}
	low = xstrdup(name);
	for (size_t i = 0; i < len; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	/* Words: runs of letters, split where a lower-case letter meets an
	 * upper-case one (apiKey). */
	for (size_t i = 0; i <= len; i++) {
		int end = i == len || !isalpha((unsigned char)name[i]) ||
		          (i > start && islower((unsigned char)name[i - 1]) &&
		           isupper((unsigned char)name[i]));

		if (!end)
			continue;
		if (i > start)
			secret |= word_is_secret(low + start, i - start);
		start = isalpha((unsigned char)name[i]) ? i : i + 1;
	}
	free(low);
	return secret;
}

/* Length of the longest secret standing at TEXT[AT] as a whole (not
 * glued to a word on either side), or 0. */
static size_t
secret_at(const char *text, size_t len, size_t at)
{
	size_t node = 0, found = 0;

	if (at > 0 && is_word_byte(text[at]) && is_word_byte(text[at - 1]))
		return 0;
	for (size_t k = at; k < len; k++) {
		node = trie_child(node, (unsigned char)text[k]);
		if (node == SIZE_MAX)
			break;
		if (trie.ends[node] &&
		    (k + 1 == len || !is_word_byte(text[k]) ||
		     !is_word_byte(text[k + 1])))
			found = k + 1 - at;
	}
	return found;
}

char *
log_mask_copy(const char *text, size_t len, size_t *out_len)
{
	size_t cap = len + 1, n = 0, from = 0, hit;
	char *out = xmalloc(cap);

	/* One pass: copy up to each secret, then the mask instead of it. */
	for (size_t at = 0; at < len; at += hit ? hit : 1) {
		hit = trie.nedges ? secret_at(text, len, at) : 0;
		if (hit == 0)
			continue;
		if (n + (at - from) + strlen(MASK) + (len - at) + 1 > cap) {
			while (n + (at - from) + strlen(MASK) + (len - at) + 1 >
			       cap)
				cap *= 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + n, text + from, at - from);
		n += at - from;
		memcpy(out + n, MASK, strlen(MASK));
		n += strlen(MASK);
		from = at + hit;
	}
	if (n + (len - from) + 1 > cap)
		out = xrealloc(out, n + (len - from) + 1);
	memcpy(out + n, text + from, len - from);
	n += len - from;
	out[n] = '\0';
	*out_len = n;
	return out;
}

/* Open syslog once, as PROG with our pid. */
static void
syslog_once(void)
{
	if (!syslog_open) {
		openlog(prog, LOG_PID, LOG_DAEMON);
		syslog_open = 1;
	}
}

/* Append "PROG[pid]: LABEL TEXT" (LEN bytes of TEXT) to the debug file. */
static void
to_debug_file(const char *label, const char *text, size_t len)
{
	char stamp[32];
	struct timespec ts;
	struct tm tm;

	if (debug_fp == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(debug_fp, "%s.%03ld %s[%ld]: %s%.*s\n", stamp,
	        ts.tv_nsec / 1000000, prog, (long)getpid(), label, (int)len,
	        text);
	fflush(debug_fp);
}

static void emit(int prio, const char *label, const char *fmt, va_list ap)
        HBWRAP_PRINTF(3, 0);

static void
emit(int prio, const char *label, const char *fmt, va_list ap)
{
	char *raw = NULL, *msg;
	size_t len;
	int is_trace = prio == LOG_DEBUG;

	if (vasprintf(&raw, fmt, ap) < 0)
		return;
	msg = log_mask_copy(raw, strlen(raw), &len);
	free(raw);
	/* One message is one line, whatever a plugin or a value held. */
	for (size_t i = 0; i < len; i++)
		if (msg[i] == '\n' || msg[i] == '\r')
			msg[i] = ' ';

	if (!is_trace || verbose)
		fprintf(stderr, "%s: %s%s\n", prog, label, msg);
	if (!is_trace) {
		syslog_once();
		syslog(prio, "%s%s", label, msg);
	}
	to_debug_file(label, msg, len);
	free(msg);
}

void
log_plugin_line(const char *who, const char *line, size_t len, int prio,
                unsigned to)
{
	char *label = xasprintf("%s: ", who);

	if ((to & LOG_TO_STDERR) || verbose) {
		fwrite(line, 1, len, stderr);
		fputc('\n', stderr);
	}
	if (to & LOG_TO_SYSLOG) {
		syslog_once();
		syslog(prio, "%s%.*s", label, (int)len, line);
	}
	to_debug_file(label, line, len);
	free(label);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_ERR, "error: ", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_WARNING, "warning: ", fmt, ap);
	va_end(ap);
}

void
log_verbose(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_DEBUG, "", fmt, ap);
	va_end(ap);
}

void
log_close(void)
{
	if (debug_fp != NULL) {
		fclose(debug_fp);
		debug_fp = NULL;
	}
	if (syslog_open) {
		closelog();
		syslog_open = 0;
	}
}
