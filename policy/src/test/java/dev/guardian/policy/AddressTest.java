package dev.guardian.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

    /** The test cases of EIP-55 itself (https://eips.ethereum.org/EIPS/eip-55). */
    @ParameterizedTest
    @ValueSource(
            strings = {
                // all caps
                "0x52908400098527886E0F7030069857D2E4169EE7",
                "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
                // all lower
                "0xde709f2102306220921060314715629080e2fb77",
                "0x27b1fdb04752bbc536007a920d24acb045561c26",
                // normal
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
                "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
            })
    void printsTheEip55ChecksumOfEveryVector(String vector) {
        assertThat(Address.parse(vector)).hasToString(vector);
        assertThat(Address.parse(vector.toLowerCase(Locale.ROOT))).hasToString(vector);
        assertThat(Address.parse("0x" + vector.substring(2).toUpperCase(Locale.ROOT)))
                .hasToString(vector);
    }

    @Test
    void rejectsAMixedCaseAddressWhoseChecksumIsWrong() {
        // One letter of 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed in the wrong case: a typo in a payee.
        assertThatThrownBy(() -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", // 39 digits
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0", // 41 digits
                "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00", // no prefix
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", // not hex
                "0x0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea", // prefix twice
                "0x 5aaeb6053f3e94c9b9a09f33669435e7ef1bea"
            })
    void rejectsTextThatIsNotAnAddress(String text) {
        assertThatThrownBy(() -> Address.parse(text)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Address.parseLenient(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lenientParsingAcceptsAWrongChecksumFromTheChain() {
        Address lenient = Address.parseLenient("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");

        assertThat(lenient).isEqualTo(Address.parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
    }

    @Test
    void isEqualByBytesWhateverTheCaseItWasWrittenIn() {
        Address lower = Address.parse("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359");
        Address upper = Address.parse("0XFB6916095CA1DF60BB79CE92CE3EA74C37C5D359");
        Address checksummed = Address.parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");

        assertThat(lower).isEqualTo(upper).isEqualTo(checksummed).hasSameHashCodeAs(checksummed);
        assertThat(lower).isNotEqualTo(Address.parse("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d358"));
        assertThat(lower.toLowerHex()).isEqualTo("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359");
    }

    @Test
    void keepsItsBytesToItself() {
        byte[] bytes = new byte[20];
        Address address = Address.of(bytes);
        bytes[0] = 1;
        address.toBytes()[1] = 1;

        assertThat(address.toBytes()).containsOnly(0);
        assertThat(address).hasToString("0x0000000000000000000000000000000000000000");
    }

    @Test
    void rejectsBytesOfTheWrongLength() {
        assertThatThrownBy(() -> Address.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Address.of(new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Address.of(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
