package dev.guardian.service.sanctions;

import dev.guardian.policy.Address;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of 20-byte addresses with constant-time membership, built for lists of millions.
 * The addresses are kept densely as three longs each (bytes 0-7, 8-15, 16-19); an open-addressing index
 * (linear probing, at most half full) holds for each slot a 32-bit fingerprint of the address's hash and
 * the entry's position. A lookup of an address that is not listed (nearly every lookup) reads only the
 * index, usually one cache line of it, and reads an entry only when the fingerprints match. No object
 * per entry: a million addresses take about 40 MB. Entries are compared by their bytes, so the case a
 * list happens to use does not matter.
 */
public final class AddressTable {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int MIN_SLOTS = 16;
    private static final int MAX_SLOTS = 1 << 28;
    /** Longs per entry. */
    private static final int STRIDE = 3;

    private final long[] entries;
    private final long[] index;
    private final int size;

    private AddressTable(long[] entries, long[] index, int size) {
        this.entries = entries;
        this.index = index;
        this.size = size;
    }

    public static Builder builder() {
        return new Builder(0);
    }

    public static AddressTable of(Collection<Address> addresses) {
        Builder builder = new Builder(addresses.size());
        addresses.forEach(builder::add);
        return builder.build();
    }

    /** Every address that is in at least one of the tables. */
    public static AddressTable union(List<AddressTable> tables) {
        Builder builder =
                new Builder(tables.stream().mapToInt(AddressTable::size).sum());
        for (AddressTable table : tables) {
            for (int i = 0; i < table.size; i++) {
                int at = i * STRIDE;
                builder.add(table.entries[at], table.entries[at + 1], table.entries[at + 2]);
            }
        }
        return builder.build();
    }

    public boolean contains(Address address) {
        byte[] bytes = address.toBytes();
        return find(
                        entries,
                        index,
                        (long) LONG.get(bytes, 0),
                        (long) LONG.get(bytes, 8),
                        (int) INT.get(bytes, 16) & 0xFFFFFFFFL)
                >= 0;
    }

    public int size() {
        return size;
    }

    /** The addresses themselves, in the order they were added (each builds its EIP-55 form: for small lists). */
    public List<Address> addresses() {
        List<Address> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            byte[] bytes = new byte[Address.LENGTH];
            LONG.set(bytes, 0, entries[i * STRIDE]);
            LONG.set(bytes, 8, entries[i * STRIDE + 1]);
            INT.set(bytes, 16, (int) entries[i * STRIDE + 2]);
            all.add(Address.of(bytes));
        }
        return all;
    }

    /** The entry's position, or -1. */
    private static int find(long[] entries, long[] index, long h, long m, long l) {
        long hash = hash(h, m, l);
        int mask = index.length - 1;
        int fingerprint = (int) (hash >>> 32);
        for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
            long e = index[slot];
            if (e == 0) {
                return -1;
            }
            if ((int) (e >>> 32) == fingerprint) {
                int at = ((int) e - 1) * STRIDE;
                if (entries[at] == h && entries[at + 1] == m && entries[at + 2] == l) {
                    return (int) e - 1;
                }
            }
        }
    }

    /**
     * Spreads every bit of the key over the slot (low bits) and the fingerprint (high bits). Addresses are
     * hash outputs, but a vanity address (leading zeros) is chosen on purpose, so no part of the key is
     * trusted to be random on its own.
     */
    private static long hash(long h, long m, long l) {
        long x = (h ^ Long.rotateLeft(m, 29) ^ Long.rotateLeft(l, 47)) * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }

    /** Collects addresses (duplicates are kept once) and then freezes them into a table. Not thread-safe. */
    public static final class Builder {
        private long[] entries;
        private long[] index;
        private int size;
        private boolean built;

        private Builder(int expected) {
            entries = new long[Math.max(16, expected) * STRIDE];
            index = new long[slotsFor(expected)];
        }

        public Builder add(Address address) {
            byte[] bytes = address.toBytes();
            add((long) LONG.get(bytes, 0), (long) LONG.get(bytes, 8), (int) INT.get(bytes, 16) & 0xFFFFFFFFL);
            return this;
        }

        /**
         * Adds {@code 0x} and 40 hex digits of any case, without building an {@link Address} (whose
         * checksum costs a Keccak hash): loading a list of a million stays fast.
         */
        public Builder addHex(CharSequence text) {
            if (!EvmAddresses.isEvmAddress(text)) {
                throw new IllegalArgumentException("an address is 0x followed by 40 hex digits");
            }
            add(hexLong(text, 2), hexLong(text, 18), hexLong(text, 34) >>> 32);
            return this;
        }

        public int size() {
            return size;
        }

        public AddressTable build() {
            requireNotBuilt();
            built = true;
            return new AddressTable(Arrays.copyOf(entries, size * STRIDE), index, size);
        }

        private void add(long h, long m, long l) {
            requireNotBuilt();
            if (find(entries, index, h, m, l) >= 0) {
                return;
            }
            if (2L * (size + 1) > index.length) {
                if (index.length >= MAX_SLOTS) {
                    throw new IllegalArgumentException("too many addresses for one table");
                }
                index = new long[index.length * 2];
                for (int i = 0; i < size; i++) {
                    place(i, entries[i * STRIDE], entries[i * STRIDE + 1], entries[i * STRIDE + 2]);
                }
            }
            if ((size + 1) * STRIDE > entries.length) {
                entries = Arrays.copyOf(entries, entries.length * 2);
            }
            int at = size * STRIDE;
            entries[at] = h;
            entries[at + 1] = m;
            entries[at + 2] = l;
            place(size, h, m, l);
            size++;
        }

        /** Points a free slot of the index at entry {@code position}. */
        private void place(int position, long h, long m, long l) {
            long hash = hash(h, m, l);
            int mask = index.length - 1;
            int slot = (int) hash & mask;
            while (index[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            index[slot] = (hash >>> 32) << 32 | (position + 1L);
        }

        private void requireNotBuilt() {
            if (built) {
                throw new IllegalStateException("this builder has already built its table");
            }
        }

        private static int slotsFor(int entries) {
            int slots = MIN_SLOTS;
            while (slots < 2L * entries) {
                if (slots >= MAX_SLOTS) {
                    throw new IllegalArgumentException("too many addresses for one table: " + entries);
                }
                slots <<= 1;
            }
            return slots;
        }

        /** 16 hex digits from {@code offset} (fewer when the text ends: the rest are zero), big-endian. */
        private static long hexLong(CharSequence text, int offset) {
            long value = 0;
            for (int i = 0; i < 16; i++) {
                int index = offset + i;
                value = (value << 4) | (index < text.length() ? Character.digit(text.charAt(index), 16) : 0);
            }
            return value;
        }
    }
}
