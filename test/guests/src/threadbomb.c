/* Creates threads that wait on a condition variable until pthread_create fails, then lets them
   all go and joins them: the emulator's task limit must stop it with EAGAIN (run it only under
   emtrace: natively, nothing would stop it short of the host's own limits). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MAX_THREADS 4096

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int released;
static pthread_t threads[MAX_THREADS];

static void *wait_for_go(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!released) pthread_cond_wait(&go, &lock);
    pthread_mutex_unlock(&lock);
    return (void *)1;
}

int main(void) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 65536);
    int created = 0;
    for (; created < MAX_THREADS; created++) {
        int err = pthread_create(&threads[created], &attr, wait_for_go, NULL);
        if (err) {
            printf("pthread_create failed after %d threads: %s\n", created, strerror(err));
            break;
        }
    }
    pthread_mutex_lock(&lock);
    released = 1;
    pthread_cond_broadcast(&go);
    pthread_mutex_unlock(&lock);
    long joined = 0;
    for (int k = 0; k < created; k++) {
        void *result;
        if (pthread_join(threads[k], &result) == 0) joined += (long)result;
    }
    printf("joined %ld threads\n", joined);
    return 0;
}
