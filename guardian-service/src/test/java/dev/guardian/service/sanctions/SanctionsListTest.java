package dev.guardian.service.sanctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.rules.ScreeningResult;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SanctionsListTest {
    private static final SanctionsList SHIPPED =
            SanctionsList.fromClasspath("/sanctions/ofac_sdn_evm_addresses_2025-11-19.txt", "2025-11-19");

    @Test
    void loadsEveryAddressOfTheShippedOfacList() {
        assertThat(SHIPPED.size()).isEqualTo(81);
        assertThat(SHIPPED.version()).contains("2025-11-19").contains("81 entries").contains("4d8bb764c5f402a1");
    }

    @Test
    void matchesByBytesWhateverTheCase() {
        // Listed lower-case by OFAC; one filed only under USDT (see PROVENANCE.md).
        Address lowerCaseEntry = Address.parseLenient("0xFEC8A60023265364D066A1212FDE3930F6AE8DA7");
        // Listed EIP-55 checksummed.
        Address checksummedEntry = Address.parseLenient("0x04dba1194ee10112fe6c3207c0687def0e78bacf");

        assertThat(SHIPPED.contains(lowerCaseEntry)).isTrue();
        assertThat(SHIPPED.contains(checksummedEntry)).isTrue();
        assertThat(SHIPPED.contains(Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"))).isFalse();
    }

    @Test
    void screeningNamesEveryHitAndTheListVersion() {
        Address clean = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        Address listed = Address.parseLenient("0x04dba1194ee10112fe6c3207c0687def0e78bacf");

        ScreeningResult result = SHIPPED.screen(Set.of(clean, listed));

        assertThat(result.hits()).containsExactly(listed);
        assertThat(result.screened()).containsExactlyInAnyOrder(clean, listed);
        assertThat(result.listVersion()).isEqualTo(SHIPPED.version());
    }

    @Test
    void refusesAnEmptyListInsteadOfScreeningAgainstNothing() {
        assertThatThrownBy(() -> SanctionsList.parsePlainList("empty.txt", "today", "# nothing\n\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no addresses");
    }

    @Test
    void namesTheLineOfAMalformedEntry() {
        byte[] content = "0x04DBA1194ee10112fE6C3207C0687DEf0e78baCf\n0x1234\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> SanctionsList.parsePlainList("bad.txt", "today", content))
                .hasMessageContaining("bad.txt line 2");
    }
}
