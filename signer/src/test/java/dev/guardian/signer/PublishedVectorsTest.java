package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;

/** Signing and encoding checked against vectors published by others, each with its source. */
class PublishedVectorsTest {
    private final KeyVault vault = new KeyVault(KeyEncryptionKey.generate());

    /**
     * EIP-155, section "Example": https://eips.ethereum.org/EIPS/eip-155 . A legacy transaction; the
     * legacy encoding here is web3j's (test code only), the signature is ours and, RFC 6979 being
     * deterministic, must equal the published r and s exactly.
     */
    @Test
    void reproducesTheEip155ExampleSignatureAndRawTransaction() {
        RawTransaction legacy = RawTransaction.createEtherTransaction(
                BigInteger.valueOf(9),
                BigInteger.valueOf(20_000_000_000L),
                BigInteger.valueOf(21_000),
                "0x3535353535353535353535353535353535353535",
                new BigInteger("1000000000000000000"));
        byte[] signingData = TransactionEncoder.encode(legacy, 1L);
        assertThat(Hex.encode(signingData))
                .isEqualTo(
                        "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080");
        byte[] signingHash = Keccak256.hash(signingData);
        assertThat(Hex.encode(signingHash))
                .isEqualTo("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");

        TransactionSigner signer = vault.signerFor(vault.importKey(TestKeys.key("46".repeat(32))));
        Signature signature = signer.sign(signingHash);

        assertThat(new BigInteger(1, signature.r()))
                .isEqualTo(new BigInteger(
                        "18515461264373351373200002665853028612451056578545711640558177340181847433846"));
        assertThat(new BigInteger(1, signature.s()))
                .isEqualTo(new BigInteger(
                        "46948507304638947509940763649030358759909902576025900602547168820602576006531"));
        // v = 37 = chainId * 2 + 35 + recoveryId
        assertThat(signature.recoveryId()).isZero();

        Sign.SignatureData eip155 = new Sign.SignatureData(
                BigInteger.valueOf(1 * 2 + 35 + signature.recoveryId()).toByteArray(), signature.r(), signature.s());
        assertThat(Hex.encode(TransactionEncoder.encode(legacy, eip155)))
                .isEqualTo("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025"
                        + "a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276"
                        + "a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
    }

    /**
     * Known key to address pairs: Anvil/Hardhat dev accounts 0-2 (printed by {@code anvil} at start-up,
     * https://hardhat.org/hardhat-network/docs/reference#initial-state), the EIP-155 example key
     * (whose sender the EIP-155 test transactions name), and k = 1.
     */
    @ParameterizedTest
    @CsvSource({
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80, 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d, 0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a, 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        "0x4646464646464646464646464646464646464646464646464646464646464646, 0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F",
        "0x0000000000000000000000000000000000000000000000000000000000000001, 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
    })
    void derivesTheKnownAddressOfAKey(String privateKey, String address) {
        SealedKey sealed = vault.importKey(TestKeys.key(privateKey));

        assertThat(sealed.address()).isEqualTo(Address.parse(address));
        assertThat(vault.signerFor(sealed).address()).isEqualTo(Address.parse(address));
    }

    /**
     * EIP-1559 vectors from ethereumjs:
     * https://github.com/ethereumjs/ethereumjs-monorepo/blob/ef29902092473b78bd79f80f68047d6f2c38c71b/packages/tx/test/json/eip1559.json
     * (chain id 7822, empty data and access list, private key
     * 0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63). The file gives each signed
     * transaction RLP-wrapped as a byte string ({@code b8 <length> <envelope>}); the envelope inside is
     * what eth_sendRawTransaction takes.
     */
    @ParameterizedTest
    @CsvSource({
        "819, 43203529, 35552, 75853, 121212, 0xb87302f870821e8e8203338301284d8301d97c828ae094000000000000000000000000000000000000aaaa8402933bc980c080a0d067f2167008c59219652f91cbf8788dbca5f771f6e91e2b7657e85b78b472e0a01d305af9fe81fdba43f0dfcd400ed24dcace0a7e30d4e85701dcaaf484cd079e",
        "353, 61901619, 32593, 38850, 136295, 0xb87202f86f821e8e8201618297c283021467827f5194000000000000000000000000000000000000aaaa8403b08b3380c001a004205678f13fc1d7b10feea6513dfa76e24418b6e08097d95c6f93a3b64e536da01d45ad61bfece43862de2cce7d2575a8c1d08c26c87f3cb5f26d7b0be54a91b2",
        "985, 32531825, 68541, 66377, 136097, 0xb87402f871821e8e8203d983010349830213a183010bbd94000000000000000000000000000000000000aaaa8401f0657180c001a0e6d23c5ecc0f388a4d41a9523c3ad171e98083a61288c340b968dfe0903a6741a07319e8d54a4fd8f0c081d3ce093d869f9df598481991c8534bfd8f2c163884b4",
        "623, 21649799, 57725, 74140, 81173, 0xb87302f870821e8e82026f8301219c83013d1582e17d94000000000000000000000000000000000000aaaa84014a598780c080a0b107893e4590e177e244493a3f2b59d63619ddd82772105d8c96b7fc85ff683da07dc9b9dc054d2f69f9cc540688f6c0da3b54dd8bd8323f06d0ca26b546a480f1",
        "972, 94563383, 65254, 42798, 103466, 0xb87202f86f821e8e8203cc82a72e8301942a82fee694000000000000000000000000000000000000aaaa8405a2ec3780c080a02596bfedd3101f7e3c881eec060f83c60617fb21173ff41a560e02c9c23f02f4a01ef1f7930d31081c06dfd2176046a99442a88678638a33eb80afa8d2d3389ee0",
        "588, 99359647, 37274, 87890, 130273, 0xb87302f870821e8e82024c830157528301fce182919a94000000000000000000000000000000000000aaaa8405ec1b9f80c001a0404a06f2a9ba9d444e59f03e1b4ce46c4d7127342aa287a6e9a910b26ff6cc89a04af28549efdfb3e746938d01c92785e9852eb58c48d6f35cc99961e88f56603a",
        "900, 30402257, 76053, 8714, 112705, 0xb87302f870821e8e82038482220a8301b8418301291594000000000000000000000000000000000000aaaa8401cfe6d180c080a06e1bc9e4645de8bdad2c60424539c2dd93aacbc06ae94e440629b133a99e9ba7a03d23fdfdd9934c77fe5385a6b4b6c69e84cdec7814a19d81e648b5852ee5f7eb",
        "709, 6478043, 28335, 86252, 94636, 0xb87202f86f821e8e8202c5830150ec830171ac826eaf94000000000000000000000000000000000000aaaa8362d8db80c001a09880d133cd636f8c8dce32e2c43494b9f2dc000eee8dc61931e09f866ed04b46a00e44d5c503c7f08b36c8b062c32a963f3dd20a71e95e3d903bfbe7f4da47cd47",
        "939, 2782905, 45047, 45216, 91648, 0xb87102f86e821e8e8203ab82b0a08301660082aff794000000000000000000000000000000000000aaaa832a76b980c001a0a0e7d9b07c7ec68f24788a554f993b99d59a3f08439cc6c942f62ea0341f2aeba078122b9957c146f7c87811bd58a7e9916ca8c07dabcf875b97bbdef79cb9c197",
        "119, 65456115, 62341, 24721, 107729, 0xb87002f86d821e8e778260918301a4d182f38594000000000000000000000000000000000000aaaa8403e6c7f380c001a0e38e239770801eb995498c821e55ac9c19ae09184bb27b34be105e02fe3b7615a067c64ca6bd6d9107e85fd581ab2e70a14b637eb36505bb40861ef9d6e800cab6",
    })
    void reproducesTheEthereumjsEip1559SignedTransactions(
            long nonce, long value, long gasLimit, long maxPriorityFee, long maxFee, String rlpWrappedEnvelope) {
        TransactionSigner signer = vault.signerFor(
                vault.importKey(TestKeys.key("0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63")));
        Eip1559Transaction tx = new Eip1559Transaction(
                new ChainId(7822),
                nonce,
                BigInteger.valueOf(maxPriorityFee),
                BigInteger.valueOf(maxFee),
                gasLimit,
                Address.parse("0x000000000000000000000000000000000000aaaa"),
                wei(value),
                new byte[0]);

        SignedTransaction signed = signer.sign(tx);

        assertThat(signed.rawHex()).isEqualTo(Hex.encode(unwrapRlpByteString(Hex.decode(rlpWrappedEnvelope))));
        assertThat(signed.hash().toBytes()).isEqualTo(Keccak256.hash(signed.raw()));
        assertThat(signed.from()).isEqualTo(signer.address());
        assertThat(signed.nonce()).isEqualTo(nonce);
    }

    /**
     * The transaction hash of the first ethereumjs vector above, as MEW's wallet kit checks it:
     * https://github.com/MyEtherWallet/mew-wallet-ios-kit (Tests, EIP1559Tests.swift, vector id 0, "signedHash").
     */
    @Test
    void hashesTheFirstEthereumjsVectorAsMewWalletKitPublishes() {
        TransactionSigner signer = vault.signerFor(
                vault.importKey(TestKeys.key("0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63")));
        Eip1559Transaction tx = new Eip1559Transaction(
                new ChainId(7822),
                819,
                BigInteger.valueOf(75853),
                BigInteger.valueOf(121212),
                35552,
                Address.parse("0x000000000000000000000000000000000000aaaa"),
                wei(43203529),
                new byte[0]);

        assertThat(signer.sign(tx).hash().toString())
                .isEqualTo("0xa3bf78ff247cad934aa5fb13e05f11e59c93511523ff8a622e59c3a34700e5c8");
    }

    /**
     * MEW wallet kit's "test real transaction" (EIP1559Tests.swift, same repository as above): chain id
     * 123, a 0.1 ETH self-transfer, with its raw envelope and transaction hash.
     */
    @Test
    void reproducesMewWalletKitsRealEip1559Transaction() {
        TransactionSigner signer = vault.signerFor(
                vault.importKey(TestKeys.key("0xe3046226c9d5f6b7fda49b00123fe96ab2fac359315f27169b5c984059b3540f")));
        assertThat(signer.address()).isEqualTo(Address.parseLenient("0x61fac28c810253ea3a42ebbb1a5cf8687765e4ee"));
        Eip1559Transaction tx = new Eip1559Transaction(
                new ChainId(123),
                0,
                BigInteger.valueOf(7),
                BigInteger.valueOf(7),
                21000,
                signer.address(),
                wei(0x16345785D8A0000L),
                new byte[0]);

        SignedTransaction signed = signer.sign(tx);

        assertThat(signed.rawHex())
                .isEqualTo("0x02f86a7b8007078252089461fac28c810253ea3a42ebbb1a5cf8687765e4ee"
                        + "88016345785d8a000080c001a01f75fb4ae321bb55c0e7569d940ce133e775fb4494500ac6de9aeb16f45f20d1"
                        + "a05bf9b98c50422e3ada79a6920b1007bc36a1c36d178dbc1b44dfbd97fc56cf13");
        assertThat(signed.hash().toString())
                .isEqualTo("0xbe76a9ae424fe7a42da7db0f42db0ced82929710d9c19cfdaa7e18c634e6ae54");
    }

    /**
     * A mainnet EIP-1559 transaction with call data, without its key:
     * https://etherscan.io/tx/0x0ec0b6a2df4d87424e5f6ad2a654e27aaeb7dac20ae9e8385cc09087ad532ee0 , as used
     * in reth's {@code recover_signer_eip1559} test (paradigmxyz/reth, crates/primitives/src/transaction/eip1559.rs)
     * and alloy's encode_decode_eip1559 example. Checks the encoding with data, and recovery.
     */
    @Test
    void encodesAndRecoversAMainnetEip1559TransactionWithCallData() {
        Eip1559Transaction tx = new Eip1559Transaction(
                new ChainId(1),
                0x42,
                BigInteger.valueOf(0x3b9aca00L),
                BigInteger.valueOf(0x4a817c800L),
                44386,
                Address.parseLenient("0x6069a6c32cf691f5982febae4faf8a6f3ab2f0f6"),
                wei(0),
                Hex.decode("0xa22cb4650000000000000000000000005eee75727d804a2b13038928d36f8b188945a57a"
                        + "0000000000000000000000000000000000000000000000000000000000000000"));
        Signature signature = new Signature(
                Hex.decode("0x840cfc572845f5786e702984c2a582528cad4b49b2a10b9db1be7fca90058565"),
                Hex.decode("0x25e7109ceb98168d95b09b18bbf6b685130e0562f233877d492b94eee0c5b6d1"),
                0);

        byte[] raw = Eip1559Encoding.signedEnvelope(tx, signature);

        assertThat(Hex.encode(Keccak256.hash(raw)))
                .isEqualTo("0x0ec0b6a2df4d87424e5f6ad2a654e27aaeb7dac20ae9e8385cc09087ad532ee0");
        assertThat(signature.recoverSigner(Keccak256.hash(Eip1559Encoding.signingPayload(tx))))
                .isEqualTo(Address.parse("0xDD6B8b3dC6B7AD97db52F08a275FF4483e024CEa"));
    }

    private static TokenAmount wei(long units) {
        return TokenAmount.ofUnits(Asset.ether(), units);
    }

    /** Strips an RLP long-string header {@code b8 <1-byte length>}, checking the length. */
    private static byte[] unwrapRlpByteString(byte[] wrapped) {
        assertThat(wrapped[0]).isEqualTo((byte) 0xb8);
        assertThat(Byte.toUnsignedInt(wrapped[1])).isEqualTo(wrapped.length - 2);
        return Arrays.copyOfRange(wrapped, 2, wrapped.length);
    }
}
