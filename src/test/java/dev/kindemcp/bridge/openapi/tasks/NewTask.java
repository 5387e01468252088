package dev.kindemcp.bridge.openapi.tasks;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a new task (test only). */
@Schema(name = "NewTask")
public record NewTask(
        @Schema(description = "What is to be done", required = true, minLength = 1, maxLength = 200) String title,
        @Schema(description = "How urgent (default NORMAL)") Task.Priority priority) {
}
