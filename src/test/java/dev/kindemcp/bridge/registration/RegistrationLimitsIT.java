package dev.kindemcp.bridge.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.BrowserSession;
import dev.kindemcp.bridge.testsupport.Http;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What validation accepts, storage holds (REG-10, issue 12.5): the largest registration the validator accepts is
 * stored, read back whole and used for a complete login through its longest redirect URI, on the database of
 * this run (H2, then PostgreSQL).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RegistrationLimitsIT {

    @Deployment
    static WebArchive deployment() {
        return TestDeployments.bridge(TestDeployments.unthrottledConfig());
    }

    /** A string of {@code length} characters starting with {@code prefix}. */
    static String sized(String prefix, int length) {
        return prefix + "x".repeat(length - prefix.length());
    }

    @Test
    void registerWhenLargestAcceptedClientThenStoredReadBackAndUsable() {
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < ClientMetadataValidator.MAX_REDIRECT_URIS - 1; i++) {
            uris.add(sized("https://c.example/cb/" + i + "/", RedirectUriPolicy.MAX_LENGTH));
        }
        String loopback = sized("http://127.0.0.1/cb/", RedirectUriPolicy.MAX_LENGTH);
        uris.add(loopback);
        StringBuilder body = new StringBuilder("{\"client_name\":\"")
                .append(sized("Large client ", ClientMetadataValidator.MAX_NAME_LENGTH)).append("\",\"redirect_uris\":[");
        body.append(String.join(",", uris.stream().map(u -> "\"" + u + "\"").toList())).append("],\"contacts\":[");
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < ClientMetadataValidator.MAX_CONTACTS; i++) {
            contacts.add("\"" + sized("ops" + i + "@", 200 - ".example".length()) + ".example\"");
        }
        body.append(String.join(",", contacts)).append("]");
        for (String field : List.of("client_uri", "logo_uri", "tos_uri", "policy_uri")) {
            body.append(",\"").append(field).append("\":\"")
                    .append(sized("https://c.example/" + field + "/", ClientMetadataValidator.MAX_STRING_LENGTH)).append('"');
        }
        body.append(",\"software_id\":\"").append(sized("sw-", 200)).append("\",\"software_version\":\"")
                .append(sized("1.", 100)).append("\",\"token_endpoint_auth_method\":\"none\",\"grant_types\":"
                        + "[\"authorization_code\",\"refresh_token\"]}");
        HttpResponse<String> registered = Http.send(HttpRequest.newBuilder(URI.create(LoginDriver.url("/register")))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), "Content-Type", "application/json");
        assertEquals(201, registered.statusCode(), registered.body());
        Map<String, Object> md = Http.json(registered);
        assertEquals(uris, md.get("redirect_uris"));

        HttpResponse<String> read = Http.get((String) md.get("registration_client_uri"), "Authorization",
                "Bearer " + md.get("registration_access_token"));
        assertEquals(200, read.statusCode(), read.body());
        Map<String, Object> stored = Http.json(read);
        for (String field : List.of("redirect_uris", "client_name", "contacts", "client_uri", "logo_uri", "tos_uri",
                "policy_uri", "software_id", "software_version")) {
            assertEquals(md.get(field), stored.get(field), field);
        }

        // the longest loopback redirect URI with a port, and the longest state, through a whole login
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        String redirect = loopback.replace("127.0.0.1/", "127.0.0.1:65535/");
        String state = "s".repeat(4096);
        BrowserSession browser = new BrowserSession();
        HttpResponse<String> page = browser.get(LoginDriver.url("/authorize?response_type=code&client_id="
                + md.get("client_id") + "&redirect_uri=" + LoginDriver.enc(redirect) + "&code_challenge="
                + LoginDriver.CHALLENGE + "&code_challenge_method=S256&scope=mcp%3Aread&state=" + state));
        assertEquals(200, page.statusCode(), page.body());
        Map<String, String> form = new LinkedHashMap<>(BrowserSession.formFields(page.body()));
        form.put("decision", "approve");
        HttpResponse<String> approved = browser.postForm(LoginDriver.url("/authorize/consent"), form, "Origin",
                TestDeployments.issuer());
        HttpResponse<String> atKinde = browser.get(approved.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> back = browser.get(atKinde.headers().firstValue("Location").orElseThrow());
        String location = back.headers().firstValue("Location").orElseThrow(() -> new AssertionError(back.body()));
        assertTrue(location.startsWith(redirect + "?"), location);
        Map<String, String> answer = BrowserSession.query(location);
        assertEquals(state, answer.get("state"));
        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("code", answer.get("code"));
        exchange.put("redirect_uri", redirect);
        exchange.put("code_verifier", LoginDriver.VERIFIER);
        exchange.put("client_id", (String) md.get("client_id"));
        HttpResponse<String> tokens = LoginDriver.token(exchange);
        assertEquals(200, tokens.statusCode(), tokens.body());
        assertTrue(Http.json(tokens).containsKey("refresh_token"));
    }
}
