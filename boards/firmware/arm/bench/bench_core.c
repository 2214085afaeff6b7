#include "bench_core.h"

#define DATA_BYTES   16384
#define INSERTION_N  512
#define QUICK_N      4096
#define MATRIX_N     24
#define TEXT_BYTES   16384

static uint32_t crc_table[256];
static uint8_t data[DATA_BYTES];
static uint32_t keys[QUICK_N];
static int32_t ma[MATRIX_N][MATRIX_N], mb[MATRIX_N][MATRIX_N], mc[MATRIX_N][MATRIX_N];
static char text[TEXT_BYTES];

/* xorshift32 (Marsaglia 2003): a small deterministic generator. */
static uint32_t rng_state;

static uint32_t rng(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

/* CRC-32 as in IEEE 802.3 / zlib: reflected polynomial 0xedb88320, init and final XOR all ones. */
static void crc_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32(const uint8_t *p, uint32_t length, uint32_t crc)
{
    crc = ~crc;
    while (length--)
        crc = crc_table[(crc ^ *p++) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

/* Folds 32-bit values into a running CRC, byte by byte, little-endian by arithmetic. */
static uint32_t fold(uint32_t crc, uint32_t value)
{
    uint8_t b[4] = { (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16), (uint8_t)(value >> 24) };
    return crc32(b, 4, crc);
}

static uint32_t is_sorted(const uint32_t *a, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++)
        if (a[i - 1] > a[i])
            return 0;
    return 1;
}

static void insertion_sort(uint32_t *a, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        uint32_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

static void swap(uint32_t *a, uint32_t i, uint32_t j)
{
    uint32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Quicksort, Hoare partition around the median of three, smaller side first. */
static void quick_sort(uint32_t *a, int32_t lo, int32_t hi)
{
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo])
            swap(a, (uint32_t)mid, (uint32_t)lo);
        if (a[hi] < a[lo])
            swap(a, (uint32_t)hi, (uint32_t)lo);
        if (a[hi] < a[mid])
            swap(a, (uint32_t)hi, (uint32_t)mid);
        uint32_t pivot = a[mid];
        int32_t i = lo - 1, j = hi + 1;
        for (;;) {
            do
                i++;
            while (a[i] < pivot);
            do
                j--;
            while (a[j] > pivot);
            if (i >= j)
                break;
            swap(a, (uint32_t)i, (uint32_t)j);
        }
        if (j - lo < hi - j) {
            quick_sort(a, lo, j);
            lo = j + 1;
        } else {
            quick_sort(a, j + 1, hi);
            hi = j;
        }
    }
}

static uint32_t matrix_multiply(void)
{
    for (int i = 0; i < MATRIX_N; i++)
        for (int j = 0; j < MATRIX_N; j++) {
            ma[i][j] = (int32_t)(rng() % 2001u) - 1000;
            mb[i][j] = (int32_t)(rng() % 2001u) - 1000;
        }
    for (int i = 0; i < MATRIX_N; i++)
        for (int j = 0; j < MATRIX_N; j++) {
            int32_t sum = 0;
            for (int k = 0; k < MATRIX_N; k++)
                sum += ma[i][k] * mb[k][j];
            mc[i][j] = sum;
        }
    uint32_t crc = 0;
    for (int i = 0; i < MATRIX_N; i++)
        for (int j = 0; j < MATRIX_N; j++)
            crc = fold(crc, (uint32_t)mc[i][j]);
    return crc;
}

/* Number of (possibly overlapping) occurrences of `pattern` in `text`, by naive search. */
static uint32_t count_occurrences(const char *pattern, uint32_t m)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i + m <= TEXT_BYTES; i++) {
        uint32_t k = 0;
        while (k < m && text[i + k] == pattern[k])
            k++;
        if (k == m)
            count++;
    }
    return count;
}

static uint32_t string_search(void)
{
    static const char alphabet[4] = { 'a', 'c', 'g', 't' };
    static const char *const patterns[] = { "acg", "gattaca", "tttt", "cagtca", "aaaaaa", "gcgc" };
    static const uint32_t lengths[] = { 3, 7, 4, 6, 6, 4 };
    for (uint32_t i = 0; i < TEXT_BYTES; i++)
        text[i] = alphabet[rng() >> 30];
    uint32_t crc = 0;
    for (uint32_t p = 0; p < sizeof lengths / sizeof lengths[0]; p++)
        crc = fold(crc, count_occurrences(patterns[p], lengths[p]));
    return crc;
}

void bench_run(struct bench_result *r)
{
    static const uint8_t check_input[9] = { '1', '2', '3', '4', '5', '6', '7', '8', '9' };
    crc_init();
    r->crc_check = crc32(check_input, 9, 0);
    r->crc = r->insertion = r->quick = r->matrix = r->search = 0;
    r->sorted_ok = 1;
    for (uint32_t round = 0; round < BENCH_ROUNDS; round++) {
        rng_state = 0x2545f491u + round * 0x9e3779b9u;
        for (uint32_t i = 0; i < DATA_BYTES; i++)
            data[i] = (uint8_t)(rng() >> 24);
        r->crc = fold(r->crc, crc32(data, DATA_BYTES, 0));

        for (uint32_t i = 0; i < INSERTION_N; i++)
            keys[i] = rng();
        insertion_sort(keys, INSERTION_N);
        r->sorted_ok &= is_sorted(keys, INSERTION_N);
        for (uint32_t i = 0; i < INSERTION_N; i += 7)
            r->insertion = fold(r->insertion, keys[i]);

        for (uint32_t i = 0; i < QUICK_N; i++)
            keys[i] = rng() % 100000u;  /* many duplicates */
        quick_sort(keys, 0, QUICK_N - 1);
        r->sorted_ok &= is_sorted(keys, QUICK_N);
        for (uint32_t i = 0; i < QUICK_N; i += 13)
            r->quick = fold(r->quick, keys[i]);

        r->matrix = fold(r->matrix, matrix_multiply());
        r->search = fold(r->search, string_search());
    }
    uint32_t all = 0;
    all = fold(all, r->crc_check);
    all = fold(all, r->crc);
    all = fold(all, r->insertion);
    all = fold(all, r->quick);
    all = fold(all, r->matrix);
    all = fold(all, r->search);
    all = fold(all, r->sorted_ok);
    r->checksum = all;
}
