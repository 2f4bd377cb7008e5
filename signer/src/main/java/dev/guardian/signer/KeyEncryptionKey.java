package dev.guardian.signer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Key-encryption key (KEK) for wallet keys at rest: 32 bytes that come from outside the database
 * (a file or a secret store), so that a copy of the database alone does not yield any wallet key.
 *
 * <p>Nothing here ever prints or reports the key: {@link #toString()} is redacted and error messages
 * name only lengths and paths. {@link #close()} overwrites the bytes; a closed key refuses to be used.
 */
public final class KeyEncryptionKey implements AutoCloseable {
    public static final int LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    // Readers are the seal/unseal operations, which may run concurrently; close() waits for them to
    // finish so that no operation sees half-zeroed bytes.
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private KeyEncryptionKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Decodes standard base64 (surrounding whitespace ignored) that must yield exactly 32 bytes. */
    public static KeyEncryptionKey fromBase64(String base64) {
        if (base64 == null) {
            throw new IllegalArgumentException("a key-encryption key is missing (expected base64 of 32 bytes)");
        }
        byte[] ascii = base64.strip().getBytes(StandardCharsets.US_ASCII);
        try {
            return decode(ascii, "the value");
        } finally {
            Arrays.fill(ascii, (byte) 0);
        }
    }

    /** Reads a file holding the base64 text of 32 bytes, as written by {@link #writeTo(Path)}. */
    public static KeyEncryptionKey fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("key-encryption key file " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("key-encryption key file " + file + " is not readable", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("could not read key-encryption key file " + file, e);
        }
        byte[] trimmed = trimAsciiWhitespace(content);
        try {
            return decode(trimmed, "file " + file);
        } finally {
            Arrays.fill(content, (byte) 0);
            Arrays.fill(trimmed, (byte) 0);
        }
    }

    /** A fresh key from the platform's {@link SecureRandom}. */
    public static KeyEncryptionKey generate() {
        byte[] bytes = new byte[LENGTH];
        RANDOM.nextBytes(bytes);
        return new KeyEncryptionKey(bytes);
    }

    /**
     * Writes the key as base64 text to a new file, readable and writable by its owner only where
     * the file system has POSIX permissions. Refuses to overwrite an existing file, because that
     * would destroy the only way to unseal the keys sealed under the old one.
     *
     * @throws UncheckedIOException if the file exists or cannot be written
     */
    public void writeTo(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] encoded = withBytes(key -> Base64.getEncoder().encode(key));
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] attributes =
                file.getFileSystem().supportedFileAttributeViews().contains("posix")
                        ? new FileAttribute<?>[] {
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                        }
                        : new FileAttribute<?>[0];
        boolean created = false;
        try (SeekableByteChannel channel = Files.newByteChannel(file, options, attributes)) {
            created = true;
            writeFully(channel, ByteBuffer.wrap(encoded));
            writeFully(channel, ByteBuffer.wrap(new byte[] {'\n'}));
            if (channel instanceof FileChannel fileChannel) {
                fileChannel.force(true);
            }
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException("refusing to overwrite " + file + ": the file already exists", e);
        } catch (IOException e) {
            if (created) {
                deleteQuietly(file);
            }
            throw new UncheckedIOException("could not write the key-encryption key to " + file, e);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /** Overwrites the key bytes with zeros; afterwards every use of this key fails. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            Arrays.fill(bytes, (byte) 0);
            closed = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[redacted]";
    }

    /**
     * Runs one cipher operation with the key as a Bouncy Castle parameter. The parameter holds its own
     * copy of the bytes, which is zeroed as soon as the operation returns.
     */
    <T> T withKeyParameter(Function<KeyParameter, T> operation) {
        return withBytes(key -> {
            KeyParameter parameter = new KeyParameter(key);
            try {
                return operation.apply(parameter);
            } finally {
                // KeyParameter.getKey() returns its internal copy, so this clears the copy itself.
                Arrays.fill(parameter.getKey(), (byte) 0);
            }
        });
    }

    private <T> T withBytes(Function<byte[], T> operation) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the key-encryption key has been closed");
            }
            return operation.apply(bytes);
        } finally {
            lock.readLock().unlock();
        }
    }

    private static KeyEncryptionKey decode(byte[] base64, String source) {
        if (base64.length == 0) {
            throw new IllegalArgumentException("a key-encryption key is base64 of 32 bytes; " + source + " is empty");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            // The decoder's own message quotes the offending character, so it is not passed on.
            throw new IllegalArgumentException(
                    "a key-encryption key is base64 of 32 bytes; " + source + " is not valid base64");
        }
        if (decoded.length != LENGTH) {
            int length = decoded.length;
            Arrays.fill(decoded, (byte) 0);
            throw new IllegalArgumentException(
                    "a key-encryption key is 32 bytes; " + source + " decodes to " + length + " bytes");
        }
        return new KeyEncryptionKey(decoded);
    }

    private static byte[] trimAsciiWhitespace(byte[] content) {
        int start = 0;
        int end = content.length;
        while (start < end && isAsciiWhitespace(content[start])) {
            start++;
        }
        while (end > start && isAsciiWhitespace(content[end - 1])) {
            end--;
        }
        return Arrays.copyOfRange(content, start, end);
    }

    private static boolean isAsciiWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f';
    }

    private static void writeFully(SeekableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The write error is the one worth reporting.
        }
    }
}
