/*
 * run.h - running a plugin: fork and execve (never a shell), in its own
 * process group, with the environment we built, stdin from /dev/null,
 * stdout and stderr captured up to a bound, and a deadline after which
 * the plugin and its whole group are terminated and then killed, and
 * every descendant left (the shim is their subreaper) is killed too.
 * The shim returns within the timeout + RUN_KILL_GRACE + 1 s, always.
 * Several calls may run at once (metadata needs five).
 */
#ifndef HBWRAP_RUN_H
#define HBWRAP_RUN_H

#include <stddef.h>
#include <sys/types.h>

/* Bound on each of a plugin's stdout and stderr. */
#define RUN_MAX_OUTPUT (1024 * 1024)
/* Seconds between SIGTERM and SIGKILL when a call times out. */
#define RUN_KILL_GRACE 2

struct buf {
	char *data; /* NUL-terminated; may hold other NULs */
	size_t len;
	size_t cap; /* bytes allocated at data */
};

enum run_end {
	RUN_EXITED,      /* status holds the exit code */
	RUN_SIGNALED,    /* status holds the signal number */
	RUN_TIMED_OUT,   /* deadline passed; the group was killed */
	RUN_OVERFLOW,    /* more than RUN_MAX_OUTPUT; the group was killed */
	RUN_EXEC_FAILED, /* status holds errno of execve */
	RUN_INTERRUPTED, /* the shim got SIGTERM/SIGINT/SIGHUP: passed on */
};

struct run_call {
	/* filled by the caller */
	const char *op;     /* plugin operation, argv[1] */
	const char *target; /* argv[2], or NULL */
	/* filled by run_calls() */
	enum run_end end;
	int status;
	struct buf out, err;
	double seconds;
	/* private */
	pid_t pid; /* -1 until started: no pid <= 0 is ever signalled */
	int fd[2];
	int reaped;
	int phase;      /* 0 running, 1 SIGTERM sent, 2 SIGKILL sent */
	int stopped;    /* we ended it (timeout, overflow, our signal) */
	double started; /* CLOCK_MONOTONIC seconds */
	double next_at; /* phase 1: SIGKILL then; phase 2: give up then */
};

/*
 * Run every call in CALLS[0..N) of the plugin at PATH concurrently, each
 * with ENVP, each bounded by TIMEOUT seconds. Returns 0 when every call
 * has ended (see each call's end), or -1 after a one-line error if the
 * calls could not be started. Free the outputs with run_call_free().
 */
int run_calls(const char *path, char *const envp[], struct run_call *calls,
              size_t n, long timeout);

/*
 * Call once at start-up, before anything runs: the shim becomes the
 * reaper of every orphaned descendant (so none escapes a timeout by
 * leaving the plugin's process group or session), and the signals a
 * caller may have left ignored or blocked (SIGCHLD ignored makes every
 * wait fail) are back at their defaults. ARGC and ARGV are main()'s:
 * the guardian blanks them, so that ps shows no parameter of it.
 */
void run_init(int argc, char *argv[]);

/* The signal (SIGTERM, SIGINT or SIGHUP) the shim received while a
 * plugin ran, or 0. After one, run_calls() starts nothing more. */
int run_interrupted(void);

/* Non-zero if CALL ended by exiting 0. */
int run_call_ok(const struct run_call *call);

/*
 * A newly allocated phrase saying how CALL ended: "exited 3",
 * "was killed by signal 11 (Segmentation fault)", "timed out after 30 s"
 * and so on. Caller frees.
 */
char *run_call_describe(const struct run_call *call, long timeout);

void run_call_free(struct run_call *call);

#endif
