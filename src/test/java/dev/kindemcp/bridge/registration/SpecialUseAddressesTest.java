package dev.kindemcp.bridge.registration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The production address policy against RFC 6890 special-use blocks and their edges (R-DCR-7, REG-25). */
class SpecialUseAddressesTest {

    private final AddressPolicy policy = AddressPolicy.publicOnly();

    @ParameterizedTest
    @ValueSource(strings = {
        "0.0.0.0", "0.255.255.255", "10.0.0.5", "10.255.255.255", "100.64.0.0", "100.127.255.255",
        "127.0.0.1", "127.255.255.254", "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255",
        "192.0.0.8", "192.0.2.1", "192.31.196.1", "192.52.193.1", "192.88.99.1", "192.168.0.1",
        "192.175.48.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
        "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::", "::1", "::7f00:1", "fd00::1", "fc00::1", "fe80::1", "fec0::1", "ff02::1", "100::1",
        "64:ff9b:1::1", "2001::1", "2001:1ff:ffff::1", "2001:db8::1", "2002:7f00:1::1", "3fff::1", "5f00::1",
        "64:ff9b::a00:5", "64:ff9b::7f00:1"})
    void permitsWhenSpecialUseThenFalse(String literal) {
        assertFalse(policy.permits(TestHostResolver.literal(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "8.8.8.8", "1.1.1.1", "93.184.215.14", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
        "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255", "11.0.0.1",
        "2606:4700:4700::1111", "2a00:1450:4001::200e", "2001:200::1", "2620:fe::fe", "64:ff9b::808:808"})
    void permitsWhenGloballyReachableThenTrue(String literal) {
        assertTrue(policy.permits(TestHostResolver.literal(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.5", "169.254.169.254", "0.0.0.0", "192.168.1.1", "100.64.0.1"})
    void permitsWhenIpv4MappedFormOfSpecialUseThenFalse(String ipv4) {
        assertFalse(policy.permits(TestHostResolver.ipv4Mapped(ipv4)), "::ffff:" + ipv4);
    }

    @Test
    void permitsWhenIpv4MappedFormOfPublicAddressThenTrue() {
        assertTrue(policy.permits(TestHostResolver.ipv4Mapped("8.8.8.8")));
    }
}
