package dev.guardian.service.sanctions;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A JSON array of address strings, as the 0xB10C/brave-intl {@code sanctioned_addresses_ETH.json}. */
final class JsonListParser implements ListParser {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public ParsedList parse(InputStream content, String source) throws IOException {
        JsonNode array;
        try {
            array = JSON.readTree(content);
        } catch (JacksonException e) {
            throw new MalformedListException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (array == null || !array.isArray()) {
            throw new MalformedListException(source + ": a JSON list is an array of address strings");
        }
        AddressTable.Builder addresses = AddressTable.builder();
        int others = 0;
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (!element.isString()) {
                throw new MalformedListException(source + " element " + i + " is not a string");
            }
            String value = element.stringValue().strip();
            if (!EvmAddresses.collect(addresses, value, source + " element " + i)) {
                others++;
            }
        }
        return new ParsedList(addresses.build(), Optional.empty(), others, List.of());
    }
}
