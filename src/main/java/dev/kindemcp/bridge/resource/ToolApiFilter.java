package dev.kindemcp.bridge.resource;

import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.telemetry.BridgeMetrics;
import dev.kindemcp.bridge.config.KindeSettings;
import dev.kindemcp.bridge.kinde.KindeIdentity;
import dev.kindemcp.bridge.kinde.KindeTokenException;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns the Kinde access token that MicroProfile JWT verified (issuer = Kinde domain, Kinde's keys, audience =
 * {@code kinde.audience}) into the request's {@link Caller} for {@link ToolApi} resources: 401 without a valid
 * token, 403 for organisations outside the allowlist and for system actors on {@link UsersOnly} routes. The
 * security context it installs answers {@code isUserInRole} from the caller's permissions, so that
 * {@code @RolesAllowed("read:notes")} also admits a system actor whose M2M application has that API scope.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3 The WWW-Authenticate Response Header Field</a>
 * @see <a href="https://download.eclipse.org/microprofile/microprofile-jwt-auth-2.1/microprofile-jwt-auth-spec-2.1.html#_mapping_mp_jwt_tokens_to_java_ee_container_apis">MicroProfile JWT 2.1 §7 Mapping MP-JWT Tokens to Java EE Container APIs</a>
 */
@Provider
@ToolApi
@Priority(Priorities.AUTHENTICATION + 50)
public class ToolApiFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(ToolApiFilter.class.getName());

    /** The realm of the tool APIs' challenges. */
    static final String REALM = "kinde-mcp-bridge tool API";

    @Context
    ResourceInfo resourceInfo;

    @Inject
    CurrentCaller current;

    @Inject
    BridgeConfig config;

    @Inject
    BridgeMetrics metrics;

    /** Ends the request with a 401 or 403 and counts it (bridge.requests.refused, surface tool_api). */
    private void abort(ContainerRequestContext request, Response refusal) {
        metrics.refused("tool_api", refusal.getStatus());
        request.abortWith(refusal);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        java.util.List<String> authorizations = request.getHeaders().getOrDefault(HttpHeaders.AUTHORIZATION,
                java.util.List.of());
        if (authorizations.size() > 1 || (!authorizations.isEmpty()
                && request.getUriInfo().getQueryParameters().containsKey("access_token"))) {
            // RFC 6750 §2: exactly one way of sending the token
            request.abortWith(Response.status(Response.Status.BAD_REQUEST)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\", error=\"invalid_request\"")
                    .type(MediaType.APPLICATION_JSON_TYPE).entity("{\"error\":\"invalid_request\"}").build());
            return;
        }
        Principal principal = request.getSecurityContext().getUserPrincipal();
        if (!(principal instanceof JsonWebToken jwt) || jwt.getRawToken() == null) {
            // RFC 6750 §3.1: no credentials, no error code; a rejected token gets invalid_token
            boolean sent = request.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
            abort(request, challenge(sent));
            return;
        }
        Caller caller;
        try {
            KindeIdentity identity = KindeIdentity.ofVerifiedToken(jwt.getRawToken());
            if (!forThisApi(jwt.getIssuer(), identity)) {
                abort(request, challenge(true));
                return;
            }
            caller = Caller.fromKinde(identity);
        } catch (KindeTokenException | IllegalArgumentException e) {
            abort(request, challenge(true));
            return;
        }
        if (!config.allowsOrganisation(caller.orgCode())) {
            abort(request, forbidden("this organisation may not use this API"));
            return;
        }
        if (caller.machine() && usersOnly()) {
            abort(request, forbidden("this route acts for a person; system actors may not call it"));
            return;
        }
        current.set(caller);
        request.setProperty(Caller.ATTRIBUTE, caller);
        request.setSecurityContext(new CallerSecurityContext(request.getSecurityContext(), caller));
    }

    /**
     * The bridge's own reading of issuer and audience, on top of MicroProfile JWT's: if the mp.jwt.verify.*
     * properties were ever set apart from kinde.domain and kinde.audience (or the audience is not configured at
     * all), tool APIs refuse every token rather than accept tokens meant for other APIs.
     */
    private boolean forThisApi(String issuer, KindeIdentity identity) {
        Optional<KindeSettings> kinde = config.kinde();
        List<String> audiences = kinde.map(KindeSettings::audiences).orElse(List.of());
        if (kinde.isEmpty() || audiences.isEmpty()) {
            LOG.warning("tool API call refused: kinde.audience (KINDE_AUDIENCE) is not set");
            return false;
        }
        // RFC 9068 §4 (applied to Kinde's tokens): the issuer exactly, one of our audiences among the token's,
        // and this API's own audience when it names one
        Optional<String> own = ownAudience();
        return kinde.get().issuers().contains(issuer) && audiences.stream().anyMatch(identity.audience()::contains)
                && own.map(identity.audience()::contains).orElse(true);
    }

    /** The audience the resource method's or class's {@link ToolApi} names, if any. */
    private Optional<String> ownAudience() {
        ToolApi annotation = resourceInfo.getResourceMethod().getAnnotation(ToolApi.class);
        if (annotation == null || annotation.audience().isEmpty()) {
            annotation = resourceInfo.getResourceClass().getAnnotation(ToolApi.class);
        }
        return annotation == null || annotation.audience().isEmpty() ? Optional.empty()
                : Optional.of(annotation.audience());
    }

    private boolean usersOnly() {
        return resourceInfo.getResourceMethod().isAnnotationPresent(UsersOnly.class)
                || resourceInfo.getResourceClass().isAnnotationPresent(UsersOnly.class);
    }

    static Response challenge(boolean tokenSent) {
        String header = "Bearer realm=\"" + REALM + "\"" + (tokenSent ? ", error=\"invalid_token\"" : "");
        return Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, header)
                .header("Cache-Control", "no-store").type(MediaType.APPLICATION_JSON_TYPE)
                .entity(tokenSent ? "{\"error\":\"invalid_token\"}" : "{}").build();
    }

    static Response forbidden(String description) {
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .entity("{\"error\":\"access_denied\",\"error_description\":\"" + description + "\"}").build();
    }

    /** The container's security context, with roles read from the caller's permissions. */
    private record CallerSecurityContext(SecurityContext delegate, Caller caller) implements SecurityContext {

        @Override
        public Principal getUserPrincipal() {
            return delegate.getUserPrincipal();
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller.hasPermission(role);
        }

        @Override
        public boolean isSecure() {
            return delegate.isSecure();
        }

        @Override
        public String getAuthenticationScheme() {
            return delegate.getAuthenticationScheme();
        }
    }
}
