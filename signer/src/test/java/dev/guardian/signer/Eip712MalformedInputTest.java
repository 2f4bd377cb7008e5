package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each encoding rule refuses what breaks it, with an IllegalArgumentException that names the field.
 * Every case starts from one valid document and changes one thing, so a refusal can only come from
 * that change.
 */
class Eip712MalformedInputTest {

    /** A valid document touching every kind of type; {@code %s} placeholders are replaced per case. */
    private static final String TEMPLATE = """
            {"types": {
               "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}],
               "Order": [{"name": "maker", "type": "address"}, {"name": "amount", "type": "%s"},
                         {"name": "delta", "type": "int16"}, {"name": "ok", "type": "bool"},
                         {"name": "salt", "type": "bytes4"}, {"name": "data", "type": "bytes"},
                         {"name": "pair", "type": "uint8[2]"}, {"name": "legs", "type": "Leg[]"}],
               "Leg": [{"name": "to", "type": "address"}, {"name": "note", "type": "string"}]},
             "primaryType": "Order",
             "domain": {"name": "Exchange", "chainId": 1},
             "message": {"maker": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "amount": %s, "delta": -5,
                         "ok": true, "salt": "0x01020304", "data": "0x", "pair": [1, 2],
                         "legs": [{"to": "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "note": "n"}]}}
            """;

    private static Map<String, Object> document(String amountType, String amount) {
        return Json.parse(TEMPLATE.formatted(amountType, amount));
    }

    @Test
    void acceptsTheTemplateAndCanonicalisesItsValues() {
        TypedData data = TypedData.fromJson(document("uint256", "\"0x10\""));

        assertThat(data.message().get("amount")).isEqualTo(BigInteger.valueOf(16));
        assertThat(data.message().get("maker")).hasToString("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        assertThat(data.message().get("delta")).isEqualTo(BigInteger.valueOf(-5));
        assertThat(data.message().get("pair")).isEqualTo(List.of(BigInteger.ONE, BigInteger.TWO));
        assertThat(Eip712.digest(data)).hasSize(32);
    }

    @Test
    void hashesAnIntegerTheSameWhicheverWayItIsWritten() {
        byte[] expected = Eip712.digest(TypedData.fromJson(document("uint256", "255")));
        for (String same : List.of("\"255\"", "\"0xff\"", "\"0xFF\"", "\"0x00ff\"")) {
            assertThat(Eip712.digest(TypedData.fromJson(document("uint256", same))))
                    .as(same)
                    .isEqualTo(expected);
        }
        assertThat(Eip712.digest(TypedData.fromJson(document("uint256", "256"))))
                .isNotEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "uint256 | -1                                                                   | out of range for uint256",
                "uint8   | 256                                                                  | out of range for uint8",
                "uint256 | \"115792089237316195423570985008687907853269984665640564039457584007913129639936\" | out of range",
                "int8    | 128                                                                  | out of range for int8",
                "int8    | -129                                                                 | out of range for int8",
                "uint256 | 1.5                                                                  | floating-point",
                "uint256 | 1.0                                                                  | floating-point",
                "uint256 | \"1.5\"                                                              | must be an integer",
                "uint256 | \"+1\"                                                               | must be an integer",
                "uint256 | \"0x\"                                                               | must be an integer",
                "uint256 | \"-0x1\"                                                             | must be an integer",
                "uint256 | \"12abc\"                                                            | must be an integer",
                "uint256 | true                                                                 | must be an integer",
                "uint256 | null                                                                 | null is not a value",
            })
    void refusesAnIntegerThatIsNotOne(String type, String amount, String problem) {
        assertRefused(document(type, amount), "message.amount", problem);
    }

    @Test
    void acceptsTheExtremesOfEachIntegerRange() {
        String maxUint = BigInteger.TWO.pow(256).subtract(BigInteger.ONE).toString();
        assertThat(TypedData.fromJson(document("uint256", "\"" + maxUint + "\""))
                        .message()
                        .get("amount"))
                .isEqualTo(new BigInteger(maxUint));
        assertThat(TypedData.fromJson(document("int8", "-128")).message().get("amount"))
                .isEqualTo(BigInteger.valueOf(-128));
        assertThat(TypedData.fromJson(document("int256", "\"-" + BigInteger.TWO.pow(255) + "\""))
                        .message()
                        .get("amount"))
                .isEqualTo(BigInteger.TWO.pow(255).negate());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "maker is short       | maker | \"0x70997970C51812dc3A010C7d01b50e0d17dc79\"   | message.maker | 40 hex digits",
                "maker is not hex     | maker | \"0x70997970C51812dc3A010C7d01b50e0d17dc79zz\" | message.maker | 40 hex digits",
                "maker has no 0x      | maker | \"70997970C51812dc3A010C7d01b50e0d17dc79C8aa\" | message.maker | 40 hex digits",
                "maker bad checksum   | maker | \"0x70997970c51812dc3A010C7d01b50e0d17dc79C8\" | message.maker | checksum",
                "maker is a number    | maker | 5                                              | message.maker | hex string",
                "salt is short        | salt  | \"0x010203\"                                   | message.salt  | exactly 4 bytes",
                "salt is long         | salt  | \"0x0102030405\"                               | message.salt  | exactly 4 bytes",
                "salt has no 0x       | salt  | \"01020304\"                                   | message.salt  | 0x-prefixed",
                "salt is odd hex      | salt  | \"0x0102030\"                                  | message.salt  | odd number",
                "data is not hex      | data  | \"0xzz\"                                       | message.data  | not a hex digit",
                "data is text         | data  | \"hello\"                                      | message.data  | 0x-prefixed",
                "ok is a string       | ok    | \"true\"                                       | message.ok    | true or false",
                "ok is a number       | ok    | 1                                              | message.ok    | true or false",
                "pair too short       | pair  | [1]                                            | message.pair  | exactly 2 elements",
                "pair too long        | pair  | [1, 2, 3]                                      | message.pair  | exactly 2 elements",
                "pair element bad     | pair  | [1, 300]                                       | message.pair[1] | out of range for uint8",
                "pair not an array    | pair  | 1                                              | message.pair  | expected an array",
                "legs not an array    | legs  | {}                                             | message.legs  | expected an array",
                "leg not an object    | legs  | [1]                                            | message.legs[0] | expected an object",
                "leg missing a field  | legs  | [{\"to\": \"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC\"}] | message.legs[0].note | missing",
                "leg extra field      | legs  | [{\"to\": \"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC\", \"note\": \"n\", \"tip\": 1}] | message.legs[0].tip | not a field of Leg",
                "leg bad address      | legs  | [{\"to\": \"0x3C\", \"note\": \"n\"}]          | message.legs[0].to | 40 hex digits",
            })
    void refusesAMalformedMemberValue(String description, String field, String json, String path, String problem) {
        Map<String, Object> document = document("uint256", "1");
        message(document).put(field, Json.parse("{\"v\": " + json + "}").get("v"));
        assertRefused(document, path, problem);
    }

    @Test
    void refusesAMessageFieldThatItsTypeDoesNotDeclare() {
        Map<String, Object> document = document("uint256", "1");
        message(document).put("feeRecipient", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
        assertRefused(document, "message.feeRecipient", "not a field of Order");
    }

    @Test
    void refusesAMessageWithoutADeclaredField() {
        Map<String, Object> document = document("uint256", "1");
        message(document).remove("delta");
        assertRefused(document, "message.delta", "missing");
    }

    @Test
    void refusesTheEthSigUtilVectorsMisChecksummedAddress() {
        Map<String, Object> document = document("uint256", "1");
        message(document).put("maker", "0xDD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
        assertRefused(document, "message.maker", "checksum");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown field type   | {\"name\": \"x\", \"type\": \"Lego\"}        | types.Order[8].type | unknown type 'Lego'",
                "uint alias           | {\"name\": \"x\", \"type\": \"uint\"}        | types.Order[8].type | unknown type 'uint'",
                "odd integer width    | {\"name\": \"x\", \"type\": \"uint7\"}       | types.Order[8].type | unknown type 'uint7'",
                "too wide integer     | {\"name\": \"x\", \"type\": \"int264\"}      | types.Order[8].type | unknown type",
                "bytes0               | {\"name\": \"x\", \"type\": \"bytes0\"}      | types.Order[8].type | unknown type",
                "bytes33              | {\"name\": \"x\", \"type\": \"bytes33\"}     | types.Order[8].type | unknown type",
                "zero-length array    | {\"name\": \"x\", \"type\": \"uint8[0]\"}    | types.Order[8].type | not a valid array type",
                "broken array         | {\"name\": \"x\", \"type\": \"uint8]\"}      | types.Order[8].type | not a valid array type",
                "field name with dash | {\"name\": \"a-b\", \"type\": \"bool\"}      | types.Order[8].name | identifier",
                "duplicate field      | {\"name\": \"ok\", \"type\": \"bool\"}       | types.Order[8].name | declared twice",
                "extra member         | {\"name\": \"x\", \"type\": \"bool\", \"note\": 1} | types.Order[8] | exactly the members name and type",
                "name not a string    | {\"name\": 1, \"type\": \"bool\"}          | types.Order[8].name | must be a string",
            })
    void refusesAMalformedTypeDeclaration(String description, String field, String path, String problem) {
        Map<String, Object> document = document("uint256", "1");
        fields(document, "Order").add(Json.parse("{\"v\": " + field + "}").get("v"));
        assertRefused(document, path, problem);
    }

    @Test
    void refusesAStructNamedLikeAnAtomicType() {
        Map<String, Object> document = document("uint256", "1");
        types(document).put("address", List.of(Map.of("name", "x", "type", "bool")));
        assertRefused(document, "types.address", "atomic type");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "private domain field  | {\"name\": \"httpOrigin\", \"type\": \"string\"} | types.EIP712Domain[2].name | not a domain field",
                "chainId as a string   | {\"name\": \"version\", \"type\": \"uint256\"}    | types.EIP712Domain[2].type | must be of type string",
            })
    void refusesADomainTypeOutsideTheStandard(String description, String field, String path, String problem) {
        Map<String, Object> document = document("uint256", "1");
        fields(document, "EIP712Domain")
                .add(Json.parse("{\"v\": " + field + "}").get("v"));
        assertRefused(document, path, problem);
    }

    @Test
    void refusesADomainThatDeclaresAStandardFieldWithTheWrongType() {
        Map<String, Object> document = document("uint256", "1");
        fields(document, "EIP712Domain").set(1, Map.of("name", "chainId", "type", "string"));
        domain(document).put("chainId", "1");
        assertRefused(document, "types.EIP712Domain[1].type", "must be of type uint256");
    }

    @Test
    void acceptsDomainFieldsInAnyOrderAsTheStandardRequires() {
        Map<String, Object> document = document("uint256", "1");
        List<Object> domainFields = fields(document, "EIP712Domain");
        domainFields.add(domainFields.remove(0));

        assertThat(TypedData.fromJson(document).types().get("EIP712Domain"))
                .extracting(TypedData.Field::name)
                .containsExactly("chainId", "name");
    }

    @Test
    void refusesADomainValueWithAFieldTheDomainTypeDoesNotDeclare() {
        Map<String, Object> document = document("uint256", "1");
        domain(document).put("verifyingContract", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
        assertRefused(document, "domain.verifyingContract", "not a field of EIP712Domain");
    }

    @Test
    void refusesADomainValueMissingADeclaredField() {
        Map<String, Object> document = document("uint256", "1");
        domain(document).remove("chainId");
        assertRefused(document, "domain.chainId", "missing");
    }

    @Test
    void refusesTypesWithoutAnEip712DomainOrWithAnEmptyOne() {
        Map<String, Object> withoutDomain = document("uint256", "1");
        types(withoutDomain).remove("EIP712Domain");
        assertRefused(withoutDomain, "types.EIP712Domain", "missing");

        Map<String, Object> emptyDomain = document("uint256", "1");
        fields(emptyDomain, "EIP712Domain").clear();
        domain(emptyDomain).clear();
        assertRefused(emptyDomain, "types.EIP712Domain", "at least one");
    }

    @Test
    void refusesAPrimaryTypeThatIsUndeclaredOrTheDomain() {
        Map<String, Object> undeclared = document("uint256", "1");
        undeclared.put("primaryType", "Mail");
        assertRefused(undeclared, "primaryType", "not a struct type declared");

        Map<String, Object> domainAsPrimary = document("uint256", "1");
        domainAsPrimary.put("primaryType", "EIP712Domain");
        domainAsPrimary.put("message", new HashMap<>(domain(domainAsPrimary)));
        assertRefused(domainAsPrimary, "primaryType", "must not be EIP712Domain");
    }

    @Test
    void refusesMalformedTopLevelMembers() {
        Map<String, Object> extra = document("uint256", "1");
        extra.put("signer", "me");
        assertRefused(extra, "signer", "not a member of typed data");

        Map<String, Object> noMessage = document("uint256", "1");
        noMessage.remove("message");
        assertRefused(noMessage, "message", "must be an object");

        Map<String, Object> typesNotObject = document("uint256", "1");
        typesNotObject.put("types", List.of());
        assertRefused(typesNotObject, "types", "must be an object");

        Map<String, Object> primaryNotString = document("uint256", "1");
        primaryNotString.put("primaryType", 1);
        assertRefused(primaryNotString, "primaryType", "must be a string");

        assertThatThrownBy(() -> TypedData.fromJson(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashStructRefusesAValueThatDoesNotFitTheType() {
        TypedData data = TypedData.fromJson(document("uint256", "1"));
        Map<String, Object> leg = new LinkedHashMap<>();
        leg.put("to", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");

        assertThatThrownBy(() -> Eip712.hashStruct(data, "Leg", leg))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Leg.note: missing");
        assertThatThrownBy(() -> Eip712.hashStruct(data, "Nope", leg))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Nope' is not a struct type");
        assertThatThrownBy(() -> Eip712.encodeType(data, "uint256"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'uint256' is not a struct type");
    }

    @Test
    void encodesARecursiveTypeOnceAndRefusesDataNestedWithoutEnd() {
        String tree = """
                {"types": {"EIP712Domain": [{"name": "name", "type": "string"}],
                           "Node": [{"name": "label", "type": "string"}, {"name": "children", "type": "Node[]"}]},
                 "primaryType": "Node", "domain": {"name": "t"},
                 "message": {"label": "root", "children": [{"label": "leaf", "children": []}]}}
                """;
        TypedData data = Json.typedData(tree);
        assertThat(Eip712.encodeType(data, "Node")).isEqualTo("Node(string label,Node[] children)");
        assertThat(Eip712.digest(data)).hasSize(32);

        // A Java map can contain itself; JSON cannot, but the signer must not overflow its stack either way.
        Map<String, Object> document = Json.parse(tree);
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("label", "loop");
        cyclic.put("children", List.of(cyclic));
        document.put("message", cyclic);
        assertThatThrownBy(() -> TypedData.fromJson(document))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("message.children[0].children[0]")
                .hasMessageContaining("nested deeper than");
    }

    @Test
    void copiesItsInputSoLaterChangesToTheCallersMapsDoNotMatter() {
        Map<String, Object> document = document("uint256", "1");
        TypedData data = TypedData.fromJson(document);
        byte[] digest = Eip712.digest(data);

        message(document).put("amount", 2);
        fields(document, "Order").clear();

        assertThat(Eip712.digest(data)).isEqualTo(digest);
        assertThatThrownBy(() -> data.message().put("amount", BigInteger.TEN))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static void assertRefused(Map<String, Object> document, String path, String problem) {
        assertThatThrownBy(() -> TypedData.fromJson(document))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(path + ":")
                .hasMessageContaining(problem);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> message(Map<String, Object> document) {
        return (Map<String, Object>) document.get("message");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> domain(Map<String, Object> document) {
        return (Map<String, Object>) document.get("domain");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> types(Map<String, Object> document) {
        return (Map<String, Object>) document.get("types");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> fields(Map<String, Object> document, String type) {
        List<Object> fields = new ArrayList<>((List<Object>) types(document).get(type));
        types(document).put(type, fields);
        return fields;
    }
}
