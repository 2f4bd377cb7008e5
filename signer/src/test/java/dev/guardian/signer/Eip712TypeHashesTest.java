package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Keccak256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The cache of type hashes: every answer is keccak256 of the encoded type it was asked for (whatever was
 * asked before, on whichever thread), and it never holds more than its capacity, since agents choose the types.
 */
class Eip712TypeHashesTest {
    private static byte[] keccak(String type) {
        return Keccak256.hash(type.getBytes(StandardCharsets.UTF_8));
    }

    private static String type(int i) {
        return "Mail" + i + "(address from,address to,string contents)";
    }

    @Test
    void answersTheKeccakOfTheEncodedTypeAndStaysWithinItsCapacity() {
        Eip712.TypeHashes hashes = new Eip712.TypeHashes(8);

        for (int i = 0; i < 100; i++) {
            assertThat(hashes.of(type(i))).isEqualTo(keccak(type(i)));
            assertThat(hashes.of(type(i % 3))).as("asked again").isEqualTo(keccak(type(i % 3)));
        }

        assertThat(hashes.size()).isEqualTo(8);
    }

    @Test
    void aCallerCannotChangeWhatTheCacheHolds() {
        Eip712.TypeHashes hashes = new Eip712.TypeHashes(8);
        byte[] first = hashes.of(type(1));

        first[0] ^= (byte) 0xff;

        assertThat(hashes.of(type(1))).isEqualTo(keccak(type(1)));
    }

    @Test
    void threadsSharingItEachGetTheRightHash() throws Exception {
        Eip712.TypeHashes hashes = new Eip712.TypeHashes(16);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                wrong.add(pool.submit(() -> {
                    int mismatches = 0;
                    for (int i = 0; i < 2_000; i++) {
                        String type = type((i * 7 + offset) % 40);
                        if (!Arrays.equals(hashes.of(type), keccak(type))) {
                            mismatches++;
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<Integer> each : wrong) {
                assertThat(each.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(hashes.size()).isLessThanOrEqualTo(16);
    }
}
