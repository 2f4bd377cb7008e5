package dev.guardian.service.sanctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressTableTest {

    @Test
    void findsEveryAddressAddedAndNoOtherAcrossManyGrowths() {
        Random random = new Random(42);
        List<Address> listed = randomAddresses(random, 20_000);
        AddressTable.Builder builder = AddressTable.builder();
        listed.forEach(builder::add);
        AddressTable table = builder.build();

        assertThat(table.size()).isEqualTo(20_000);
        assertThat(listed).allMatch(table::contains);
        Set<Address> listedSet = new HashSet<>(listed);
        assertThat(randomAddresses(random, 20_000))
                .filteredOn(a -> !listedSet.contains(a))
                .noneMatch(table::contains);
    }

    @Test
    void readsHexOfAnyCaseToTheSameBytes() {
        AddressTable table = AddressTable.builder()
                .addHex("0x7F367cC41522cE07553e823bf3be79A889DEbe1B")
                .addHex("0x7f367cc41522ce07553e823bf3be79a889debe1b")
                .addHex("0X7F367CC41522CE07553E823BF3BE79A889DEBE1B")
                .build();

        assertThat(table.size()).isOne();
        assertThat(table.addresses()).containsExactly(Address.parse("0x7F367cC41522cE07553e823bf3be79A889DEbe1B"));
    }

    @Test
    void tellsApartAddressesThatShareAllButTheirLastBytes() {
        // Vanity addresses share long prefixes on purpose; only the last four bytes differ here.
        byte[] first = new byte[20];
        byte[] second = new byte[20];
        second[19] = 1;
        byte[] third = new byte[20];
        third[16] = (byte) 0x80;
        AddressTable table = AddressTable.of(List.of(Address.of(first), Address.of(second)));

        assertThat(table.contains(Address.of(first))).isTrue();
        assertThat(table.contains(Address.of(second))).isTrue();
        assertThat(table.contains(Address.of(third))).isFalse();
    }

    @Test
    void unionHoldsEachAddressOfEveryTableOnce() {
        Address a = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        Address b = Address.parse("0x7F367cC41522cE07553e823bf3be79A889DEbe1B");
        Address c = Address.parse("0x983a81ca6FB1e441266D2FbcB7D8E530AC2E05A2");

        AddressTable union =
                AddressTable.union(List.of(AddressTable.of(List.of(a, b)), AddressTable.of(List.of(b, c))));

        assertThat(union.addresses()).containsExactlyInAnyOrder(a, b, c);
    }

    @Test
    void refusesTextThatIsNotAnAddress() {
        assertThatThrownBy(() -> AddressTable.builder().addHex("0x1234")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressTable.builder().addHex("0x7F367cC41522cE07553e823bf3be79A889DEbe1G"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressTable.builder().addHex("0x7F367cC41522cE07553e823bf3be79A889DEbe١٢"))
                .as("non-ASCII digits")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyTableHoldsNothing() {
        assertThat(AddressTable.builder().build().contains(Address.of(new byte[20])))
                .isFalse();
    }

    static List<Address> randomAddresses(Random random, int count) {
        List<Address> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[20];
            random.nextBytes(bytes);
            addresses.add(Address.of(bytes));
        }
        return addresses;
    }
}
