package dev.kindemcp.bridge.kinde.orders;

import dev.kindemcp.bridge.resource.Caller;
import dev.kindemcp.bridge.resource.ToolApi;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * A second in-house API of the test deployments that list two Kinde audiences: it belongs to the orders API
 * only, so a Kinde token minted only for the notes API is refused here.
 */
@Path("/api/orders-test")
@RequestScoped
@ToolApi(audience = OrdersResource.AUDIENCE)
public class OrdersResource {

    public static final String AUDIENCE = "https://orders.example.test";

    @Inject
    Caller caller;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> orders() {
        return Map.of("subject", caller.subject(), "orders", java.util.List.of());
    }
}
