package dev.guardian.service.testsupport;

import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.AnvilOptions;
import dev.guardian.service.devchain.AnvilProcess;
import dev.guardian.service.devchain.DevChain;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.web3j.protocol.Web3j;

/**
 * Runs one real Anvil per test class: started before the class's first test, stopped after its last one,
 * whether the tests passed or not. Nested classes share their outer class's Anvil.
 *
 * <p>Declarative use, with {@link AnvilProcess}, {@link DevChain} or {@link Web3j} parameters injected into
 * constructors, lifecycle methods and tests:
 * <pre>{@code
 * @ExtendWith(AnvilExtension.class)
 * class SomethingTest {
 *     @BeforeAll static void deploy(DevChain chain) { ... }
 * }
 * }</pre>
 * Programmatic use, when a static accessor is needed (e.g. in a Spring {@code @DynamicPropertySource}):
 * <pre>{@code
 * @RegisterExtension static final AnvilExtension CHAIN = new AnvilExtension();
 * ... CHAIN.anvil().rpcUrl() ...
 * }</pre>
 * Tests share the node's state within the class; take {@link DevChain#snapshot()} and
 * {@link DevChain#revertTo} where a test must not see another's transactions.
 */
public final class AnvilExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final AnvilOptions options;
    private AnvilProcess anvil;
    private Web3j web3j;
    private DevChain devChain;
    private String startedBy;

    public AnvilExtension() {
        this(AnvilOptions.defaults());
    }

    public AnvilExtension(AnvilOptions options) {
        this.options = options;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (anvil != null) {
            return; // a nested class: the outer class's Anvil is already running
        }
        anvil = AnvilProcess.start(options);
        startedBy = context.getUniqueId();
        try {
            web3j = ChainAdapter.connect(anvil.rpcUrl(), Duration.ofSeconds(10));
            devChain = DevChain.attach(web3j);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(startedBy)) {
            stop();
        }
    }

    public synchronized AnvilProcess anvil() {
        return running(anvil);
    }

    /** A Web3j connected to this Anvil (10 s call timeout); shut down with it. */
    public synchronized Web3j web3j() {
        return running(web3j);
    }

    public synchronized DevChain devChain() {
        return running(devChain);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == AnvilProcess.class || type == DevChain.class || type == Web3j.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        try {
            if (type == AnvilProcess.class) {
                return anvil();
            }
            return type == DevChain.class ? devChain() : web3j();
        } catch (IllegalStateException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    private <T> T running(T value) {
        if (value == null) {
            throw new IllegalStateException("Anvil is not running: AnvilExtension starts it before all tests of a class"
                    + " (register it on the class, statically if with @RegisterExtension)");
        }
        return value;
    }

    private void stop() {
        try {
            if (web3j != null) {
                web3j.shutdown();
            }
        } finally {
            anvil.close();
            anvil = null;
            web3j = null;
            devChain = null;
            startedBy = null;
        }
    }
}
