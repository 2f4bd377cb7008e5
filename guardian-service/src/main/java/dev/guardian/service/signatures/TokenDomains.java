package dev.guardian.service.signatures;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainRequestFailedException;
import dev.guardian.service.chain.TokenDomainProfile;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * USDC's EIP-712 domain, as the chain profile configures it and the token on chain confirms it: its
 * {@code name()} and {@code version()} must be the configured ones, and its {@code DOMAIN_SEPARATOR()} the
 * hash of that domain for this chain and address. Read once at start and, if the chain could not be asked
 * then, at the first signature; a confirmed domain is kept. Until it is confirmed, or when the chain
 * disagrees with the profile, typed data for USDC is refused: a domain Guardian cannot vouch for could make
 * it sign for another token, or another chain.
 */
public class TokenDomains {
    private static final Logger log = LoggerFactory.getLogger(TokenDomains.class);
    private static final String DOMAIN_TYPE =
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

    private final ChainAdapter chain;
    private final TokenDomain configured;
    private final AtomicReference<TokenDomain> confirmed = new AtomicReference<>();

    public TokenDomains(ChainAdapter chain, Asset.Erc20 usdc, TokenDomainProfile profile, long chainId) {
        this.chain = chain;
        this.configured = new TokenDomain(usdc, profile.name(), profile.version(), chainId);
    }

    /** The domain as configured, confirmed or not. */
    public TokenDomain configured() {
        return configured;
    }

    /**
     * The USDC domain once the chain has confirmed it; otherwise why not (the chain disagrees, or the
     * token does not answer like FiatToken v2). Throws {@link dev.guardian.service.chain.ChainUnavailableException}
     * when the chain cannot be asked.
     */
    public Verification usdc() {
        TokenDomain known = confirmed.get();
        if (known != null) {
            return new Verification(Optional.of(known), Optional.empty());
        }
        Optional<String> problem = disagreement();
        if (problem.isPresent()) {
            return new Verification(Optional.empty(), problem);
        }
        confirmed.set(configured);
        log.info("USDC's EIP-712 domain on chain is the configured one: {}", configured);
        return new Verification(Optional.of(configured), Optional.empty());
    }

    /** The confirmed domain, or why there is none. */
    public record Verification(Optional<TokenDomain> domain, Optional<String> problem) {}

    private Optional<String> disagreement() {
        Address token = configured.contract();
        try {
            String name = string(chain.callLatest(token, selector("name()"), 64));
            String version = string(chain.callLatest(token, selector("version()"), 64));
            byte[] separator = chain.callLatest(token, selector("DOMAIN_SEPARATOR()"), 32);
            if (!name.equals(configured.name()) || !version.equals(configured.version())) {
                return Optional.of("the USDC contract " + token + " names its EIP-712 domain (name \"" + name
                        + "\", version \"" + version + "\"), not the configured (\"" + configured.name() + "\", \""
                        + configured.version()
                        + "\"): guardian.chain.usdc.eip712-name and eip712-version must match the"
                        + " token");
            }
            byte[] expected = separator(configured);
            if (!Arrays.equals(Arrays.copyOf(separator, 32), expected)) {
                return Optional.of("the USDC contract " + token + " answers DOMAIN_SEPARATOR() "
                        + Hex.encode(Arrays.copyOf(separator, 32)) + ", not " + Hex.encode(expected)
                        + ", the hash of its domain " + configured + ": the chain id or the contract is not the one"
                        + " configured");
            }
            return Optional.empty();
        } catch (ChainRequestFailedException
                | IllegalArgumentException
                | ArithmeticException
                | IndexOutOfBoundsException e) {
            return Optional.of("the USDC contract " + token + " does not answer name(), version() and"
                    + " DOMAIN_SEPARATOR() as an EIP-3009/EIP-2612 token does: " + e.getMessage());
        }
    }

    /** The EIP-712 domain separator of a FiatToken-style domain. */
    static byte[] separator(TokenDomain domain) {
        byte[] encoded = new byte[32 * 5];
        System.arraycopy(Keccak256.hash(DOMAIN_TYPE.getBytes(StandardCharsets.US_ASCII)), 0, encoded, 0, 32);
        System.arraycopy(Keccak256.hash(domain.name().getBytes(StandardCharsets.UTF_8)), 0, encoded, 32, 32);
        System.arraycopy(Keccak256.hash(domain.version().getBytes(StandardCharsets.UTF_8)), 0, encoded, 64, 32);
        byte[] chainId = BigInteger.valueOf(domain.chainId()).toByteArray();
        System.arraycopy(chainId, 0, encoded, 96 + 32 - chainId.length, chainId.length);
        System.arraycopy(domain.contract().toBytes(), 0, encoded, 128 + 12, 20);
        return Keccak256.hash(encoded);
    }

    /** An ABI-encoded {@code string} return value. */
    private static String string(byte[] answer) {
        int offset = new BigInteger(1, Arrays.copyOfRange(answer, 0, 32)).intValueExact();
        int length = new BigInteger(1, Arrays.copyOfRange(answer, offset, offset + 32)).intValueExact();
        if (offset + 32 + length > answer.length) {
            throw new IllegalArgumentException("the string it answered is cut short");
        }
        return new String(answer, offset + 32, length, StandardCharsets.UTF_8);
    }

    static byte[] selector(String signature) {
        return Arrays.copyOf(Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII)), 4);
    }
}
