package dev.kindemcp.bridge.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The paths to which tools may send the caller's Kinde token. */
class ToolApiClientTest {

    @Test
    void plainPathWhenOrdinaryApiPathThenAllowed() {
        for (String path : List.of("/api/notes", "/api/notes?limit=5", "/api/orders/A-17/cancel", "/api/.well",
                "/api/notes/..x", "/api/a.b")) {
            assertTrue(ToolApiClient.plainPath(path), path);
        }
    }

    @Test
    void plainPathWhenDotSegmentsAuthorityOrEncodedSeparatorsThenRefused() {
        for (String path : List.of("api/notes", "//evil.example/api", "/api/../admin/clients", "/api/./x",
                "/api/..", "/api/%2e%2e/admin", "/api/%2E./x", "/api/a%2fb", "/api/a%5Cb", "/api\\..\\x", "/api#x",
                "/api/..?x=1")) {
            assertFalse(ToolApiClient.plainPath(path), path);
        }
    }

    @Test
    void readBoundedWhenAnswerLargerThanTheLimitThenToolErrorWithoutReadingTheRest() throws Exception {
        long[] read = {0};
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                read[0]++;
                return 'x';
            }
        };
        ToolException e = assertThrows(ToolException.class, () -> ToolApiClient.readBounded(endless));
        assertEquals("the tool API answered more than " + ToolApiClient.MAX_RESPONSE_BYTES + " bytes", e.getMessage());
        assertEquals(ToolApiClient.MAX_RESPONSE_BYTES + 1, read[0], "reading stops one byte past the limit");
        byte[] exact = new byte[ToolApiClient.MAX_RESPONSE_BYTES];
        assertEquals(exact.length, ToolApiClient.readBounded(new java.io.ByteArrayInputStream(exact)).length);
    }

    @Test
    void originWhenDefaultPortOrUpperCaseThenCanonical() {
        assertEquals(java.net.URI.create("http://localhost:9080"),
                ToolApiClient.origin(java.net.URI.create("HTTP://LocalHost:9080/api/x?y")));
        assertEquals(java.net.URI.create("https://api.example"),
                ToolApiClient.origin(java.net.URI.create("https://api.example:443/v1")));
    }
}
