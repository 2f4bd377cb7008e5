package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyEncryptionKeyTest {
    @TempDir
    Path dir;

    @Test
    void keyWrittenToAFileReadsBackAsTheSameKey() {
        KeyEncryptionKey original = KeyEncryptionKey.generate();
        SealedKey sealed = new KeyVault(original).generate();
        Path file = dir.resolve("kek");

        original.writeTo(file);
        KeyEncryptionKey reloaded = KeyEncryptionKey.fromFile(file);

        byte[] digest = new byte[32];
        assertThat(new KeyVault(reloaded).signerFor(sealed).sign(digest).recoverSigner(digest))
                .isEqualTo(sealed.address());
    }

    @Test
    void writtenFileIsBase64TextReadableByItsOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("kek");

        KeyEncryptionKey.generate().writeTo(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        assertThat(Base64.getDecoder().decode(text)).hasSize(32);
    }

    @Test
    void refusesToOverwriteAnExistingFile() throws Exception {
        Path file = dir.resolve("kek");
        Files.writeString(file, "the old key, still needed\n");

        assertThatThrownBy(() -> KeyEncryptionKey.generate().writeTo(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("already exists");
        assertThat(Files.readString(file)).isEqualTo("the old key, still needed\n");
    }

    @Test
    void readsAFileWhoseBase64IsSurroundedByWhitespace() throws Exception {
        String base64 = Base64.getEncoder().encodeToString(randomBytes(32));
        Path file = dir.resolve("kek");
        Files.writeString(file, "  \n" + base64 + "\r\n\n");

        assertSameKeyEncryptionKey(KeyEncryptionKey.fromFile(file), KeyEncryptionKey.fromBase64(base64));
    }

    @Test
    void namesTheMissingFile() {
        Path missing = dir.resolve("no-such-kek");

        assertThatThrownBy(() -> KeyEncryptionKey.fromFile(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void reportsAFileItCannotRead() throws Exception {
        Path file = dir.resolve("kek");
        Files.writeString(file, Base64.getEncoder().encodeToString(randomBytes(32)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeTrue(!Files.isReadable(file), "running as a user who can read any file (root)");

        assertThatThrownBy(() -> KeyEncryptionKey.fromFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not readable");
    }

    @Test
    void reportsADirectoryGivenAsTheFile() {
        assertThatThrownBy(() -> KeyEncryptionKey.fromFile(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not read");
    }

    @Test
    void rejectsAFileWithTheWrongLengthWithoutQuotingIt() throws Exception {
        byte[] bytes = randomBytes(16);
        Path file = dir.resolve("kek");
        Files.writeString(file, Base64.getEncoder().encodeToString(bytes));

        Throwable thrown = catchThrowable(() -> KeyEncryptionKey.fromFile(file));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
        assertNoRenderingOf(bytes, TestKeys.stackTraceOf(thrown));
    }

    @Test
    void rejectsAnEmptyFile() throws Exception {
        Path file = dir.resolve("kek");
        Files.writeString(file, "\n");

        assertThatThrownBy(() -> KeyEncryptionKey.fromFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16, 31, 33, 64})
    void rejectsBase64OfAnyLengthButThirtyTwoBytesWithoutEchoingIt(int length) {
        byte[] bytes = randomBytes(length);
        String base64 = Base64.getEncoder().encodeToString(bytes);

        Throwable thrown = catchThrowable(() -> KeyEncryptionKey.fromBase64(base64));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        if (length > 0) {
            assertThat(TestKeys.stackTraceOf(thrown)).doesNotContain(base64);
            assertNoRenderingOf(bytes, TestKeys.stackTraceOf(thrown));
        }
    }

    @Test
    void rejectsTextThatIsNotBase64WithoutEchoingAnyOfIt() {
        String notBase64 = "s3cr3t-KEK-#" + "A".repeat(32);

        Throwable thrown = catchThrowable(() -> KeyEncryptionKey.fromBase64(notBase64));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid base64");
        String text = TestKeys.stackTraceOf(thrown);
        // The JDK decoder's own message would quote the offending character ("Illegal base64 character 23").
        assertThat(text).doesNotContain("s3cr3t").doesNotContain("#").doesNotContain("Illegal base64 character");
    }

    @Test
    void rejectsAMissingValue() {
        assertThatThrownBy(() -> KeyEncryptionKey.fromBase64(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void acceptsBase64WithSurroundingWhitespaceAsFromAnEnvironmentVariable() {
        String base64 = Base64.getEncoder().encodeToString(randomBytes(32));

        assertSameKeyEncryptionKey(
                KeyEncryptionKey.fromBase64(" " + base64 + "\n"), KeyEncryptionKey.fromBase64(base64));
    }

    @Test
    void toStringIsRedacted() {
        byte[] bytes = randomBytes(32);
        KeyEncryptionKey kek = KeyEncryptionKey.fromBase64(Base64.getEncoder().encodeToString(bytes));

        assertThat(kek.toString()).isEqualTo("KeyEncryptionKey[redacted]");
        assertNoRenderingOf(bytes, kek.toString());
    }

    @Test
    void closeOverwritesTheKeyBytesWithZeros() throws Exception {
        KeyEncryptionKey kek = KeyEncryptionKey.fromBase64(Base64.getEncoder().encodeToString(randomBytes(32)));

        kek.close();

        // White-box on purpose: the zeroing itself is the property, and it is invisible from outside.
        Field bytes = KeyEncryptionKey.class.getDeclaredField("bytes");
        bytes.setAccessible(true);
        assertThat((byte[]) bytes.get(kek)).hasSize(32).containsOnly(0);
    }

    @Test
    void aClosedKeyCanNoLongerBeWrittenOut() {
        KeyEncryptionKey kek = KeyEncryptionKey.generate();
        kek.close();
        kek.close();

        assertThatThrownBy(() -> kek.writeTo(dir.resolve("kek")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(dir.resolve("kek")).doesNotExist();
    }

    /** A wallet key sealed under {@code sealing} unseals under {@code unsealing} to the very same private key. */
    private static void assertSameKeyEncryptionKey(KeyEncryptionKey sealing, KeyEncryptionKey unsealing) {
        SealedKey sealed = new KeyVault(sealing).importKey(TestKeys.key(TestKeys.ANVIL_0_KEY));

        assertThat(new KeyVault(unsealing).unseal(sealed)).isEqualTo(TestKeys.key(TestKeys.ANVIL_0_KEY));
    }

    private static void assertNoRenderingOf(byte[] secret, String text) {
        for (String rendering : TestKeys.renderings(secret)) {
            assertThat(text).doesNotContain(rendering);
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
