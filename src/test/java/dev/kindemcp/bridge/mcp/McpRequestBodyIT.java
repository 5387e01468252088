package dev.kindemcp.bridge.mcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The MCP endpoint reads no body before it has checked the token, and refuses bodies over its limit without
 * reading them (issue 12.7). Each request announces a body it never sends: an endpoint that waited for the body
 * would not answer within the socket timeout.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class McpRequestBodyIT {

    static final int SOCKET_TIMEOUT_MILLIS = 10_000;

    @Deployment
    static WebArchive deployment() {
        return TestDeployments.bridge();
    }

    /** The status line of the answer to a POST /mcp whose announced body never comes. */
    static String statusOfBodilessPost(String contentType, long contentLength, String authorization) throws Exception {
        try (Socket socket = new Socket("localhost", TestDeployments.httpPort())) {
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: localhost:" + TestDeployments.httpPort() + "\r\nContent-Type: "
                    + contentType + "\r\nAccept: application/json, text/event-stream\r\nContent-Length: "
                    + contentLength + "\r\n" + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
            } catch (SocketTimeoutException e) {
                return "no answer within " + SOCKET_TIMEOUT_MILLIS + " ms: the body was being read";
            }
        }
    }

    @Test
    void postWhenFormBodyAndNoTokenThen401WithoutReadingTheBody() throws Exception {
        String status = statusOfBodilessPost("application/x-www-form-urlencoded", 1_000_000, null);
        assertTrue(status != null && status.startsWith("HTTP/1.1 401"), status);
        String invalid = statusOfBodilessPost("application/x-www-form-urlencoded", 1_000_000, "Bearer not-a-token");
        assertTrue(invalid != null && invalid.startsWith("HTTP/1.1 401"), invalid);
    }

    @Test
    void postWhenBodyOverLimitThen413WithoutReadingIt() throws Exception {
        String token = LoginDriver.userAccessToken(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        String status = statusOfBodilessPost("application/json", 4L * 1024 * 1024 + 1, "Bearer " + token);
        assertTrue(status != null && status.startsWith("HTTP/1.1 413"), status);
    }
}
