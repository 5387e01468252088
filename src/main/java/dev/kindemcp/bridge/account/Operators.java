package dev.kindemcp.bridge.account;

import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import dev.kindemcp.bridge.audit.AuditLog;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.kinde.KindeGateway;
import dev.kindemcp.bridge.kinde.KindeIdentity;
import dev.kindemcp.bridge.kinde.KindeTokenException;
import dev.kindemcp.bridge.kinde.KindeUpstreamException;
import dev.kindemcp.bridge.oauth.BearerException;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.registration.RegistrationRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.NotFoundException;
import java.util.Optional;

/**
 * Who may call the connected-apps admin API (issue 15.4): the holder of {@code bridge.admin-token}, or a caller
 * with a Kinde access token for {@code kinde.audience} that carries {@code bridge.operator-permission} (a user's
 * permission, or an M2M application's scope). With neither configured the API does not exist (404).
 */
@ApplicationScoped
public class Operators {

    static final String REALM = "admin";

    @Inject
    BridgeConfig config;

    @Inject
    KindeGateway kinde;

    @Inject
    AuditLog audit;

    /** Answers the actor for the audit trail ({@code operator} or {@code operator:<Kinde subject>}), or throws. */
    String authorize(HttpServletRequest request) {
        Optional<String> adminToken = config.registration().adminToken();
        Optional<String> permission = config.operatorPermission();
        if (adminToken.isEmpty() && permission.isEmpty()) {
            throw new NotFoundException();
        }
        String action = request.getMethod() + " " + request.getRequestURI();
        String bearer = RegistrationRequests.bearer(request).orElseThrow(() -> BearerException.missing(REALM));
        if (adminToken.isPresent() && Secrets.matches(bearer, Secrets.hash(adminToken.get()))) {
            audit.record("admin", "authorized", "actor", "operator", "action", action);
            return "operator";
        }
        Optional<String> audience = config.kinde().flatMap(k -> k.audiences().stream().findFirst());
        if (permission.isEmpty() || audience.isEmpty() || bearer.chars().filter(c -> c == '.').count() != 2) {
            audit.record("admin", "refused", "action", action);
            throw BearerException.invalid(REALM, "the token is not valid here");
        }
        KindeIdentity identity;
        try {
            identity = kinde.verifyAccessToken(bearer, audience.get());
        } catch (KindeTokenException e) {
            audit.record("admin", "refused", "action", action);
            throw BearerException.invalid(REALM, "the Kinde token is not valid here");
        } catch (KindeUpstreamException e) {
            OAuthException unavailable = new OAuthException(e.errorObject(), "Kinde cannot be reached to check the "
                    + "token", e.getMessage());
            throw e.transientFailure() ? unavailable.retryAfter((int) KindeUpstreamException.RETRY_AFTER.toSeconds())
                    : unavailable;
        }
        String actor = "operator:" + identity.subject().or(identity::machineSubject).orElse("unknown");
        if (!identity.effectivePermissions().contains(permission.get())) {
            audit.record("admin", "refused", "actor", actor, "action", action);
            throw new BearerException(BearerTokenError.INSUFFICIENT_SCOPE.setRealm(REALM),
                    "the Kinde token lacks the operator permission " + permission.get());
        }
        audit.record("admin", "authorized", "actor", actor, "action", action);
        return actor;
    }
}
