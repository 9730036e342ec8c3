/**
 * Training with parameters stored in 8-bit floating point: {@code Fp8Format} (the OCP E4M3 and E5M2 formats,
 * bit-exact rounding and decoding) and {@code Fp8Storage} (wraps an optimizer so that every parameter holds only fp8
 * values after each step, with or without a float32 master copy).
 */
package convlab.optim.fp8;
