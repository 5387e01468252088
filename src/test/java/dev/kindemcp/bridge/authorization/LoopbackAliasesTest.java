package dev.kindemcp.bridge.authorization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A login opened on another loopback name of a loopback issuer moves to the issuer's host first. */
class LoopbackAliasesTest {

    static final URI DEV = URI.create("http://localhost:9080");

    @Test
    void atIssuerHostWhenOpenedOn127001ThenSamePathAndQueryOnLocalhost() {
        assertEquals(Optional.of(URI.create("http://localhost:9080/authorize?client_id=a%20b&state=x")),
                LoopbackAliases.atIssuerHost(DEV, URI.create("http://127.0.0.1:9080/authorize?client_id=a%20b&state=x")));
        assertEquals(Optional.of(URI.create("http://localhost:9080/authorize")),
                LoopbackAliases.atIssuerHost(DEV, URI.create("http://[::1]:9080/authorize")));
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9080/authorize?a=1")), LoopbackAliases.atIssuerHost(
                URI.create("http://127.0.0.1:9080"), URI.create("http://LOCALHOST:9080/authorize?a=1")));
    }

    @Test
    void atIssuerHostWhenSameHostOtherPortOrNonLoopbackThenNoRedirect() {
        assertEquals(Optional.empty(), LoopbackAliases.atIssuerHost(DEV, URI.create("http://localhost:9080/authorize")));
        assertEquals(Optional.empty(), LoopbackAliases.atIssuerHost(DEV, URI.create("http://127.0.0.1:9081/authorize")));
        assertEquals(Optional.empty(), LoopbackAliases.atIssuerHost(DEV, URI.create("http://evil.example:9080/authorize")));
        assertEquals(Optional.empty(), LoopbackAliases.atIssuerHost(URI.create("https://mcp.example.com"),
                URI.create("http://127.0.0.1/authorize")), "a public issuer never follows the Host header");
        assertEquals(Optional.empty(), LoopbackAliases.atIssuerHost(URI.create("https://mcp.example.com"),
                URI.create("https://internal-name/authorize")));
    }
}
