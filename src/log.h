/*
 * log.h - messages of the shim: errors, verbose traces, the debug file.
 *
 * Every message goes through here so that the values of secret-looking
 * parameters can be masked in one place, whatever the destination
 * (stderr, syslog, debug file), and so is every line of a plugin's
 * stderr, sent where actions.c decides once the plugin has ended.
 */
#ifndef HBWRAP_LOG_H
#define HBWRAP_LOG_H

#include <stdarg.h>
#include <stddef.h>

#define HBWRAP_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Set the program name used as the prefix and syslog ident (not copied). */
void log_init(const char *progname);

/* Enable verbose traces on stderr. */
void log_set_verbose(int on);

/* The log directory of the build (make LOGDIR=...). */
#ifndef LOG_DIR
#define LOG_DIR "/var/log/cluster"
#endif

/* The directory a debug_file from a request must be in: LOG_DIR, or
 * $FENCE_HBWRAP_LOG_DIR. */
const char *log_dir(void);

/*
 * Append every later message to PATH (created 0600 if missing). With
 * FROM_REQUEST (stdin, i.e. the cluster configuration), PATH must be
 * log_dir()/NAME, and is opened without following a link or blocking;
 * it must be a regular file of our user that group and others may not
 * write. From the command line, any file. A debug file never stops an
 * action: returns 0, or -1 after a one-line warning saying why it is
 * ignored.
 */
int log_set_debug_file(const char *path, int from_request);

/* Mask VALUE (copied) in every later message and in text passed
 * through log_mask_copy(); any number of values. An empty value or a
 * boolean word (0, 1, yes, no, true, false, on, off, y, n: a flag such
 * as ssh_use_key=1) is not a secret and is ignored. */
void log_add_secret(const char *value);

/* Non-zero if a parameter called NAME should have its value masked: a
 * word of NAME (split at non-letters and at aB) is pw, pwd, pass, psk,
 * key or auth, holds passw, passphrase, secret, token, community or
 * cred, ends in pass (not bypass...), pw or pwd, or is a kind of key
 * (apikey, privkey, accesskey...); and NAME does not end in _method,
 * _type, _mode, _file or _path (how or where a secret is kept). */
int log_name_is_secret(const char *name);

/*
 * Return a newly allocated copy of the LEN bytes at TEXT with every
 * registered secret replaced by "****" where it stands whole: not glued
 * to a letter, digit or _ (or a byte of UTF-8) on a side where the
 * secret itself ends in one. The longest secret wins; one pass, in time
 * proportional to LEN times how far the text follows a secret at each
 * place (not to the number of secrets). *OUT_LEN receives the new
 * length. The caller frees the result.
 */
char *log_mask_copy(const char *text, size_t len, size_t *out_len);

/* Where log_plugin_line() sends a line besides the debug file. */
enum log_to {
	LOG_TO_STDERR = 1 << 0, /* and always with verbose */
	LOG_TO_SYSLOG = 1 << 1,
};

/*
 * Pass on one line a plugin wrote (LEN bytes, no newline, already
 * masked): to stderr as it is, to syslog with priority PRIO and the
 * text "WHO: line", as TO says; to the debug file always.
 */
void log_plugin_line(const char *who, const char *line, size_t len, int prio,
                     unsigned to);

/* One-line error: stderr, syslog (LOG_ERR) and the debug file. */
void log_error(const char *fmt, ...) HBWRAP_PRINTF(1, 2);

/* Warning: stderr, syslog (LOG_WARNING) and the debug file. */
void log_warn(const char *fmt, ...) HBWRAP_PRINTF(1, 2);

/* Trace: stderr when verbose, and the debug file when one is set. */
void log_verbose(const char *fmt, ...) HBWRAP_PRINTF(1, 2);

/* Close the debug file and syslog. */
void log_close(void);

#endif
