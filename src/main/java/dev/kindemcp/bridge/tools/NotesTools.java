package dev.kindemcp.bridge.tools;

import dev.kindemcp.bridge.mcp.McpTool;
import dev.kindemcp.bridge.mcp.ToolApiClient;
import dev.kindemcp.bridge.mcp.ToolException;
import dev.kindemcp.bridge.mcp.ToolParam;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.resource.Caller;
import dev.kindemcp.bridge.resource.UsersOnly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The sample MCP tools: who am I, read the organisation's notes, add a note. The notes tools call the sample
 * tool API ({@link NotesResource}) with the caller's Kinde token through {@link ToolApiClient}.
 */
@ApplicationScoped
public class NotesTools {

    public static final String READ_NOTES = "read:notes";
    public static final String WRITE_NOTES = "write:notes";
    static final String NOTES = Endpoints.TOOL_APIS + "/notes";

    @Inject
    ToolApiClient api;

    @McpTool(name = "whoami", title = "Who am I", readOnly = true, description = "Who the bridge knows you as: "
            + "Kinde user or machine, organisation, permissions, feature flags and granted scopes, and what the in-house tool "
            + "API sees when the bridge calls it for you.")
    public Map<String, Object> whoami(Caller caller) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("subject", caller.subject());
        me.put("kind", caller.machine() ? "machine" : "user");
        me.put("org_code", caller.orgCode().orElse(null));
        me.put("permissions", List.copyOf(new TreeSet<>(caller.permissions())));
        me.put("scopes", List.copyOf(new TreeSet<>(caller.scopes())));
        me.put("client_id", caller.clientId());
        me.put("feature_flags", caller.featureFlags());
        if (caller.kindeGrant().isPresent()) {
            ToolApiClient.ApiResponse seen = api.get(Endpoints.TOOL_APIS + "/me");
            me.put("tool_api_sees", seen.ok() ? seen.json() : Map.of("status", seen.status()));
        }
        return me;
    }

    @McpTool(name = "list_notes", title = "List notes", readOnly = true, permission = READ_NOTES,
            description = "The newest notes of your organisation.")
    public Map<String, Object> listNotes(
            @ToolParam(description = "How many notes, 1 to 100 (default 20)", required = false) Integer limit) {
        ToolApiClient.ApiResponse response = api.get(NOTES + (limit == null ? "" : "?limit=" + limit));
        return answer(response);
    }

    @McpTool(name = "add_note", title = "Add a note", scope = "mcp:write", permission = WRITE_NOTES,
            description = "Adds a note to your organisation's notes.")
    @UsersOnly
    public Map<String, Object> addNote(@ToolParam(description = "The note, up to 2000 characters",
            maxLength = NotesResource.MAX_TEXT_LENGTH) String text) {
        String body = Json.createObjectBuilder().add("text", text).build().toString();
        return answer(api.post(NOTES, body));
    }

    private static Map<String, Object> answer(ToolApiClient.ApiResponse response) {
        if (response.ok()) {
            return response.json();
        }
        Map<String, Object> error = response.body().startsWith("{") ? response.json() : Map.of();
        throw new ToolException("the notes API answered " + response.status()
                + (error.get("error_description") instanceof String d ? ": " + d : ""));
    }
}
