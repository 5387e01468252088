package dev.kindemcp.bridge.resource;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * Holds the verified caller of the current request, set by the filters that verify tokens (and by the MCP tool
 * registry around each tool call); {@link CallerProducer} turns it into an injectable {@link Caller}.
 */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    public void set(Caller caller) {
        this.caller = caller;
    }

    public Optional<Caller> get() {
        return Optional.ofNullable(caller);
    }
}
