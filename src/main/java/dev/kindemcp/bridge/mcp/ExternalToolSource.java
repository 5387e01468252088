package dev.kindemcp.bridge.mcp;

import java.util.List;

/**
 * A CDI bean that declares {@link ExternalTool}s whose list may change while the server runs (an OpenAPI
 * document edited and polled again). The {@link ToolRegistry} reads {@link #tools()} again after each change.
 */
public interface ExternalToolSource {

    /** The tools as of now; names are unique within the source. */
    List<? extends ExternalTool> tools();

    /** Registers {@code listener}, called after each change of {@link #tools()}. */
    void onChange(Runnable listener);
}
