package dev.kindemcp.bridge.audit;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.SourceAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The audit trail (issue 15.3): one JSON object per security-relevant action, as one log line of the logger
 * {@value #LOGGER} at INFO: {@code time}, {@code event}, {@code outcome}, the {@code actor} (a Kinde user id, a
 * machine, a client or {@code operator}), {@code client}, {@code org}, the {@code source} address (behind
 * {@code bridge.trusted-proxies}, the forwarded one) and what else the event names. Callers pass identifiers only:
 * never a token, code, secret or key.
 */
@ApplicationScoped
public class AuditLog {

    /** The logger of the audit events, for routing them to their own destination. */
    public static final String LOGGER = "kinde-mcp-bridge.audit";

    private static final Logger AUDIT = Logger.getLogger(LOGGER);

    @Inject
    Clock clock;

    @Inject
    BridgeConfig config;

    @Inject
    Instance<HttpServletRequest> requests;

    /** Audited events that are also metrics count themselves there (issue 15.2). */
    @Inject
    dev.kindemcp.bridge.telemetry.BridgeMetrics metrics;

    /** Records {@code event} with its {@code outcome}; {@code fields} with a null value are left out. */
    public void record(String event, String outcome, Map<String, ?> fields) {
        Objects.requireNonNull(event, "event must not be null");
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("audit", "kinde-mcp-bridge");
        line.put("time", clock.instant().toString());
        line.put("event", event);
        line.put("outcome", outcome);
        fields.forEach((name, value) -> {
            if (value != null) {
                line.put(name, String.valueOf(value));
            }
        });
        source().ifPresent(address -> line.putIfAbsent("source", address));
        AUDIT.info(JSONObjectUtils.toJSONString(line));
        metrics.audited(event, outcome, fields);
    }

    /** Records {@code event} with these name/value pairs (null values left out). */
    public void record(String event, String outcome, Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            fields.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        }
        record(event, outcome, fields);
    }

    /** The source address of the HTTP request being served, if there is one on this thread. */
    private java.util.Optional<String> source() {
        try {
            HttpServletRequest request = requests.get();
            return java.util.Optional.ofNullable(new SourceAddress(config.registration().trustedProxies()).of(request));
        } catch (RuntimeException noRequest) {
            return java.util.Optional.empty(); // a scheduled task, or a thread outside a request
        }
    }
}
