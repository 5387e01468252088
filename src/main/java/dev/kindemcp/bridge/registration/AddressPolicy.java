package dev.kindemcp.bridge.registration;

import java.net.InetAddress;

/**
 * Decides whether the CIMD fetch may connect to a resolved address; the production policy,
 * {@link #publicOnly()}, refuses every special-use address.
 *
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-01#section-6.5">CIMD draft-01 §6.5 Server Side Request Forgery (SSRF) Attacks</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6890">RFC 6890 Special-Purpose IP Address Registries</a>
 */
@FunctionalInterface
public interface AddressPolicy {

    /** {@code true} if a connection to {@code address} is allowed. */
    boolean permits(InetAddress address);

    /**
     * Globally reachable unicast addresses only: no loopback, private, shared (CGNAT), link-local, unique-local,
     * multicast, unspecified, broadcast, benchmarking, documentation or other special-use address, and no
     * IPv4-mapped or NAT64 form of one.
     */
    static AddressPolicy publicOnly() {
        return SpecialUseAddresses.POLICY;
    }
}
