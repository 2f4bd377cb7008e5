package dev.guardian.service.sanctions;

/** Recognises the EVM address format in list entries, which mix lower-case and EIP-55 spellings. */
final class EvmAddresses {
    private EvmAddresses() {}

    /** {@code 0x} (or {@code 0X}) followed by exactly 40 hex digits of any case. */
    static boolean isEvmAddress(CharSequence text) {
        if (text == null
                || text.length() != 42
                || text.charAt(0) != '0'
                || (text.charAt(1) != 'x' && text.charAt(1) != 'X')) {
            return false;
        }
        for (int i = 2; i < 42; i++) {
            if (Character.digit(text.charAt(i), 16) < 0 || text.charAt(i) > 'f') {
                return false;
            }
        }
        return true;
    }

    /** Starts like an EVM address but is not one: a typo or a cut-off entry, not another currency's address. */
    static boolean looksLikeBrokenEvmAddress(String text) {
        return (text.startsWith("0x") || text.startsWith("0X")) && !isEvmAddress(text);
    }

    /**
     * Adds a list entry that is an EVM address to {@code addresses}. An entry that starts like one but is
     * not one stops the parse ({@code where} says where it was); anything else is another currency's
     * address, which the caller counts.
     *
     * @return whether the entry was an EVM address
     */
    static boolean collect(AddressTable.Builder addresses, String entry, String where) {
        if (isEvmAddress(entry)) {
            addresses.addHex(entry);
            return true;
        }
        if (looksLikeBrokenEvmAddress(entry)) {
            throw new MalformedListException(where + ": '" + PlainTextListParser.abbreviate(entry)
                    + "' is not an address (0x followed by 40 hex digits)");
        }
        return false;
    }
}
