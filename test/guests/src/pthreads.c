/* Four threads that share a counter under a mutex, wait at a start line (a condition variable
   the main thread broadcasts on), keep a per-thread sum in thread-local storage and are joined
   with their results. Whatever the interleaving, it prints the same lines as natively. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int ready, started;
static long counter;
static __thread long own_sum = 7;

static void *worker(void *arg) {
    long id = (long)arg;
    pthread_mutex_lock(&lock);
    ready++;
    pthread_cond_broadcast(&changed);
    while (!started) pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    for (int k = 0; k < ROUNDS; k++) {
        pthread_mutex_lock(&lock);
        counter += id + 1;
        pthread_mutex_unlock(&lock);
        own_sum += id;
        if (k % 5000 == 0) sched_yield();
    }
    return (void *)own_sum;
}

int main(void) {
    pthread_t threads[THREADS];
    for (long id = 0; id < THREADS; id++) {
        int err = pthread_create(&threads[id], NULL, worker, (void *)id);
        if (err) {
            printf("pthread_create: %s\n", strerror(err));
            return 1;
        }
    }
    pthread_mutex_lock(&lock);
    while (ready < THREADS) pthread_cond_wait(&changed, &lock);
    started = 1;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    for (int id = 0; id < THREADS; id++) {
        void *result;
        pthread_join(threads[id], &result);
        printf("thread %d: sum %ld\n", id, (long)result);
    }
    printf("counter %ld (expected %ld), main's own sum %ld\n", counter, (long)ROUNDS * (1 + 2 + 3 + 4), own_sum);
    return 0;
}
