package dev.kindemcp.bridge.registration;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns the host name of a client_id URL into the addresses the CIMD fetch may connect to; every address is
 * checked by an {@link AddressPolicy} before any connection is made.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6890">RFC 6890 Special-Purpose IP Address Registries</a>
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * All addresses of {@code host}, in the order to try them.
     *
     * @throws UnknownHostException when the name has no address
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's name service (system DNS, with the JVM's own cache). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
