package dev.kindemcp.bridge.openapi.tasks;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.OAuthFlow;
import org.eclipse.microprofile.openapi.annotations.security.OAuthFlows;
import org.eclipse.microprofile.openapi.annotations.security.OAuthScope;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * A team's task API in its own WAR beside the unmodified bridge (test only): plain JAX-RS secured by the
 * server's MicroProfile JWT against Kinde, documented by MicroProfile OpenAPI annotations, three operations of
 * which are marked {@code x-mcp-tool}. It has no bridge classes. Kinde is described as what it is, an OAuth 2
 * server, so that the Kinde permissions an operation needs can be its security requirement's scopes (OpenAPI 3.0
 * allows scopes only for OAuth 2 and OpenID Connect schemes).
 */
@ApplicationPath("/api")
@OpenAPIDefinition(info = @Info(title = "Tasks", version = "1.0"))
@SecurityScheme(securitySchemeName = "kinde", type = SecuritySchemeType.OAUTH2, description = "Kinde access tokens",
        flows = @OAuthFlows(authorizationCode = @OAuthFlow(authorizationUrl = "https://example.kinde.com/oauth2/auth",
                tokenUrl = "https://example.kinde.com/oauth2/token", scopes = {
                        @OAuthScope(name = "read:notes", description = "Kinde permission: read the tasks"),
                        @OAuthScope(name = "write:notes", description = "Kinde permission: change the tasks")})))
public class TasksApplication extends Application {
}
