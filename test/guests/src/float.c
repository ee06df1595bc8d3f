/* Floating-point formatting, parsing and libm over a table of inputs, for comparing the
   emulator's x87/SSE arithmetic with the host's: doubles with %.17g %a %e %f %g, long doubles
   with %.21Lg %La %Le, sqrt exp log pow sin cos atan2 fmod expl logl sqrtl, and strtod/strtold
   of tricky strings (halfway cases, denormals, overflow, hex floats). musl formats and parses
   with long double (x87) arithmetic; glibc with integer code, and its long double libm is x87
   assembly. The output must be byte-identical to the native run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double DOUBLES[] = {
    0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 2.0 / 3.0, 3.141592653589793, 2.718281828459045, 100.0, 1e10,
    123456789.125, 1e-5, 6.02214076e23, 1.7976931348623157e308, 2.2250738585072014e-308,
    4.9406564584124654e-324, 2.225073858507201e-308, 9007199254740993.0, 0.30000000000000004,
    1e22, 1e23, 5e-324, 1.5, 2.5, -2.5, 1234.5678, 0.000123, 65536.0, 1e300, 1e-300,
};

static const long double LONGS[] = {
    0.0L, 1.0L, -1.0L, 0.1L, 1.0L / 3.0L, 3.14159265358979323846264338327950288L, 1e4000L, 1e-4000L,
    1.18973149535723176502e+4932L, 3.36210314311209350626e-4932L, 3.6451995318824746025e-4951L,
    123456789012345678.0L, 0.5L, 2.0L / 7.0L, -6.5e100L,
};

static const char *STRINGS[] = {
    "0.1", "1e308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
    "2.2250738585072011e-308", "2.2250738585072012e-308", "4.9406564584124654e-324",
    "2.4703282292062327e-324", "2.4703282292062328e-324", "0x1p-1074", "0x1.fffffffffffffp1023",
    "9007199254740993", "9007199254740992.5", "9007199254740993.0000000001", "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124", "123456789012345678901234567890",
    "3.4028235677973366e38", "1e-400", "-0x1.8p-1", "inf", "-nan", "1e4932", "1.18973149535723176505e4932",
    "3.64519953188247460252841e-4951", "0.000000000000000000000000000000000000000001",
};

static void doubles(void) {
    for (size_t k = 0; k < sizeof DOUBLES / sizeof DOUBLES[0]; k++) {
        double x = DOUBLES[k];
        printf("%.17g %a %e %.3f %g\n", x, x, x, fabs(x) < 1e30 ? x : 0.0, x);
    }
}

static void longs(void) {
    for (size_t k = 0; k < sizeof LONGS / sizeof LONGS[0]; k++) {
        long double x = LONGS[k];
        printf("%.21Lg %La %Le\n", x, x, x);
    }
}

static void libm(void) {
    static const double ARGS[] = {0.5, 1.0, 2.0, 10.0, 0.001, 123.456, 1e-10, 700.0, 3.0};
    for (size_t k = 0; k < sizeof ARGS / sizeof ARGS[0]; k++) {
        double x = ARGS[k];
        printf("%.17g: sqrt %.17g exp %.17g log %.17g pow %.17g sin %.17g cos %.17g atan2 %.17g fmod %.17g\n", x, sqrt(x),
               exp(x), log(x), pow(x, 1.5), sin(x), cos(x), atan2(x, 1.5), fmod(x * 1000.0, 7.25));
    }
    static const long double LARGS[] = {0.5L, 1.0L, 2.0L, 10.0L, 0.001L, 123.456L, 1e-10L, 11000.0L};
    for (size_t k = 0; k < sizeof LARGS / sizeof LARGS[0]; k++) {
        long double x = LARGS[k];
        printf("%.21Lg: expl %.21Lg logl %.21Lg sqrtl %.21Lg\n", x, expl(x), logl(x), sqrtl(x));
    }
}

static void parse(void) {
    for (size_t k = 0; k < sizeof STRINGS / sizeof STRINGS[0]; k++) {
        const char *s = STRINGS[k];
        double d = strtod(s, NULL);
        long double l = strtold(s, NULL);
        printf("%s: %a %.17g | %La %.21Lg\n", s, d, d, l, l);
    }
}

static void arithmetic(void) {
    /* long double arithmetic the compiler emits as x87 code */
    volatile long double a = 1.0L, b = 3.0L;
    long double sum = 0.0L, product = 1.0L;
    for (int k = 1; k <= 40; k++) {
        sum += a / (b * k);
        product *= 1.0L + a / (k * k);
    }
    printf("x87: %.21Lg %.21Lg %.21Lg %lld\n", sum, product, sum * product - (long double)sum, (long long)(product * 1e15L));
}

int main(void) {
    doubles();
    longs();
    libm();
    parse();
    arithmetic();
    return 0;
}
