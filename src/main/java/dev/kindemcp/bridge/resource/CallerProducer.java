package dev.kindemcp.bridge.resource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;

/**
 * Makes the request's verified {@link Caller} injectable ({@code @Inject Caller caller}) in tool APIs, MCP tools
 * and the beans they use.
 */
@ApplicationScoped
public class CallerProducer {

    @Produces
    @RequestScoped
    Caller caller(CurrentCaller current) {
        return current.get().orElseThrow(() -> new IllegalStateException(
                "no verified caller in this request: inject Caller only behind @ToolApi or in MCP tools"));
    }
}
