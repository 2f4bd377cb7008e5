package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.guardian.policy.Address;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * Rotating the key-encryption key: a key sealed under the previous KEK comes out sealed under the
 * vault's own, the same key for the same address or public key, and nothing else is accepted.
 */
class ResealTest {
    private final SecureRandom random = new SecureRandom();
    private final KeyEncryptionKey previous = KeyEncryptionKey.generate();
    private final KeyEncryptionKey current = KeyEncryptionKey.generate();
    private final KeyVault before = new KeyVault(previous);
    private final KeyVault after = new KeyVault(current);

    @Test
    void aWalletKeyResealedUnderTheNewKekSignsForTheSameAddressAndNoLongerOpensUnderTheOld() {
        SealedKey old = before.importKey(TestKeys.key(TestKeys.ANVIL_0_KEY));

        SealedKey resealed = after.reseal(old, previous);

        assertThat(resealed.address()).isEqualTo(Address.parse(TestKeys.ANVIL_0_ADDRESS));
        assertThat(resealed.sealed()).isNotEqualTo(old.sealed());
        byte[] digest = randomDigest();
        assertThat(after.signerFor(resealed).sign(digest).recoverSigner(digest)).isEqualTo(resealed.address());
        assertThat(after.unseal(resealed)).isEqualTo(TestKeys.key(TestKeys.ANVIL_0_KEY));
        assertThat(before.opens(resealed)).isFalse();
        assertThat(after.opens(resealed)).isTrue();
    }

    @Test
    void opensTellsAKeyOfThisKekFromOneOfAnother() {
        SealedKey mine = after.generate();
        SealedKey theirs = before.generate();

        assertThat(after.opens(mine)).isTrue();
        assertThat(after.opens(theirs)).isFalse();
    }

    @Test
    void refusesToResealAKeyThePreviousKekDoesNotOpen() {
        SealedKey underAThirdKek = new KeyVault(KeyEncryptionKey.generate()).generate();

        assertThatThrownBy(() -> after.reseal(underAThirdKek, previous))
                .isInstanceOf(KeyUnsealException.class)
                .hasMessageContaining("cannot unseal the key for " + underAThirdKek.address());
    }

    @Test
    void refusesToResealAKeyThatAlreadyOpensUnderTheCurrentKekAsIfItWereOld() {
        SealedKey fresh = after.generate();

        // Callers ask opens() first; reseal() itself takes the previous KEK at its word and finds it wrong.
        assertThatThrownBy(() -> after.reseal(fresh, previous)).isInstanceOf(KeyUnsealException.class);
    }

    @Test
    void refusesToResealAKeyStoredForAnAddressItDoesNotControl() {
        Address someoneElse = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        SealedKey mislabelled = new SealedKey(
                someoneElse, KeySealing.seal(previous, someoneElse, TestKeys.key(TestKeys.ANVIL_0_KEY), random));

        assertThat(before.opens(mislabelled)).isFalse();
        assertThatThrownBy(() -> after.reseal(mislabelled, previous))
                .isInstanceOf(KeyUnsealException.class)
                .hasMessageContaining("does not control");
    }

    @Test
    void anAuditKeyResealedUnderTheNewKekKeepsItsPublicKeyAndSignsForIt() {
        SealedAuditKey old = before.generateAuditKey();

        SealedAuditKey resealed = after.reseal(old, previous);

        assertThat(resealed.publicKey()).isEqualTo(old.publicKey());
        assertThat(resealed.sealed()).isNotEqualTo(old.sealed());
        byte[] message = "{\"headSeq\":7}".getBytes(StandardCharsets.UTF_8);
        byte[] signature = after.auditSignerFor(resealed).sign(message);
        assertThat(Ed25519.verify(signature, 0, old.publicKey(), 0, message, 0, message.length))
                .isTrue();
        assertThat(after.opens(resealed)).isTrue();
        assertThat(before.opens(resealed)).isFalse();
        assertThat(after.opens(old)).isFalse();
    }

    @Test
    void refusesToResealAnAuditKeyThePreviousKekDoesNotOpen() {
        SealedAuditKey underAThirdKek = new KeyVault(KeyEncryptionKey.generate()).generateAuditKey();

        assertThatThrownBy(() -> after.reseal(underAThirdKek, previous))
                .isInstanceOf(KeyUnsealException.class)
                .hasMessageContaining("cannot unseal the audit key with public key");
    }

    @Test
    void refusesToResealAnAuditKeyStoredForAnotherPublicKey() {
        byte[] privateKey = new byte[32];
        random.nextBytes(privateKey);
        byte[] otherPublicKey = before.generateAuditKey().publicKey();
        SealedAuditKey mislabelled = new SealedAuditKey(
                otherPublicKey, KeySealing.sealAuditKey(previous, otherPublicKey, privateKey, random));

        assertThatThrownBy(() -> after.reseal(mislabelled, previous))
                .isInstanceOf(KeyUnsealException.class)
                .hasMessageContaining("does not belong to that public key");
    }

    @Test
    void aRefusedResealCarriesNoKeyMaterial() {
        byte[] previousBytes = new byte[32];
        random.nextBytes(previousBytes);
        KeyEncryptionKey known = KeyEncryptionKey.fromBase64(Base64.getEncoder().encodeToString(previousBytes));
        SealedKey underAThirdKek =
                new KeyVault(KeyEncryptionKey.generate()).importKey(TestKeys.key(TestKeys.ANVIL_0_KEY));

        KeyUnsealException failure =
                catchThrowableOfType(KeyUnsealException.class, () -> after.reseal(underAThirdKek, known));

        String text = TestKeys.stackTraceOf(failure);
        for (byte[] secret : new byte[][] {previousBytes, TestKeys.key(TestKeys.ANVIL_0_KEY)}) {
            for (String rendering : TestKeys.renderings(secret)) {
                assertThat(text).doesNotContain(rendering);
            }
        }
    }

    @Test
    void aClosedPreviousKekFailsLoudlyRatherThanOpeningWithZeroes() {
        SealedKey old = before.generate();
        previous.close();

        assertThatThrownBy(() -> after.reseal(old, previous))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private byte[] randomDigest() {
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        return digest;
    }
}
