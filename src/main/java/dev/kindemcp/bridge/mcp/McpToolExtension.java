package dev.kindemcp.bridge.mcp;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the CDI beans that declare {@link McpTool} methods while the container starts, for the
 * {@link ToolRegistry}.
 *
 * <p>Related specifications:
 * @see <a href="https://jakarta.ee/specifications/cdi/4.0/jakarta-cdi-spec-4.0#process_annotated_type">CDI 4.0 §11.5.6 ProcessAnnotatedType event</a>
 */
public class McpToolExtension implements Extension {

    private final Set<Class<?>> toolClasses = new LinkedHashSet<>();

    <T> void collect(@Observes @WithAnnotations(McpTool.class) ProcessAnnotatedType<T> type) {
        if (type.getAnnotatedType().getMethods().stream().anyMatch(m -> m.isAnnotationPresent(McpTool.class))) {
            toolClasses.add(type.getAnnotatedType().getJavaClass());
        }
    }

    Set<Class<?>> toolClasses() {
        return Set.copyOf(toolClasses);
    }
}
