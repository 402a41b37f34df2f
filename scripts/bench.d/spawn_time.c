/* spawn_time: whole-process latency of commands, with as little launcher
 * overhead as possible (posix_spawn, output to /dev/null).
 *
 *   spawn_time FILE [--passes N]
 *
 * FILE holds the commands: each argument ends with a NUL byte, each command
 * with an empty argument. The first five commands run once untimed (warm
 * caches), then every command runs in each timed pass and keeps its
 * fastest time (benchutil.h). An exit status other than
 * 0 or 1 (1: nothing matched) is a broken run: exit 2. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "benchutil.h"

extern char **environ;

typedef struct command {
    char **argv;
} command;

static int run(char **argv, int devnull)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, devnull, 1);
    posix_spawn_file_actions_adddup2(&fa, devnull, 2);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "spawn_time: cannot run %s\n", argv[0]);
        return -1;
    }
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1) {
        fprintf(stderr, "spawn_time: %s failed (status %d)\n", argv[0], status);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: spawn_time FILE [--passes N] [--times FILE]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    static char buf[1 << 22];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    command *cmds = NULL;
    size_t n = 0, cap = 0;
    char **args = NULL;
    size_t na = 0, acap = 0;
    for (size_t i = 0; i < len;) {
        char *arg = buf + i;
        size_t l = strlen(arg);
        i += l + 1;
        if (na == acap) {
            acap = acap ? acap * 2 : 16;
            args = realloc(args, acap * sizeof *args);
        }
        if (l == 0) {
            args[na] = NULL;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                cmds = realloc(cmds, cap * sizeof *cmds);
            }
            cmds[n++].argv = args;
            args = NULL;
            na = acap = 0;
            continue;
        }
        args[na++] = arg;
    }
    int devnull = open("/dev/null", O_WRONLY);
    for (size_t i = 0; i < n && i < 5; i++)
        if (run(cmds[i].argv, devnull))
            return 2;
    double *ms = calloc(n ? n : 1, sizeof *ms);
    int passes = bench_passes(argc, argv);
    for (int pass = 1; pass <= passes; pass++) {
        for (size_t i = 0; i < n; i++) {
            double t0 = bench_now_ms();
            if (run(cmds[i].argv, devnull))
                return 2;
            bench_keep_min(ms, i, pass, bench_now_ms() - t0);
        }
    }
    bench_report(ms, n, 0, 0);
    return 0;
}
