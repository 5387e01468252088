package dev.kindemcp.bridge.openapi.tasks;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * The task API (test only): list and read are marked as MCP tools and need the Kinde permission
 * {@code read:notes}; create is marked, needs {@code write:notes} and acts for people only; delete is not marked.
 * Every task records the {@code sub} of the Kinde token the API received, and {@code /stats} counts the calls
 * that reached the API.
 */
@Path("/")
@RequestScoped
public class TasksResource {

    static final Map<String, List<Task>> TASKS = new ConcurrentHashMap<>();
    static final AtomicInteger CALLS = new AtomicInteger();
    static final AtomicInteger NEXT_ID = new AtomicInteger(100);

    @Inject
    JsonWebToken token;

    @GET
    @Path("tasks")
    @RolesAllowed("read:notes")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "list_tasks", summary = "List tasks", description = "The tasks of your organisation, "
            + "newest first.")
    @SecurityRequirement(name = "kinde", scopes = "read:notes")
    @Extension(name = "x-mcp-tool", value = "true", parseValue = true)
    @APIResponse(responseCode = "200", description = "The tasks",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskList.class)))
    public TaskList list(
            @Parameter(description = "Only tasks of this priority") @QueryParam("priority") Task.Priority priority,
            @Parameter(description = "How many tasks, 1 to 50", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "50")) @QueryParam("limit") @DefaultValue("20") int limit) {
        CALLS.incrementAndGet();
        List<Task> all = new ArrayList<>(TASKS.getOrDefault(org(), List.of()));
        java.util.Collections.reverse(all);
        return new TaskList(all.stream().filter(t -> priority == null || t.priority() == priority)
                .limit(Math.max(1, Math.min(limit, 50))).toList());
    }

    @GET
    @Path("tasks/{id}")
    @RolesAllowed("read:notes")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "get_task", summary = "Read one task")
    @SecurityRequirement(name = "kinde", scopes = "read:notes")
    @Extension(name = "x-mcp-tool", value = "true", parseValue = true)
    @APIResponse(responseCode = "200", description = "The task",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Task.class)))
    @APIResponse(responseCode = "404", description = "No such task")
    public Task get(@Parameter(description = "The task's id") @PathParam("id") String id) {
        CALLS.incrementAndGet();
        return TASKS.getOrDefault(org(), List.of()).stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException(Response.status(404).type(MediaType.APPLICATION_JSON)
                        .entity(Map.of("message", "there is no task " + id)).build()));
    }

    @POST
    @Path("tasks")
    @RolesAllowed("write:notes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "create_task", summary = "Create a task")
    @SecurityRequirement(name = "kinde", scopes = "write:notes")
    @Extension(name = "x-mcp-tool", value = "{\"usersOnly\": true}", parseValue = true)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewTask.class)))
    @APIResponse(responseCode = "201", description = "The new task",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Task.class)))
    public Response create(NewTask task) {
        CALLS.incrementAndGet();
        if (task == null || task.title() == null || task.title().isBlank()) {
            return Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("message", "a task needs a title")).build();
        }
        Task created = new Task("t" + NEXT_ID.incrementAndGet(), task.title(),
                task.priority() == null ? Task.Priority.NORMAL : task.priority(), token.getSubject(), org());
        TASKS.computeIfAbsent(org(), o -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(created);
        return Response.status(201).entity(created).build();
    }

    @DELETE
    @Path("tasks/{id}")
    @RolesAllowed("write:notes")
    @Operation(operationId = "delete_task", summary = "Delete a task (not offered as an MCP tool)")
    @SecurityRequirement(name = "kinde", scopes = "write:notes")
    public Response delete(@PathParam("id") String id) {
        CALLS.incrementAndGet();
        TASKS.getOrDefault(org(), List.of()).removeIf(t -> t.id().equals(id));
        return Response.noContent().build();
    }

    /** How many calls reached the API since it started (tests compare it before and after a refused call). */
    @GET
    @Path("stats")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Map<String, Integer> stats() {
        return Map.of("calls", CALLS.get());
    }

    private String org() {
        return String.valueOf((Object) token.getClaim("org_code"));
    }
}
