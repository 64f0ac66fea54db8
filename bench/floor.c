/*
 * floor.c - the least any wrapper can cost, for bench/run.sh: a program
 * that only starts the plugin (vfork + execve), waits for it and returns
 * its exit code.  No timeout, no output capture, no environment built: a
 * reference for the shim's reboot, compiled static at benchmark time.
 *
 *   floor PLUGIN ARG...
 */
#define _GNU_SOURCE
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int
main(int argc, char *argv[])
{
	pid_t pid;
	int st;

	if (argc < 2)
		return 2;
	pid = vfork();
	if (pid == 0) {
		execve(argv[1], argv + 1, environ);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
