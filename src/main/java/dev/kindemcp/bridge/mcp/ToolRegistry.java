package dev.kindemcp.bridge.mcp;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.kinde.KindeIdentity;
import dev.kindemcp.bridge.kinde.TokenVault;
import dev.kindemcp.bridge.resource.Caller;
import dev.kindemcp.bridge.resource.CurrentCaller;
import dev.kindemcp.bridge.resource.ToolScopes;
import dev.kindemcp.bridge.telemetry.BridgeMetrics;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The MCP tools of this deployment: every {@link McpTool} method of a CDI bean, checked when the application
 * starts, and the {@link ExternalTool}s of every {@link ExternalToolSource} (OpenAPI-declared tools), whose list
 * may change while the server runs; a code-defined tool keeps its name when a declared one clashes. It decides who sees a tool (Kinde permission, person or machine), runs a call with the verified caller
 * in a CDI request context, and turns results and {@link ToolException}s into tool results.
 *
 * <p>Related specifications:
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools">MCP 2025-11-25 Tools</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#scope-challenge-handling">MCP 2025-11-25 Authorization: "Scope Challenge Handling"</a>
 */
@ApplicationScoped
public class ToolRegistry implements ToolScopes {

    private static final Logger LOG = Logger.getLogger(ToolRegistry.class.getName());

    @Inject
    BridgeConfig config;

    @Inject
    McpToolExtension extension;

    @Inject
    BeanManager beans;

    @Inject
    Instance<Object> instances;

    @Inject
    Instance<RequestContextController> requestContexts;

    @Inject
    CurrentCaller current;

    @Inject
    TokenVault vault;

    @Inject
    Instance<ExternalToolSource> sources;

    @Inject
    BridgeMetrics metrics;

    @Inject
    OpenTelemetry telemetry;

    private final Map<String, ToolDefinition> tools = new LinkedHashMap<>();
    private volatile Map<String, ExternalTool> external = Map.of();
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<Class<?>, Object> sharedInstances = new ConcurrentHashMap<>();
    private Jsonb jsonb;

    @PostConstruct
    void discover() {
        String defaultScope = config.defaultScopes().get(0);
        List<ToolDefinition> found = new ArrayList<>();
        for (Class<?> type : extension.toolClasses()) {
            Bean<?> bean = beans.resolve(beans.getBeans(type));
            if (bean == null || bean.getScope() == Dependent.class) {
                throw new IllegalStateException("MCP tool bean " + type.getName()
                        + " must be a normal-scoped CDI bean (for example @ApplicationScoped)");
            }
            for (Method method : type.getMethods()) {
                if (method.isAnnotationPresent(McpTool.class)) {
                    found.add(ToolDefinition.of(type, method, defaultScope));
                }
            }
        }
        found.sort(Comparator.comparing(ToolDefinition::name));
        for (ToolDefinition tool : found) {
            if (!config.scopesSupported().contains(tool.scope())) {
                throw new IllegalStateException("MCP tool " + tool.name() + " needs scope " + tool.scope()
                        + ", which is not in bridge.scopes " + config.scopesSupported());
            }
            if (tools.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalStateException("two MCP tools are named " + tool.name());
            }
        }
        jsonb = JsonbBuilder.create();
        LOG.info(() -> "MCP tools: " + tools.keySet());
        for (ExternalToolSource source : sources) {
            source.onChange(this::reloadExternal);
        }
        reloadExternal();
    }

    /** Reads the external tools again and tells the listeners (the MCP endpoint) when the list changed. */
    synchronized void reloadExternal() {
        Map<String, ExternalTool> next = new java.util.TreeMap<>();
        for (ExternalToolSource source : sources) {
            for (ExternalTool tool : source.tools()) {
                if (tools.containsKey(tool.name()) || next.containsKey(tool.name())) {
                    LOG.warning(() -> "declared MCP tool " + tool.name() + " is left out: a tool of that name exists");
                } else if (!config.scopesSupported().contains(tool.scope())) {
                    LOG.warning(() -> "declared MCP tool " + tool.name() + " is left out: it needs scope " + tool.scope()
                            + ", which is not in bridge.scopes " + config.scopesSupported());
                } else {
                    next.put(tool.name(), tool);
                }
            }
        }
        Map<String, ExternalTool> before = external;
        external = java.util.Collections.unmodifiableMap(next);
        if (!before.equals(next)) {
            LOG.info(() -> "declared MCP tools: " + next.keySet());
            listeners.forEach(Runnable::run);
        }
    }

    /** Registers {@code listener}, called after the list of declared tools changed. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Every tool name: code-defined ones, then declared ones. */
    public List<String> names() {
        List<String> names = new ArrayList<>(tools.keySet());
        names.addAll(external.keySet());
        return names;
    }

    /** The MCP description of the tool named {@code name}. */
    public Optional<McpSchema.Tool> describe(String name) {
        ToolDefinition tool = tools.get(name);
        if (tool != null) {
            return Optional.of(describe(tool));
        }
        return Optional.ofNullable(external.get(name)).map(ExternalTool::describe);
    }

    /** Whether {@code caller}'s Kinde identity may call the tool named {@code name} (false when there is none). */
    public boolean allowedFor(String name, Caller caller) {
        ToolDefinition tool = tools.get(name);
        if (tool != null) {
            return tool.allowedFor(caller);
        }
        ExternalTool declared = external.get(name);
        return declared != null && declared.allowedFor(caller);
    }

    @PreDestroy
    void close() {
        try {
            jsonb.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "JSON-B did not close", e);
        }
    }

    public List<ToolDefinition> tools() {
        return List.copyOf(tools.values());
    }

    public Optional<ToolDefinition> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    @Override
    public Optional<String> scopeFor(String name) {
        return find(name).map(ToolDefinition::scope)
                .or(() -> Optional.ofNullable(external.get(name)).map(ExternalTool::scope));
    }

    /** The MCP description of a tool. */
    public static McpSchema.Tool describe(ToolDefinition tool) {
        McpSchema.Tool.Builder builder = McpSchema.Tool.builder().name(tool.name())
                .description(tool.description() + describeNeeds(tool)).inputSchema(tool.inputSchema())
                .annotations(new McpSchema.ToolAnnotations(tool.title().isEmpty() ? null : tool.title(),
                        tool.readOnly(), !tool.readOnly(), null, false, null));
        if (!tool.title().isEmpty()) {
            builder.title(tool.title());
        }
        return builder.build();
    }

    private static String describeNeeds(ToolDefinition tool) {
        return " (needs scope " + tool.scope() + tool.permission().map(p -> " and Kinde permission " + p).orElse("")
                + ")";
    }

    /**
     * Runs a tool for {@code caller}. The endpoint's guard has already answered a missing scope with a 403
     * step-up; the checks here are the tool-level ones, answered as tool errors.
     */
    public McpSchema.CallToolResult call(String name, Map<String, Object> arguments, Caller caller) {
        String label = tools.containsKey(name) || external.containsKey(name) ? name : "unknown";
        // issue 15.2: a span around the call, current while it runs, so that a nested tool-API request
        // (ToolApiClient) carries it to the tool API's own server span
        Span span = telemetry.getTracer("kinde-mcp-bridge").spanBuilder("tools/call " + label)
                .setAttribute("mcp.tool.name", label).startSpan();
        long start = System.nanoTime();
        String outcome = "failed";
        try (Scope scope = span.makeCurrent()) {
            McpSchema.CallToolResult result = invoke(name, arguments, caller);
            outcome = Boolean.TRUE.equals(result.isError()) ? "tool_error" : "success";
            return result;
        } finally {
            span.setAttribute("outcome", outcome);
            span.end();
            metrics.toolCall(label, outcome, java.time.Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private McpSchema.CallToolResult invoke(String name, Map<String, Object> arguments, Caller caller) {
        ToolDefinition tool = find(name).orElse(null);
        if (tool == null) {
            ExternalTool declared = external.get(name);
            return declared == null ? error("there is no tool named " + name) : callExternal(declared, arguments, caller);
        }
        if (!caller.hasScope(tool.scope())) {
            return error("tool " + name + " needs the scope " + tool.scope() + ", which this client was not granted; "
                    + "re-authorize the client with it");
        }
        if (tool.permission().isPresent() && !caller.hasPermission(tool.permission().get())) {
            // DESIGN.md §3: a missing Kinde permission is a tool error, never a step-up
            return error("you lack the Kinde permission " + tool.permission().get() + " that tool " + name
                    + " needs; an administrator of your organisation can grant it in Kinde");
        }
        if (tool.usersOnly() && caller.machine()) {
            return error("tool " + name + " acts for a person; system actors may not call it");
        }
        RequestContextController context = requestContexts.get();
        boolean activated = context.activate();
        try {
            Caller withFlags = withKindeFeatureFlags(caller);
            current.set(withFlags);
            Object[] values = tool.arguments(arguments, withFlags);
            return result(tool.method().invoke(instance(tool.beanClass()), values));
        } catch (ToolException e) {
            return error(e.getMessage());
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof ToolException tool2) {
                return error(tool2.getMessage());
            }
            LOG.log(Level.WARNING, "MCP tool " + name + " failed", e.getCause());
            return failed(name, e.getCause());
        } catch (IllegalAccessException | RuntimeException e) {
            LOG.log(Level.WARNING, "MCP tool " + name + " could not be called", e);
            return failed(name, e);
        } finally {
            if (activated) {
                context.deactivate();
            }
            requestContexts.destroy(context);
        }
    }

    private McpSchema.CallToolResult callExternal(ExternalTool tool, Map<String, Object> arguments, Caller caller) {
        if (!caller.hasScope(tool.scope())) {
            return error("tool " + tool.name() + " needs the scope " + tool.scope()
                    + ", which this client was not granted; re-authorize the client with it");
        }
        if (!tool.allowedFor(caller)) {
            return error(tool.refusal(caller));
        }
        RequestContextController context = requestContexts.get();
        boolean activated = context.activate();
        try {
            Caller withFlags = withKindeFeatureFlags(caller);
            current.set(withFlags);
            return tool.call(arguments == null ? Map.of() : arguments, withFlags);
        } catch (ToolException e) {
            return error(e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "declared MCP tool " + tool.name() + " failed", e);
            return failed(tool.name(), e);
        } finally {
            if (activated) {
                context.deactivate();
            }
            requestContexts.destroy(context);
        }
    }

    /**
     * Feature flags are not copied into bridge tokens; they are read from the caller's Kinde token in the vault
     * when a tool first asks for them, so a tool sees the flags of the caller's organisation as of its last Kinde
     * refresh, and tools that never ask cost no vault read.
     */
    /** The tool error for an unexpected failure: a database failure says to retry (issue 14.3), others are logged. */
    private static McpSchema.CallToolResult failed(String name, Throwable cause) {
        if (dev.kindemcp.bridge.oauth.StorageFailures.isStorageFailure(cause)) {
            return error("tool " + name + " could not run: the server's database is unavailable for the moment; retry"
                    + " in " + dev.kindemcp.bridge.oauth.StorageFailures.RETRY_AFTER_SECONDS + " seconds");
        }
        return error("tool " + name + " failed; the server logged the details");
    }

    private Caller withKindeFeatureFlags(Caller caller) {
        return caller.kindeGrant().map(grant -> caller.withFeatureFlags(() -> featureFlags(grant))).orElse(caller);
    }

    private Map<String, Object> featureFlags(String grant) {
        try {
            return vault.identity(grant).map(KindeIdentity::featureFlagValues).orElse(Map.of());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no Kinde feature flags for this caller", e);
            return Map.of();
        }
    }

    /** Tool beans are normal-scoped: their client proxy is looked up once. */
    private Object instance(Class<?> type) {
        return sharedInstances.computeIfAbsent(type, t -> instances.select(t).get());
    }

    private McpSchema.CallToolResult result(Object value) {
        if (value instanceof McpSchema.CallToolResult result) {
            return result;
        }
        if (value == null) {
            return McpSchema.CallToolResult.builder().addTextContent("done").build();
        }
        if (value instanceof String text) {
            return McpSchema.CallToolResult.builder().addTextContent(text).build();
        }
        String json = jsonb.toJson(value);
        Map<String, Object> structured;
        try {
            structured = json.startsWith("{") ? JSONObjectUtils.parse(json)
                    : JSONObjectUtils.parse("{\"result\":" + json + "}");
        } catch (ParseException e) {
            throw new IllegalStateException("tool result is not JSON", e);
        }
        // MCP 2025-11-25 Tools: "Structured Content": also serialized as text for older clients
        return McpSchema.CallToolResult.builder().structuredContent(structured).addTextContent(json).build();
    }

    public static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().isError(true).addTextContent(message).build();
    }
}
