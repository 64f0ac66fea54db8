/*
 * run.c - fork/exec of plugin calls, their deadline, their output.
 *
 * Signals are taken through a signalfd so one poll() loop sees the
 * plugins' output, their exits and the shim's own SIGTERM/SIGINT/SIGHUP
 * (which are passed on to every plugin's process group).
 */
#define _GNU_SOURCE
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

/* The signal that asked the shim to stop (0: none yet). Once set, no
 * further plugin call is started. */
static int interrupted;

/* Seconds a SIGKILLed call, then what it left, may take to go: twice
 * this after the kill grace keeps the shim within timeout + grace + 1 s
 * even when a process cannot die (uninterruptible sleep). */
#define RUN_LAST_WAIT 0.5

/* The environment entry name that marks a run's processes. */
#define RUN_MARK "FENCE_HBWRAP_RUN"

/* The last guardian told to go, reaped when the next one starts: not
 * waiting for it to exit saves a round trip on every fence action. */
static pid_t last_guardian = -1;

/* Our command line's memory (run_init), which the guardian blanks: it
 * may hold parameters, secrets too, and ps shows it. */
static char *argv_start;
static size_t argv_len;

static void signal_call(const struct run_call *c, int sig);

/* What a child writes on its stderr when execve() fails, then errno. */
#define EXEC_FAIL_TAG "\001fence_hbwrap-exec-failed:"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Close every descriptor from FD up (in a child, before it goes on). */
static void
close_from(int fd)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)fd, ~0U, 0U) == 0)
		return;
#endif
	long max = sysconf(_SC_OPEN_MAX);

	for (long i = fd; i < (max > 0 && max < 65536 ? max : 65536); i++)
		close((int)i);
}

/* SIGKILL every process of /proc that MATCH accepts; returns how many
 * were signalled. */
static size_t
kill_matching(int (*match)(pid_t, const void *), const void *arg)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t killed = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end == '\0' && pid > 1 && pid != getpid() &&
		    match((pid_t)pid, arg) && kill((pid_t)pid, SIGKILL) == 0)
			killed++;
	}
	if (d != NULL)
		closedir(d);
	return killed;
}

/* Read up to SIZE - 1 bytes of /proc/PID/NAME into BUF; length or -1. */
static ssize_t
proc_read(pid_t pid, const char *name, char *buf, size_t size)
{
	char file[64];
	ssize_t len = -1, r;
	int fd;

	snprintf(file, sizeof(file), "/proc/%ld/%s", (long)pid, name);
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	for (len = 0; (size_t)len < size - 1; len += r)
		if ((r = read(fd, buf + len, size - 1 - (size_t)len)) <= 0)
			break;
	close(fd);
	buf[len] = '\0';
	return len;
}

/* The whole of /proc/PID/environ (NUL-terminated entries) into a buffer
 * the caller frees; its length in *LEN. NULL if it cannot be read. A
 * plugin's environment may be megabytes (declared parameters are
 * bounded only by the request), so no fixed-size prefix is enough. */
static char *
read_environ(pid_t pid, size_t *len)
{
	char file[64];
	size_t cap = 65536;
	char *buf;
	ssize_t r;
	int fd;

	snprintf(file, sizeof(file), "/proc/%ld/environ", (long)pid);
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	buf = xmalloc(cap + 1);
	*len = 0;
	while ((r = read(fd, buf + *len, cap - *len)) > 0) {
		*len += (size_t)r;
		if (*len == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	close(fd);
	buf[*len] = '\0';
	return buf;
}

/* Matcher: PID's environment holds the entry ARG (the run's mark). It
 * is the first entry run_calls() gives, but a process may reorder its
 * environment, so every entry is looked at. */
static int
has_mark(pid_t pid, const void *arg)
{
	const char *mark = arg;
	size_t mlen = strlen(mark), len = 0;
	char *env = read_environ(pid, &len);
	int found = 0;

	for (size_t i = 0; env != NULL && i < len && !found;
	     i += strlen(env + i) + 1)
		found = strncmp(env + i, mark, mlen) == 0 &&
		        env[i + mlen] == '\0';
	free(env);
	return found;
}

/* Matcher: PID is a child of ours, and not one of our guardians. */
static int
is_orphan_of_ours(pid_t pid, const void *arg)
{
	const pid_t *guard = arg;
	char stat[512], *p;
	long ppid;

	if (pid == *guard || pid == last_guardian ||
	    proc_read(pid, "stat", stat, sizeof(stat)) <= 0 ||
	    (p = strrchr(stat, ')')) == NULL ||
	    sscanf(p + 1, " %*c %ld", &ppid) != 1)
		return 0;
	return ppid == (long)getpid();
}

/*
 * After a call we had to stop: kill every descendant that is left (the
 * shim is their subreaper, so each one that lost its parent is a child
 * of ours, whatever group or session it moved to), and reap them, for
 * RUN_LAST_WAIT at most.
 */
static void
sweep_descendants(pid_t guard)
{
	double give_up = now() + RUN_LAST_WAIT;
	pid_t p;

	do {
		while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
			if (p == last_guardian)
				last_guardian = -1;
		if (kill_matching(is_orphan_of_ours, &guard) == 0)
			return;
		usleep(2000);
	} while (now() < give_up);
}

/*
 * The guardian: a tiny process, in a session of its own, that ends the
 * plugins if the shim dies mid-call. A fencer that times out kills the
 * shim's process group, which the plugins are not in, and
 * PR_SET_PDEATHSIG reaches only a plugin, not what the plugin started.
 * It kills each call's process (by pid and by group) and every process
 * whose environment holds MARK, the entry run_calls() gave this run's
 * plugins, which their descendants inherit across setsid().
 * The shim writes the index of each call it has reaped, then GUARD_DONE;
 * end of file before GUARD_DONE means the shim is gone.
 */
#define GUARD_DONE 0xff
#define GUARD_MAX  254

/* The guardian's work once the shim is gone; never returns. */
static void
guardian_end(const struct run_call *calls, size_t n, const unsigned char *alive,
             const char *mark)
{
	for (size_t i = 0; i < n; i++)
		if (alive[i])
			signal_call(&calls[i], SIGKILL);
	/* Again while some still fork. */
	for (int round = 0; round < 5; round++)
		if (kill_matching(has_mark, mark) == 0)
			break;
	_exit(0);
}

static pid_t
guardian_start(const struct run_call *calls, size_t n, const char *mark,
               int *wfd)
{
	int p[2];
	pid_t g;

	*wfd = -1;
	if (last_guardian > 0) {
		waitpid(last_guardian, NULL, 0);
		last_guardian = -1;
	}
	if (n > GUARD_MAX || pipe2(p, O_CLOEXEC) < 0)
		return -1;
	g = fork();
	if (g < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (g == 0) {
		unsigned char b, alive[GUARD_MAX];
		sigset_t none;
		ssize_t r;

		setsid();
		if (argv_start != NULL) {
			memset(argv_start, 0, argv_len);
			strncpy(argv_start, "fence_hbwrap-guardian",
			        argv_len - 1);
		}
		if (dup2(p[0], STDIN_FILENO) < 0)
			_exit(1);
		close_from(STDOUT_FILENO);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		memset(alive, 1, sizeof(alive));
		while ((r = read(STDIN_FILENO, &b, 1)) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 || b == GUARD_DONE)
				_exit(0);
			if (b < n)
				alive[b] = 0;
		}
		guardian_end(calls, n, alive, mark);
	}
	close(p[0]);
	*wfd = p[1];
	return g;
}

/*
 * Tell the guardian B. A guardian that died (the OOM killer, an admin's
 * kill) must not take the shim with it: SIGPIPE is ignored for the
 * write, and the loss is one warning, the plugins' results still stand.
 * Once it is gone, *WFD is closed and set to -1.
 */
static void
guardian_tell(int *wfd, unsigned char b)
{
	struct sigaction ign, old;
	ssize_t r;

	if (*wfd < 0)
		return;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	do
		r = write(*wfd, &b, 1);
	while (r < 0 && errno == EINTR);
	sigaction(SIGPIPE, &old, NULL);
	if (r >= 0)
		return;
	log_warn("the guardian process is gone (%s): plugin processes "
	         "would outlive a shim killed now",
	         strerror(errno));
	close(*wfd);
	*wfd = -1;
}

static void
guardian_stop(pid_t g, int wfd)
{
	if (g <= 0)
		return;
	guardian_tell(&wfd, GUARD_DONE);
	if (wfd >= 0)
		close(wfd);
	last_guardian = g;
}

/* Signals a caller (or a shell before it) may have set to SIG_IGN. */
static const int inherited[] = {
        SIGHUP,  SIGINT,  SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGUSR1,
        SIGUSR2, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, SIGXFSZ, SIGXCPU,
};

/* Runs in the child between fork() and execve(); never returns. */
static void
child_exec(const char *path, char *const argv[], char *const envp[], int out_w,
           int err_w, int devnull, pid_t parent)
{
	sigset_t none;
	char msg[64];
	int n;

	/* Our own group, so a timeout can end the plugin and its children;
	 * and die with the shim, whatever kills it. */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	if (dup2(devnull, STDIN_FILENO) < 0 || dup2(out_w, STDOUT_FILENO) < 0 ||
	    dup2(err_w, STDERR_FILENO) < 0)
		_exit(127);
	/* exec() resets caught signals; ignored ones it keeps. */
	for (size_t i = 0; i < sizeof(inherited) / sizeof(inherited[0]); i++)
		signal(inherited[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	close_from(3);
	execve(path, argv, envp);
	n = snprintf(msg, sizeof(msg), "%s%d", EXEC_FAIL_TAG, errno);
	if (write(STDERR_FILENO, msg, (size_t)n) < 0)
		_exit(127);
	_exit(127);
}

/* Append what FD has to B; returns 1 at EOF, -1 when over the bound,
 * 0 when it would block. */
static int
drain(int fd, struct buf *b)
{
	char chunk[16384];

	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));

		if (r == 0)
			return 1;
		if (r < 0)
			return (errno == EINTR) ? 0 : (errno == EAGAIN ? 0 : 1);
		if (b->len + (size_t)r > RUN_MAX_OUTPUT)
			return -1;
		if (b->len + (size_t)r + 1 > b->cap) {
			/* Doubling: a flood costs log(n) copies, not n. */
			b->cap = b->cap ? b->cap * 2 : sizeof(chunk) + 1;
			while (b->cap < b->len + (size_t)r + 1)
				b->cap *= 2;
			b->data = xrealloc(b->data, b->cap);
		}
		memcpy(b->data + b->len, chunk, (size_t)r);
		b->len += (size_t)r;
		b->data[b->len] = '\0';
	}
}

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* Record the end of C (unless a cause was already set) from STATUS. */
static void
reaped(struct run_call *c, int status, int timed_or_killed)
{
	c->reaped = 1;
	c->seconds = now() - c->started;
	if (!timed_or_killed) {
		if (WIFEXITED(status)) {
			c->end = RUN_EXITED;
			c->status = WEXITSTATUS(status);
		} else {
			c->end = RUN_SIGNALED;
			c->status = WTERMSIG(status);
		}
	}
	/* Whatever the plugin left behind in its group goes with it when
	 * we had to stop it. */
	if (timed_or_killed)
		kill(-c->pid, SIGKILL);
	for (int i = 0; i < 2; i++) {
		if (c->fd[i] >= 0) {
			if (drain(c->fd[i], i ? &c->err : &c->out) < 0 &&
			    !timed_or_killed) {
				c->end = RUN_OVERFLOW;
				c->status = i;
			}
			close_fd(&c->fd[i]);
		}
	}
	if (c->end == RUN_EXITED && c->status == 127 && c->err.data &&
	    strncmp(c->err.data, EXEC_FAIL_TAG, strlen(EXEC_FAIL_TAG)) == 0) {
		c->end = RUN_EXEC_FAILED;
		c->status = atoi(c->err.data + strlen(EXEC_FAIL_TAG));
		c->err.len = 0;
		c->err.data[0] = '\0';
	}
}

/* Send SIG to C's plugin by PID and to its process group: a plugin that
 * left its group (setpgrp) is still reached, and never a pid <= 0. */
static void
signal_call(const struct run_call *c, int sig)
{
	if (c->pid <= 0 || c->reaped)
		return;
	kill(-c->pid, sig);
	kill(c->pid, sig);
}

/* We end C for WHY (STATUS): SIG now, SIGKILL after the grace. */
static void
stop_call(struct run_call *c, enum run_end why, int status, int sig, double t)
{
	c->end = why;
	c->status = status;
	c->stopped = 1;
	signal_call(c, sig);
	c->phase = sig == SIGKILL ? 2 : 1;
	c->next_at = t + (sig == SIGKILL ? RUN_LAST_WAIT : RUN_KILL_GRACE);
}

/* Mark every slot unstarted, so that a failed start signals nothing
 * that is not ours. */
static void
init_calls(struct run_call *calls, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct run_call *c = &calls[i];

		memset(&c->out, 0, sizeof(c->out));
		memset(&c->err, 0, sizeof(c->err));
		c->pid = -1;
		c->fd[0] = c->fd[1] = -1;
		c->reaped = 1; /* until started */
		c->phase = c->stopped = 0;
		c->end = RUN_EXITED;
		c->status = 0;
	}
}

/* Start call C; returns 0, or -1 after a one-line error. */
static int
start_call(const char *path, char *const envp[], struct run_call *c,
           int devnull, pid_t self)
{
	int out[2], err[2];
	char *argv[4] = {(char *)path, (char *)c->op, (char *)c->target, NULL};

	if (pipe2(out, O_CLOEXEC) < 0) {
		log_error(
		        "could not run the plugin %s: cannot create a pipe: %s",
		        path, strerror(errno));
		return -1;
	}
	if (pipe2(err, O_CLOEXEC) < 0) {
		log_error(
		        "could not run the plugin %s: cannot create a pipe: %s",
		        path, strerror(errno));
		close(out[0]);
		close(out[1]);
		return -1;
	}
	c->started = now();
	c->pid = fork();
	if (c->pid == 0)
		child_exec(path, argv, envp, out[1], err[1], devnull, self);
	close(out[1]);
	close(err[1]);
	if (c->pid < 0) {
		log_error("could not run the plugin %s: cannot fork: %s", path,
		          strerror(errno));
		close(out[0]);
		close(err[0]);
		c->pid = -1;
		return -1;
	}
	setpgid(c->pid, c->pid); /* also here: no race with kill() */
	c->reaped = 0;
	c->fd[0] = out[0];
	c->fd[1] = err[0];
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	log_verbose("started %s %s%s%s (pid %ld)", path, c->op,
	            c->target ? " " : "", c->target ? c->target : "",
	            (long)c->pid);
	return 0;
}

/*
 * The deadline policy, at time T: SIGTERM at the timeout, SIGKILL after
 * the grace, and RUN_LAST_WAIT for the kernel to deliver it; a call
 * that outlives that is given up (not waited for), so the shim always
 * returns. Returns the next time something is due.
 */
static double
apply_deadlines(struct run_call *calls, size_t n, long timeout, double t,
                size_t *live)
{
	double next = t + 3600;

	for (size_t i = 0; i < n; i++) {
		struct run_call *c = &calls[i];
		double due =
		        c->phase ? c->next_at : c->started + (double)timeout;

		if (c->reaped)
			continue;
		if (t >= due && c->phase == 0) {
			stop_call(c, RUN_TIMED_OUT, 0, SIGTERM, t);
		} else if (t >= due && c->phase == 1) {
			signal_call(c, SIGKILL);
			c->phase = 2;
			c->next_at = t + RUN_LAST_WAIT;
		} else if (t >= due) {
			log_error("plugin process %ld does not die; given up",
			          (long)c->pid);
			c->reaped = 1;
			c->seconds = t - c->started;
			close_fd(&c->fd[0]);
			close_fd(&c->fd[1]);
			(*live)--;
			continue;
		}
		due = c->phase ? c->next_at : c->started + (double)timeout;
		if (due < next)
			next = due;
	}
	return next;
}

/* Read what every call printed; a call over the bound is killed. */
static void
read_outputs(struct run_call *calls, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct run_call *c = &calls[i];

		for (int k = 0; k < 2; k++) {
			int r;

			if (c->fd[k] < 0)
				continue;
			r = drain(c->fd[k], k ? &c->err : &c->out);
			if (r < 0 && !c->stopped)
				stop_call(c, RUN_OVERFLOW, k, SIGKILL, now());
			if (r != 0)
				close_fd(&c->fd[k]);
		}
	}
}

/* Take the signals queued on SFD: the shim asked to stop passes the
 * signal on to every running call. */
static void
take_signals(int sfd, struct run_call *calls, size_t n)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		interrupted = (int)si.ssi_signo;
		for (size_t i = 0; i < n; i++)
			if (!calls[i].reaped && !calls[i].stopped)
				stop_call(&calls[i], RUN_INTERRUPTED,
				          (int)si.ssi_signo, (int)si.ssi_signo,
				          now());
	}
}

/* Reap the calls that ended; returns how many did. */
static size_t
reap_ended(const char *path, struct run_call *calls, size_t n, int *guard_fd)
{
	size_t ended = 0;

	for (size_t i = 0; i < n; i++) {
		int status;

		if (calls[i].reaped ||
		    waitpid(calls[i].pid, &status, WNOHANG) != calls[i].pid)
			continue;
		reaped(&calls[i], status, calls[i].stopped);
		guardian_tell(guard_fd, (unsigned char)i);
		ended++;
		log_verbose("%s %s ended after %.3f s", path, calls[i].op,
		            calls[i].seconds);
	}
	return ended;
}

/* The watch loop: output, signals and ends until LIVE calls are done.
 * Returns 0, or -1 after a one-line error. */
static int
watch(const char *path, struct run_call *calls, size_t n, long timeout, int sfd,
      int *guard_fd, size_t live)
{
	struct pollfd *pfd = xcalloc(2 * n + 1, sizeof(*pfd));
	int rc = 0;

	while (live > 0) {
		double t = now(),
		       next = apply_deadlines(calls, n, timeout, t, &live);
		size_t np = 0;

		pfd[np].fd = sfd;
		pfd[np++].events = POLLIN;
		for (size_t i = 0; i < n; i++)
			for (int k = 0; k < 2; k++)
				if (calls[i].fd[k] >= 0) {
					pfd[np].fd = calls[i].fd[k];
					pfd[np++].events = POLLIN;
				}
		if (live > 0 &&
		    poll(pfd, np, (int)((next - t) * 1000.0) + 1) < 0 &&
		    errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			rc = -1;
			break;
		}
		read_outputs(calls, n);
		take_signals(sfd, calls, n);
		live -= reap_ended(path, calls, n, guard_fd);
	}
	free(pfd);
	return rc;
}

/* Non-zero if any call was ended by us, or never reaped. */
static int
any_stopped(const struct run_call *calls, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (calls[i].stopped)
			return 1;
	return 0;
}

int
run_calls(const char *path, char *const envp[], struct run_call *calls,
          size_t n, long timeout)
{
	sigset_t mask, old;
	pid_t guard = -1;
	int sfd, devnull, rc = 0, guard_fd = -1;
	size_t live = 0, nenv = 0;
	char **marked;

	if (interrupted) {
		log_error("not running %s %s: the shim received %s", path,
		          calls[0].op, strsignal(interrupted));
		return -1;
	}
	init_calls(calls, n);
	/* ENVP and the mark by which the guardian finds every descendant. */
	while (envp[nenv] != NULL)
		nenv++;
	/* The mark comes first: no parameter, however long, can push it
	 * away from where a reader of /proc/PID/environ starts. */
	marked = xcalloc(nenv + 2, sizeof(*marked));
	memcpy(marked + 1, envp, nenv * sizeof(*marked));
	marked[0] =
	        xasprintf("%s=%ld.%.0f", RUN_MARK, (long)getpid(), now() * 1e9);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (sfd < 0 || devnull < 0) {
		log_error("could not run the plugin %s: %s", path,
		          strerror(errno));
		rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		if ((rc = start_call(path, marked, &calls[i], devnull,
		                     getpid())) == 0)
			live++;
	if (rc == 0)
		guard = guardian_start(calls, n, marked[0], &guard_fd);
	if (rc < 0) {
		/* Those already started must not outlive a failed start. */
		for (size_t i = 0; i < n; i++)
			if (!calls[i].reaped)
				stop_call(&calls[i], RUN_INTERRUPTED, SIGKILL,
				          SIGKILL, now());
		timeout = 0;
	}
	if (live > 0 &&
	    watch(path, calls, n, timeout, sfd, &guard_fd, live) < 0)
		rc = -1;
	if (rc < 0 || any_stopped(calls, n))
		sweep_descendants(guard);
	guardian_stop(guard, guard_fd);
	if (sfd >= 0)
		close(sfd);
	if (devnull >= 0)
		close(devnull);
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(marked[0]);
	free(marked);
	return rc;
}

void
run_init(int argc, char *argv[])
{
	static const int reset[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGPIPE};
	sigset_t none;

	for (size_t i = 0; i < sizeof(reset) / sizeof(*reset); i++)
		signal(reset[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (argc > 0 && argv[0] != NULL) {
		argv_start = argv[0];
		argv_len = (size_t)(argv[argc - 1] - argv[0]) +
		           strlen(argv[argc - 1]) + 1;
	}
}

int
run_interrupted(void)
{
	return interrupted;
}

int
run_call_ok(const struct run_call *call)
{
	return call->end == RUN_EXITED && call->status == 0;
}

char *
run_call_describe(const struct run_call *c, long timeout)
{
	switch (c->end) {
	case RUN_EXITED:
		return xasprintf("exited %d", c->status);
	case RUN_SIGNALED:
		return xasprintf("was killed by signal %d (%s)", c->status,
		                 strsignal(c->status));
	case RUN_TIMED_OUT:
		return xasprintf("timed out after %ld s (plugin_timeout) and "
		                 "was killed",
		                 timeout);
	case RUN_OVERFLOW:
		return xasprintf("printed more than %d bytes on %s and was "
		                 "killed",
		                 RUN_MAX_OUTPUT,
		                 c->status ? "stderr" : "stdout");
	case RUN_EXEC_FAILED:
		return xasprintf("could not be executed: %s%s",
		                 strerror(c->status),
		                 c->status == ENOEXEC ? " (no #! line?)" : "");
	case RUN_INTERRUPTED:
		return xasprintf("was stopped: the shim received %s",
		                 strsignal(c->status));
	}
	return xstrdup("ended in an unknown way");
}

void
run_call_free(struct run_call *call)
{
	free(call->out.data);
	free(call->err.data);
	call->out.data = call->err.data = NULL;
	call->out.len = call->err.len = 0;
	call->out.cap = call->err.cap = 0;
}
