package dev.guardian.service.testsupport;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;

/** ABI-encoded calldata for the calls tests make: ERC-20 transfer, approve and transferFrom, TestUsdc.mint, PaymentRouter.payMany. */
public final class Calldata {
    private Calldata() {}

    public static byte[] transfer(Address to, TokenAmount amount) {
        return encode("transfer", List.of(address(to), new Uint256(amount.units())));
    }

    public static byte[] approve(Address spender, TokenAmount amount) {
        return encode("approve", List.of(address(spender), new Uint256(amount.units())));
    }

    /** ERC-20 {@code transferFrom(from, to, amount)}: the caller spends {@code from}'s allowance. */
    public static byte[] transferFrom(Address from, Address to, TokenAmount amount) {
        return encode("transferFrom", List.of(address(from), address(to), new Uint256(amount.units())));
    }

    /** TestUsdc's owner-only {@code mint(to, amount)}. */
    public static byte[] mint(Address to, TokenAmount amount) {
        return encode("mint", List.of(address(to), new Uint256(amount.units())));
    }

    /** {@code payMany(token, recipients, amounts)}: the router pulls each amount from the caller with transferFrom. */
    public static byte[] payMany(Address token, List<Address> recipients, List<TokenAmount> amounts) {
        return encode(
                "payMany",
                List.of(
                        address(token),
                        new DynamicArray<>(
                                AbiAddress.TYPE,
                                recipients.stream()
                                        .map(r -> AbiAddress.of(r.toLowerHex()))
                                        .toList()),
                        new DynamicArray<>(
                                Uint256.class,
                                amounts.stream()
                                        .map(a -> new Uint256(a.units()))
                                        .toList())));
    }

    /**
     * Any call by function name and arguments, for the contracts attack tests are written against:
     * addresses, amounts (their units), whole numbers, booleans, bytes and lists of addresses.
     */
    @SuppressWarnings("rawtypes")
    public static byte[] call(String name, Object... arguments) {
        return encode(name, encodeAll(arguments));
    }

    /** The ABI encoding of constructor arguments, in hex without 0x: what follows a contract's creation code. */
    public static String constructorArguments(Object... arguments) {
        return FunctionEncoder.encodeConstructor(encodeAll(arguments));
    }

    @SuppressWarnings("rawtypes")
    private static List<Type> encodeAll(Object... arguments) {
        List<Type> encoded = new ArrayList<>();
        for (Object argument : arguments) {
            encoded.add(
                    switch (argument) {
                        case Address a -> address(a);
                        case TokenAmount amount -> new Uint256(amount.units());
                        case BigInteger n -> new Uint256(n);
                        case Long n -> new Uint256(n);
                        case Integer n -> new Uint256(n);
                        // A Byte is a uint8: how an enum argument is passed.
                        case Byte n -> new Uint8(n);
                        case Boolean b -> new Bool(b);
                        case byte[] bytes -> new DynamicBytes(bytes);
                        case List<?> list ->
                            new DynamicArray<>(
                                    AbiAddress.TYPE,
                                    list.stream()
                                            .map(a -> AbiAddress.of(((Address) a).toLowerHex()))
                                            .toList());
                        default -> throw new IllegalArgumentException("no ABI encoding here for " + argument);
                    });
        }
        return encoded;
    }

    @SuppressWarnings("rawtypes")
    private static Type address(Address address) {
        return AbiAddress.of(address.toLowerHex());
    }

    @SuppressWarnings("rawtypes")
    private static byte[] encode(String name, List<Type> arguments) {
        return Hex.decode(FunctionEncoder.encode(new Function(name, arguments, List.of())));
    }
}
