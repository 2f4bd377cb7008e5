package dev.guardian.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Keccak256Test {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        empty input               | ''                                          | 0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470
        fox sentence              | The quick brown fox jumps over the lazy dog | 0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15
        ERC-20 transfer signature | transfer(address,uint256)                   | 0xa9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b
        """)
    void hashesPublishedVectors(String name, String input, String expected) {
        assertThat(hash(input)).isEqualTo(expected);
    }

    @Test
    void givesTheTransferSelectorThatErc20CallsStartWith() {
        assertThat(hash("transfer(address,uint256)")).startsWith("0xa9059cbb");
    }

    /**
     * Inputs around the 136-byte block, digests from Foundry's {@code cast keccak} 1.7.1: 135 bytes puts
     * both padding bits in one byte, 136 needs a whole block of padding, longer ones absorb several blocks.
     */
    @ParameterizedTest(name = "{0} times 'a'")
    @CsvSource({
        "135, 0x34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446",
        "136, 0xa6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e",
        "137, 0xd869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39",
        "300, 0x5b7e0e47a96f32a88b4f14ca177982790807c40e1a105742ba0fc1babe1ef826"
    })
    void hashesInputsLongerThanOneBlock(int length, String expected) {
        assertThat(hash("a".repeat(length))).isEqualTo(expected);
    }

    @Test
    void hashesEveryPrintableCharacterAcrossThreeBlocks() {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            input.append((char) (32 + i % 95));
        }

        assertThat(hash(input.toString()))
                .isEqualTo("0x242f28f3575054d1626c210c5bb0dd434f9212c1d52e5dccc5db5d93d7e3e470");
    }

    private static String hash(String input) {
        return Hex.encode(Keccak256.hash(input.getBytes(StandardCharsets.US_ASCII)));
    }
}
