package dev.guardian.service.chain;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which chain Guardian works on. Named profiles ship the chain id and USDC address of Base
 * ({@code base}) and Base Sepolia ({@code base-sepolia}); the operator supplies the RPC URL. In the
 * development mode the URL and token address come from the local Anvil instead.
 *
 * <p>{@code l1FeeOracle} is the OP Stack {@code GasPriceOracle} (Base: the predeploy at
 * {@code 0x420000000000000000000000000000000000000F}) whose L1 data fee is reserved with every transaction's
 * gas; without it the chain has no L1 fee. {@code permit2} is Uniswap's Permit2, whose allowances Guardian
 * reads back to follow their use.
 *
 * <p>{@code confirmationDepth}: how many blocks below the latest the safe head is, at which whatever frees a
 * budget on the chain's word is read ({@link ConfirmationDepth}); set it to the depth past which the chain does
 * not reorganise (the Base profiles set 10 blocks, 20 seconds; a local Anvil, which never reorganises on its
 * own, 0).
 *
 * <p>{@code readiness} bounds the chain's readiness probe: its outcome is kept for {@code cacheFor}, and a
 * health request waits at most {@code timeout} for it.
 */
@Validated
@ConfigurationProperties("guardian.chain")
record ChainProperties(
        @NotBlank String name,
        @Positive long chainId,
        URI rpcUrl,
        @Valid @NotNull @DefaultValue Token usdc,
        @Valid @NotNull @DefaultValue Resilience resilience,
        @Valid @NotNull @DefaultValue Readiness readiness,
        String l1FeeOracle,
        String permit2,
        @Min(0) @Max(10_000) @DefaultValue("10") int confirmationDepth) {

    /**
     * @param eip712Name    the token's EIP-712 domain name (its {@code name()}), which Guardian checks on chain
     *                      before it signs an authorization or permit for it
     * @param eip712Version the token's EIP-712 domain version ({@code version()}; "2" for FiatToken v2)
     */
    public record Token(
            String address,
            @NotBlank @DefaultValue("USDC") String symbol,
            @Min(0) @DefaultValue("6") int decimals,
            @NotBlank @DefaultValue("USD Coin") String eip712Name,
            @NotBlank @DefaultValue("2") String eip712Version) {}

    public record Resilience(
            @NotNull @DefaultValue("5s") Duration callTimeout,
            @Min(1) @DefaultValue("3") int readAttempts,
            @NotNull @DefaultValue("200ms") Duration readBackoff,
            @DefaultValue("50") float failureRateThreshold,
            @Min(1) @DefaultValue("20") int slidingWindowSize,
            @Min(1) @DefaultValue("10") int minimumNumberOfCalls,
            @NotNull @DefaultValue("10s") Duration openStateWait,
            @Min(1) @DefaultValue("32") int maxConcurrentCalls) {}

    public record Readiness(
            @NotNull @DefaultValue("5s") Duration cacheFor,
            @NotNull @DefaultValue("2s") Duration timeout) {}
}
