package dev.guardian.service.sanctions;

/**
 * The formats Guardian reads. Configured as {@code text}, {@code csv}, {@code json},
 * {@code sdn-advanced-xml} or {@code sdn-csv}.
 */
public enum ListFormat {
    /** One address per line; blank lines and {@code #} comments ignored. */
    TEXT("text", new PlainTextListParser()),
    /** CSV with a header row that has an {@code address} column (other columns are ignored). */
    CSV("csv", new CsvListParser()),
    /** A JSON array of address strings. */
    JSON("json", new JsonListParser()),
    /** OFAC's official {@code sdn_advanced.xml}: every "Digital Currency Address - *" feature. */
    SDN_ADVANCED_XML("sdn-advanced-xml", new SdnAdvancedXmlParser()),
    /** OFAC's legacy {@code sdn.csv}: addresses inside the Remarks column (cut at 1,000 characters by OFAC). */
    SDN_CSV("sdn-csv", new SdnCsvParser());

    private final String configName;
    private final ListParser parser;

    ListFormat(String configName, ListParser parser) {
        this.configName = configName;
        this.parser = parser;
    }

    /** The name used in configuration and in version records. */
    public String configName() {
        return configName;
    }

    ListParser parser() {
        return parser;
    }

    public static ListFormat fromConfigName(String name) {
        for (ListFormat format : values()) {
            if (format.configName.equalsIgnoreCase(name.strip())) {
                return format;
            }
        }
        throw new IllegalArgumentException(
                "unknown list type '" + name + "'; use one of text, csv, json, sdn-advanced-xml, sdn-csv");
    }

    @Override
    public String toString() {
        return configName;
    }
}
