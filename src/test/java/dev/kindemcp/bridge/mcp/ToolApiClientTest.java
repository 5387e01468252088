package dev.kindemcp.bridge.mcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
