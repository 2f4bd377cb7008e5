package dev.guardian.service.sanctions;

import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * OFAC's official {@code sdn_advanced.xml}, read with StAX (the full file is about 121 MB).
 *
 * <p>The feature types are looked up by name, not by id: every {@code FeatureType} whose text starts
 * with "Digital Currency Address - " counts, whatever the currency (OFAC files some 0x addresses only
 * under USDT, USDC, ARB, BSC or ETC, and adds tags over time). Every {@code VersionDetail} of a
 * {@code Feature} of such a type that is an EVM address is taken. Elements are matched on local names,
 * because OFAC changed the namespace in May 2024. DTDs and external entities are refused: the content
 * may come from the network.
 */
final class SdnAdvancedXmlParser implements ListParser {
    static final String DIGITAL_CURRENCY_PREFIX = "Digital Currency Address - ";

    @Override
    public ParsedList parse(InputStream content, String source) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        try {
            XMLStreamReader xml = factory.createXMLStreamReader(content);
            try {
                return read(xml, source);
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw new MalformedListException(source + " is not well-formed XML: " + e.getMessage(), e);
        }
    }

    private static ParsedList read(XMLStreamReader xml, String source) throws XMLStreamException {
        Set<String> currencyTypes = new HashSet<>();
        // Features may in principle come before their types are declared, so keep what each type holds.
        Map<String, List<String>> evmValuesByType = new HashMap<>();
        Map<String, Integer> otherValuesByType = new HashMap<>();
        Map<String, Integer> dateParts = new HashMap<>();
        boolean rootSeen = false;
        boolean inDateOfIssue = false;
        String featureType = null;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                String name = xml.getLocalName();
                if (!rootSeen) {
                    if (!name.equals("Sanctions")) {
                        throw new MalformedListException(source + ": the root element is <" + name
                                + ">, not <Sanctions>; this is not an sdn_advanced.xml");
                    }
                    rootSeen = true;
                    continue;
                }
                switch (name) {
                    case "DateOfIssue" -> inDateOfIssue = true;
                    case "Year", "Month", "Day" -> {
                        if (inDateOfIssue) {
                            dateParts.put(name, integer(xml.getElementText(), source, "DateOfIssue/" + name));
                        }
                    }
                    case "FeatureType" -> {
                        String id = xml.getAttributeValue(null, "ID");
                        String text = xml.getElementText().strip();
                        if (id != null && text.startsWith(DIGITAL_CURRENCY_PREFIX)) {
                            currencyTypes.add(id);
                        }
                    }
                    case "Feature" -> featureType = xml.getAttributeValue(null, "FeatureTypeID");
                    case "VersionDetail" -> {
                        if (featureType != null) {
                            String value = xml.getElementText().strip();
                            if (EvmAddresses.isEvmAddress(value)) {
                                evmValuesByType
                                        .computeIfAbsent(featureType, t -> new ArrayList<>())
                                        .add(value);
                            } else {
                                otherValuesByType.merge(featureType, 1, Integer::sum);
                            }
                        }
                    }
                    default -> {}
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                switch (xml.getLocalName()) {
                    case "DateOfIssue" -> inDateOfIssue = false;
                    case "Feature" -> featureType = null;
                    default -> {}
                }
            }
        }
        if (!rootSeen) {
            throw new MalformedListException(source + " has no root element");
        }
        if (currencyTypes.isEmpty()) {
            throw new MalformedListException(source + " declares no \"" + DIGITAL_CURRENCY_PREFIX
                    + "*\" feature type; this is not a complete sdn_advanced.xml");
        }
        AddressTable.Builder addresses = AddressTable.builder();
        int others = 0;
        for (String type : currencyTypes) {
            evmValuesByType.getOrDefault(type, List.of()).forEach(addresses::addHex);
            others += otherValuesByType.getOrDefault(type, 0);
        }
        return new ParsedList(addresses.build(), dateOfIssue(dateParts, source), others, List.of());
    }

    private static Optional<LocalDate> dateOfIssue(Map<String, Integer> parts, String source) {
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(
                    parts.getOrDefault("Year", 0), parts.getOrDefault("Month", 0), parts.getOrDefault("Day", 0)));
        } catch (DateTimeException e) {
            throw new MalformedListException(source + ": DateOfIssue " + parts + " is not a date");
        }
    }

    private static int integer(String text, String source, String what) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new MalformedListException(source + ": " + what + " is '" + text.strip() + "', not a number");
        }
    }
}
