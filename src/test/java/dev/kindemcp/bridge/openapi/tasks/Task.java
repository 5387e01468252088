package dev.kindemcp.bridge.openapi.tasks;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A task as the API answers it (test only). */
@Schema(name = "Task", description = "A task of an organisation")
public record Task(
        @Schema(description = "The task's id", required = true) String id,
        @Schema(description = "What is to be done", required = true) String title,
        @Schema(required = true) Priority priority,
        @Schema(description = "The Kinde user who created it (the sub of the Kinde token the API received)",
                required = true) String owner,
        @Schema(description = "The Kinde organisation", required = true) String org_code) {

    /** How urgent a task is. */
    public enum Priority { LOW, NORMAL, HIGH }
}
