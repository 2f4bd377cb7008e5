package dev.guardian.service.sanctions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * CSV with a header row naming an {@code address} column, as in ultrasoundmoney's {@code address,name}
 * or a derived export with currency, party and program columns. Values of other currencies in that
 * column are skipped; a value that starts like an EVM address but is not one fails the list.
 */
final class CsvListParser implements ListParser {
    static final String ADDRESS_COLUMN = "address";

    @Override
    public ParsedList parse(InputStream content, String source) throws IOException {
        Csv csv = new Csv(new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8)));
        List<String> header = csv.next();
        if (header == null) {
            throw new MalformedListException(source + " is empty: a CSV list needs a header with an 'address' column");
        }
        int column = -1;
        for (int i = 0; i < header.size(); i++) {
            String name = (i == 0 ? PlainTextListParser.stripByteOrderMark(header.get(i)) : header.get(i));
            if (name.strip().toLowerCase(Locale.ROOT).equals(ADDRESS_COLUMN)) {
                column = i;
                break;
            }
        }
        if (column < 0) {
            throw new MalformedListException(source + ": the header " + header + " has no 'address' column");
        }
        AddressTable.Builder addresses = AddressTable.builder();
        int others = 0;
        List<String> row;
        while ((row = csv.next()) != null) {
            if (row.size() == 1 && row.getFirst().isBlank()) {
                continue;
            }
            if (row.size() <= column) {
                throw new MalformedListException(source + " record " + csv.recordNumber() + " has " + row.size()
                        + " fields; the address is field " + (column + 1));
            }
            String value = row.get(column).strip();
            if (!EvmAddresses.collect(addresses, value, source + " record " + csv.recordNumber())) {
                others++;
            }
        }
        return new ParsedList(addresses.build(), Optional.empty(), others, List.of());
    }
}
