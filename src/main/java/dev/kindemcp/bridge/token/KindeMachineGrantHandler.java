package dev.kindemcp.bridge.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.kinde.KindeGateway;
import dev.kindemcp.bridge.kinde.KindeIdentity;
import dev.kindemcp.bridge.kinde.KindeMachineLogin;
import dev.kindemcp.bridge.kinde.KindeTokenException;
import dev.kindemcp.bridge.kinde.KindeTokens;
import dev.kindemcp.bridge.kinde.KindeUpstreamException;
import dev.kindemcp.bridge.kinde.TokenVault;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.RequestParameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Machine callers that bring their Kinde identity: client_credentials with the agent's own Kinde M2M
 * credentials (checked by Kinde), and RFC 8693 token exchange of a Kinde M2M access token. Both give a
 * system-actor bridge token with Kinde's signed {@code org_code}.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749 §4.4 Client Credentials Grant</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8693#section-2.1">RFC 8693 §2.1 Token Exchange Request</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8693#section-2.2.1">RFC 8693 §2.2.1 Successful Response</a>
 */
@ApplicationScoped
public class KindeMachineGrantHandler {

    private static final Logger LOG = Logger.getLogger(KindeMachineGrantHandler.class.getName());

    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    /** Subjects of Kinde machine callers; never collide with Kinde user ids or provisioned clients. */
    static final String KINDE_MACHINE_PREFIX = KindeIdentity.MACHINE_SUBJECT_PREFIX;

    @Inject
    BridgeConfig config;

    @Inject
    KindeGateway kinde;

    @Inject
    TokenVault vault;

    @Inject
    AccessTokenIssuer accessTokens;

    /** client_credentials with Kinde M2M credentials. */
    public IssuedTokens clientCredentials(ClientAuthenticator.Credentials credentials, RequestParameters params) {
        String scope = MachineRequests.scope(config, params);
        MachineRequests.checkResource(config, params);
        KindeMachineLogin login;
        try {
            login = kinde.machineLogin(credentials.clientId(), credentials.secret().orElse(""));
        } catch (KindeUpstreamException e) {
            throw e.reason() == KindeUpstreamException.Reason.CLIENT_REJECTED ? credentials.refusal(mapped(e))
                    : mapped(e);
        }
        checkOrganisation(login.identity(), OAuth2Error.UNAUTHORIZED_CLIENT);
        String grant = vault.depositMachine(login);
        LOG.info(() -> "machine token for Kinde application " + credentials.clientId());
        return machineToken(login.clientId(), login.identity(), scope, Optional.of(grant));
    }

    /** RFC 8693 token exchange of a Kinde M2M access token. */
    public IssuedTokens exchange(RequestParameters params) {
        String subjectToken = params.single("subject_token")
                .orElseThrow(() -> new OAuthException(OAuth2Error.INVALID_REQUEST, "subject_token is required"));
        if (!params.single("subject_token_type").map(ACCESS_TOKEN_TYPE::equals).orElse(false)) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "subject_token_type must be " + ACCESS_TOKEN_TYPE);
        }
        String scope = MachineRequests.scope(config, params);
        MachineRequests.checkResource(config, params);
        KindeIdentity identity;
        try {
            identity = kinde.verifyMachineToken(subjectToken);
        } catch (KindeTokenException e) {
            // RFC 8693 §2.2.2: an unacceptable subject_token is invalid_request
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "subject_token is not a valid Kinde machine token",
                    e.reason().name());
        } catch (KindeUpstreamException e) {
            throw mapped(e);
        }
        checkOrganisation(identity, OAuth2Error.INVALID_GRANT);
        String clientId = identity.authorizedParty().orElse("unknown");
        // the exchanged Kinde token is what this caller's tools present to Kinde-protected APIs
        String grant = vault.depositMachine(new KindeMachineLogin(clientId, identity,
                new KindeTokens(subjectToken, Optional.empty(), Optional.empty(), identity.expiresAt())));
        return machineToken(clientId, identity, scope, Optional.of(grant)).withIssuedTokenType(ACCESS_TOKEN_TYPE);
    }

    /** The tenant rule of logins applies to machines too: Kinde-signed org_code, in the allowlist when set. */
    private void checkOrganisation(KindeIdentity identity, com.nimbusds.oauth2.sdk.ErrorObject refusal) {
        if (!config.allowsOrganisation(identity.orgCode())) {
            throw new OAuthException(refusal, "this organisation may not use this server",
                    "machine of organisation " + identity.orgCode().orElse("(none)") + " refused");
        }
    }

    private IssuedTokens machineToken(String kindeClientId, KindeIdentity identity, String scope,
            Optional<String> grant) {
        // R-TK-7: machine tokens carry gty and a namespaced subject
        // the bridge token never outlives the Kinde M2M token it was minted from
        AccessTokenIssuer.Minted access = accessTokens.issue(new AccessTokenIssuer.Subject(
                KINDE_MACHINE_PREFIX + kindeClientId, kindeClientId, scope, config.mcpResource(), identity.orgCode(),
                List.copyOf(identity.effectivePermissions()), List.copyOf(identity.roles()),
                Optional.of(List.of("client_credentials")), grant), Optional.of(identity.expiresAt()));
        return new IssuedTokens(access.value(), access.expiresIn(), scope, Optional.empty());
    }

    private static OAuthException mapped(KindeUpstreamException e) {
        OAuthException mapped = new OAuthException(e.errorObject(), e.errorObject().getDescription(), e.getMessage());
        return e.transientFailure() ? mapped.retryAfter((int) KindeUpstreamException.RETRY_AFTER.toSeconds()) : mapped;
    }
}
