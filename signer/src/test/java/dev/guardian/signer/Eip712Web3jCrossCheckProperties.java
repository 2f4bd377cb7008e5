package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * For generated typed data (random struct types with atomic members, fixed and dynamic arrays and
 * nested structs), the digest equals web3j's independent implementation,
 * {@link StructuredDataEncoder#hashStructuredData()}, fed the same JSON.
 *
 * <p>The generator leaves out the two cases where web3j 6.0.0 departs from the standard, which this
 * property found: arrays of {@code bytes1..bytes32} (web3j does not encode each element as the
 * standard's right-padded word, eth-sig-util does) and arrays of {@code bool} (web3j throws a
 * ClassCastException inside and hashes something else). Those two are pinned to hand-computed values
 * in {@link #arraysOfFixedBytesAndBoolsFollowTheStandardNotWeb3j()}. Values web3j would coerce but
 * this encoder refuses (short bytesN, bad checksums, floats) are not generated either; see
 * Eip712MalformedInputTest.
 */
class Eip712Web3jCrossCheckProperties {
    private static final String[] ATOMIC = {
        "bool", "address", "string", "bytes", "bytes1", "bytes7", "bytes32", "uint8", "uint64", "uint256", "int8",
        "int128", "int256"
    };

    @Property(tries = 300)
    void digestEqualsWeb3jsForGeneratedTypedData(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        Map<String, Object> json = generate(random);

        byte[] ours = Eip712.digest(TypedData.fromJson(json));
        byte[] web3j = new StructuredDataEncoder(Json.write(json)).hashStructuredData();

        assertThat(Hex.encode(ours)).as("seed %d: %s", seed, Json.write(json)).isEqualTo(Hex.encode(web3j));
    }

    @Test
    void arraysOfFixedBytesAndBoolsFollowTheStandardNotWeb3j() {
        TypedData data = Json.typedData("""
                {"types": {"EIP712Domain": [{"name": "name", "type": "string"}],
                           "S": [{"name": "tags", "type": "bytes1[]"}, {"name": "flags", "type": "bool[2]"}]},
                 "primaryType": "S", "domain": {"name": "d"},
                 "message": {"tags": ["0x4f", "0x91"], "flags": [false, true]}}
                """);
        // The standard: an array is keccak256 of its elements' 32-byte encodings concatenated; a bytes1 is
        // right-padded with zeros, a bool is a uint256 0 or 1.
        byte[] tags = Keccak256.hash(Hex.decode("0x4f" + "00".repeat(31) + "91" + "00".repeat(31)));
        byte[] flags = Keccak256.hash(Hex.decode("0x" + "00".repeat(32) + "00".repeat(31) + "01"));
        byte[] typeHash = Keccak256.hash("S(bytes1[] tags,bool[2] flags)".getBytes(StandardCharsets.UTF_8));
        byte[] expected = Keccak256.hash(Hex.decode(Hex.encode(typeHash)
                + Hex.encode(tags).substring(2)
                + Hex.encode(flags).substring(2)));

        assertThat(Eip712.hashStruct(data, "S", data.message())).isEqualTo(expected);
    }

    private static Map<String, Object> generate(Random random) {
        Map<String, Object> types = new LinkedHashMap<>();
        types.put(
                "EIP712Domain",
                List.of(
                        field("name", "string"),
                        field("version", "string"),
                        field("chainId", "uint256"),
                        field("verifyingContract", "address")));
        // Structs S0..Sn; Si may only reference Sj with j > i, so the generated data is finite.
        int structCount = 1 + random.nextInt(4);
        List<List<String[]>> structs = new ArrayList<>();
        for (int i = 0; i < structCount; i++) {
            List<String[]> members = new ArrayList<>();
            int memberCount = 1 + random.nextInt(5);
            for (int m = 0; m < memberCount; m++) {
                String base = i + 1 < structCount && random.nextInt(4) == 0
                        ? "S" + (i + 1 + random.nextInt(structCount - i - 1))
                        : ATOMIC[random.nextInt(ATOMIC.length)];
                boolean web3jMisencodesArraysOfIt = base.equals("bool") || base.matches("bytes[0-9]+");
                String type = switch (web3jMisencodesArraysOfIt ? 9 : random.nextInt(6)) {
                    case 0 -> base + "[]";
                    case 1 -> base + "[" + (1 + random.nextInt(3)) + "]";
                    default -> base;
                };
                members.add(new String[] {"m" + m, type});
            }
            structs.add(members);
            types.put("S" + i, members.stream().map(f -> field(f[0], f[1])).toList());
        }
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", "Domain " + random.nextInt(1000));
        domain.put("version", String.valueOf(random.nextInt(10)));
        domain.put("chainId", 1 + random.nextInt(100_000));
        domain.put("verifyingContract", address(random));

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("types", types);
        json.put("primaryType", "S0");
        json.put("domain", domain);
        json.put("message", structValue(random, structs, 0));
        return json;
    }

    private static Map<String, Object> structValue(Random random, List<List<String[]>> structs, int index) {
        Map<String, Object> value = new LinkedHashMap<>();
        for (String[] member : structs.get(index)) {
            value.put(member[0], value(random, structs, member[1]));
        }
        return value;
    }

    private static Object value(Random random, List<List<String[]>> structs, String type) {
        if (type.endsWith("]")) {
            int open = type.lastIndexOf('[');
            String length = type.substring(open + 1, type.length() - 1);
            int size = length.isEmpty() ? random.nextInt(3) : Integer.parseInt(length);
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                items.add(value(random, structs, type.substring(0, open)));
            }
            return items;
        }
        if (type.startsWith("S")) {
            return structValue(random, structs, Integer.parseInt(type.substring(1)));
        }
        return switch (type) {
            case "bool" -> random.nextBoolean();
            case "address" -> address(random);
            case "string" -> "text " + random.nextInt();
            case "bytes" -> hex(random, random.nextInt(40));
            default -> {
                if (type.startsWith("bytes")) {
                    yield hex(random, Integer.parseInt(type.substring(5)));
                }
                boolean unsigned = type.startsWith("u");
                int bits = Integer.parseInt(type.substring(unsigned ? 4 : 3));
                BigInteger magnitude = new BigInteger(unsigned ? bits : bits - 1, random);
                BigInteger number = !unsigned && random.nextBoolean() ? magnitude.negate() : magnitude;
                // Both decimal strings and JSON numbers, the two forms dapps send.
                yield random.nextBoolean() ? number.toString() : number;
            }
        };
    }

    private static Map<String, String> field(String name, String type) {
        return Map.of("name", name, "type", type);
    }

    private static String address(Random random) {
        return hex(random, 20);
    }

    private static String hex(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
