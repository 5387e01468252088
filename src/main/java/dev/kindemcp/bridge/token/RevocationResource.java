package dev.kindemcp.bridge.token;

import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.NoStore;
import dev.kindemcp.bridge.oauth.RequestParameters;
import dev.kindemcp.bridge.oauth.SourceAddress;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.registration.KnownClient;
import dev.kindemcp.bridge.store.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Token revocation: a client revokes one of its refresh tokens, which ends the whole family. Unknown tokens,
 * access tokens (short-lived, not tracked) and other clients' tokens are answered 200 and left alone.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2.1">RFC 7009 §2.1 Revocation Request</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2.2">RFC 7009 §2.2 Revocation Response</a>
 */
@Path(Endpoints.REVOCATION)
@ApplicationScoped
public class RevocationResource {

    /** The audit trail (issue 15.3); absent when the class is built without CDI (unit tests). */
    @jakarta.inject.Inject
    dev.kindemcp.bridge.audit.AuditLog audit;

    private static final Logger LOG = Logger.getLogger(RevocationResource.class.getName());

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    dev.kindemcp.bridge.config.BridgeConfig config;

    @Inject
    TokenStore store;

    @Inject
    GrantEnding ending;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response revoke(@Context HttpServletRequest request) {
        RequestParameters params = TokenRequests.form(request);
        KnownClient client = authenticator.authenticate(params, Optional.ofNullable(request.getHeader("Authorization")),
                new SourceAddress(config.registration().trustedProxies()).keyOf(request));
        params.single("token").flatMap(token -> store.findToken(Secrets.hash(token)))
                .flatMap(token -> store.findFamily(token.familyId()))
                // RFC 7009 §2.1: the server verifies that the token was issued to the requesting client
                .filter(family -> family.clientId().equals(client.clientId()))
                .ifPresent(family -> {
                    ending.endFamily(family);
                    LOG.info(() -> "refresh token family " + family.id() + " revoked by its client");
                    audit("revocation", "revoked", "client", family.clientId(), "actor", family.kindeSubject(),
                            "family", family.id());
                });
        // RFC 7009 §2.2: 200 whether or not the token was valid
        return NoStore.apply(Response.ok()).build();
    }

    private void audit(String event, String outcome, Object... fields) {
        if (audit != null) {
            audit.record(event, outcome, fields);
        }
    }
}
