package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EIP-712 hashing and signing checked against values published by others, each with its source. */
class Eip712VectorsTest {
    private final KeyVault vault = new KeyVault(KeyEncryptionKey.generate());

    /**
     * The standard's own example: https://eips.ethereum.org/EIPS/eip-712 ("Example" JSON-RPC request and
     * result) and its test script assets/eip-712/Example.js in ethereum/EIPs, which checks each
     * intermediate value below and signs with the key keccak256("cow").
     */
    static final String SPEC_MAIL = """
            {"types": {
               "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
               "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
               "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"},
                        {"name": "contents", "type": "string"}]},
             "primaryType": "Mail",
             "domain": {"name": "Ether Mail", "version": "1", "chainId": 1,
                        "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
             "message": {"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                         "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
                         "contents": "Hello, Bob!"}}
            """;

    @Test
    void reproducesEveryIntermediateValueOfTheSpecExample() {
        TypedData mail = Json.typedData(SPEC_MAIL);

        assertThat(Eip712.encodeType(mail, "Mail"))
                .isEqualTo("Mail(Person from,Person to,string contents)Person(string name,address wallet)");
        assertThat(Hex.encode(Eip712.typeHash(mail, "Mail")))
                .isEqualTo("0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2");
        assertThat(Hex.encode(Eip712.hashStruct(mail, "Mail", mail.message())))
                .isEqualTo("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
        assertThat(Hex.encode(Eip712.domainSeparator(mail)))
                .isEqualTo("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
        assertThat(Hex.encode(Eip712.digest(mail)))
                .isEqualTo("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
    }

    @Test
    void signsTheSpecExampleExactlyAsTheSpecShows() {
        TransactionSigner cow =
                vault.signerFor(vault.importKey(Keccak256.hash("cow".getBytes(StandardCharsets.US_ASCII))));
        assertThat(cow.address()).isEqualTo(Address.parse("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"));

        Signature signature = cow.sign(Json.typedData(SPEC_MAIL));

        assertThat(Hex.encode(signature.r()))
                .isEqualTo("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d");
        assertThat(Hex.encode(signature.s()))
                .isEqualTo("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562");
        assertThat(27 + signature.recoveryId()).isEqualTo(28);
        // The spec's eth_signTypedData result, byte for byte.
        assertThat(Hex.encode(signature.toRsv()))
                .isEqualTo("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
                        + "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c");
    }

    /**
     * MetaMask's eth-sig-util, src/sign-typed-data.test.ts ("V4 should hash data with a custom data type
     * array", "should encode data with a custom data type array") and its Jest snapshot file
     * src/__snapshots__/sign-typed-data.test.ts.snap at commit 0832d49. Arrays of structs and of
     * addresses, nested. The published message writes the second wallet as
     * 0xDD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826, whose mixed case is not a valid EIP-55 checksum, which
     * this encoder refuses (see Eip712MalformedInputTest); it is given here in lower case, which hashes
     * the same bytes.
     */
    @Test
    void reproducesMetaMasksHashOfNestedStructArrays() {
        TypedData data = Json.typedData("""
                {"types": {
                   "EIP712Domain": [{"name": "name", "type": "string"}],
                   "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address[]"}],
                   "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person[]"},
                            {"name": "contents", "type": "string"}]},
                 "primaryType": "Mail",
                 "domain": {"name": "unused by this vector"},
                 "message": {
                   "from": {"name": "Cow", "wallet": ["0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
                                                      "0xdd2a3d9f938e13cd947ec05abc7fe734df8dd826"]},
                   "to": [{"name": "Bob", "wallet": ["0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"]}],
                   "contents": "Hello, Bob!"}}
                """);

        assertThat(Eip712.encodeType(data, "Mail"))
                .isEqualTo("Mail(Person from,Person[] to,string contents)Person(string name,address[] wallet)");
        assertThat(Hex.encode(Eip712.typeHash(data, "Mail")))
                .isEqualTo("0x077b2e5169bfc57ed1b6acf858d27ae9b8311db1ccf71df99dfcf9efe8eec438");
        assertThat(Hex.encode(Eip712.hashStruct(data, "Mail", data.message())))
                .isEqualTo("0xac26cc7aa2cb9a8a445fae4e48b33f978b558da9b16e26381c53814d3317f541");
    }

    /**
     * eth-sig-util, same test file: "TypedDataUtils.eip712Hash V4 should hash a typed message with data"
     * (snapshot d2669f23…) and "signTypedData V4 should sign a typed message with data" (snapshot
     * 0x6d670a14…1b) with the file's private key 4af1bcee…. Its salt is written there as
     * {@code Buffer.from(new Int32Array([1, 2, 3]))}, which is the three bytes 01 02 03 (Buffer.from
     * copies each element as one byte), and eth-sig-util right-pads a short bytes32 with zeros; the strict
     * encoder here wants all 32 bytes, so the padded value is written out.
     */
    @Test
    void reproducesMetaMasksDigestAndSignatureForADomainWithEveryField() {
        TypedData data = Json.typedData("""
                {"types": {
                   "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                    {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"},
                                    {"name": "salt", "type": "bytes32"}],
                   "Message": [{"name": "data", "type": "string"}]},
                 "primaryType": "Message",
                 "domain": {"name": "example.metamask.io", "version": "1", "chainId": 1,
                            "verifyingContract": "0x0000000000000000000000000000000000000000",
                            "salt": "0x0102030000000000000000000000000000000000000000000000000000000000"},
                 "message": {"data": "Hello!"}}
                """);
        TransactionSigner signer = vault.signerFor(
                vault.importKey(TestKeys.key("0x4af1bceebf7f3634ec3cff8a2c38e51178d5d4ce585c52d6043e5e2cc3418bb0")));

        assertThat(Hex.encode(Eip712.digest(data)))
                .isEqualTo("0xd2669f23b7849020ad41bcbff5b51372793f91320e0f901641945568ed7322be");
        assertThat(Hex.encode(signer.sign(data).toRsv()))
                .isEqualTo("0x6d670a14c801041d1e54e0565df65327c462aef1083766b93b9a523f8fff449c"
                        + "114bc223ff59eba0c8cddfa7396008c1291096cf39e494ef041af1e43b382d1a1b");
    }

    /**
     * The type hashes that Circle's FiatToken (EIP3009.sol, TRANSFER_WITH_AUTHORIZATION_TYPEHASH and
     * siblings), OpenZeppelin's ERC20Permit (PERMIT_TYPEHASH) and EIP-2612 define as constants.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "TransferWithAuthorization | address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce | 0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267",
                "ReceiveWithAuthorization | address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce | 0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8",
                "CancelAuthorization | address authorizer,bytes32 nonce | 0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429",
                "Permit | address owner,address spender,uint256 value,uint256 nonce,uint256 deadline | 0x6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9",
                "EIP712Domain | string name,string version,uint256 chainId,address verifyingContract | 0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f",
            })
    void hashesTheTypesThatTokenContractsHardCode(String name, String members, String typeHash) {
        StringBuilder fields = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (String member : members.split(",")) {
            String[] typeAndName = member.split(" ");
            fields.append(fields.isEmpty() ? "" : ",")
                    .append("{\"name\": \"%s\", \"type\": \"%s\"}".formatted(typeAndName[1], typeAndName[0]));
            values.append(values.isEmpty() ? "" : ",")
                    .append("\"%s\": %s".formatted(typeAndName[1], sampleJsonValue(typeAndName[0])));
        }
        boolean isDomain = name.equals(Eip712.DOMAIN_TYPE);
        TypedData data =
                Json.typedData(isDomain ? """
                {"types": {"EIP712Domain": [%s], "Note": [{"name": "text", "type": "string"}]},
                 "primaryType": "Note", "domain": {%s}, "message": {"text": "x"}}
                """.formatted(fields, values) : """
                {"types": {"EIP712Domain": [{"name": "chainId", "type": "uint256"}], "%s": [%s]},
                 "primaryType": "%s", "domain": {"chainId": 1}, "message": {%s}}
                """.formatted(name, fields, name, values));

        assertThat(Eip712.encodeType(data, name)).isEqualTo(name + "(" + members + ")");
        assertThat(Hex.encode(Eip712.typeHash(data, name))).isEqualTo(typeHash);
    }

    /**
     * USDC's DOMAIN_SEPARATOR() on Ethereum mainnet (FiatToken at 0xA0b8…eB48: name "USD Coin",
     * version "2") and on Base (0x8335…2913, chain 8453), as read from the contracts and quoted in public
     * test code (e.g. Fuse/IPOR and x402 tooling); anyone can re-read them with eth_call.
     */
    @ParameterizedTest
    @CsvSource({
        "1, 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48, 0x06c37168a7db5138defc7866392bb87a741f9b3d104deb5094588ce041cae335",
        "8453, 0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913, 0x02fa7265e7c5d81118673727957699e4d68f74cd74b7db77da710fe8a2c7834f",
    })
    void computesUsdcsOnChainDomainSeparators(long chainId, String usdc, String separator) {
        TypedData data = transferWithAuthorization(
                chainId,
                usdc,
                "0x9d24d267cf8d9a8b9ed104b4856cde8830c266ef",
                "0xb73d8bc93b791510c4733c5c5ac2015a3c2930ec",
                "1",
                "0",
                "1",
                "0x" + "00".repeat(32));

        assertThat(Hex.encode(Eip712.domainSeparator(data))).isEqualTo(separator);
    }

    /**
     * A permit that mainnet USDC accepted: etherscan tx
     * 0x9050798d7989583632defa0c26e42d9fdfc30a66aa016fea849af303d7eda969 (owner 0xB170…2D96 lets the
     * Uniswap router 0x68b3…fc45 spend 49.817428 USDC, nonce 0, deadline 1666327223, v = 28), as
     * transcribed with its struct encoding in a public Foundry exercise (Week22Exercise4.t.sol). The
     * contract ran ecrecover on exactly this digest, so recovering the owner proves the digest.
     */
    @Test
    void recoversTheOwnerOfAPermitThatMainnetUsdcAccepted() {
        TypedData permit = Json.typedData("""
                {"types": {
                   "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                    {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
                   "Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"},
                              {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"},
                              {"name": "deadline", "type": "uint256"}]},
                 "primaryType": "Permit",
                 "domain": {"name": "USD Coin", "version": "2", "chainId": 1,
                            "verifyingContract": "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"},
                 "message": {"owner": "0xb1700c08aa433b319def2b4bb31d6de5c8512d96",
                             "spender": "0x68b3465833fb72a70ecdf485e0e4c7bd8665fc45",
                             "value": 49817428, "nonce": 0, "deadline": 1666327223}}
                """);
        Signature signature =
                Signature.fromRsv(Hex.decode("0xd0e5696f21d14218bff84c8818dbe6c79812f6fdda9424a7efec907c6d7ef002"
                        + "70b6afeb66a51f42881763c7a19d8e1421b9b5fc0200cd4cee06a1a9a4d3207f1c"));

        assertThat(Hex.encode(Eip712.domainSeparator(permit)))
                .isEqualTo("0x06c37168a7db5138defc7866392bb87a741f9b3d104deb5094588ce041cae335");
        assertThat(signature.recoverSigner(Eip712.digest(permit)))
                .isEqualTo(Address.parse("0xB1700C08Aa433b319dEF2b4bB31d6De5C8512D96"));
    }

    /**
     * An x402 payment that USDC on Base settled with transferWithAuthorization: tx
     * 0xd8a41fb865beba51d9e795f556dc3b77e6ce5bb20a0dceb2e0691aa791997531, its calldata as quoted in a
     * public x402 checker's tests (from, to, value 22000, validAfter 0, validBefore 1791120073, nonce,
     * v = 28, r, s). Recovering {@code from} proves this encoder builds the digest the contract checked.
     */
    @Test
    void recoversThePayerOfATransferWithAuthorizationThatBaseUsdcSettled() {
        TypedData authorization = transferWithAuthorization(
                8453,
                "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
                "0x9d24d267cf8d9a8b9ed104b4856cde8830c266ef",
                "0xb73d8bc93b791510c4733c5c5ac2015a3c2930ec",
                "22000",
                "0",
                "1791120073",
                "0x84428e7eae7b08cac1ec9186e338e14fa5056d9f62bb9d92e1ea927370b8e779");
        Signature signature =
                Signature.fromRsv(Hex.decode("0xb909a9345301f4942d14fc97f72306b8ae6e4077431cb8e950194196101b3458"
                        + "2f9cf1604c72db4a5a87ade62949449a2eff957f1d58a11954438dac229aa16f1c"));

        assertThat(signature.recoverSigner(Eip712.digest(authorization)))
                .isEqualTo(Address.parse("0x9d24D267Cf8D9A8b9Ed104b4856cDe8830C266eF"));
    }

    /**
     * The same digest built by hand the way FiatToken's EIP3009._transferWithAuthorization does:
     * keccak256(0x1901 || DOMAIN_SEPARATOR || keccak256(abi.encode(TYPEHASH, from, to, value,
     * validAfter, validBefore, nonce))). A second, independent route to the number above.
     */
    @Test
    void matchesTheDigestFiatTokenComputesWithAbiEncode() {
        TypedData authorization = transferWithAuthorization(
                8453,
                "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
                "0x9d24d267cf8d9a8b9ed104b4856cde8830c266ef",
                "0xb73d8bc93b791510c4733c5c5ac2015a3c2930ec",
                "22000",
                "0",
                "1791120073",
                "0x84428e7eae7b08cac1ec9186e338e14fa5056d9f62bb9d92e1ea927370b8e779");
        String abiEncoded = "7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267"
                + "0000000000000000000000009d24d267cf8d9a8b9ed104b4856cde8830c266ef"
                + "000000000000000000000000b73d8bc93b791510c4733c5c5ac2015a3c2930ec"
                + "00000000000000000000000000000000000000000000000000000000000055f0"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "000000000000000000000000000000000000000000000000000000006ac252c9"
                + "84428e7eae7b08cac1ec9186e338e14fa5056d9f62bb9d92e1ea927370b8e779";
        byte[] structHash = Keccak256.hash(Hex.decode(abiEncoded));
        byte[] separator = Hex.decode("0x02fa7265e7c5d81118673727957699e4d68f74cd74b7db77da710fe8a2c7834f");

        assertThat(Eip712.hashStruct(authorization, "TransferWithAuthorization", authorization.message()))
                .isEqualTo(structHash);
        assertThat(Eip712.digest(authorization))
                .isEqualTo(Keccak256.hash(
                        Hex.decode("0x1901" + Hex.encode(separator).substring(2)
                                + Hex.encode(structHash).substring(2))));
    }

    static TypedData transferWithAuthorization(
            long chainId,
            String token,
            String from,
            String to,
            String value,
            String validAfter,
            String validBefore,
            String nonce) {
        return TypedData.fromJson(Map.of(
                "types",
                Json.parse("""
                        {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                          {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
                         "TransferWithAuthorization": [
                           {"name": "from", "type": "address"}, {"name": "to", "type": "address"},
                           {"name": "value", "type": "uint256"}, {"name": "validAfter", "type": "uint256"},
                           {"name": "validBefore", "type": "uint256"}, {"name": "nonce", "type": "bytes32"}]}
                        """),
                "primaryType",
                "TransferWithAuthorization",
                "domain",
                Map.of("name", "USD Coin", "version", "2", "chainId", chainId, "verifyingContract", token),
                "message",
                Map.of(
                        "from", from,
                        "to", to,
                        "value", value,
                        "validAfter", validAfter,
                        "validBefore", validBefore,
                        "nonce", nonce)));
    }

    private static String sampleJsonValue(String type) {
        return switch (type) {
            case "address" -> "\"0x" + "11".repeat(20) + "\"";
            case "bytes32" -> "\"0x" + "22".repeat(32) + "\"";
            case "string" -> "\"x\"";
            default -> "1";
        };
    }
}
