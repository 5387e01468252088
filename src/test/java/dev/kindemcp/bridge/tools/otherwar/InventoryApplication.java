package dev.kindemcp.bridge.tools.otherwar;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Another team's JAX-RS application, deployed as its own WAR next to the bridge (test only). */
@ApplicationPath("/api")
public class InventoryApplication extends Application {
}
