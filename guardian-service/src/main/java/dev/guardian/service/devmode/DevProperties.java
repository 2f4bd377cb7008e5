package dev.guardian.service.devmode;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The development mode's settings.
 *
 * @param enabled   start the local chain and demo agent instead of reading them from configuration
 * @param anvilPort where the local Anvil listens (so {@code cast} can reach it too); 0 picks a free port
 * @param kekFile   the development key-encryption key, created on first start
 */
@Validated
@ConfigurationProperties("guardian.dev")
record DevProperties(
        boolean enabled,
        @Min(0) @Max(65535) @DefaultValue("8545") int anvilPort,
        @NotNull @DefaultValue(".guardian-dev/kek") Path kekFile) {}
