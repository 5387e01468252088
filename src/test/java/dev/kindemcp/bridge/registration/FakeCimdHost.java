package dev.kindemcp.bridge.registration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A client's metadata document host on 127.0.0.1 for tests: a JDK {@link HttpsServer} that answers each path
 * as scripted (status, headers, body, delay, trickle, chunked or fixed length, redirects), plus a raw TLS
 * listener that sends the same replies close-delimited (no {@code Content-Length}, not chunked). It records every
 * request, counts TLS connections, and reports for each body how much it wrote and whether the client closed
 * the connection before the end.
 */
final class FakeCimdHost implements AutoCloseable {

    static final String HOST = "client.example";
    static final String JSON = "application/json";

    /** How a reply's body is delimited. */
    enum Framing { CONTENT_LENGTH, CHUNKED }

    /**
     * One scripted answer. {@code totalBytes} larger than the body pads it with spaces (still valid JSON);
     * {@code trickle} writes one byte per interval; {@code gate} holds the answer until released.
     */
    record Reply(int status, Map<String, List<String>> headers, byte[] body, long totalBytes, Framing framing,
                 Duration delay, Duration trickle, CountDownLatch gate) {

        static Reply json(String body) {
            return of(200, JSON, body.getBytes(StandardCharsets.UTF_8));
        }

        static Reply of(int status, String contentType, byte[] body) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            if (contentType != null) {
                headers.put("Content-Type", List.of(contentType));
            }
            return new Reply(status, headers, body, body.length, Framing.CONTENT_LENGTH, Duration.ZERO,
                    Duration.ZERO, null);
        }

        static Reply status(int status) {
            return of(status, "text/plain", status == 204 ? new byte[0] : "not here".getBytes(StandardCharsets.UTF_8));
        }

        static Reply redirect(int status, String location) {
            return status(status).withHeader("Location", location);
        }

        Reply withHeader(String name, String value) {
            Map<String, List<String>> copy = new LinkedHashMap<>(headers);
            copy.merge(name, List.of(value), (a, b) -> {
                List<String> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
            return new Reply(status, copy, body, totalBytes, framing, delay, trickle, gate);
        }

        Reply withContentType(String contentType) {
            Map<String, List<String>> copy = new LinkedHashMap<>(headers);
            copy.put("Content-Type", List.of(contentType));
            return new Reply(status, copy, body, totalBytes, framing, delay, trickle, gate);
        }

        Reply paddedTo(long total) {
            return new Reply(status, headers, body, total, framing, delay, trickle, gate);
        }

        Reply chunked() {
            return new Reply(status, headers, body, totalBytes, Framing.CHUNKED, delay, trickle, gate);
        }

        Reply delayedBy(Duration d) {
            return new Reply(status, headers, body, totalBytes, framing, d, trickle, gate);
        }

        Reply trickling(Duration perByte) {
            return new Reply(status, headers, body, totalBytes, framing, delay, perByte, gate);
        }

        Reply heldBy(CountDownLatch g) {
            return new Reply(status, headers, body, totalBytes, framing, delay, trickle, g);
        }
    }

    /** What arrived: method, path with query, Host header, TLS server name, and which listener took it. */
    record Request(String method, String path, String host, Optional<String> serverName, boolean raw) {
    }

    /** How a body went: bytes written, and whether the client closed the connection before the end. */
    record BodyOutcome(String path, long bytesWritten, boolean clientClosed) {
    }

    private final HttpsServer server;
    private final ServerSocket rawListener;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-cimd-host");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<BodyOutcome> outcomes = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);

    private FakeCimdHost() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        server = HttpsServer.create(new InetSocketAddress(loopback, 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext()) {
            @Override
            public void configure(HttpsParameters params) {
                connections.incrementAndGet(); // called once per accepted TLS connection
                params.setSSLParameters(getSSLContext().getDefaultSSLParameters());
            }
        });
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
        rawListener = TestTls.serverContext().getServerSocketFactory().createServerSocket(0, 50, loopback);
        workers.execute(this::acceptRaw);
    }

    static FakeCimdHost start() {
        try {
            return new FakeCimdHost();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code https://client.example:<port><path>} on the HttpsServer listener. */
    String url(String path) {
        return "https://" + HOST + ":" + server.getAddress().getPort() + path;
    }

    /** The same path on the raw listener, whose bodies have neither a length nor chunks. */
    String closeDelimitedUrl(String path) {
        return "https://" + HOST + ":" + rawListener.getLocalPort() + path;
    }

    void serve(String path, Reply reply) {
        replies.put(path, reply);
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized long requestsTo(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).count();
    }

    int connections() {
        return connections.get();
    }

    /** The first body outcome for {@code path}, waiting up to {@code timeout} for the writer to finish. */
    BodyOutcome awaitOutcome(String path, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            synchronized (this) {
                for (BodyOutcome outcome : outcomes) {
                    if (outcome.path().equals(path)) {
                        return outcome;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no body was written for " + path + " within " + timeout);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        try {
            rawListener.close();
        } catch (IOException ignored) {
            // already closed
        }
        workers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (exchange.getRequestURI().getRawQuery() != null) {
                path += "?" + exchange.getRequestURI().getRawQuery();
            }
            SSLSession session = ((HttpsExchange) exchange).getSSLSession();
            record(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Host"),
                    serverName(session), false));
            Reply reply = replies.getOrDefault(path, Reply.status(404));
            if (!waitBeforeAnswering(reply)) {
                return;
            }
            reply.headers().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
            long length = reply.status() == 204 || reply.totalBytes() == 0 ? -1
                    : reply.framing() == Framing.CHUNKED ? 0 : reply.totalBytes();
            exchange.sendResponseHeaders(reply.status(), length);
            if (length != -1) {
                writeBody(path, reply, exchange.getResponseBody());
            }
        }
    }

    private void acceptRaw() {
        while (!rawListener.isClosed()) {
            try {
                Socket socket = rawListener.accept();
                connections.incrementAndGet();
                workers.execute(() -> answerRaw((SSLSocket) socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answerRaw(SSLSocket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            String[] head = readHead(socket.getInputStream()).split("\r\n");
            String[] requestLine = head[0].split(" ");
            String host = Arrays.stream(head).skip(1)
                    .filter(h -> h.toLowerCase(Locale.ROOT).startsWith("host:"))
                    .map(h -> h.substring(5).trim()).findFirst().orElse(null);
            String path = requestLine[1];
            record(new Request(requestLine[0], path, host, serverName(socket.getSession()), true));
            Reply reply = replies.getOrDefault(path, Reply.status(404));
            if (!waitBeforeAnswering(reply)) {
                return;
            }
            StringBuilder response = new StringBuilder("HTTP/1.1 " + reply.status() + " Scripted\r\n");
            reply.headers().forEach((name, values) -> values.forEach(v -> response.append(name).append(": ")
                    .append(v).append("\r\n")));
            response.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
            writeBody(path, reply, out);
        } catch (IOException e) {
            // the client went away during the handshake or the head; nothing to record
        }
    }

    private boolean waitBeforeAnswering(Reply reply) {
        try {
            if (reply.gate() != null) {
                reply.gate().await(30, TimeUnit.SECONDS);
            }
            if (!reply.delay().isZero() && closing.await(reply.delay().toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
            return closing.getCount() > 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void writeBody(String path, Reply reply, OutputStream out) {
        long written = 0;
        boolean closed = false;
        try {
            if (!reply.trickle().isZero()) {
                for (byte b : padded(reply)) {
                    out.write(b);
                    out.flush();
                    written++;
                    if (closing.await(reply.trickle().toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                }
            } else {
                out.write(reply.body());
                written = reply.body().length;
                byte[] filler = new byte[16 * 1024];
                Arrays.fill(filler, (byte) ' ');
                while (written < reply.totalBytes()) {
                    int n = (int) Math.min(filler.length, reply.totalBytes() - written);
                    out.write(filler, 0, n);
                    written += n;
                }
            }
            out.flush();
        } catch (IOException e) {
            closed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            outcomes.add(new BodyOutcome(path, written, closed));
        }
    }

    private static byte[] padded(Reply reply) {
        byte[] all = Arrays.copyOf(reply.body(), (int) Math.max(reply.body().length, reply.totalBytes()));
        Arrays.fill(all, reply.body().length, all.length, (byte) ' ');
        return all;
    }

    private synchronized void record(Request request) {
        requests.add(request);
    }

    private static Optional<String> serverName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return Optional.of(host.getAsciiName());
                }
            }
        }
        return Optional.empty();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4 && head.size() < 16 * 1024) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request head ended early");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
