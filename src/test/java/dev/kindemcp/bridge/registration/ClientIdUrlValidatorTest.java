package dev.kindemcp.bridge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The client_id URL rules of CIMD draft-00 §3 plus the bridge's host rules (R-DCR-7, REG-25). */
class ClientIdUrlValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "https://client.example/oauth/metadata.json",
        "https://client.example:8443/metadata.json",
        "https://claude.ai/oauth/mcp-oauth-client-metadata",
        "https://xn--bcher-kva.example/client.json",
        "https://a.b.c.client.example/x?version=2",
        "https://client.example/x/",
        "https://Client.Example/metadata.json",
        "https://client.example/%7Euser/metadata.json"})
    void validateWhenUrlFollowsTheRulesThenAccepted(String clientId) throws CimdException {
        assertEquals(URI.create(clientId), ClientIdUrlValidator.validate(clientId));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://client.example/metadata.json          | https scheme",
        "HTTPS://client.example/metadata.json         | https scheme",
        "ftp://client.example/metadata.json           | https scheme",
        "//client.example/metadata.json               | https scheme",
        "/metadata.json                               | https scheme",
        "https:client.example/metadata.json           | absolute URL",
        "https://client.example                       | contain a path",
        "https://client.example/                      | contain a path",
        "https://client.example/metadata.json#frag    | fragment",
        "https://client.example/metadata.json#        | fragment",
        "https://user@client.example/metadata.json    | user information",
        "https://user:pw@client.example/metadata.json | user information",
        "https://client.example/./metadata.json       | dot segments",
        "https://client.example/a/../metadata.json    | dot segments",
        "https://client.example/a/%2e%2E/metadata.json | dot segments",
        "https://client.example/a/%2E/metadata.json   | dot segments",
        "https://client.example/a/..                  | dot segments",
        "https://127.0.0.1/metadata.json              | not an IP address",
        "https://[::1]/metadata.json                  | IP address",
        "https://[fd00::1]/metadata.json              | IP address",
        "https://client.123/metadata.json             | not an IP address",
        "https://client.0x7f/metadata.json            | not an IP address",
        "https://localhost/metadata.json              | fully qualified",
        "https://intranet/metadata.json               | fully qualified",
        "https://client.example./metadata.json        | valid DNS name",
        "https://-client.example/metadata.json        | ASCII DNS name",
        "https://client_x.example/metadata.json       | ASCII DNS name",
        "https://client.example:0/metadata.json       | port",
        "https://client.example:70000/metadata.json   | port"})
    void validateWhenUrlBreaksARuleThenRejectedWithTheRule(String clientId, String rule) {
        CimdException e = assertThrows(CimdException.class, () -> ClientIdUrlValidator.validate(clientId));

        assertTrue(e.description().contains(rule), e.description());
        assertFalse(e.unavailable(), "a bad URL is never masked by a cached copy");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://bücher.example/metadata.json",
        "https://client.example/métadonnées.json",
        "https://client.example/meta data.json",
        "https://client.example/meta\tdata.json",
        "https://client.example/meta\ndata.json",
        "https://client.example\\@evil.example/metadata.json",
        ""})
    void validateWhenNotPrintableAsciiThenRejected(String clientId) {
        assertThrows(CimdException.class, () -> ClientIdUrlValidator.validate(clientId));
    }

    @Test
    void validateWhenLongerThanTheLimitThenRejected() {
        String clientId = "https://client.example/" + "a".repeat(ClientIdUrlValidator.MAX_LENGTH);

        CimdException e = assertThrows(CimdException.class, () -> ClientIdUrlValidator.validate(clientId));

        assertTrue(e.description().contains("longer than"), e.description());
    }

    @Test
    void validateWhenRejectedThenDetailIsLogSafe() {
        CimdException e = assertThrows(CimdException.class,
                () -> ClientIdUrlValidator.validate("http://client.example/x\r\nInjected: yes"));

        assertFalse(e.internalDetail().contains("\n"), e.internalDetail());
    }

    @Test
    void displayHostWhenMixedCaseThenLowerCase() {
        assertEquals("client.example", ClientIdUrlValidator.displayHost(URI.create("https://Client.EXAMPLE:8443/x")));
    }
}
