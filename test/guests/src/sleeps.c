/* Processes that sleep and pause while others run: the sleeps end in deadline order, and pause ends
   when another process signals it. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
static void on_usr1(int s) { (void)s; }
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t a = fork();
    if (a == 0) { usleep(400000); printf("child A after 400 ms\n"); _exit(0); }
    pid_t b = fork();
    if (b == 0) { usleep(100000); printf("child B after 100 ms\n"); _exit(0); }
    signal(SIGUSR1, on_usr1);
    pid_t c = fork();
    if (c == 0) { pause(); printf("child C woke from pause\n"); _exit(0); }
    printf("parent first\n");
    waitpid(b, NULL, 0);
    waitpid(a, NULL, 0);
    kill(c, SIGUSR1);
    waitpid(c, NULL, 0);
    printf("done\n");
    return 0;
}
