/*
 * metacache.c - per-plugin metadata kept in a root-only directory.
 */
#define _GNU_SOURCE
#include "metacache.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "plugin.h"
#include "run.h"
#include "xalloc.h"

#ifndef CACHE_DIR
#define CACHE_DIR "/run/fence-heartbeat-wrap"
#endif
#ifndef VERSION
#define VERSION "unknown"
#endif

const char *
metacache_dir(void)
{
	const char *d = getenv("FENCE_HBWRAP_CACHE_DIR");

	return d != NULL && *d != '\0' ? d : CACHE_DIR;
}

char *
metacache_key(const char *agent, const char *path, int generic)
{
	struct stat p, self;

	if (strcmp(metacache_dir(), "none") == 0 || stat(path, &p) < 0 ||
	    stat("/proc/self/exe", &self) < 0)
		return NULL;
	return xasprintf(
	        "fence-heartbeat-wrap %s exe=%ju:%ju:%jd.%09ld agent=%s "
	        "generic=%d plugin=%s id=%ju:%ju size=%jd mtime=%jd.%09ld "
	        "ctime=%jd.%09ld helpers=%s",
	        VERSION, (uintmax_t)self.st_dev, (uintmax_t)self.st_ino,
	        (intmax_t)self.st_mtim.tv_sec, self.st_mtim.tv_nsec, agent,
	        generic, path, (uintmax_t)p.st_dev, (uintmax_t)p.st_ino,
	        (intmax_t)p.st_size, (intmax_t)p.st_mtim.tv_sec,
	        p.st_mtim.tv_nsec, (intmax_t)p.st_ctim.tv_sec,
	        p.st_ctim.tv_nsec, helper_dir());
}

/* The cache file of KEY (FNV-1a of the key; the key itself is the
 * file's first line, so a collision is only a miss). Caller frees. */
static char *
file_of(const char *key)
{
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *c = (const unsigned char *)key; *c; c++)
		h = (h ^ *c) * 1099511628211ULL;
	return xasprintf("%s/%016" PRIx64 ".xml", metacache_dir(), h);
}

/* Non-zero if the cache directory exists (creating it if need be) and
 * only we can write or read it. */
static int
dir_usable(int create)
{
	const char *d = metacache_dir();
	struct stat st;

	if (create && mkdir(d, 0700) < 0 && errno != EEXIST) {
		log_verbose("metadata cache %s: %s", d, strerror(errno));
		return 0;
	}
	if (lstat(d, &st) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0) {
		log_verbose("metadata cache %s not used: not a directory "
		            "of ours with mode 0700",
		            d);
		return 0;
	}
	return 1;
}

int
metacache_get(const char *key, char **out, size_t *len)
{
	char *file = file_of(key), *buf = NULL;
	size_t klen = strlen(key), have = 0;
	struct stat st;
	int fd = -1, rc = -1;

	if (!dir_usable(0))
		goto out;
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077) != 0 ||
	    st.st_size > (off_t)(RUN_MAX_OUTPUT + klen + 1))
		goto out;
	buf = xmalloc((size_t)st.st_size + 1);
	while (have < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + have, (size_t)st.st_size - have);

		if (r <= 0)
			goto out;
		have += (size_t)r;
	}
	if (have <= klen || memcmp(buf, key, klen) != 0 || buf[klen] != '\n')
		goto out;
	*len = have - klen - 1;
	*out = xstrndup(buf + klen + 1, *len);
	log_verbose("metadata from the cache %s", file);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	free(file);
	return rc;
}

void
metacache_put(const char *key, const char *text, size_t len)
{
	char *file = file_of(key), *tmp;
	int fd, ok;

	if (!dir_usable(1)) {
		free(file);
		return;
	}
	tmp = xasprintf("%s/.new-XXXXXX", metacache_dir());
	fd = mkstemp(tmp);
	ok = fd >= 0 && dprintf(fd, "%s\n", key) > 0 &&
	     write(fd, text, len) == (ssize_t)len;
	if (fd >= 0 && close(fd) < 0)
		ok = 0;
	if (ok && rename(tmp, file) == 0)
		log_verbose("metadata kept in the cache %s", file);
	else {
		log_verbose("metadata cache %s: %s", file, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
	}
	free(tmp);
	free(file);
}
