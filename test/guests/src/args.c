/* Prints argc, every argument and selected environment variables, so a test can check the
   initial stack the loader builds (argv, envp, auxv) against the native run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

int main(int argc, char **argv, char **envp) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    int env_count = 0;
    for (char **e = envp; *e; e++)
        env_count++;
    printf("envc=%d\n", env_count);
    const char *greeting = getenv("GREETING");
    printf("GREETING=%s\n", greeting ? greeting : "(unset)");
    printf("pagesz=%lu\n", getauxval(AT_PAGESZ));
    printf("secure=%lu\n", getauxval(AT_SECURE));
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("execfn=%s\n", execfn ? execfn : "(none)");
    const char *platform = (const char *)getauxval(AT_PLATFORM);
    printf("platform=%s\n", platform ? platform : "(none)");
    printf("random_present=%d\n", getauxval(AT_RANDOM) != 0);
    return argc == 1 ? 0 : argc;
}
