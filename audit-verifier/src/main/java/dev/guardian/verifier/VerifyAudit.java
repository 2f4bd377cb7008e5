package dev.guardian.verifier;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline verifier, {@code bin/verify-audit}: reads an export (JSON Lines or CSV) and the audit
 * public key(s) the auditor trusts, recomputes every hash, checks the chain and every checkpoint
 * signature, and prints OK or the first bad sequence number and what is wrong.
 *
 * <p>Exit status: 0 verified, 1 the export does not verify, 2 the command could not run (usage, files).
 */
public final class VerifyAudit {
    static final int VERIFIED = 0;
    static final int NOT_VERIFIED = 1;
    static final int CANNOT_RUN = 2;

    private static final String USAGE = String.join(
            "\n",
            "usage: verify-audit [--slice] EXPORT PUBLIC-KEY.pem [MORE-KEYS.pem ...]",
            "  EXPORT          an audit export from GET /v1/audit/export (JSON Lines or CSV)",
            "  PUBLIC-KEY.pem  the audit public key, obtained from Guardian separately (GET /v1/audit/public-keys)",
            "  --slice         the export may start after record 1 (its first link is then taken on trust)");

    private VerifyAudit() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean slice = false;
        List<String> files = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--slice")) {
                slice = true;
            } else if (arg.equals("-h") || arg.equals("--help")) {
                out.println(USAGE);
                return VERIFIED;
            } else if (arg.startsWith("-")) {
                err.println("unknown option " + arg + "\n" + USAGE);
                return CANNOT_RUN;
            } else {
                files.add(arg);
            }
        }
        if (files.size() < 2) {
            err.println(USAGE);
            return CANNOT_RUN;
        }
        List<AuditPublicKey> keys = new ArrayList<>();
        for (String keyFile : files.subList(1, files.size())) {
            try {
                keys.add(AuditPublicKey.fromPem(Files.readString(Path.of(keyFile), StandardCharsets.US_ASCII)));
            } catch (NoSuchFileException e) {
                err.println("no such file: " + keyFile);
                return CANNOT_RUN;
            } catch (IOException | IllegalArgumentException e) {
                err.println("cannot read the public key " + keyFile + ": " + e.getMessage());
                return CANNOT_RUN;
            }
        }
        ExportVerifier.Result result;
        try (Reader export = Files.newBufferedReader(Path.of(files.get(0)), StandardCharsets.UTF_8)) {
            result = ExportVerifier.verify(export, keys, slice);
        } catch (NoSuchFileException e) {
            err.println("no such file: " + files.get(0));
            return CANNOT_RUN;
        } catch (IOException e) {
            err.println("cannot read the export " + files.get(0) + ": " + e.getMessage());
            return CANNOT_RUN;
        }
        out.println(result.report().summary());
        for (String note : result.notes()) {
            out.println("note: " + note);
        }
        return result.report().ok() ? VERIFIED : NOT_VERIFIED;
    }
}
