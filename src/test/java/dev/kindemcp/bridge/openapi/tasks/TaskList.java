package dev.kindemcp.bridge.openapi.tasks;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of tasks (test only). */
@Schema(name = "TaskList")
public record TaskList(@Schema(required = true) List<Task> tasks) {
}
