package dev.guardian.service.signatures;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The EIP-712 domain of a token Guardian signs authorizations and permits for, as FiatToken v2.2 has it:
 * {@code EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)}.
 */
public record TokenDomain(Asset.Erc20 token, String name, String version, long chainId) {
    public TokenDomain {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    public Address contract() {
        return token.contract();
    }

    /** The domain as typed data carries it (canonical values: {@link BigInteger}, {@link Address}). */
    public Map<String, Object> asTypedDataDomain() {
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", name);
        domain.put("version", version);
        domain.put("chainId", BigInteger.valueOf(chainId));
        domain.put("verifyingContract", token.contract());
        return domain;
    }

    /** Whether {@code domain} (canonical) is exactly this one: the same four fields, nothing more. */
    public boolean is(Map<String, Object> domain) {
        return asTypedDataDomain().equals(domain);
    }

    @Override
    public String toString() {
        return "{name=" + name + ", version=" + version + ", chainId=" + chainId + ", verifyingContract="
                + token.contract() + "}";
    }
}
