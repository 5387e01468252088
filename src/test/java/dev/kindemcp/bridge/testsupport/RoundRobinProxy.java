package dev.kindemcp.bridge.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load balancer without stickiness for the cluster tests: each request goes to the next instance in turn,
 * whatever it belongs to (a login, a consent form, an MCP exchange). It forwards method, path, query, headers
 * and body, and answers with what the instance answered, redirects included (never followed).
 */
public final class RoundRobinProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "host", "content-length", "expect", "proxy-connection");

    private final HttpServer server;
    private final List<URI> instances;
    private final AtomicInteger next = new AtomicInteger();
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    /** Requests answered by each instance. */
    private final Map<URI, AtomicInteger> served = new ConcurrentHashMap<>();

    private RoundRobinProxy(HttpServer server, List<URI> instances) {
        this.server = server;
        this.instances = List.copyOf(instances);
        instances.forEach(i -> served.put(i, new AtomicInteger()));
    }

    /** Listens on {@code port} of the loopback interface and spreads requests over {@code instances}. */
    public static RoundRobinProxy start(int port, List<URI> instances) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        RoundRobinProxy proxy = new RoundRobinProxy(server, instances);
        server.createContext("/", proxy::forward);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        return proxy;
    }

    public Map<URI, Integer> served() {
        Map<URI, Integer> counts = new java.util.LinkedHashMap<>();
        instances.forEach(i -> counts.put(i, served.get(i).get()));
        return counts;
    }

    private void forward(HttpExchange exchange) throws IOException {
        URI instance = instances.get(Math.floorMod(next.getAndIncrement(), instances.size()));
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance
                    + exchange.getRequestURI().toString())).timeout(Duration.ofSeconds(60))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            served.get(instance).incrementAndGet();
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.equals(":status")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            byte[] answer = response.body();
            boolean empty = answer.length == 0 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : answer.length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        } catch (IOException | RuntimeException e) {
            exchange.sendResponseHeaders(502, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
