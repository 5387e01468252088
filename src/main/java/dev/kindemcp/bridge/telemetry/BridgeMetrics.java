package dev.kindemcp.bridge.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bridge's own metrics (issue 15.2), through the OpenTelemetry API of MicroProfile Telemetry: off (no-op)
 * unless the server runs with {@code OTEL_SDK_DISABLED=false}. Every name and attribute is listed in
 * src/site/markdown/telemetry.md. Attribute values are bounded: fixed words, OAuth error codes, grant types of a
 * known set, Kinde endpoint names and the names of the registry's tools; never a user, a token or a client id.
 * The audited events count themselves ({@link #audited}); the rest is counted where it happens.
 *
 * <p>Related specifications:
 * @see <a href="https://opentelemetry.io/docs/specs/otel/metrics/api/">OpenTelemetry Metrics API</a>
 */
@ApplicationScoped
public class BridgeMetrics {

    /** Metrics that go nowhere: the default of classes built without CDI (unit tests). */
    public static final BridgeMetrics NONE = new BridgeMetrics(OpenTelemetry.noop());

    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
    static final AttributeKey<String> GRANT_TYPE = AttributeKey.stringKey("grant_type");
    static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("endpoint");
    static final AttributeKey<String> SURFACE = AttributeKey.stringKey("surface");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("status");
    static final AttributeKey<String> TOOL = AttributeKey.stringKey("tool");

    static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials",
            "urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:jwt-bearer");

    /** Histogram buckets in seconds, from 1 ms to 10 s. */
    static final List<Double> SECONDS = List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            5.0, 10.0);

    private LongCounter registrations;
    private LongCounter consents;
    private LongCounter logins;
    private LongCounter tokens;
    private LongCounter refreshReuse;
    private LongCounter revocations;
    private LongCounter refused;
    private DoubleHistogram kindeCalls;
    private DoubleHistogram toolCalls;

    @Inject
    public BridgeMetrics(OpenTelemetry telemetry) {
        Meter meter = telemetry.getMeter("kinde-mcp-bridge");
        registrations = meter.counterBuilder("bridge.registrations").setUnit("{registration}")
                .setDescription("Client registrations by kind (dcr, cimd, provisioned) and outcome").build();
        consents = meter.counterBuilder("bridge.consents").setUnit("{consent}")
                .setDescription("Consent pages shown, approved and denied").build();
        logins = meter.counterBuilder("bridge.logins").setUnit("{login}")
                .setDescription("Kinde logins completed at the callback, by outcome (success, refused, failed)")
                .build();
        tokens = meter.counterBuilder("bridge.tokens").setUnit("{request}")
                .setDescription("Token requests by grant type and outcome (issued, or the OAuth error code)").build();
        refreshReuse = meter.counterBuilder("bridge.refresh.reuse_detected").setUnit("{family}")
                .setDescription("Refresh tokens used again after rotation: their grants end").build();
        revocations = meter.counterBuilder("bridge.revocations").setUnit("{request}")
                .setDescription("RFC 7009 revocation requests, by outcome").build();
        refused = meter.counterBuilder("bridge.requests.refused").setUnit("{request}")
                .setDescription("401 and 403 answers of the bridge's checks at /mcp and at the tool APIs").build();
        kindeCalls = meter.histogramBuilder("bridge.kinde.duration").setUnit("s")
                .setDescription("Calls to Kinde by endpoint and outcome").setExplicitBucketBoundariesAdvice(SECONDS)
                .build();
        toolCalls = meter.histogramBuilder("bridge.tool.duration").setUnit("s")
                .setDescription("MCP tool calls by tool and outcome (success, tool_error, failed)")
                .setExplicitBucketBoundariesAdvice(SECONDS).build();
    }

    BridgeMetrics() { // CDI proxy
    }

    /** An audited event that is also a metric (audit.AuditLog calls this for every event it records). */
    public void audited(String event, String outcome, Map<String, ?> fields) {
        switch (event) {
            case "client_registered" -> registration("dcr", "success");
            case "client_provisioned" -> registration("provisioned", "success");
            case "consent" -> consent(outcome);
            case "login" -> logins.add(1, Attributes.of(OUTCOME, word(outcome)));
            case "token_issued" -> token(fields.get("grant_type"), "issued");
            case "token_refused" -> token(fields.get("grant_type"), outcome);
            case "refresh_reuse_detected" -> refreshReuse.add(1);
            case "revocation" -> revocations.add(1, Attributes.of(OUTCOME, word(outcome)));
            default -> {
                // not a metric
            }
        }
    }

    /** A registration: {@code kind} dcr, cimd or provisioned; {@code outcome} success or the OAuth error code. */
    public void registration(String kind, String outcome) {
        registrations.add(1, Attributes.of(KIND, kind, OUTCOME, word(outcome)));
    }

    /** {@code shown}, {@code approved} or {@code denied}. */
    public void consent(String outcome) {
        consents.add(1, Attributes.of(OUTCOME, word(outcome)));
    }

    /** A call to Kinde: {@code endpoint} token, revoke, discovery or keys; {@code outcome} success or error. */
    public void kindeCall(String endpoint, String outcome, Duration took) {
        kindeCalls.record(seconds(took), Attributes.of(ENDPOINT, endpoint, OUTCOME, outcome));
    }

    /** A 401 or 403 of the bridge's own checks; {@code surface} is {@code mcp} or {@code tool_api}. */
    public void refused(String surface, int status) {
        refused.add(1, Attributes.of(SURFACE, surface, STATUS, String.valueOf(status)));
    }

    /** A tool call; {@code tool} must be a name of the registry (or {@code unknown}). */
    public void toolCall(String tool, String outcome, Duration took) {
        toolCalls.record(seconds(took), Attributes.of(TOOL, tool, OUTCOME, outcome));
    }

    private void token(Object grantType, String outcome) {
        String type = grantType instanceof String s && GRANT_TYPES.contains(s) ? s : "other";
        tokens.add(1, Attributes.of(GRANT_TYPE, type, OUTCOME, word(outcome)));
    }

    /** An outcome as an attribute value: a lower-case word of at most 40 characters, else {@code other}. */
    static String word(String value) {
        return value != null && WORD.matcher(value).matches() ? value : "other";
    }

    private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("[a-z_]{1,40}");

    private static double seconds(Duration took) {
        return took.toNanos() / 1e9;
    }
}
