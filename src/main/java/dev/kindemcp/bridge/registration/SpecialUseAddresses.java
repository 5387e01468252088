package dev.kindemcp.bridge.registration;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * The production {@link AddressPolicy}: an address is allowed only if it is globally reachable unicast, judged
 * from the IANA special-purpose address registries. IPv4 is checked against a deny list; IPv6 must lie in
 * global unicast {@code 2000::/3} outside the special blocks in it, and an IPv4-mapped or NAT64 address is
 * judged by the IPv4 address it carries.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6890#section-2.2.2">RFC 6890 §2.2.2 IPv4 Special-Purpose Address Registry Entries</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6890#section-2.2.3">RFC 6890 §2.2.3 IPv6 Special-Purpose Address Registry Entries</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4291#section-2.5.5.2">RFC 4291 §2.5.5.2 IPv4-Mapped IPv6 Address</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6052#section-2.1">RFC 6052 §2.1 Well-Known Prefix</a>
 */
final class SpecialUseAddresses implements AddressPolicy {

    static final SpecialUseAddresses POLICY = new SpecialUseAddresses();

    private static final List<Block> IPV4_SPECIAL = List.of(
            Block.v4("0.0.0.0", 8),          // "this network", includes the unspecified address
            Block.v4("10.0.0.0", 8),         // RFC 1918 private
            Block.v4("100.64.0.0", 10),      // RFC 6598 shared address space (CGNAT)
            Block.v4("127.0.0.0", 8),        // loopback
            Block.v4("169.254.0.0", 16),     // link-local, includes cloud metadata 169.254.169.254
            Block.v4("172.16.0.0", 12),      // RFC 1918 private
            Block.v4("192.0.0.0", 24),       // IETF protocol assignments
            Block.v4("192.0.2.0", 24),       // documentation TEST-NET-1
            Block.v4("192.31.196.0", 24),    // AS112-v4
            Block.v4("192.52.193.0", 24),    // AMT
            Block.v4("192.88.99.0", 24),     // deprecated 6to4 relay anycast
            Block.v4("192.168.0.0", 16),     // RFC 1918 private
            Block.v4("192.175.48.0", 24),    // direct delegation AS112 service
            Block.v4("198.18.0.0", 15),      // benchmarking
            Block.v4("198.51.100.0", 24),    // documentation TEST-NET-2
            Block.v4("203.0.113.0", 24),     // documentation TEST-NET-3
            Block.v4("224.0.0.0", 4),        // multicast
            Block.v4("240.0.0.0", 4));       // reserved, includes limited broadcast 255.255.255.255

    private static final Block IPV6_GLOBAL_UNICAST = Block.v6(3, 0x2000);

    private static final List<Block> IPV6_SPECIAL_IN_GLOBAL_UNICAST = List.of(
            Block.v6(23, 0x2001),            // IETF protocol assignments (Teredo, benchmarking, ORCHID, ...)
            Block.v6(32, 0x2001, 0x0db8),    // documentation
            Block.v6(16, 0x2002),            // 6to4
            Block.v6(20, 0x3fff));           // documentation (RFC 9637)

    private static final Block IPV4_MAPPED = Block.v6(96, 0, 0, 0, 0, 0, 0xffff);
    private static final Block NAT64_WELL_KNOWN = Block.v6(96, 0x0064, 0xff9b);

    private SpecialUseAddresses() {
    }

    @Override
    public boolean permits(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return permitsIpv4(bytes);
        }
        if (IPV4_MAPPED.contains(bytes) || NAT64_WELL_KNOWN.contains(bytes)) {
            return permitsIpv4(Arrays.copyOfRange(bytes, 12, 16));
        }
        return IPV6_GLOBAL_UNICAST.contains(bytes)
                && IPV6_SPECIAL_IN_GLOBAL_UNICAST.stream().noneMatch(b -> b.contains(bytes));
    }

    private static boolean permitsIpv4(byte[] bytes) {
        return IPV4_SPECIAL.stream().noneMatch(b -> b.contains(bytes));
    }

    /** An address prefix: the leading {@code bits} of {@code prefix}. */
    private record Block(byte[] prefix, int bits) {

        static Block v4(String dotted, int bits) {
            String[] parts = dotted.split("\\.");
            byte[] prefix = new byte[4];
            for (int i = 0; i < 4; i++) {
                prefix[i] = (byte) Integer.parseInt(parts[i]);
            }
            return new Block(prefix, bits);
        }

        /** {@code hextets} are the leading 16-bit groups; the rest are zero. */
        static Block v6(int bits, int... hextets) {
            byte[] prefix = new byte[16];
            for (int i = 0; i < hextets.length; i++) {
                prefix[2 * i] = (byte) (hextets[i] >>> 8);
                prefix[2 * i + 1] = (byte) hextets[i];
            }
            return new Block(prefix, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }
}
