package dev.kindemcp.bridge.openapi;

import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.mcp.ExternalToolSource;
import dev.kindemcp.bridge.mcp.ToolApiClient;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tools of the OpenAPI documents named in {@code bridge.openapi.documents}. Documents are read after the
 * application started (a document on this same server is served only once the server is up), again until each
 * has been read (5 s, then doubling up to 30 s), then every {@code bridge.openapi.refresh-interval}, and on an
 * admin reload. A document that cannot be read or parsed leaves the other tools in place (and the tools it had,
 * when it was read before); each change is logged once and shown by {@link #status()}.
 */
@ApplicationScoped
public class OpenApiTools implements ExternalToolSource {

    private static final Logger LOG = Logger.getLogger(OpenApiTools.class.getName());
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    /** What is known of one document. */
    public record DocumentStatus(URI source, String state, Optional<Instant> readAt, List<String> tools,
            List<String> problems, Optional<String> error) {
        public DocumentStatus {
            tools = List.copyOf(tools);
            problems = List.copyOf(problems);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("source", source.toString());
            json.put("state", state);
            readAt.ifPresent(at -> json.put("read_at", at.toString()));
            json.put("tools", tools);
            json.put("problems", problems);
            error.ifPresent(e -> json.put("error", e));
            return json;
        }
    }

    private record Loaded(String digest, List<OpenApiTool> tools, List<String> problems, Instant readAt) {
    }

    @Inject
    BridgeConfig config;

    @Inject
    ToolApiClient api;

    @Inject
    Clock clock;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    private final DocumentFetcher fetcher = new DocumentFetcher();
    private final JsonSchemaValidator validator = new DefaultJsonSchemaValidator();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Map<URI, Loaded> loaded = new LinkedHashMap<>();
    private final Map<URI, String> errors = new LinkedHashMap<>();
    private volatile List<OpenApiTool> tools = List.of();
    private ScheduledFuture<?> next;
    private Duration retry = FIRST_RETRY;
    private boolean stopped;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (config.openApi().enabled()) {
            LOG.info(() -> "OpenAPI-declared tools: reading " + config.openApi().documents());
            schedule(Duration.ofMillis(500));
        }
    }

    @Override
    public List<OpenApiTool> tools() {
        return tools;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Reads every document now (the admin reload) and returns the status afterwards. */
    public List<DocumentStatus> reload() {
        readAll();
        return status();
    }

    /** Each configured document: read, failed (with the error) or not read yet, and its tools and problems. */
    public synchronized List<DocumentStatus> status() {
        List<DocumentStatus> statuses = new ArrayList<>();
        for (URI source : config.openApi().documents()) {
            Loaded document = loaded.get(source);
            Optional<String> error = Optional.ofNullable(errors.get(source));
            String state = error.isPresent() ? (document == null ? "failed" : "stale") : document == null ? "pending" : "read";
            statuses.add(new DocumentStatus(source, state, Optional.ofNullable(document).map(Loaded::readAt),
                    document == null ? List.of() : document.tools().stream().map(OpenApiTool::name).toList(),
                    document == null ? List.of() : document.problems(), error));
        }
        return statuses;
    }

    private synchronized void schedule(Duration delay) {
        if (!stopped) {
            next = scheduler.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        boolean complete;
        try {
            complete = readAll();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reading the OpenAPI documents failed; will retry", e);
            complete = false;
        }
        Duration interval = config.openApi().refreshInterval();
        if (!complete) {
            Duration wait = retry;
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            schedule(interval.isZero() || wait.compareTo(interval) < 0 ? wait : interval);
        } else if (!interval.isZero()) {
            retry = FIRST_RETRY;
            schedule(interval);
        }
    }

    /** Reads each document; true when every one was read. */
    synchronized boolean readAll() {
        boolean changed = false;
        for (URI source : config.openApi().documents()) {
            changed |= read(source);
        }
        if (changed) {
            Set<String> names = new LinkedHashSet<>();
            List<OpenApiTool> all = new ArrayList<>();
            for (URI source : config.openApi().documents()) {
                Loaded document = loaded.get(source);
                for (OpenApiTool tool : document == null ? List.<OpenApiTool>of() : document.tools()) {
                    if (names.add(tool.name())) {
                        all.add(tool);
                    } else {
                        LOG.warning(() -> "OpenAPI operation " + tool.definition().operation() + " is not a tool: "
                                + "another document already declares a tool named " + tool.name());
                    }
                }
            }
            tools = List.copyOf(all);
            listeners.forEach(Runnable::run);
        }
        return config.openApi().documents().stream().noneMatch(errors::containsKey);
    }

    /** Reads one document; true when its tools changed. */
    private boolean read(URI source) {
        String text;
        OpenApiDocument document;
        try {
            text = fetcher.fetch(source);
            String digest = digest(text);
            Loaded before = loaded.get(source);
            if (before != null && before.digest().equals(digest)) {
                if (errors.remove(source) != null) {
                    LOG.info(() -> "OpenAPI document " + source + " is readable again (unchanged)");
                }
                return false;
            }
            document = OpenApiDocument.parse(source, text);
            OperationReader.Result result = new OperationReader(document, config.openApi(), api.allowedOrigins(),
                    config.toolApiOrigin()).read();
            List<String> problems = new ArrayList<>(result.problems());
            List<OpenApiTool> found = new ArrayList<>();
            for (OpenApiTool.Definition definition : result.tools()) {
                if (config.scopesSupported().contains(definition.scope())) {
                    found.add(new OpenApiTool(definition, api::exchange, validator));
                } else {
                    problems.add("operation " + definition.operation().replace(" in " + source, "")
                            + " is not a tool: it needs scope "
                            + definition.scope() + ", which is not in bridge.scopes " + config.scopesSupported());
                }
            }
            loaded.put(source, new Loaded(digest, List.copyOf(found), List.copyOf(problems), clock.instant()));
            errors.remove(source);
            problems.forEach(problem -> LOG.warning(() -> "OpenAPI document " + source + ": " + problem));
            LOG.info(() -> "OpenAPI document " + source + " declares " + found.size() + " tools: "
                    + found.stream().map(OpenApiTool::name).toList());
            return before == null || !before.tools().equals(found);
        } catch (OpenApiException e) {
            String error = e.getMessage();
            if (!error.equals(errors.put(source, error))) {
                boolean kept = loaded.containsKey(source);
                LOG.warning(() -> "OpenAPI document " + source + " " + error + "; "
                        + (kept ? "the tools it declared when last read stay" : "it declares no tools until it can be read")
                        + " (the other tools are served)");
            }
            return false;
        }
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
    }
}
