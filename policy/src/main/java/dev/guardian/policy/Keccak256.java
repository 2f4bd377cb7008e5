package dev.guardian.policy;

import java.util.Arrays;

/**
 * Keccak-256 as Ethereum uses it (the original Keccak padding, not NIST SHA3-256). Needed here for
 * EIP-55 checksums and function selectors without leaving the JDK.
 */
public final class Keccak256 {
    private static final int RATE_BYTES = 136;
    private static final long[] ROUND_CONSTANTS = {
        0x0000000000000001L, 0x0000000000008082L, 0x800000000000808aL, 0x8000000080008000L,
        0x000000000000808bL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
        0x000000000000008aL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000aL,
        0x000000008000808bL, 0x800000000000008bL, 0x8000000000008089L, 0x8000000000008003L,
        0x8000000000008002L, 0x8000000000000080L, 0x000000000000800aL, 0x800000008000000aL,
        0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L
    };
    private static final int[] ROTATIONS = {
        0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14
    };

    private Keccak256() {}

    public static byte[] hash(byte[] input) {
        long[] state = new long[25];
        int fullBlocks = input.length / RATE_BYTES;
        for (int block = 0; block < fullBlocks; block++) {
            absorb(state, input, block * RATE_BYTES);
        }
        byte[] last = new byte[RATE_BYTES];
        int remaining = input.length - fullBlocks * RATE_BYTES;
        System.arraycopy(input, fullBlocks * RATE_BYTES, last, 0, remaining);
        last[remaining] ^= 0x01;
        last[RATE_BYTES - 1] ^= (byte) 0x80;
        absorb(state, last, 0);
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = (byte) (state[i / 8] >>> (8 * (i % 8)));
        }
        return out;
    }

    private static void absorb(long[] state, byte[] data, int offset) {
        for (int i = 0; i < RATE_BYTES / 8; i++) {
            long lane = 0;
            for (int b = 0; b < 8; b++) {
                lane |= (data[offset + i * 8 + b] & 0xFFL) << (8 * b);
            }
            state[i] ^= lane;
        }
        permute(state);
    }

    private static void permute(long[] a) {
        long[] c = new long[5];
        long[] b = new long[25];
        for (long roundConstant : ROUND_CONSTANTS) {
            for (int x = 0; x < 5; x++) {
                c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
            }
            for (int x = 0; x < 5; x++) {
                long d = c[(x + 4) % 5] ^ Long.rotateLeft(c[(x + 1) % 5], 1);
                for (int y = 0; y < 25; y += 5) {
                    a[y + x] ^= d;
                }
            }
            for (int x = 0; x < 5; x++) {
                for (int y = 0; y < 5; y++) {
                    int index = x + 5 * y;
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = Long.rotateLeft(a[index], ROTATIONS[index]);
                }
            }
            for (int y = 0; y < 25; y += 5) {
                for (int x = 0; x < 5; x++) {
                    a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
                }
            }
            a[0] ^= roundConstant;
        }
        Arrays.fill(b, 0);
    }
}
