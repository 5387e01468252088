package dev.kindemcp.bridge.oauth;

import jakarta.servlet.http.HttpServletRequest;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The address a request really came from, for rate limits: the peer address, or, when the peer is a reverse
 * proxy the operator declared as trusted, the right-most address of {@code X-Forwarded-For} that is not itself
 * a trusted proxy. Forwarded headers from anybody else are ignored.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7239#section-8.1">RFC 7239 §8.1 Header Validity and Integrity</a>
 */
public final class SourceAddress {

    private final List<String> trustedProxies;

    public SourceAddress(List<String> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * The rate-limit key of a request's source: its address, or for IPv6 the /64 it is in, since one
     * allocation holds more addresses than anybody can count (RFC 6177 §3: end sites get a /48 or a /56).
     */
    public String keyOf(HttpServletRequest request) {
        return key(of(request));
    }

    /** The rate-limit key of a source address; anything that is no IP literal is its own key. */
    public static String key(String address) {
        if (address == null || address.indexOf(':') < 0 || !address.matches("[0-9a-fA-F:.]+")) {
            return String.valueOf(address);
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length == 4) {
                return InetAddress.getByAddress(bytes).getHostAddress(); // an IPv4-mapped address
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    public String of(HttpServletRequest request) {
        return of(request.getRemoteAddr(), request.getHeaders("X-Forwarded-For") == null ? List.of()
                : java.util.Collections.list(request.getHeaders("X-Forwarded-For")));
    }

    /** The source for a peer address and the X-Forwarded-For header values, in order of arrival. */
    public String of(String peer, List<String> forwardedFor) {
        if (!trusted(peer)) {
            return peer;
        }
        String source = peer;
        List<String> hops = forwardedFor.stream().flatMap(h -> java.util.Arrays.stream(h.split(",")))
                .map(String::trim).filter(h -> !h.isEmpty()).toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!hop.matches("[0-9a-fA-F:.]+")) {
                break;
            }
            source = hop;
            if (!trusted(hop)) {
                break;
            }
        }
        return source;
    }

    private boolean trusted(String address) {
        for (String cidr : trustedProxies) {
            if (inRange(address, cidr)) {
                return true;
            }
        }
        return false;
    }

    static boolean inRange(String address, String cidr) {
        try {
            String[] parts = cidr.split("/");
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            byte[] candidate = InetAddress.getByName(address).getAddress();
            if (network.length != candidate.length || !address.matches("[0-9a-fA-F:.]+")) {
                return false;
            }
            int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : network.length * 8;
            int shift = network.length * 8 - bits;
            return new BigInteger(1, network).shiftRight(shift).equals(new BigInteger(1, candidate).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
