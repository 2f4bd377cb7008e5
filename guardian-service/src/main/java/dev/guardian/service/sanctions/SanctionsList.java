package dev.guardian.service.sanctions;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.policy.rules.ScreeningResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One loaded list of sanctioned addresses. Lists mix lower-case and checksummed entries, so entries
 * are parsed leniently and compared by their 20 bytes. The version names the source, its as-of date,
 * the entry count and a SHA-256 prefix of the content, so every decision can say what it screened against.
 */
public final class SanctionsList {
    private final Set<Address> addresses;
    private final String version;

    private SanctionsList(Set<Address> addresses, String version) {
        this.addresses = Set.copyOf(addresses);
        this.version = version;
    }

    /** Parses a plain list: one {@code 0x} address per line; blank lines and {@code #} comments ignored. */
    public static SanctionsList parsePlainList(String source, String asOf, byte[] content) {
        Set<Address> parsed = new HashSet<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                parsed.add(Address.parseLenient(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no addresses; refusing to screen against an empty list");
        }
        String version = "%s@%s (%d entries, sha256 %s)".formatted(source, asOf, parsed.size(), sha256Prefix(content));
        return new SanctionsList(parsed, version);
    }

    public static SanctionsList fromClasspath(String resource, String asOf) {
        try (InputStream in = SanctionsList.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("sanctions list " + resource + " is missing from the classpath");
            }
            return parsePlainList(resource.substring(resource.lastIndexOf('/') + 1), asOf, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read sanctions list " + resource, e);
        }
    }

    public static SanctionsList fromFile(java.nio.file.Path file, String asOf) {
        try {
            return parsePlainList(file.getFileName().toString(), asOf, java.nio.file.Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read sanctions list " + file + ": " + e.getMessage(), e);
        }
    }

    public boolean contains(Address address) {
        return addresses.contains(address);
    }

    public int size() {
        return addresses.size();
    }

    public String version() {
        return version;
    }

    /** Screens each address; the result names every address checked, every hit and this list's version. */
    public ScreeningResult screen(Set<Address> touched) {
        Set<Address> hits = new LinkedHashSet<>();
        for (Address address : touched) {
            if (addresses.contains(address)) {
                hits.add(address);
            }
        }
        return new ScreeningResult(touched, hits, version);
    }

    private static String sha256Prefix(byte[] content) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(content)).substring(2, 18);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
