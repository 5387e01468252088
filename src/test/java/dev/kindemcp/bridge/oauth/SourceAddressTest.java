package dev.kindemcp.bridge.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Forwarded headers count only from trusted proxies (REG-19 behind a reverse proxy). */
class SourceAddressTest {

    @Test
    void ofWhenNoTrustedProxyThenPeerAndForwardedHeaderIgnored() {
        assertEquals("203.0.113.9", new SourceAddress(List.of()).of("203.0.113.9", List.of("198.51.100.1")));
    }

    @Test
    void ofWhenPeerIsTrustedProxyThenRightmostUntrustedForwardedAddress() {
        SourceAddress source = new SourceAddress(List.of("10.0.0.0/8"));
        assertEquals("198.51.100.7", source.of("10.1.2.3", List.of("6.6.6.6, 198.51.100.7")));
        assertEquals("198.51.100.7", source.of("10.1.2.3", List.of("6.6.6.6", "198.51.100.7, 10.9.9.9")));
    }

    @Test
    void ofWhenPeerNotTrustedThenSpoofedHeaderIgnored() {
        SourceAddress source = new SourceAddress(List.of("10.0.0.0/8"));
        assertEquals("198.51.100.7", source.of("198.51.100.7", List.of("1.1.1.1")));
    }

    @Test
    void ofWhenForwardedValueIsNotAnAddressThenStopsThere() {
        SourceAddress source = new SourceAddress(List.of("10.0.0.0/8"));
        assertEquals("10.1.2.3", source.of("10.1.2.3", List.of("unknown")));
    }

    /** IPv6 sources count by their /64; IPv4 and IPv4-mapped addresses by the address. */
    @Test
    void keyWhenIpv6ThenSlash64ElseAddress() {
        assertEquals("2001:db8:1:2::/64", SourceAddress.key("2001:db8:1:2::1"));
        assertEquals("2001:db8:1:2::/64", SourceAddress.key("2001:0db8:0001:0002:ffff:1:2:3"));
        assertEquals("2001:db8:1:3::/64", SourceAddress.key("2001:db8:1:3::1"));
        assertEquals("0:0:0:0::/64", SourceAddress.key("::1"));
        assertEquals("198.51.100.7", SourceAddress.key("198.51.100.7"));
        assertEquals("198.51.100.7", SourceAddress.key("::ffff:198.51.100.7"));
        assertEquals("unknown", SourceAddress.key("unknown"));
    }

    @Test
    void inRangeWhenCidrThenPrefixCompared() {
        assertTrue(SourceAddress.inRange("10.200.3.4", "10.0.0.0/8"));
        assertFalse(SourceAddress.inRange("11.0.0.1", "10.0.0.0/8"));
        assertTrue(SourceAddress.inRange("::1", "::1"));
        assertFalse(SourceAddress.inRange("127.0.0.1", "::1/128"));
        assertTrue(SourceAddress.inRange("2001:db8::5", "2001:db8::/32"));
    }
}
