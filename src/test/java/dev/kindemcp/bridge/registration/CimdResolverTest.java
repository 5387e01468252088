package dev.kindemcp.bridge.registration;

import static dev.kindemcp.bridge.registration.FakeCimdHost.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.registration.FakeCimdHost.BodyOutcome;
import dev.kindemcp.bridge.registration.FakeCimdHost.Reply;
import dev.kindemcp.bridge.registration.FakeCimdHost.Request;
import dev.kindemcp.bridge.testsupport.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CIMD resolver against a real local HTTPS document host (REG-20..REG-27): URL rules, SSRF guard with zero
 * connections, no redirects, the 5 KB cap, timeouts, document validation, HTTP caching, stale-on-error and
 * single-flight fetches.
 */
class CimdResolverTest {

    static final Instant T0 = Instant.parse("2026-08-01T10:00:00Z");
    static final InetAddress LOOPBACK = TestHostResolver.literal("127.0.0.1");

    /** Tests run against 127.0.0.1, which stands in for a public address; all else follows production. */
    static final AddressPolicy LOOPBACK_AS_PUBLIC = a -> a.equals(LOOPBACK) || AddressPolicy.publicOnly().permits(a);

    /** Short timeouts so that failing hosts cost little; the cap and cache bounds are the defaults. */
    static final CimdSettings FAST = new CimdSettings(Duration.ofSeconds(1), Duration.ofMillis(700),
            Duration.ofSeconds(2), CimdSettings.DEFAULT_MAX_DOCUMENT_BYTES, CimdSettings.DEFAULT_TTL,
            CimdSettings.DEFAULT_MAX_TTL, CimdSettings.DEFAULT_MAX_STALENESS, CimdSettings.DEFAULT_MAX_ENTRIES, 8);

    private static FakeCimdHost host;
    private static final AtomicInteger PATHS = new AtomicInteger();

    private final MutableClock clock = new MutableClock(T0);
    private final TestHostResolver dns = new TestHostResolver().answer(HOST, LOOPBACK);
    private final CountingSockets sockets = new CountingSockets();
    private final List<CimdResolver> opened = new ArrayList<>();

    @BeforeAll
    static void startHost() {
        host = FakeCimdHost.start();
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @AfterEach
    void closeResolvers() {
        opened.forEach(CimdResolver::close);
    }

    private CimdResolver resolver(CimdSettings settings, AddressPolicy policy, SSLContext ssl) {
        CimdResolver resolver = new CimdResolver(settings, dns, policy, ssl, clock, sockets);
        opened.add(resolver);
        return resolver;
    }

    private CimdResolver resolver(CimdSettings settings, AddressPolicy policy) {
        return resolver(settings, policy, TestTls.clientContext());
    }

    /** The resolver most tests use: fast timeouts, loopback allowed, trusting the fake host. */
    private CimdResolver resolver() {
        return resolver(FAST, LOOPBACK_AS_PUBLIC);
    }

    /** A fresh path, so that no two tests share a document. */
    private static String newPath() {
        return "/clients/" + PATHS.incrementAndGet() + "/metadata.json";
    }

    static JSONObject document(String clientId) {
        JSONObject doc = new JSONObject();
        doc.put("client_id", clientId);
        doc.put("client_name", "Example MCP Client");
        JSONArray redirects = new JSONArray();
        redirects.add("http://127.0.0.1/callback");
        redirects.add("https://client.example/oauth/callback");
        doc.put("redirect_uris", redirects);
        doc.put("token_endpoint_auth_method", "none");
        JSONArray grants = new JSONArray();
        grants.add("authorization_code");
        grants.add("refresh_token");
        doc.put("grant_types", grants);
        return doc;
    }

    static Reply valid(String clientId) {
        return Reply.json(document(clientId).toJSONString());
    }

    /** Serves a valid document at a new path and returns its client_id. */
    private String servedValid() {
        String path = newPath();
        String clientId = host.url(path);
        host.serve(path, valid(clientId));
        return clientId;
    }

    private static String pathOf(String clientId) {
        return URI.create(clientId).getRawPath();
    }

    static OAuthException assertInvalidClient(Executable call) {
        OAuthException e = assertThrows(OAuthException.class, call);
        assertEquals(OAuth2Error.INVALID_CLIENT.getCode(), e.error().getCode());
        assertNotNull(e.error().getDescription());
        assertTrue(e.internalDetail().isPresent(), "an internal detail for the log");
        return e;
    }

    /** REG-20: a valid document gives its metadata and the host to show on the consent page. */
    @Nested
    class HappyPath {

        @Test
        void resolveWhenDocumentValidThenMetadataAndConsentHostReturned() {
            String clientId = servedValid();

            CimdClient client = resolver().resolve(clientId);

            assertEquals(clientId, client.clientId());
            assertEquals("Example MCP Client", client.clientName());
            assertEquals(Set.of(URI.create("http://127.0.0.1/callback"),
                    URI.create("https://client.example/oauth/callback")), client.redirectUris());
            assertEquals("client.example", client.consentHost());
            assertEquals(T0, client.fetchedAt());
            assertFalse(client.stale());
            assertEquals("none", client.metadata().getTokenEndpointAuthMethod().getValue());
        }

        @Test
        void resolveWhenFetchingThenTlsNamesTheClientIdHostAndConnectsToTheResolvedAddress() {
            String clientId = servedValid();

            resolver().resolve(clientId);

            Request request = host.requests().stream().filter(r -> r.path().equals(pathOf(clientId)))
                    .findFirst().orElseThrow();
            assertEquals("GET", request.method());
            assertEquals(Optional.of(HOST), request.serverName(), "SNI carries the client_id host");
            assertEquals(URI.create(clientId).getAuthority(), request.host());
            assertEquals(List.of(new InetSocketAddress(LOOPBACK, URI.create(clientId).getPort())),
                    sockets.connects());
        }

        @Test
        void resolveWhenResolvedTwiceWithinLifetimeThenFetchedOnce() {
            String clientId = servedValid();
            CimdResolver resolver = resolver();

            resolver.resolve(clientId);
            clock.advance(Duration.ofMinutes(4));
            CimdClient again = resolver.resolve(clientId);

            assertFalse(again.stale());
            assertEquals(1, host.requestsTo(pathOf(clientId)));
        }

        @Test
        void resolveWhenContentTypeHasCharsetThenAccepted() {
            String path = newPath();
            String clientId = host.url(path);
            host.serve(path, valid(clientId).withContentType("application/json; charset=utf-8"));

            assertEquals(clientId, resolver().resolve(clientId).clientId());
        }

        @Test
        void resolveWhenCallerChangesReturnedMetadataThenCachedCopyUnchanged() {
            String clientId = servedValid();
            CimdResolver resolver = resolver();

            resolver.resolve(clientId).metadata().setName("Changed by a caller");

            assertEquals("Example MCP Client", resolver.resolve(clientId).clientName());
        }

        @Test
        void resolveWhenCertificateDoesNotNameTheHostThenInvalidClient() {
            dns.answer("other.example", LOOPBACK);
            String path = newPath();
            String clientId = "https://other.example:" + URI.create(host.url(path)).getPort() + path;
            host.serve(path, valid(clientId));

            OAuthException e = assertInvalidClient(() -> resolver().resolve(clientId));

            assertTrue(e.error().getDescription().contains("TLS"), e.error().getDescription());
            assertEquals(0, host.requestsTo(path));
        }

        @Test
        void resolveWhenCertificateNotTrustedThenInvalidClient() {
            String clientId = servedValid();

            assertInvalidClient(() -> resolver(FAST, LOOPBACK_AS_PUBLIC, CimdFetcher.systemTrust()).resolve(clientId));

            assertEquals(0, host.requestsTo(pathOf(clientId)));
        }
    }

    /** REG-21: the document's client_id must equal the URL byte for byte; a mismatch is never cached. */
    @Nested
    class ClientIdMismatch {

        static Stream<Arguments> variants() {
            return Stream.<Function<String, Object>>of(
                    url -> url + "/",
                    url -> url.replace("client.example", "CLIENT.example"),
                    url -> url.replace("/metadata.json", "/Metadata.json"),
                    url -> url.replace("https://", "HTTPS://"),
                    url -> "https://client.example/another/metadata.json",
                    url -> url + "?",
                    url -> null,
                    url -> 42).map(Arguments::of);
        }

        @ParameterizedTest
        @MethodSource("variants")
        void resolveWhenDocumentClientIdDiffersThenInvalidClientAndNotCached(Function<String, Object> variant) {
            String path = newPath();
            String clientId = host.url(path);
            JSONObject doc = document(clientId);
            Object differing = variant.apply(clientId);
            if (differing == null) {
                doc.remove("client_id");
            } else {
                doc.put("client_id", differing);
            }
            host.serve(path, Reply.json(doc.toJSONString()));
            CimdResolver resolver = resolver();

            OAuthException e = assertInvalidClient(() -> resolver.resolve(clientId));
            assertInvalidClient(() -> resolver.resolve(clientId));

            assertTrue(e.error().getDescription().contains("client_id does not match"), e.error().getDescription());
            assertEquals(2, host.requestsTo(path), "the mismatch was not cached");
            assertEquals(0, resolver.cachedDocuments());
        }
    }

    /** REG-22: any status but 200 is an error, and the next resolve fetches again. */
    @Nested
    class NonOkStatus {

        @ParameterizedTest
        @ValueSource(ints = {404, 500, 401, 204, 201, 403, 410, 503})
        void resolveWhenHostAnswersNon200ThenInvalidClientAndNotCached(int status) {
            String path = newPath();
            String clientId = host.url(path);
            host.serve(path, Reply.status(status));
            CimdResolver resolver = resolver();

            OAuthException e = assertInvalidClient(() -> resolver.resolve(clientId));
            assertInvalidClient(() -> resolver.resolve(clientId));

            assertTrue(e.error().getDescription().contains("HTTP " + status), e.error().getDescription());
            assertEquals(2, host.requestsTo(path));
        }

        @Test
        void resolveWhenStatus200WithValidBodyArrivesAfterAnErrorThenResolved() {
            String path = newPath();
            String clientId = host.url(path);
            host.serve(path, Reply.status(404));
            CimdResolver resolver = resolver();
            assertInvalidClient(() -> resolver.resolve(clientId));

            host.serve(path, valid(clientId));

            assertEquals(clientId, resolver.resolve(clientId).clientId());
        }
    }

    /** How the oversized body is delimited. */
    enum Delivery { CONTENT_LENGTH, CHUNKED, CLOSE_DELIMITED }

    /** REG-23: a body over 5120 bytes is an error however it is delimited, and the read stops at the cap. */
    @Nested
    class Oversize {

        /** A valid document padded with spaces to {@code totalBytes}, delivered as {@code delivery} says. */
        private String serve(Delivery delivery, long totalBytes) {
            String path = newPath();
            String clientId = delivery == Delivery.CLOSE_DELIMITED ? host.closeDelimitedUrl(path) : host.url(path);
            Reply reply = valid(clientId).paddedTo(totalBytes);
            host.serve(path, delivery == Delivery.CHUNKED ? reply.chunked() : reply);
            return clientId;
        }

        @ParameterizedTest
        @EnumSource(Delivery.class)
        void resolveWhenBodyIsOneByteOverTheCapThenInvalidClientAndNotCached(Delivery delivery) {
            String clientId = serve(delivery, 5 * 1024 + 1);
            CimdResolver resolver = resolver();

            OAuthException e = assertInvalidClient(() -> resolver.resolve(clientId));
            assertInvalidClient(() -> resolver.resolve(clientId));

            assertTrue(e.error().getDescription().contains("larger than 5120 bytes"), e.error().getDescription());
            assertEquals(2, host.requestsTo(pathOf(clientId)));
        }

        @ParameterizedTest
        @EnumSource(Delivery.class)
        void resolveWhenBodyIsExactlyTheCapThenResolved(Delivery delivery) {
            String clientId = serve(delivery, 5 * 1024);

            assertEquals(clientId, resolver().resolve(clientId).clientId());
        }

        @ParameterizedTest
        @EnumSource(Delivery.class)
        void resolveWhenBodyIsHugeThenReadStopsAtTheCapAndTheHostSeesTheConnectionClosed(Delivery delivery)
                throws InterruptedException {
            long huge = 64L * 1024 * 1024;
            String clientId = serve(delivery, huge);

            assertInvalidClient(() -> resolver().resolve(clientId));

            BodyOutcome outcome = host.awaitOutcome(pathOf(clientId), Duration.ofSeconds(20));
            assertTrue(outcome.clientClosed(), "the host's write failed because the client closed the connection");
            assertTrue(outcome.bytesWritten() < huge, "only " + outcome.bytesWritten() + " bytes were written");
        }
    }

    /** REG-24: a redirect is an error, and its Location is never contacted. */
    @Nested
    class Redirects {

        @ParameterizedTest
        @ValueSource(ints = {301, 302, 303, 307, 308})
        void resolveWhenHostRedirectsThenInvalidClientAndLocationNeverRequested(int status) {
            String path = newPath();
            String target = path + "/moved";
            String clientId = host.url(path);
            host.serve(path, Reply.redirect(status, host.url(target)));
            host.serve(target, valid(clientId));
            CimdResolver resolver = resolver();

            OAuthException e = assertInvalidClient(() -> resolver.resolve(clientId));
            assertInvalidClient(() -> resolver.resolve(clientId));

            assertTrue(e.error().getDescription().contains("redirect"), e.error().getDescription());
            assertEquals(0, host.requestsTo(target), "the Location target received no request");
            assertEquals(2, host.requestsTo(path), "the redirect was not cached");
        }

        @ParameterizedTest
        @ValueSource(ints = {302, 307})
        void resolveWhenRedirectPointsToAnotherHostThenThatHostIsNeverLookedUp(int status) {
            dns.answer("other.example", LOOPBACK);
            String path = newPath();
            String clientId = host.url(path);
            String target = "/elsewhere" + path;
            host.serve(path, Reply.redirect(status, "https://other.example:"
                    + URI.create(clientId).getPort() + target));

            assertInvalidClient(() -> resolver().resolve(clientId));

            assertEquals(0, dns.lookupsOf("other.example"));
            assertEquals(0, host.requestsTo(target));
        }
    }

    /** REG-25: private and special-use destinations are refused before any connection is made. */
    @Nested
    class PrivateAddresses {

        @Test
        void resolveWhenClientIdIsHttpThenInvalidClientWithoutLookupOrConnection() {
            String path = newPath();
            String clientId = host.url(path).replace("https://", "http://");
            int connectionsBefore = host.connections();

            OAuthException e = assertInvalidClient(() -> resolver().resolve(clientId));

            assertTrue(e.error().getDescription().contains("https"), e.error().getDescription());
            assertEquals(List.of(), dns.lookups());
            assertEquals(0, sockets.created());
            assertEquals(connectionsBefore, host.connections());
        }

        @ParameterizedTest
        @ValueSource(strings = {"127.0.0.1", "10.0.0.5", "169.254.169.254", "::1", "fd00::1", "0.0.0.0", "::",
            "::ffff:127.0.0.1", "100.64.0.1", "172.16.0.1", "192.168.1.1", "224.0.0.1", "255.255.255.255",
            "198.18.0.1", "192.0.2.1", "fe80::1", "ff02::1", "2001:db8::1", "64:ff9b::7f00:1"})
        void resolveWhenHostResolvesToSpecialUseAddressThenInvalidClientWithZeroConnections(String address) {
            TestHostResolver hostile = new TestHostResolver().answer("evil.example", address);
            CimdResolver resolver = new CimdResolver(FAST, hostile, AddressPolicy.publicOnly(),
                    TestTls.clientContext(), clock, sockets);
            opened.add(resolver);
            int connectionsBefore = host.connections();

            OAuthException e = assertInvalidClient(() -> resolver.resolve("https://evil.example/metadata.json"));

            assertTrue(e.error().getDescription().contains("not allowed"), e.error().getDescription());
            assertEquals(1, hostile.lookupsOf("evil.example"));
            assertEquals(0, sockets.created(), "no socket was even created");
            assertEquals(connectionsBefore, host.connections());
        }

        @Test
        void resolveWhenHostResolvesToIpv4MappedLoopbackThenInvalidClientWithZeroConnections() {
            TestHostResolver hostile = new TestHostResolver()
                    .answer("evil.example", TestHostResolver.ipv4Mapped("127.0.0.1"));
            CimdResolver resolver = new CimdResolver(FAST, hostile, AddressPolicy.publicOnly(),
                    TestTls.clientContext(), clock, sockets);
            opened.add(resolver);

            assertInvalidClient(() -> resolver.resolve("https://evil.example/metadata.json"));

            assertEquals(0, sockets.created());
        }

        @Test
        void resolveWhenAnyResolvedAddressIsPrivateThenInvalidClientWithZeroConnections() {
            TestHostResolver mixed = new TestHostResolver().answer("mixed.example", "93.184.215.14", "10.0.0.5");
            CimdResolver resolver = new CimdResolver(FAST, mixed, AddressPolicy.publicOnly(),
                    TestTls.clientContext(), clock, sockets);
            opened.add(resolver);

            assertInvalidClient(() -> resolver.resolve("https://mixed.example/metadata.json"));

            assertEquals(0, sockets.created(), "the public address was not tried either");
        }

        @ParameterizedTest
        @ValueSource(strings = {"https://127.0.0.1/metadata.json", "https://[::1]/metadata.json",
            "https://169.254.169.254/latest/meta-data", "https://10.0.0.5/metadata.json",
            "https://[::ffff:127.0.0.1]/metadata.json", "https://0x7f.0.0.1/metadata.json",
            "https://2130706433/metadata.json", "https://127.1/metadata.json", "https://localhost/metadata.json"})
        void resolveWhenHostIsAnIpLiteralThenInvalidClientWithoutLookupOrConnection(String clientId) {
            assertInvalidClient(() -> resolver(FAST, AddressPolicy.publicOnly()).resolve(clientId));

            assertEquals(List.of(), dns.lookups());
            assertEquals(0, sockets.created());
        }

        @Test
        void resolveWhenNameRebindsToPrivateThenOnlyTheValidatedAddressIsEverConnected() {
            TestHostResolver rebinding = new TestHostResolver().answer(HOST, LOOPBACK).answer(HOST, "10.0.0.5");
            CimdResolver resolver = new CimdResolver(FAST, rebinding, LOOPBACK_AS_PUBLIC,
                    TestTls.clientContext(), clock, sockets);
            opened.add(resolver);
            String clientId = servedValid();
            int port = URI.create(clientId).getPort();

            resolver.resolve(clientId);

            assertEquals(1, rebinding.lookupsOf(HOST), "one lookup per fetch: no second answer was asked for");
            assertEquals(List.of(new InetSocketAddress(LOOPBACK, port)), sockets.connects());
            assertEquals(1, host.requestsTo(pathOf(clientId)));

            clock.advance(Duration.ofMinutes(6));
            assertInvalidClient(() -> resolver.resolve(clientId));

            assertEquals(2, rebinding.lookupsOf(HOST));
            assertEquals(1, sockets.created(), "the private answer was never connected to");
            assertEquals(1, host.requestsTo(pathOf(clientId)));
        }
    }

    /** REG-26: only a JSON object with the required fields and no shared secret is a valid document. */
    @Nested
    class InvalidDocument {

        static final String MARKER = "do-not-echo-8731";

        static Stream<Arguments> documents() {
            Function<String, JSONObject> base = CimdResolverTest::document;
            return Stream.of(
                    Arguments.of("HTML page", (Function<String, Reply>) id -> Reply.of(200, "text/html",
                            ("<html><body>" + MARKER + "</body></html>").getBytes(StandardCharsets.UTF_8))),
                    Arguments.of("JSON array", (Function<String, Reply>) id -> Reply.json("[\"" + MARKER + "\"]")),
                    Arguments.of("broken JSON",
                            (Function<String, Reply>) id -> Reply.json("{\"client_id\": " + MARKER)),
                    Arguments.of("JSON as text/plain", (Function<String, Reply>) id -> valid(id)
                            .withContentType("text/plain")),
                    Arguments.of("no content type", (Function<String, Reply>) id -> Reply.of(200, null,
                            base.apply(id).toJSONString().getBytes(StandardCharsets.UTF_8))),
                    Arguments.of("missing redirect_uris", edit(d -> d.remove("redirect_uris"))),
                    Arguments.of("empty redirect_uris", edit(d -> d.put("redirect_uris", new JSONArray()))),
                    Arguments.of("missing client_name", edit(d -> d.remove("client_name"))),
                    Arguments.of("blank client_name", edit(d -> d.put("client_name", " "))),
                    Arguments.of("client_secret_post", authMethod("client_secret_post")),
                    Arguments.of("client_secret_basic", authMethod("client_secret_basic")),
                    Arguments.of("client_secret_jwt", authMethod("client_secret_jwt")),
                    Arguments.of("private_key_jwt", authMethod("private_key_jwt")),
                    Arguments.of("client_secret", edit(d -> d.put("client_secret", MARKER))),
                    Arguments.of("javascript redirect", edit(d -> {
                        JSONArray bad = new JSONArray();
                        bad.add("javascript:alert('" + MARKER + "')");
                        d.put("redirect_uris", bad);
                    })));
        }

        private static Function<String, Reply> authMethod(String method) {
            return edit(d -> d.put("token_endpoint_auth_method", method));
        }

        private static Function<String, Reply> edit(Consumer<JSONObject> change) {
            return id -> {
                JSONObject doc = document(id);
                change.accept(doc);
                return Reply.json(doc.toJSONString());
            };
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("documents")
        void resolveWhenDocumentInvalidThenInvalidClientNotCachedAndBodyNotEchoed(String name,
                                                                                Function<String, Reply> reply) {
            String path = newPath();
            String clientId = host.url(path);
            host.serve(path, reply.apply(clientId));
            CimdResolver resolver = resolver();

            OAuthException e = assertInvalidClient(() -> resolver.resolve(clientId));
            assertInvalidClient(() -> resolver.resolve(clientId));

            assertFalse(e.error().getDescription().contains(MARKER), "the description never quotes the document");
            assertEquals(2, host.requestsTo(path), name + " was not cached");
        }
    }

    /** REG-27: timeouts, and stale-on-error after a valid document was cached. */
    @Nested
    class TimeoutsAndStaleOnError {

        @Test
        void resolveWhenHostHangsThenInvalidClientWithinTheBudgetAndNotCached() {
            String path = newPath();
            String clientId = host.url(path);
            host.serve(path, valid(clientId).delayedBy(Duration.ofSeconds(60)));
            CimdResolver resolver = resolver(CimdSettings.defaults(), LOOPBACK_AS_PUBLIC);

            long start = System.nanoTime();
            OAuthException e = assertInvalidClient(() -> resolver.resolve(clientId));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
            assertTrue(e.error().getDescription().contains("timed out"), e.error().getDescription());
            host.serve(path, valid(clientId));
            assertEquals(clientId, resolver.resolve(clientId).clientId());
            assertEquals(2, host.requestsTo(path), "the timeout was not cached");
        }

        @Test
        void resolveWhenBodyTricklesPastTheBudgetThenInvalidClientWithinTheBudget() {
            String path = newPath();
            String clientId = host.url(path);
            host.serve(path, valid(clientId).paddedTo(2000).trickling(Duration.ofMillis(100)));

            long start = System.nanoTime();
            OAuthException e = assertInvalidClient(() -> resolver().resolve(clientId));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
            assertTrue(e.error().getDescription().contains("timed out"), e.error().getDescription());
        }

        static Stream<Arguments> outages() {
            return Stream.of(
                    Arguments.of("hang", (Function<String, Reply>) id -> valid(id).delayedBy(Duration.ofSeconds(60))),
                    Arguments.of("500", (Function<String, Reply>) id -> Reply.status(500)),
                    Arguments.of("503", (Function<String, Reply>) id -> Reply.status(503)),
                    Arguments.of("HTML", (Function<String, Reply>) id -> Reply.of(200, "text/html",
                            "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8))),
                    Arguments.of("oversize", (Function<String, Reply>) id -> valid(id).paddedTo(6000)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("outages")
        void resolveWhenRefetchFailsWithinMaxStalenessThenStaleCopyServed(String name, Function<String, Reply> outage) {
            String clientId = servedValid();
            CimdResolver resolver = resolver();
            resolver.resolve(clientId);
            clock.advance(Duration.ofMinutes(6));
            host.serve(pathOf(clientId), outage.apply(clientId));

            CimdClient stale = resolver.resolve(clientId);

            assertTrue(stale.stale(), "flagged stale");
            assertEquals("Example MCP Client", stale.clientName());
            assertEquals(T0, stale.fetchedAt());
            assertEquals(2, host.requestsTo(pathOf(clientId)), "the refetch was tried");
        }

        @Test
        void resolveWhenHostRecoversAfterStaleServeThenFreshCopyServed() {
            String clientId = servedValid();
            CimdResolver resolver = resolver();
            resolver.resolve(clientId);
            clock.advance(Duration.ofMinutes(6));
            host.serve(pathOf(clientId), Reply.status(500));
            assertTrue(resolver.resolve(clientId).stale());

            host.serve(pathOf(clientId), valid(clientId));
            CimdClient fresh = resolver.resolve(clientId);

            assertFalse(fresh.stale());
            assertEquals(T0.plus(Duration.ofMinutes(6)), fresh.fetchedAt());
        }

        @Test
        void resolveWhenDocumentSaidMustRevalidateThenNoStaleCopy() {
            String path = newPath();
            String clientId = host.url(path);
            host.serve(path, valid(clientId).withHeader("Cache-Control", "max-age=60, must-revalidate"));
            CimdResolver resolver = resolver();
            resolver.resolve(clientId);
            clock.advance(Duration.ofSeconds(61));
            host.serve(path, Reply.status(500));

            assertInvalidClient(() -> resolver.resolve(clientId));
        }

        @Test
        void resolveWhenRefetchFailsBeyondMaxStalenessThenInvalidClient() {
            String clientId = servedValid();
            CimdResolver resolver = resolver();
            resolver.resolve(clientId);
            clock.advance(CimdSettings.DEFAULT_TTL.plus(CimdSettings.DEFAULT_MAX_STALENESS).plusSeconds(1));
            host.serve(pathOf(clientId), Reply.status(500));

            assertInvalidClient(() -> resolver.resolve(clientId));
        }

        @Test
        void resolveWhenRefetchIsRejectedThenNoStaleCopyAndCopyDropped() {
            String clientId = servedValid();
            CimdResolver resolver = resolver();
            resolver.resolve(clientId);
            clock.advance(Duration.ofMinutes(6));
            host.serve(pathOf(clientId), Reply.status(404));

            assertInvalidClient(() -> resolver.resolve(clientId));

            host.serve(pathOf(clientId), Reply.status(500));
            assertInvalidClient(() -> resolver.resolve(clientId));
            assertEquals(0, resolver.cachedDocuments());
        }

        @Test
        void resolveWhenRefetchedDocumentIsInvalidThenNoStaleCopy() {
            String clientId = servedValid();
            CimdResolver resolver = resolver();
            resolver.resolve(clientId);
            clock.advance(Duration.ofMinutes(6));
            JSONObject mismatched = document(clientId + "/");
            host.serve(pathOf(clientId), Reply.json(mismatched.toJSONString()));

            assertInvalidClient(() -> resolver.resolve(clientId));
        }
    }

    /** REG-27 / R-DCR-8: valid documents are cached per their HTTP cache headers. */
    @Nested
    class CacheHeaders {

        private String served(String cacheControl) {
            String path = newPath();
            String clientId = host.url(path);
            host.serve(path, valid(clientId).withHeader("Cache-Control", cacheControl));
            return clientId;
        }

        @Test
        void resolveWhenMaxAgeGivenThenCachedForThatLong() {
            String clientId = served("public, max-age=60");
            CimdResolver resolver = resolver();

            resolver.resolve(clientId);
            clock.advance(Duration.ofSeconds(59));
            resolver.resolve(clientId);
            assertEquals(1, host.requestsTo(pathOf(clientId)));

            clock.advance(Duration.ofSeconds(2));
            resolver.resolve(clientId);
            assertEquals(2, host.requestsTo(pathOf(clientId)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"no-store", "no-cache", "max-age=0", "max-age=ten"})
        void resolveWhenResponseMayNotBeCachedThenEveryResolveFetches(String cacheControl) {
            String clientId = served(cacheControl);
            CimdResolver resolver = resolver();

            resolver.resolve(clientId);
            resolver.resolve(clientId);

            assertEquals(2, host.requestsTo(pathOf(clientId)));
            assertEquals(0, resolver.cachedDocuments());
        }

        @Test
        void resolveWhenNoHeadersThenDefaultLifetime() {
            String clientId = servedValid();
            CimdResolver resolver = resolver();

            resolver.resolve(clientId);
            clock.advance(CimdSettings.DEFAULT_TTL.minusSeconds(1));
            resolver.resolve(clientId);
            assertEquals(1, host.requestsTo(pathOf(clientId)));

            clock.advance(Duration.ofSeconds(2));
            resolver.resolve(clientId);
            assertEquals(2, host.requestsTo(pathOf(clientId)));
        }

        @Test
        void resolveWhenNewAnswerForbidsCachingThenOldCopyCannotStandInLater() {
            String clientId = servedValid();
            CimdResolver resolver = resolver();
            resolver.resolve(clientId);
            clock.advance(Duration.ofMinutes(6));
            host.serve(pathOf(clientId), valid(clientId).withHeader("Cache-Control", "no-store"));
            resolver.resolve(clientId);

            host.serve(pathOf(clientId), Reply.status(500));

            assertInvalidClient(() -> resolver.resolve(clientId));
        }

        @Test
        void resolveWhenMoreClientsThanEntriesThenCacheStaysBounded() {
            CimdSettings two = new CimdSettings(FAST.connectTimeout(), FAST.readTimeout(), FAST.fetchBudget(),
                    FAST.maxDocumentBytes(), FAST.defaultTtl(), FAST.maxTtl(), FAST.maxStaleness(), 2, 8);
            CimdResolver resolver = resolver(two, LOOPBACK_AS_PUBLIC);
            String first = servedValid();
            String second = servedValid();
            String third = servedValid();

            resolver.resolve(first);
            resolver.resolve(second);
            resolver.resolve(third);
            resolver.resolve(first);

            assertEquals(2, resolver.cachedDocuments());
            assertEquals(2, host.requestsTo(pathOf(first)), "the least recently used entry was evicted");
        }
    }

    /** R-DCR-7 / REG-27: concurrent resolves of one client_id share one fetch. */
    @Nested
    class SingleFlight {

        private List<Future<Object>> resolveConcurrently(CimdResolver resolver, String clientId, int callers) {
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                List<Future<Object>> results = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    results.add(pool.submit(() -> {
                        try {
                            return resolver.resolve(clientId);
                        } catch (OAuthException e) {
                            return e;
                        }
                    }));
                }
                return results;
            } finally {
                pool.shutdown();
            }
        }

        private void awaitFirstRequest(String path) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (host.requestsTo(path) == 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            Thread.sleep(200); // let the other callers arrive while the first fetch is held
        }

        @Test
        void resolveWhenManyCallersAskAtOnceThenOneFetchServesAll() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            String path = newPath();
            String clientId = host.url(path);
            host.serve(path, valid(clientId).heldBy(gate));
            CimdResolver resolver = resolver(CimdSettings.defaults(), LOOPBACK_AS_PUBLIC);

            List<Future<Object>> results = resolveConcurrently(resolver, clientId, 8);
            awaitFirstRequest(path);
            gate.countDown();

            for (Future<Object> result : results) {
                assertEquals(clientId, ((CimdClient) result.get(20, TimeUnit.SECONDS)).clientId());
            }
            assertEquals(1, host.requestsTo(path));
        }

        @Test
        void resolveWhenSharedFetchFailsThenAllCallersGetTheErrorAndTheNextResolveFetchesAgain() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            String path = newPath();
            String clientId = host.url(path);
            host.serve(path, Reply.status(500).heldBy(gate));
            CimdResolver resolver = resolver(CimdSettings.defaults(), LOOPBACK_AS_PUBLIC);

            List<Future<Object>> results = resolveConcurrently(resolver, clientId, 8);
            awaitFirstRequest(path);
            gate.countDown();

            for (Future<Object> result : results) {
                OAuthException e = (OAuthException) result.get(20, TimeUnit.SECONDS);
                assertEquals(OAuth2Error.INVALID_CLIENT.getCode(), e.error().getCode());
            }
            assertEquals(1, host.requestsTo(path));
            assertInvalidClient(() -> resolver.resolve(clientId));
            assertEquals(2, host.requestsTo(path));
        }
    }

    @Test
    void isUrlClientIdWhenHttpOrHttpsThenTrueOtherwiseFalse() {
        assertTrue(CimdResolver.isUrlClientId("https://client.example/metadata.json"));
        assertTrue(CimdResolver.isUrlClientId("HTTP://client.example/metadata.json"));
        assertFalse(CimdResolver.isUrlClientId("mcp_client_7d1f"));
        assertFalse(CimdResolver.isUrlClientId("https:/client.example"));
        assertFalse(CimdResolver.isUrlClientId(null));
    }
}
