package dev.guardian.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecodedCallTest {
    private static final Address VAULT = Address.parse("0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6");
    private static final Address TOKEN = Address.parse("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
    private static final Address RECEIVER = Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    private static final FunctionSignature WITHDRAW_TO = FunctionSignature.parse("withdrawTo(address,uint256,address)");
    private static final ContractRules RULES = new ContractRules(
            Map.of(
                    VAULT,
                    ContractEntry.of(
                            "Acme vault",
                            List.of(
                                    new ContractEntry.Function(WITHDRAW_TO, List.of()),
                                    new ContractEntry.Function(
                                            FunctionSignature.parse("note(bool,bytes,int8)"), List.of())),
                            List.of())),
            Verdict.ESCALATE);

    private static WalletCall call(Address to, String data) {
        return new WalletCall(to, TokenAmount.zero(Asset.ether()), Hex.decode(data));
    }

    private static String word(String hexDigits) {
        return "0".repeat(64 - hexDigits.length()) + hexDigits;
    }

    @Test
    void aListedFunctionIsShownByItsSignatureWithEachArgumentDecoded() {
        String data = WITHDRAW_TO.selector()
                + word(TOKEN.toLowerHex().substring(2))
                + word("f4240")
                + word(RECEIVER.toLowerHex().substring(2));

        DecodedCall decoded = DecodedCall.of(RULES, call(VAULT, data));

        assertThat(decoded.contract()).contains("Acme vault");
        assertThat(decoded.function()).contains("withdrawTo(address,uint256,address)");
        assertThat(decoded.arguments())
                .containsExactly(
                        new DecodedCall.Argument("address", TOKEN.toString()),
                        new DecodedCall.Argument("uint256", "1000000"),
                        new DecodedCall.Argument("address", RECEIVER.toString()));
    }

    @Test
    void boolsIntsAndDynamicArgumentsAreShownAsTheirTypesSay() {
        String data =
                FunctionSignature.parse("note(bool,bytes,int8)").selector() + word("1") + word("60") + "f".repeat(64);

        DecodedCall decoded = DecodedCall.of(RULES, call(VAULT, data));

        assertThat(decoded.arguments())
                .containsExactly(
                        new DecodedCall.Argument("bool", "true"),
                        new DecodedCall.Argument("bytes", "(dynamic, at offset 96)"),
                        new DecodedCall.Argument("int8", "-1"));
    }

    @Test
    void aWordThatIsNotAnAddressIsNotShownAsOne() {
        String data = WITHDRAW_TO.selector() + "ff" + word(TOKEN.toLowerHex().substring(4)) + word("1") + word("2");

        DecodedCall decoded = DecodedCall.of(RULES, call(VAULT, data));

        assertThat(decoded.arguments().getFirst().value()).startsWith("(not an address");
    }

    @Test
    void aCallThePolicyDoesNotDescribeKeepsItsSelectorAndRawWords() {
        String data = "0xdeadbeef" + word("1") + "abcd";

        DecodedCall decoded = DecodedCall.of(RULES, call(RECEIVER, data));

        assertThat(decoded.contract()).isEmpty();
        assertThat(decoded.function()).isEmpty();
        assertThat(decoded.selector()).contains("0xdeadbeef");
        assertThat(decoded.arguments())
                .containsExactly(
                        new DecodedCall.Argument("word", "0x" + word("1")), new DecodedCall.Argument("word", "0xabcd"));
    }

    @Test
    void aMissingArgumentIsShownAsMissingAndAPlainTransferHasNoFunction() {
        DecodedCall shortCall = DecodedCall.of(RULES, call(VAULT, WITHDRAW_TO.selector() + word("1")));
        assertThat(shortCall.arguments())
                .extracting(DecodedCall.Argument::value)
                .containsExactly("0x0000000000000000000000000000000000000001", "(missing)", "(missing)");

        DecodedCall transfer = DecodedCall.of(RULES, call(RECEIVER, "0x"));
        assertThat(transfer)
                .isEqualTo(new DecodedCall(Optional.empty(), Optional.empty(), Optional.empty(), List.of()));
    }
}
