package dev.guardian.service.identity;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first start: when no active administrator exists, Guardian creates one and writes its token to a
 * file only the service's user can read, then tells the operator (at WARN) how to read it. The token
 * never reaches a log. The file is deleted the first time the token is used, so the token lives on
 * only where the operator put it.
 */
final class InitialAdmin {
    private static final Logger log = LoggerFactory.getLogger(InitialAdmin.class);

    private final People people;
    private final Path file;
    private final AtomicBoolean fileMayExist = new AtomicBoolean(true);

    InitialAdmin(People people, Path file) {
        this.people = people;
        this.file = file.toAbsolutePath().normalize();
    }

    /** Creates the initial administrator if there is no active one, and says so in the log. */
    void ensure() {
        boolean[] written = {false};
        Optional<IssuedToken> created;
        try {
            created = people.ensureAdministrator(token -> {
                write(token);
                written[0] = true;
            });
        } catch (RuntimeException e) {
            if (written[0]) {
                deleteQuietly(file); // the transaction did not commit: the token in the file opens nothing
            }
            throw e;
        }
        if (created.isPresent()) {
            log.warn("""

                    ************************************************************************
                    Guardian had no active administrator, so it created person '{}' (role ADMIN)
                    with a new API token (credential {}). Read the token once with:

                        cat {}

                    Guardian deletes that file the first time the token is used. Keep the token
                    in your secrets store; an administrator can create other people and rotate it.
                    ************************************************************************""", People.INITIAL_ADMIN, created.get().credentialId(), file);
            return;
        }
        if (Files.exists(file)) {
            log.warn(
                    "the initial administrator's token is still in {}; Guardian deletes it when the token is first used",
                    file);
        }
    }

    /**
     * Called when the initial administrator's token authenticates: the file has done its job. Only the
     * first call touches the file system; every later request with that token costs nothing here.
     */
    void tokenUsed() {
        if (!fileMayExist.getAndSet(false)) {
            return;
        }
        try {
            if (Files.deleteIfExists(file)) {
                log.info("the initial administrator's token was used; deleted {}", file);
            }
        } catch (IOException e) {
            log.warn("could not delete {} after its token was used: {}", file, e.getMessage());
        }
    }

    /**
     * Writes the token to a new file that is owner-only from its creation (no moment in which another
     * user could open it), then moves it into place. Fails start-up if the file cannot be written:
     * an administrator whose token nobody can read would be no administrator.
     */
    private void write(IssuedToken token) {
        Path directory = file.getParent();
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            temporary = Files.createTempFile(
                    directory,
                    ".guardian-initial-admin-",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
                writer.write(token.token());
                writer.write('\n');
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            deleteQuietly(temporary);
            String problem =
                    e instanceof FileAlreadyExistsException ? "it exists and cannot be replaced" : e.getMessage();
            throw new IllegalStateException(
                    "guardian.identity.initial-admin-token-file: cannot write the initial administrator's"
                            + " token to " + file + " (" + problem + "); set the property to a writable path",
                    e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", path, e.getMessage());
        }
    }
}
