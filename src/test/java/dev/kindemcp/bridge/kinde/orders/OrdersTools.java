package dev.kindemcp.bridge.kinde.orders;

import dev.kindemcp.bridge.mcp.McpTool;
import dev.kindemcp.bridge.mcp.ToolApiClient;
import dev.kindemcp.bridge.mcp.ToolException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/** A test tool that calls the orders API through {@link ToolApiClient#forApi(String)}. */
@ApplicationScoped
public class OrdersTools {

    @Inject
    ToolApiClient api;

    @McpTool(name = "list_orders", description = "The orders of your organisation (test tool).")
    public Map<String, Object> listOrders() {
        ToolApiClient.ApiResponse response = api.forApi(OrdersResource.AUDIENCE).get("/api/orders-test");
        if (!response.ok()) {
            throw new ToolException("the orders API answered " + response.status());
        }
        return response.json();
    }
}
