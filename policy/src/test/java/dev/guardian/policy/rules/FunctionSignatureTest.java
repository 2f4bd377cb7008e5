package dev.guardian.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Signatures in canonical form, checked against selectors everyone knows. */
class FunctionSignatureTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "transfer(address,uint256)           | transfer(address,uint256)                     | 0xa9059cbb",
                "approve(address, uint)              | approve(address,uint256)                      | 0x095ea7b3",
                "transferFrom(address,address,uint256)| transferFrom(address,address,uint256)       | 0x23b872dd",
                "balanceOf(address)                  | balanceOf(address)                            | 0x70a08231",
                "setApprovalForAll(address,bool)     | setApprovalForAll(address,bool)               | 0xa22cb465",
                "multicall(bytes[])                  | multicall(bytes[])                            | 0xac9650d8",
            })
    void canonicalisesAndSelectsAsSolidityDoes(String written, String canonical, String selector) {
        FunctionSignature signature = FunctionSignature.parse(written);

        assertThat(signature.canonical()).isEqualTo(canonical);
        assertThat(signature.selector()).hasToString(selector);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "transfer",
                "transfer(address,uint7)",
                "f((address,uint256))",
                "f(adress)",
                "1f()",
                "f(uint264)",
                "f(bytes33)"
            })
    void refusesWhatIsNoSignatureOrHasTuples(String written) {
        assertThatThrownBy(() -> FunctionSignature.parse(written)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"0,true", "1,false", "2,false", "3,true"})
    void knowsWhichParametersAreOneWordOfTheHead(int index, boolean isStatic) {
        assertThat(FunctionSignature.parse("f(address,bytes,uint256[],bytes32)").isStatic(index))
                .isEqualTo(isStatic);
    }
}
