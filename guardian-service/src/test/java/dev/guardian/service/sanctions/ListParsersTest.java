package dev.guardian.service.sanctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every format, read from the real OFAC files and public lists copied into src/test/resources/sanctions
 * (see PROVENANCE.md there): counts and addresses are the ones the provenance establishes.
 */
class ListParsersTest {
    /** Filed by OFAC only under USDT, never under ETH (PROVENANCE.md, "Which file to use"). */
    static final Address USDT_ONLY = Address.parseLenient("0xfec8a60023265364d066a1212fde3930f6ae8da7");
    /** POTEKHIN Danil's ETH address, EIP-55 in the lists; Chainalysis' own "sanctioned" example. */
    static final Address POTEKHIN = Address.parse("0x7F367cC41522cE07553e823bf3be79A889DEbe1B");
    /** Valerian Labs: one address under ETH, USDT and USDC. */
    static final Address VALERIAN = Address.parse("0x983a81ca6FB1e441266D2FbcB7D8E530AC2E05A2");
    /** JIMENEZ CASTRO: listed lower-case. */
    static final Address JIMENEZ = Address.parseLenient("0x9c2bc757b66f24d60f016b6237f8cdd414a879fa");
    /** Added by OFAC in 2026: in ultrasoundmoney's list of 2026-05-26, not in the 2025-11-19 files. */
    static final Address ADDED_IN_2026 = Address.parse("0xd04E33461FEA8302c5E1e13895b60cEe8AEfda7F");

    @Test
    void readsThePlainTextListOfEveryEvmAddressOfTheOfficialXml() throws IOException {
        ParsedList shipped = parse(ListFormat.TEXT, "/sanctions/ofac_sdn_evm_addresses_2025-11-19.txt");

        assertThat(shipped.addresses().size()).isEqualTo(81);
        assertThat(shipped.addresses().contains(USDT_ONLY)).isTrue();
        assertThat(shipped.otherEntries()).isZero();
        assertThat(shipped.issued()).isEmpty();
    }

    @Test
    void readsTheEthOnlyTextListsOfBraveIntlAndUpstream() throws IOException {
        assertThat(parse(ListFormat.TEXT, "/sanctions/ofac_sdn_eth_addresses.txt")
                        .addresses()
                        .size())
                .isEqualTo(77);
        ParsedList upstream = parse(ListFormat.TEXT, "/sanctions/ofac_sdn_eth_addresses_upstream_0xB10C_17121db.txt");
        assertThat(upstream.addresses().size()).isEqualTo(96);
        assertThat(upstream.addresses().contains(USDT_ONLY))
                .as("an ETH-only list misses USDT-only addresses")
                .isFalse();
    }

    @Test
    void readsTheJsonArrayAsTheSameSetAsItsTextTwin() throws IOException {
        ParsedList json = parse(ListFormat.JSON, "/sanctions/ofac_sdn_eth_addresses.json");
        ParsedList text = parse(ListFormat.TEXT, "/sanctions/ofac_sdn_eth_addresses.txt");

        assertThat(json.addresses().size()).isEqualTo(77);
        assertThat(json.addresses().addresses())
                .containsExactlyInAnyOrderElementsOf(text.addresses().addresses());
    }

    @Test
    void readsTheAddressColumnOfUltrasoundmoneysCsvWithQuotedNames() throws IOException {
        ParsedList csv = parse(ListFormat.CSV, "/sanctions/ofac_ethereum_addresses_ultrasoundmoney.csv");

        assertThat(csv.addresses().size()).isEqualTo(97);
        assertThat(csv.addresses().contains(ADDED_IN_2026)).isTrue();
        assertThat(csv.addresses().contains(USDT_ONLY)).isTrue();
    }

    @Test
    void takesOnlyTheEvmAddressesOfACsvOfEveryCurrency() throws IOException {
        ParsedList everyCurrency =
                parse(ListFormat.CSV, "/sanctions/ofac_sdn_digital_currency_addresses_2025-11-19.csv");
        ParsedList derived = parse(ListFormat.TEXT, "/sanctions/ofac_sdn_evm_addresses_2025-11-19.txt");

        // 761 rows: 90 are 0x addresses (81 distinct, some under several tags), 671 other currencies.
        assertThat(everyCurrency.addresses().addresses())
                .containsExactlyInAnyOrderElementsOf(derived.addresses().addresses());
        assertThat(everyCurrency.otherEntries()).isEqualTo(671);
    }

    @Test
    void readsEveryDigitalCurrencyFeatureOfTheOfficialXmlExcerpt() throws IOException {
        ParsedList xml = parse(ListFormat.SDN_ADVANCED_XML, "/sanctions/ofac_sdn_advanced_excerpt_2025-11-19.xml");

        assertThat(xml.addresses().addresses()).containsExactlyInAnyOrder(POTEKHIN, VALERIAN, JIMENEZ);
        assertThat(xml.issued()).contains(LocalDate.of(2025, 11, 19));
        assertThat(xml.otherEntries()).as("the three XBT addresses").isEqualTo(3);
    }

    @Test
    void takesAnEvmAddressFiledOnlyUnderAnotherCurrencyThanEth() throws IOException {
        // The same real excerpt, with the ETH feature type renamed away: Valerian Labs' address is then only
        // under USDT and USDC, as four addresses are in the full file. It must still be taken.
        String excerpt = resource("/sanctions/ofac_sdn_advanced_excerpt_2025-11-19.xml")
                .replace(">Digital Currency Address - ETH<", ">Former Vessel Flag<");

        ParsedList xml = ListFormat.SDN_ADVANCED_XML.parser().parse(stream(excerpt), "excerpt");

        assertThat(xml.addresses().addresses()).containsExactly(VALERIAN);
    }

    @Test
    void readsTheXmlUnderOfacsOlderNamespaceToo() throws IOException {
        String excerpt = resource("/sanctions/ofac_sdn_advanced_excerpt_2025-11-19.xml")
                .replace(
                        "xmlns=\"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML\"",
                        "xmlns=\"http://www.un.org/sanctions/1.0\"");

        assertThat(ListFormat.SDN_ADVANCED_XML
                        .parser()
                        .parse(stream(excerpt), "old")
                        .addresses()
                        .size())
                .isEqualTo(3);
    }

    @Test
    void refusesXmlWithADoctypeSoNoEntityIsEverResolved() {
        String hostile = """
                <?xml version="1.0"?>
                <!DOCTYPE Sanctions [<!ENTITY leak SYSTEM "file:///etc/passwd">]>
                <Sanctions><DistinctParties>&leak;</DistinctParties></Sanctions>
                """;

        assertThatThrownBy(() -> ListFormat.SDN_ADVANCED_XML.parser().parse(stream(hostile), "hostile"))
                .isInstanceOf(MalformedListException.class);
    }

    @Test
    void refusesXmlThatIsNotAnSdnAdvancedDocument() {
        assertThatThrownBy(() -> ListFormat.SDN_ADVANCED_XML.parser().parse(stream("<html><body/></html>"), "page"))
                .isInstanceOf(MalformedListException.class)
                .hasMessageContaining("not an sdn_advanced.xml");
        assertThatThrownBy(() -> ListFormat.SDN_ADVANCED_XML
                        .parser()
                        .parse(stream("<Sanctions><DistinctParties/></Sanctions>"), "bare"))
                .isInstanceOf(MalformedListException.class)
                .hasMessageContaining("Digital Currency Address");
    }

    @Test
    void readsTheAddressesInTheRemarksOfTheLegacySdnCsvAndReportsCutRemarks() throws IOException {
        ParsedList csv = parse(ListFormat.SDN_CSV, "/sanctions/ofac_sdn_csv_excerpt_2024-05-03.csv");

        // Lazarus Group's eight, Potekhin, Garantex Europe, Jimenez Castro, Valerian Labs (under three tags).
        assertThat(csv.addresses().size()).isEqualTo(12);
        assertThat(csv.addresses().addresses())
                .contains(
                        POTEKHIN,
                        VALERIAN,
                        JIMENEZ,
                        Address.parse("0x098B716B8Aaf21512996dC57EB0615e2383E2f96"),
                        Address.parse("0x08723392Ed15743cc38513C4925f5e6be5c17243"));
        assertThat(csv.otherEntries()).as("Bitcoin-format addresses").isEqualTo(5);
        assertThat(csv.warnings())
                .singleElement()
                .asString()
                .contains("27307")
                .contains("LAZARUS GROUP")
                .contains("1000");
    }

    @Test
    void skipsTheEndOfFileByteOfficialSdnCsvFilesEndWith() throws IOException {
        String withEndOfFile = resource("/sanctions/ofac_sdn_csv_excerpt_2024-05-03.csv") + "\u001A";

        assertThat(ListFormat.SDN_CSV
                        .parser()
                        .parse(stream(withEndOfFile), "sdn.csv")
                        .addresses()
                        .size())
                .isEqualTo(12);
    }

    @Test
    void refusesAnSdnCsvRowWithTheWrongNumberOfColumns() {
        assertThatThrownBy(() -> ListFormat.SDN_CSV.parser().parse(stream("address,name\r\n0x00,x\r\n"), "not-sdn.csv"))
                .isInstanceOf(MalformedListException.class)
                .hasMessageContaining("12");
    }

    @Test
    void namesTheLineOfAMalformedEntry() {
        String content = "0x04DBA1194ee10112fE6C3207C0687DEf0e78baCf\n0x1234\n";

        assertThatThrownBy(() -> ListFormat.TEXT.parser().parse(stream(content), "bad.txt"))
                .isInstanceOf(MalformedListException.class)
                .hasMessageContaining("bad.txt line 2");
    }

    @Test
    void refusesACsvWithoutAnAddressColumnAndJsonThatIsNotAnArrayOfStrings() {
        assertThatThrownBy(() -> ListFormat.CSV.parser().parse(stream("wallet,name\n0x00,x\n"), "list.csv"))
                .isInstanceOf(MalformedListException.class)
                .hasMessageContaining("no 'address' column");
        assertThatThrownBy(() -> ListFormat.JSON.parser().parse(stream("{\"addresses\":[]}"), "list.json"))
                .isInstanceOf(MalformedListException.class)
                .hasMessageContaining("array");
        assertThatThrownBy(() -> ListFormat.JSON.parser().parse(stream("[1, 2]"), "list.json"))
                .isInstanceOf(MalformedListException.class)
                .hasMessageContaining("element 0");
    }

    @Test
    void matchesByBytesWhateverCaseTheListUses() throws IOException {
        AddressTable shipped = parse(ListFormat.TEXT, "/sanctions/ofac_sdn_evm_addresses_2025-11-19.txt")
                .addresses();

        // Listed lower-case by OFAC, asked in upper case; listed EIP-55, asked in lower case.
        assertThat(shipped.contains(Address.parseLenient("0xFEC8A60023265364D066A1212FDE3930F6AE8DA7")))
                .isTrue();
        assertThat(shipped.contains(Address.parseLenient("0x04dba1194ee10112fe6c3207c0687def0e78bacf")))
                .isTrue();
        assertThat(shipped.contains(Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")))
                .isFalse();
    }

    @Test
    void theListFormatsAreNamedAsConfigured() {
        assertThat(List.of(ListFormat.values()))
                .extracting(ListFormat::configName)
                .containsExactly("text", "csv", "json", "sdn-advanced-xml", "sdn-csv");
        assertThat(ListFormat.fromConfigName(" SDN-Advanced-XML ")).isEqualTo(ListFormat.SDN_ADVANCED_XML);
        assertThatThrownBy(() -> ListFormat.fromConfigName("xlsx")).hasMessageContaining("unknown list type 'xlsx'");
    }

    static ParsedList parse(ListFormat format, String resource) throws IOException {
        try (InputStream in = ListParsersTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return format.parser().parse(in, resource);
        }
    }

    static String resource(String name) {
        try (InputStream in = ListParsersTest.class.getResourceAsStream(name)) {
            return new String(Optional.ofNullable(in).orElseThrow().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
