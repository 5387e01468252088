package dev.kindemcp.bridge.registration;

import dev.kindemcp.bridge.oauth.OAuthException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.io.DetachedSocketFactory;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.ssl.TLS;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The one HTTP client that fetches client-supplied URLs: a GET of a Client ID Metadata Document over TLS,
 * connecting only to addresses the {@link AddressPolicy} allowed, never following redirects, and reading at most
 * the document cap within a fixed time budget.
 *
 * <p>The name is looked up once per connection, by the {@link DnsResolver} given to the connection manager; the
 * addresses it returns are the ones checked and the only ones connected to, so a second lookup that could
 * answer differently (DNS rebinding) never happens. Connections are never reused: every fetch looks the name up
 * and checks it again. TLS uses SNI and hostname verification for the URL's host. No proxy is ever used.
 *
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-01#section-4">CIMD draft-01 §4 Client Information Discovery (200 only, no redirects)</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-01#section-6.5">CIMD draft-01 §6.5 Server Side Request Forgery (SSRF) Attacks</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-6.6">CIMD draft-00 §6.6 Maximum Response Size for Client Metadata Documents</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6066#section-3">RFC 6066 §3 Server Name Indication</a>
 */
final class CimdFetcher implements AutoCloseable {

    static final String USER_AGENT = "kinde-mcp-bridge (client metadata fetch)";

    /** Response headers the validator and the cache read; all others are dropped. */
    private static final Set<String> KEPT_HEADERS = Set.of(
            "content-type", "cache-control", "expires", "date", "age");

    private static final int MAX_HEADER_LINE = 8 * 1024;
    private static final int MAX_HEADER_COUNT = 100;

    private final CimdSettings settings;
    private final CloseableHttpClient http;

    CimdFetcher(CimdSettings settings, HostResolver hosts, AddressPolicy policy, SSLContext sslContext,
                DetachedSocketFactory sockets) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        Objects.requireNonNull(hosts, "hosts must not be null");
        Objects.requireNonNull(policy, "policy must not be null");
        Objects.requireNonNull(sslContext, "sslContext must not be null");
        Objects.requireNonNull(sockets, "sockets must not be null");
        this.http = client(settings, new GuardedDnsResolver(hosts, policy), sslContext, sockets);
    }

    /** The body and the cache-relevant headers of a 200 answer. */
    record FetchedDocument(byte[] body, Map<String, String> headers) {

        FetchedDocument {
            body = body.clone();
            headers = Map.copyOf(headers);
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        /** The header's value (repeated headers joined with ", "); {@code name} in lower case. */
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }
    }

    /** Trust the JDK's CA certificates, whatever the application server made the default SSL context. */
    static SSLContext systemTrust() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init((KeyStore) null);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK trust store cannot be loaded", e);
        }
    }

    /** Plain sockets, as the HTTP client makes them by default. */
    static DetachedSocketFactory plainSockets() {
        return proxy -> proxy == null ? new Socket() : new Socket(proxy);
    }

    /**
     * GETs {@code url} and returns a 200 answer whose body is within the cap.
     *
     * <p>The fetch budget is kept twice: the body loop checks the deadline before every read, and the JDK's
     * shared delay thread aborts the exchange (closes the socket) when the budget is spent, which also ends a
     * blocked connect or read. However the fetch ends, the exchange is aborted rather than closed, because
     * closing a response reads the rest of its body.
     *
     * @throws CimdException for a refused address, a redirect or any status but 200 (rejected), and for a
     *                       failed lookup or connection, a timeout, a 5xx/408/429 status or an oversized body
     *                       (unavailable)
     */
    FetchedDocument fetch(URI url) throws CimdException {
        if (!"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("only https URLs are fetched");
        }
        long deadline = System.nanoTime() + settings.fetchBudget().toNanos();
        HttpGet get = new HttpGet(url);
        get.setHeader(HttpHeaders.ACCEPT, "application/json");
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(get::cancel,
                CompletableFuture.delayedExecutor(settings.fetchBudget().toMillis(), TimeUnit.MILLISECONDS,
                        Runnable::run));
        ClassicHttpResponse response = null;
        try {
            response = http.executeOpen(null, get, HttpClientContext.create());
            int status = response.getCode();
            // CIMD draft-01 §4: the server MUST NOT automatically follow redirects; Location is never read
            if (status >= 300 && status < 400) {
                throw CimdException.rejected("the client metadata document URL answered with a redirect,"
                        + " which is not followed (HTTP " + status + ")", "GET " + url + ": HTTP " + status);
            }
            // CIMD draft-01 §4: any status other than 200 MUST be treated as an error
            if (status != 200) {
                String description = "the client metadata document could not be retrieved (HTTP " + status + ")";
                String detail = "GET " + url + ": HTTP " + status;
                throw status >= 500 || status == 408 || status == 429
                        ? CimdException.unavailable(description, detail)
                        : CimdException.rejected(description, detail);
            }
            byte[] body = readCapped(response.getEntity(), deadline, url);
            return new FetchedDocument(body, keptHeaders(response));
        } catch (GuardedDnsResolver.AddressNotAllowedException e) {
            throw CimdException.rejected("the client_id host resolves to an address that is not allowed",
                    "GET " + url + ": " + e.getMessage());
        } catch (UnknownHostException e) {
            throw CimdException.unavailable("the client_id host name could not be resolved",
                    "GET " + url + ": unknown host", e);
        } catch (IOException e) {
            if (get.isCancelled() || e instanceof InterruptedIOException) {
                throw timedOut(url, e);
            }
            if (e instanceof SSLException) {
                throw CimdException.unavailable("the TLS connection to the client_id host failed",
                        "GET " + url + ": " + OAuthException.wireSafe(e.toString()), e);
            }
            throw CimdException.unavailable("the client metadata document could not be retrieved",
                    "GET " + url + ": " + OAuthException.wireSafe(e.toString()), e);
        } finally {
            watchdog.cancel(false);
            get.cancel();
            if (response != null) {
                try {
                    response.close();
                } catch (IOException alreadyAborted) {
                    // nothing left to release
                }
            }
        }
    }

    @Override
    public void close() {
        http.close(CloseMode.IMMEDIATE);
    }

    /**
     * Reads at most the cap plus one byte: a declared length above the cap is refused before reading, and an
     * undeclared (chunked or close-delimited) body is cut as soon as it passes the cap.
     */
    private byte[] readCapped(HttpEntity entity, long deadline, URI url) throws IOException, CimdException {
        int cap = settings.maxDocumentBytes();
        if (entity == null) {
            return new byte[0];
        }
        // CIMD draft-00 §6.6: limit the response size (5 kilobytes recommended)
        if (entity.getContentLength() > cap) {
            throw tooLarge(url, "declared Content-Length " + entity.getContentLength());
        }
        InputStream in = entity.getContent();
        if (in == null) {
            return new byte[0];
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(cap + 1, 8 * 1024));
        byte[] buffer = new byte[1024];
        while (body.size() <= cap) {
            if (System.nanoTime() - deadline >= 0) {
                throw timedOut(url, null);
            }
            int n = in.read(buffer, 0, Math.min(buffer.length, cap + 1 - body.size()));
            if (n < 0) {
                return body.toByteArray();
            }
            body.write(buffer, 0, n);
        }
        throw tooLarge(url, "body passed " + cap + " bytes");
    }

    private CimdException tooLarge(URI url, String why) {
        return CimdException.unavailable("the client metadata document is larger than "
                + settings.maxDocumentBytes() + " bytes", "GET " + url + ": " + why);
    }

    private CimdException timedOut(URI url, Throwable cause) {
        return CimdException.unavailable("fetching the client metadata document timed out",
                "GET " + url + ": no complete answer within " + settings.fetchBudget().toMillis()
                        + " ms (connect " + settings.connectTimeout().toMillis() + " ms, read "
                        + settings.readTimeout().toMillis() + " ms)", cause);
    }

    private static Map<String, String> keptHeaders(ClassicHttpResponse response) {
        Map<String, String> kept = new HashMap<>();
        for (Header header : response.getHeaders()) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            if (KEPT_HEADERS.contains(name)) {
                String value = header.getValue() == null ? "" : header.getValue();
                kept.merge(name, value, (a, b) -> a + ", " + b);
            }
        }
        return kept;
    }

    private static CloseableHttpClient client(CimdSettings settings, DnsResolver dns, SSLContext sslContext,
                                              DetachedSocketFactory sockets) {
        Timeout connect = Timeout.of(settings.connectTimeout());
        Timeout read = Timeout.of(settings.readTimeout());
        PoolingHttpClientConnectionManagerBuilder pool = new PoolingHttpClientConnectionManagerBuilder() {
            @Override
            protected HttpClientConnectionOperator createConnectionOperator(
                    SchemePortResolver ports, DnsResolver resolver, TlsSocketStrategy tls) {
                return new DefaultHttpClientConnectionOperator(sockets, ports, resolver,
                        RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, tls).build());
            }
        };
        pool.setDnsResolver(dns)
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(sslContext, HostnameVerificationPolicy.BOTH,
                        HttpsSupport.getDefaultHostnameVerifier()))
                .setDefaultTlsConfig(TlsConfig.custom()
                        .setSupportedProtocols(TLS.V_1_3, TLS.V_1_2)
                        .setHandshakeTimeout(read)
                        .build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(read).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(read)
                        .build())
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom()
                                .setMaxLineLength(MAX_HEADER_LINE)
                                .setMaxHeaderCount(MAX_HEADER_COUNT)
                                .build())
                        .build())
                .setMaxConnTotal(settings.maxConcurrentFetches())
                .setMaxConnPerRoute(settings.maxConcurrentFetches());
        return HttpClients.custom()
                .setConnectionManager(pool.build())
                .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .setContentCompressionEnabled(false)
                        .setProtocolUpgradeEnabled(false)
                        .setExpectContinueEnabled(false)
                        .setConnectionRequestTimeout(Timeout.of(settings.fetchBudget()))
                        .setResponseTimeout(read)
                        .build())
                .setConnectionReuseStrategy((request, response, context) -> false)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .disableConnectionState()
                .setUserAgent(USER_AGENT)
                .build();
    }

    /**
     * Looks the host up once and hands the connection manager only addresses the policy allows; if any address
     * is refused, the whole name is refused and nothing is connected to.
     */
    static final class GuardedDnsResolver implements DnsResolver {

        private final HostResolver hosts;
        private final AddressPolicy policy;

        GuardedDnsResolver(HostResolver hosts, AddressPolicy policy) {
            this.hosts = hosts;
            this.policy = policy;
        }

        /** A name that resolves to an address the policy refuses. */
        static final class AddressNotAllowedException extends UnknownHostException {
            private static final long serialVersionUID = 1L;

            AddressNotAllowedException(String message) {
                super(message);
            }
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            List<InetAddress> addresses = hosts.resolve(host);
            if (addresses == null || addresses.isEmpty()) {
                throw new UnknownHostException(host);
            }
            // CIMD draft-01 §6.5: MUST NOT fetch a URL that resolves to a special-use address (RFC 6890)
            List<InetAddress> refused = addresses.stream().filter(a -> !policy.permits(a)).toList();
            if (!refused.isEmpty()) {
                throw new AddressNotAllowedException(host + " resolves to " + refused.stream()
                        .map(InetAddress::getHostAddress).collect(Collectors.joining(", ")));
            }
            return addresses.toArray(new InetAddress[0]);
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            return Arrays.stream(resolve(host)).map(a -> new InetSocketAddress(a, port)).toList();
        }

        /** No reverse or canonical-name lookups: the name stays as the URL gave it. */
        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }
}
