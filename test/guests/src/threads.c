/* Two threads: one writes and returns (joined by the main thread), one blocks in read on a pipe
   nobody writes until the main thread's exit_group ends the process under it. The oracle of
   emtrace's -f output for threads. */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static int p[2];

static void *writer(void *arg) {
    (void)arg;
    write(1, "thread\n", 7);
    return NULL;
}

static void *reader(void *arg) {
    char c;
    (void)arg;
    read(p[0], &c, 1);
    return NULL;
}

int main(void) {
    pthread_t t;
    pipe(p);
    pthread_create(&t, NULL, writer, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, reader, NULL);
    struct timespec pause = {0, 50000000};
    nanosleep(&pause, NULL);
    _exit(0);
}
