/*
 * VFP checks, compiled with -mfpu=vfpv4 -mfloat-abi=softfp -ffp-contract=off
 * (scripts/build-firmware.sh), so that C floating point becomes VFP
 * instructions. Operands live in volatile variables, so the CPU computes
 * each result; the expected value is the same expression on constants,
 * which the cross gcc folds at build time with exact IEEE 754
 * round-to-nearest arithmetic. Checks of the other rounding modes, of the
 * FPSCR flags and of saturating conversions use values derived by hand
 * from the ARM ARM (A2.7, the FPRound/FPToFixed pseudocode), cited there.
 */
#include <stdint.h>
#include "check.h"
#include "float_checks.h"

#define IOC 0x01u
#define DZC 0x02u
#define OFC 0x04u
#define UFC 0x08u
#define IXC 0x10u
#define IDC 0x80u
#define FLAGS 0x9fu
#define RN (0u << 22)
#define RP (1u << 22)
#define RM (2u << 22)
#define RZ (3u << 22)
#define FZ (1u << 24)
#define DN (1u << 25)

void vfp_enable(void)
{
    uint32_t cpacr;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 2" : "=r"(cpacr));
    cpacr |= 0xfu << 20;
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 2\n\tisb" : : "r"(cpacr) : "memory");
    __asm__ volatile("vmsr fpexc, %0" : : "r"(0x40000000u) : "memory");
}

static inline uint32_t get_fpscr(void)
{
    uint32_t v;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(v) : : "memory");
    return v;
}

static inline void set_fpscr(uint32_t v)
{
    __asm__ volatile("vmsr fpscr, %0" : : "r"(v) : "memory");
}

static inline uint32_t fbits(float f)
{
    union { float f; uint32_t u; } x = { .f = f };
    return x.u;
}

static inline uint64_t dbits(double d)
{
    union { double d; uint64_t u; } x = { .d = d };
    return x.u;
}

static inline float ffrom(uint32_t u)
{
    union { uint32_t u; float f; } x = { .u = u };
    return x.f;
}

/* The CPU's result (through volatile operands) against gcc's folded constant. */
#define CHECK_F(name, runtime, folded) check_eq(name, fbits(runtime), fbits(folded))
#define CHECK_D(name, runtime, folded) check_eq64(name, dbits(runtime), dbits(folded))

/* Operands, read afresh by every use. */
static volatile float f_third = 1.0f / 3.0f, f_pi = 3.14159265f, f_e = 2.71828183f, f_big = 3.0e38f;
static volatile float f_tiny = 2.0e-38f, f_sub = 1.0e-40f, f_one = 1.0f, f_zero = 0.0f, f_neg = -2.75f;
static volatile double d_third = 1.0 / 3.0, d_pi = 3.141592653589793, d_e = 2.718281828459045;
static volatile double d_big = 1.0e308, d_tiny = 2.5e-308, d_sub = 4.9e-320, d_one = 1.0, d_neg = -1234.5678;
static volatile int32_t i_big = 16777217, i_neg = -123456789;
static volatile uint32_t u_max = 0xffffffffu;

static void arithmetic_round_to_nearest(void)
{
    set_fpscr(RN);
    CHECK_F("vadd.f32", f_third + f_pi, (1.0f / 3.0f) + 3.14159265f);
    CHECK_F("vsub.f32", f_e - f_pi, 2.71828183f - 3.14159265f);
    CHECK_F("vmul.f32", f_third * f_e, (1.0f / 3.0f) * 2.71828183f);
    CHECK_F("vdiv.f32", f_pi / f_e, 3.14159265f / 2.71828183f);
    CHECK_F("vsqrt.f32", __builtin_sqrtf(f_pi), __builtin_sqrtf(3.14159265f));
    CHECK_F("vnmul.f32", -(f_neg * f_third), -(-2.75f * (1.0f / 3.0f)));
    CHECK_F("vmla.f32 (two roundings)", f_pi + f_third * f_e, 3.14159265f + (1.0f / 3.0f) * 2.71828183f);
    CHECK_F("vmul.f32 subnormal result", f_tiny * f_third, 2.0e-38f * (1.0f / 3.0f));
    CHECK_F("vdiv.f32 subnormal operand", f_sub / f_third, 1.0e-40f / (1.0f / 3.0f));
    CHECK_D("vadd.f64", d_third + d_pi, 1.0 / 3.0 + 3.141592653589793);
    CHECK_D("vsub.f64", d_neg - d_e, -1234.5678 - 2.718281828459045);
    CHECK_D("vmul.f64", d_pi * d_e, 3.141592653589793 * 2.718281828459045);
    CHECK_D("vdiv.f64", d_e / d_neg, 2.718281828459045 / -1234.5678);
    CHECK_D("vsqrt.f64", __builtin_sqrt(d_e), __builtin_sqrt(2.718281828459045));
    CHECK_D("vmul.f64 subnormal result", d_tiny * d_third, 2.5e-308 * (1.0 / 3.0));
    CHECK_D("vadd.f64 subnormal operands", d_sub + d_sub, 4.9e-320 + 4.9e-320);
    CHECK_D("vmul.f64 overflow", d_big * d_pi, 1.0e308 * 3.141592653589793);
    /* A small dot product, summed left to right. */
    volatile double *v = (volatile double[]){ 0.1, 0.2, 0.3, 0.4 };
    volatile double *w = (volatile double[]){ 1.5, -2.25, 3.125, -4.0625 };
    double dot = 0.0;
    for (int k = 0; k < 4; k++) dot += v[k] * w[k];
    CHECK_D("dot product f64", dot, ((0.0 + 0.1 * 1.5) + 0.2 * -2.25 + 0.3 * 3.125) + 0.4 * -4.0625);
}

static void fused(void)
{
    /* (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60 exactly; unfused it rounds to 0. */
    volatile double a = 1.0 + 0x1p-30, b = 1.0 - 0x1p-30, c = -1.0;
    CHECK_D("vfma.f64 one rounding", __builtin_fma(a, b, c), __builtin_fma(1.0 + 0x1p-30, 1.0 - 0x1p-30, -1.0));
    check_eq64("vfma.f64 is -2^-60", dbits(__builtin_fma(a, b, c)), dbits(-0x1p-60));
    volatile float fa = 1.0f + 0x1p-12f, fb = 1.0f - 0x1p-12f, fc = -1.0f;
    CHECK_F("vfma.f32 one rounding", __builtin_fmaf(fa, fb, fc), __builtin_fmaf(1.0f + 0x1p-12f, 1.0f - 0x1p-12f, -1.0f));
    CHECK_D("vfma.f64 general", __builtin_fma(d_pi, d_e, d_third), __builtin_fma(3.141592653589793, 2.718281828459045, 1.0 / 3.0));
    CHECK_F("vfms.f32", __builtin_fmaf(-f_pi, f_e, f_third), __builtin_fmaf(-3.14159265f, 2.71828183f, 1.0f / 3.0f));
}

static void conversions(void)
{
    set_fpscr(RN);
    CHECK_D("vcvt.f64.f32", (double)f_third, (double)(1.0f / 3.0f));
    CHECK_F("vcvt.f32.f64", (float)d_third, (float)(1.0 / 3.0));
    CHECK_F("vcvt.f32.f64 to subnormal", (float)(d_tiny * 1e268), (float)(2.5e-308 * 1e268));
    CHECK_F("vcvt.f32.s32 rounds", (float)i_big, (float)16777217);
    CHECK_D("vcvt.f64.s32", (double)i_neg, (double)-123456789);
    CHECK_F("vcvt.f32.u32", (float)u_max, (float)0xffffffffu);
    check_eq("vcvt.s32.f32 truncates", (uint32_t)(int32_t)f_neg, (uint32_t)(int32_t)-2.75f);
    check_eq("vcvt.s32.f64 truncates", (uint32_t)(int32_t)d_neg, (uint32_t)(int32_t)-1234.5678);
    check_eq("vcvt.u32.f64", (uint32_t)(d_pi * 1e9), (uint32_t)(3.141592653589793 * 1e9));
    /* FPToFixed saturates out-of-range values and sets IOC (A2.7, FPToFixed); NaN gives 0. */
    set_fpscr(RN);
    float v = 1e10f;
    __asm__ volatile("vcvt.s32.f32 %0, %0" : "+t"(v));
    check_eq("vcvt.s32.f32 saturates", fbits(v), 0x7fffffffu);
    check_eq("vcvt saturation sets IOC", get_fpscr() & FLAGS, IOC);
    set_fpscr(RN);
    v = -1.5f;
    __asm__ volatile("vcvt.u32.f32 %0, %0" : "+t"(v));
    check_eq("vcvt.u32.f32 of -1.5 saturates to 0", fbits(v), 0);
    set_fpscr(RN);
    v = __builtin_nanf("");
    __asm__ volatile("vcvt.u32.f32 %0, %0" : "+t"(v));
    check_eq("vcvt.u32.f32 of NaN", fbits(v), 0);
    check_eq("NaN conversion sets IOC", get_fpscr() & FLAGS, IOC);
    set_fpscr(RN);
    v = -2.5f;
    __asm__ volatile("vcvtr.s32.f32 %0, %0" : "+t"(v));
    check_eq("vcvtr.s32.f32 -2.5 ties to even", fbits(v), (uint32_t)-2);
    /* Half precision (VCVTB): 65504 is the largest IEEE half; 1/3 rounds to 0x3555. */
    volatile __fp16 h = (__fp16)0.0f;
    h = f_third;
    CHECK_F("vcvtb f32->f16->f32", (float)h, (float)(__fp16)(1.0f / 3.0f));
    h = ffrom(0x477fe000); /* 65504 */
    CHECK_F("vcvtb largest half", (float)h, 65504.0f);
}

static void rounding_modes(void)
{
    /* 1 + 2^-25 lies between 1 and 1 + 2^-23 (A2.7.x, FPRound per RMode). */
    volatile float x = 0x1p-25f;
    set_fpscr(RN);
    check_eq("RN: 1 + 2^-25", fbits(f_one + x), fbits(1.0f));
    set_fpscr(RP);
    check_eq("RP: 1 + 2^-25", fbits(f_one + x), fbits(0x1.000002p0f));
    set_fpscr(RM);
    check_eq("RM: -1 - 2^-25", fbits(-f_one - x), fbits(-0x1.000002p0f));
    check_eq("RM: 1 - 1 is -0", fbits(f_one - f_one), 0x80000000u);
    set_fpscr(RZ);
    check_eq("RZ: 1 + 2^-25", fbits(f_one + x), fbits(1.0f));
    check_eq("RZ: overflow gives the largest finite", fbits(f_big * f_big), 0x7f7fffffu);
    check_eq("RZ: overflow flags", get_fpscr() & FLAGS, OFC | IXC);
    set_fpscr(RP);
    volatile double third = 1.0 / 3.0;
    check_eq64("RP: f64 1/3 rounds up", dbits(d_one / 3.0), dbits(third) + 1);
    set_fpscr(RM);
    check_eq64("RM: f64 1/3 rounds down", dbits(d_one / 3.0), dbits(third));
    set_fpscr(RN);
}

static void flags_and_nans(void)
{
    set_fpscr(RN);
    volatile float r = f_zero / f_zero;
    check_eq("0/0 is the default NaN", fbits(r), 0x7fc00000u);
    check_eq("0/0 sets IOC", get_fpscr() & FLAGS, IOC);
    set_fpscr(RN);
    r = f_one / f_zero;
    check_eq("1/0 is +inf", fbits(r), 0x7f800000u);
    check_eq("1/0 sets DZC", get_fpscr() & FLAGS, DZC);
    set_fpscr(RN);
    r = f_big * f_big;
    check_eq("overflow flags", get_fpscr() & FLAGS, OFC | IXC);
    set_fpscr(RN);
    r = f_tiny * f_tiny;
    check_eq("underflow flags", get_fpscr() & FLAGS, UFC | IXC);
    set_fpscr(RN);
    r = f_one + f_one;
    check_eq("exact: no flags", get_fpscr() & FLAGS, 0);
    /* NaN propagation keeps the payload and quietens (FPProcessNaN); DN gives the default NaN. */
    volatile float qnan = ffrom(0x7fc12345), snan = ffrom(0x7f812345);
    set_fpscr(RN);
    check_eq("quiet NaN propagates", fbits(qnan + f_one), 0x7fc12345u);
    check_eq("signalling NaN is quietened", fbits(f_one * snan), 0x7fc12345u);
    check_eq("signalling NaN sets IOC", get_fpscr() & FLAGS, IOC);
    set_fpscr(RN | DN);
    check_eq("DN: default NaN", fbits(qnan + f_one), 0x7fc00000u);
    /* FZ: a denormal input is flushed (IDC), a tiny result becomes zero (UFC). */
    set_fpscr(RN | FZ);
    check_eq("FZ: denormal input flushed", fbits(f_sub * f_one), 0);
    check_eq("FZ: IDC", get_fpscr() & FLAGS, IDC);
    set_fpscr(RN | FZ);
    check_eq("FZ: tiny result flushed", fbits(f_tiny * f_third), 0);
    check_eq("FZ: UFC", get_fpscr() & FLAGS, UFC);
    /* Comparisons: < is VCMPE (Invalid on a quiet NaN), == is VCMP (A8.8.301). */
    set_fpscr(RN);
    check_true("NaN < 1 is false", !(qnan < f_one), "compared true");
    check_eq("VCMPE of a quiet NaN sets IOC", get_fpscr() & FLAGS, IOC);
    set_fpscr(RN);
    check_true("NaN == NaN is false", !(qnan == qnan), "compared equal");
    check_eq("VCMP of a quiet NaN sets nothing", get_fpscr() & FLAGS, 0);
    check_true("-0 == +0", -f_zero == f_zero, "compared unequal");
    check_true("-2.75 < 1/3", f_neg < f_third, "compared not less");
    set_fpscr(RN);
}

void run_float_checks(void)
{
    arithmetic_round_to_nearest();
    fused();
    conversions();
    rounding_modes();
    flags_and_nans();
}
