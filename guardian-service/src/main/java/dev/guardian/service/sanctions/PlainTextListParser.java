package dev.guardian.service.sanctions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One address per line (the 0xB10C/brave-intl lists). Blank lines and {@code #} comments are ignored;
 * a line that is another currency's address is skipped; a line that starts like an EVM address but is
 * not one fails the whole list, since it is a typo or a cut-off file rather than data to skip.
 */
final class PlainTextListParser implements ListParser {
    @Override
    public ParsedList parse(InputStream content, String source) throws IOException {
        AddressTable.Builder addresses = AddressTable.builder();
        int others = 0;
        BufferedReader reader = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String entry = (number == 1 ? stripByteOrderMark(line) : line).strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            if (!EvmAddresses.collect(addresses, entry, source + " line " + number)) {
                others++;
            }
        }
        return new ParsedList(addresses.build(), Optional.empty(), others, List.of());
    }

    static String stripByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
