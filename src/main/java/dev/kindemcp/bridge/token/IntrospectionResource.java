package dev.kindemcp.bridge.token;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.NoStore;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.RequestParameters;
import dev.kindemcp.bridge.oauth.SourceAddress;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.registration.KnownClient;
import dev.kindemcp.bridge.resource.BridgeTokenVerifier;
import dev.kindemcp.bridge.store.RefreshFamily;
import dev.kindemcp.bridge.store.RefreshTokenRecord;
import dev.kindemcp.bridge.store.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Token introspection for confidential clients and resource servers: a bridge access token is active while
 * valid, for the client it was issued to and for resource-server credentials (provisioned with
 * {@code "resource_server": true}); a refresh token only for the client it belongs to, while its family is
 * alive and it is the current one. Everything else is {@code {"active": false}}.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2.1">RFC 7662 §2.1 Introspection Request</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2.2">RFC 7662 §2.2 Introspection Response</a>
 */
@Path(Endpoints.INTROSPECTION)
@ApplicationScoped
public class IntrospectionResource {

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    dev.kindemcp.bridge.config.BridgeConfig config;

    @Inject
    BridgeTokenVerifier verifier;

    @Inject
    TokenStore store;

    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response introspect(@Context HttpServletRequest request) {
        RequestParameters params = TokenRequests.form(request);
        KnownClient caller = authenticator.authenticate(params, Optional.ofNullable(request.getHeader("Authorization")),
                new SourceAddress(config.registration().trustedProxies()).keyOf(request));
        // RFC 7662 §2.1: the endpoint requires authorization; public clients cannot authenticate
        if (caller.isPublic()) {
            throw new OAuthException(OAuth2Error.INVALID_CLIENT, "introspection needs an authenticated client");
        }
        String token = params.single("token").orElse("");
        // RFC 7662 §4: only a token's own client and the resource servers of the MCP resource learn about it
        Map<String, Object> answer = verifier.verify(token, Optional.empty())
                .filter(claims -> caller.resourceServer() || caller.clientId().equals(clientIdOf(claims)))
                .map(IntrospectionResource::accessToken)
                .or(() -> refreshToken(token, caller))
                .orElse(Map.of("active", false));
        return NoStore.apply(Response.ok(JSONObjectUtils.toJSONString(answer), MediaType.APPLICATION_JSON_TYPE)).build();
    }

    private static String clientIdOf(JWTClaimsSet claims) {
        Object clientId = claims.getClaim("client_id");
        return clientId instanceof String id ? id : "";
    }

    private static Map<String, Object> accessToken(JWTClaimsSet claims) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("active", true);
        json.put("token_type", "Bearer");
        json.put("scope", claims.getClaim("scope"));
        json.put("client_id", claims.getClaim("client_id"));
        json.put("sub", claims.getSubject());
        json.put("aud", claims.getAudience());
        json.put("iss", claims.getIssuer());
        json.put("exp", claims.getExpirationTime().getTime() / 1000);
        json.put("iat", claims.getIssueTime().getTime() / 1000);
        json.put("jti", claims.getJWTID());
        Optional.ofNullable(claims.getClaim("org_code")).ifPresent(org -> json.put("org_code", org));
        return json;
    }

    private Optional<Map<String, Object>> refreshToken(String token, KnownClient caller) {
        Instant now = clock.instant();
        Optional<RefreshTokenRecord> record = store.findToken(Secrets.hash(token));
        if (record.isEmpty() || record.get().rotatedAt().isPresent() || !record.get().idleExpiresAt().isAfter(now)) {
            return Optional.empty();
        }
        Optional<RefreshFamily> family = store.findFamily(record.get().familyId())
                .filter(f -> f.revokedAt().isEmpty() && f.absoluteExpiresAt().isAfter(now)
                        && f.clientId().equals(caller.clientId()));
        return family.map(f -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("active", true);
            json.put("token_type", "refresh_token");
            json.put("scope", f.scope());
            json.put("client_id", f.clientId());
            json.put("sub", f.kindeSubject());
            json.put("exp", record.get().idleExpiresAt().getEpochSecond());
            return json;
        });
    }
}
