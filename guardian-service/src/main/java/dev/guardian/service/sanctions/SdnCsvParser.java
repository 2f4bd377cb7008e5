package dev.guardian.service.sanctions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OFAC's legacy {@code sdn.csv}: no header, 12 columns, the addresses inside the last one (Remarks) as
 * {@code Digital Currency Address - ETH 0x...;}. Every EVM-format address is taken whatever its currency
 * tag. OFAC cuts Remarks at 1,000 characters, so addresses of large entries (Lazarus Group, Tornado
 * Cash) are silently missing: every cut row is reported as a warning, and sdn_advanced.xml is the
 * source to prefer.
 */
final class SdnCsvParser implements ListParser {
    static final int COLUMNS = 12;
    static final int REMARKS = 11;
    static final int REMARKS_LIMIT = 1000;
    private static final Pattern CURRENCY_ADDRESS =
            Pattern.compile("Digital Currency Address - [A-Za-z0-9]+ (\\S+?)(?=[;,.]?(?:\\s|$))");
    /** OFAC's files end with an MS-DOS end-of-file byte (0x1A) after the last line. */
    private static final String END_OF_FILE = "\u001A";

    @Override
    public ParsedList parse(InputStream content, String source) throws IOException {
        Csv csv = new Csv(new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8)));
        AddressTable.Builder addresses = AddressTable.builder();
        List<String> warnings = new ArrayList<>();
        int others = 0;
        List<String> row;
        while ((row = csv.next()) != null) {
            if (row.size() == 1
                    && (row.getFirst().isBlank() || row.getFirst().strip().equals(END_OF_FILE))) {
                continue;
            }
            if (row.size() != COLUMNS) {
                throw new MalformedListException(source + " record " + csv.recordNumber() + " has " + row.size()
                        + " fields; sdn.csv rows have " + COLUMNS);
            }
            String remarks = row.get(REMARKS);
            Matcher matcher = CURRENCY_ADDRESS.matcher(remarks);
            while (matcher.find()) {
                String value = matcher.group(1);
                if (EvmAddresses.isEvmAddress(value)) {
                    addresses.addHex(value);
                } else {
                    others++;
                }
            }
            if (remarks.length() >= REMARKS_LIMIT) {
                warnings.add("entry " + row.getFirst().strip() + " ("
                        + row.get(1).strip() + "): OFAC cut its Remarks at " + REMARKS_LIMIT
                        + " characters, so addresses after the cut are missing; prefer sdn_advanced.xml");
            }
        }
        return new ParsedList(addresses.build(), Optional.empty(), others, warnings);
    }
}
