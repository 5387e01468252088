package dev.kindemcp.bridge.tools;

import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.resource.Caller;
import dev.kindemcp.bridge.resource.ToolApi;
import dev.kindemcp.bridge.resource.UsersOnly;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * The sample in-house tool API: an organisation's notes, protected by MicroProfile JWT against Kinde. Reading
 * needs the Kinde permission {@code read:notes} (users, and system actors whose M2M application has that API
 * scope); writing needs {@code write:notes} and a person. Every note belongs to the caller's Kinde organisation.
 *
 * <p>The same API is also offered as MCP tools without Java code: its two operations carry the MicroProfile
 * OpenAPI {@code x-mcp-tool} extension, so that where the server serves {@code /openapi} (the run command's demo)
 * the bridge declares {@code api_list_notes} and {@code api_add_note} beside the code-defined {@link NotesTools}.
 *
 * <p>Related specifications:
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-jwt-auth-2.1/microprofile-jwt-auth-spec-2.1.html#_mapping_mp_jwt_tokens_to_java_ee_container_apis">MicroProfile JWT 2.1 §7 (groups as roles)</a>
 */
@Path(Endpoints.TOOL_APIS + "/notes")
@RequestScoped
@ToolApi
@Produces(MediaType.APPLICATION_JSON)
public class NotesResource {

    static final int MAX_TEXT_LENGTH = 2000;
    static final int MAX_LIMIT = 100;

    @Inject
    Caller caller;

    @Inject
    NoteStore notes;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed(NotesTools.READ_NOTES)
    @Operation(operationId = "api_list_notes", summary = "List notes",
            description = "The newest notes of your organisation, read from the notes API.")
    @Extension(name = "x-mcp-tool", value = "{\"permission\": \"" + NotesTools.READ_NOTES + "\"}", parseValue = true)
    public Response list(@Parameter(description = "How many notes, 1 to 100 (default 20)",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100")) @QueryParam("limit") Integer limit) {
        if (caller.orgCode().isEmpty()) {
            return noOrganisation();
        }
        int n = limit == null ? 20 : limit;
        if (n < 1 || n > MAX_LIMIT) {
            return invalid("limit must be between 1 and " + MAX_LIMIT);
        }
        List<Map<String, Object>> found = notes.findByOrganisation(caller.orgCode().get(), n).stream()
                .map(NotesResource::json).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("org_code", caller.orgCode().get());
        body.put("notes", found);
        return Response.ok(body).build();
    }

    @POST
    @RolesAllowed(NotesTools.WRITE_NOTES)
    @UsersOnly
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "api_add_note", summary = "Add a note",
            description = "Adds a note to your organisation's notes through the notes API.")
    @Extension(name = "x-mcp-tool", value = "{\"permission\": \"" + NotesTools.WRITE_NOTES + "\", \"usersOnly\": true}",
            parseValue = true)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
            type = SchemaType.OBJECT, requiredProperties = "text", properties = @SchemaProperty(name = "text",
                    type = SchemaType.STRING, minLength = 1, maxLength = MAX_TEXT_LENGTH, description = "The note"))))
    public Response add(JsonObject request) {
        if (caller.orgCode().isEmpty()) {
            return noOrganisation();
        }
        if (request == null || !(request.get("text") instanceof JsonString json) || json.getString().isBlank()
                || json.getString().length() > MAX_TEXT_LENGTH) {
            return invalid("text must be 1 to " + MAX_TEXT_LENGTH + " characters");
        }
        Note note = new Note(UUID.randomUUID().toString(), caller.orgCode().get(), caller.subject(),
                json.getString().strip(), clock.instant());
        notes.save(note);
        return Response.status(Response.Status.CREATED).entity(json(note)).build();
    }

    static Map<String, Object> json(Note note) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", note.id());
        m.put("author", note.author());
        m.put("text", note.text());
        m.put("created_at", note.createdAt().toString());
        return m;
    }

    private static Response invalid(String description) {
        return Response.status(Response.Status.BAD_REQUEST)
                .entity(Map.of("error", "invalid_request", "error_description", description)).build();
    }

    private static Response noOrganisation() {
        return Response.status(Response.Status.FORBIDDEN)
                .entity(Map.of("error", "access_denied", "error_description", "notes belong to an organisation; "
                        + "sign in to one")).build();
    }
}
