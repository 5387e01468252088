package com.example.tools;

import dev.kindemcp.bridge.mcp.McpTool;
import dev.kindemcp.bridge.mcp.ToolParam;
import dev.kindemcp.bridge.resource.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** A company's own tool, added to the released bridge by a WAR overlay (no fork, no change to the bridge). */
@ApplicationScoped
public class TeamTools {

    @McpTool(name = "team_greeting", title = "Greet a colleague", readOnly = true,
            description = "Greets a colleague on behalf of the signed-in person, naming their organisation.")
    public Map<String, Object> greet(Caller caller,
            @ToolParam(description = "Who to greet", maxLength = 100) String name) {
        return Map.of("greeting", "Hello " + name + ", from " + caller.orgCode().orElse("no organisation"),
                "by", caller.subject());
    }
}
