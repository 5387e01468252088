package dev.kindemcp.bridge.registration;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.config.RegistrationSettings;
import dev.kindemcp.bridge.oauth.BearerException;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.store.AuthorizationStore;
import dev.kindemcp.bridge.store.ClientStore;
import dev.kindemcp.bridge.store.StoredClient;
import jakarta.enterprise.context.ApplicationScoped;
import dev.kindemcp.bridge.oauth.ClientDeleted;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Dynamic Client Registration and client management: registers clients from self-asserted metadata, and
 * reads, replaces and deletes them for the holder of their registration access token.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1">RFC 7591 §3.2.1 Client Information Response</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7592#section-2">RFC 7592 §2 Client Configuration Endpoint</a>
 */
@ApplicationScoped
public class ClientRegistrationService {

    /** The audit trail (issue 15.3); absent when the class is built without CDI (unit tests). */
    @jakarta.inject.Inject
    dev.kindemcp.bridge.audit.AuditLog audit;

    private static final Logger LOG = Logger.getLogger(ClientRegistrationService.class.getName());

    /** Prefix of generated client ids; they never look like a CIMD https URL (CIMD draft-00 §6). */
    static final String CLIENT_ID_PREFIX = "dcr_";
    static final String REALM = "registration";
    static final String PROVISIONED_PREFIX = "svc_";

    private final BridgeConfig config;
    private final ClientStore store;
    private final AuthorizationStore authorizations;
    private final Clock clock;
    private final ClientMetadataValidator validator;

    /** Ends the grants of deleted clients (observed in the token package). */
    @Inject
    Event<ClientDeleted> deletions;

    @Inject
    public ClientRegistrationService(BridgeConfig config, ClientStore store, AuthorizationStore authorizations,
            Clock clock) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.authorizations = Objects.requireNonNull(authorizations, "authorizations must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.validator = new ClientMetadataValidator(
                new RedirectUriPolicy(config.registration().allowedPrivateUseRedirectUris()),
                config.scopesSupported(), config.defaultScopes(), config.registration().openClientScopes());
    }

    ClientRegistrationService() { // CDI proxy
        this.config = null;
        this.store = null;
        this.authorizations = null;
        this.clock = null;
        this.validator = null;
    }

    /**
     * RFC 7591 §3: when the operator set an initial access token, open registration is closed to everybody
     * else.
     */
    public void checkInitialAccessToken(Optional<String> bearer) {
        Optional<String> required = config.registration().initialAccessToken();
        if (required.isEmpty()) {
            return;
        }
        if (bearer.isEmpty()) {
            throw BearerException.missing(REALM);
        }
        if (!Secrets.matches(bearer.get(), Secrets.hash(required.get()))) {
            throw BearerException.invalid(REALM, "the initial access token is not valid");
        }
    }

    /** RFC 7591 §3.1: registers a client; the answer holds its secret and registration access token once. */
    public ClientInformation register(Map<String, Object> request) {
        OIDCClientMetadata metadata = validator.validate(request);
        Instant now = clock.instant();
        String clientId = CLIENT_ID_PREFIX + Secrets.random(16);
        Optional<String> secret = needsSecret(metadata) ? Optional.of(Secrets.random(32)) : Optional.empty();
        String registrationToken = Secrets.random(32);
        RegistrationSettings settings = config.registration();
        store.save(new StoredClient(clientId, StoredClient.Kind.DCR, metadata.toJSONObject().toJSONString(),
                secret.map(Secrets::hash), Optional.of(Secrets.hash(registrationToken)), now, now,
                Optional.of(now.plus(settings.unusedClientLifetime()))));
        LOG.info(() -> "registered client " + clientId + " (" + metadata.getTokenEndpointAuthMethod() + ", "
                + metadata.getRedirectionURIs().size() + " redirect URIs)");
        audit("client_registered", "success", "client", clientId, "actor", "client:" + clientId,
                "redirect_hosts", metadata.getRedirectionURIs().stream().map(java.net.URI::getHost).distinct().toList());
        return information(clientId, now, metadata, secret, Optional.of(registrationToken));
    }

    /**
     * Creates a confidential client for the operator (the only kind that may use client_credentials); the
     * answer holds its secret once. It has no registration access token and never expires by disuse.
     */
    public ClientInformation provision(Map<String, Object> request) {
        OIDCClientMetadata metadata = validator.validateProvisioned(request);
        Instant now = clock.instant();
        String clientId = PROVISIONED_PREFIX + Secrets.random(16);
        String secret = Secrets.random(32);
        store.save(new StoredClient(clientId, StoredClient.Kind.PROVISIONED, metadata.toJSONObject().toJSONString(),
                Optional.of(Secrets.hash(secret)), Optional.empty(), now, now, Optional.empty()));
        LOG.info(() -> "provisioned client " + clientId + " (" + metadata.getGrantTypes() + ")");
        audit("client_provisioned", "success", "client", clientId, "actor", "operator");
        return new ClientInformation(new ClientID(clientId), Date.from(now), metadata, new Secret(secret));
    }

    /** An operator-provisioned client, for the admin API; other clients are not visible there. */
    public Optional<ClientInformation> findProvisioned(String clientId) {
        return store.find(clientId).filter(c -> c.kind() == StoredClient.Kind.PROVISIONED)
                .map(c -> new ClientInformation(new ClientID(c.clientId()), Date.from(c.issuedAt()),
                        parse(c.metadataJson()), null));
    }

    /** Deletes an operator-provisioned client; false when there is none with that id. */
    public boolean deleteProvisioned(String clientId) {
        boolean deleted = findProvisioned(clientId).isPresent() && store.delete(clientId);
        if (deleted) {
            authorizations.deleteConsents(clientId);
            deletions.fire(new ClientDeleted(clientId));
        }
        return deleted;
    }

    /**
     * An operator deletes a client of any kind (issue 15.4): a registered or provisioned client is removed, and
     * for every client, a client ID metadata document's too, the grants end and the approvals are forgotten.
     * Answers whether a stored registration was removed.
     */
    public boolean deleteByOperator(String clientId, String actor) {
        boolean deleted = store.delete(clientId);
        authorizations.deleteConsents(clientId);
        deletions.fire(new ClientDeleted(clientId));
        LOG.info(() -> "operator " + actor + " deleted client " + clientId);
        audit("client_deleted", "success", "client", clientId, "actor", actor);
        return deleted;
    }

    /** RFC 7592 §2.1: the current registration, without secrets. */
    public ClientInformation read(String clientId, Optional<String> bearer) {
        StoredClient client = authorize(clientId, bearer);
        return information(clientId, client.issuedAt(), parse(client.metadataJson()), Optional.empty(),
                Optional.empty());
    }

    /**
     * RFC 7592 §2.2: replaces the registration with a fully re-validated one; omitted members fall back to
     * the defaults of a new registration, never to the old values.
     */
    public ClientInformation update(String clientId, Optional<String> bearer, Map<String, Object> request) {
        StoredClient client = authorize(clientId, bearer);
        if (!clientId.equals(request.get("client_id"))) {
            throw new OAuthException(RegistrationError.INVALID_CLIENT_METADATA,
                    "client_id in the body must equal the client being updated");
        }
        Object presentedSecret = request.get("client_secret");
        if (presentedSecret != null && !(presentedSecret instanceof String s
                && client.secretHash().map(h -> Secrets.matches(s, h)).orElse(false))) {
            throw new OAuthException(RegistrationError.INVALID_CLIENT_METADATA, "client_secret does not match");
        }
        OIDCClientMetadata metadata = validator.validate(request);
        Optional<String> newSecret = Optional.empty();
        Optional<String> secretHash = Optional.empty();
        if (needsSecret(metadata)) {
            if (client.secretHash().isPresent()) {
                secretHash = client.secretHash();
            } else {
                newSecret = Optional.of(Secrets.random(32));
                secretHash = newSecret.map(Secrets::hash);
            }
        }
        Instant now = clock.instant();
        StoredClient updated = new StoredClient(clientId, client.kind(), metadata.toJSONObject().toJSONString(),
                secretHash, client.registrationTokenHash(), client.issuedAt(), now,
                Optional.of(now.plus(config.registration().unusedClientLifetime())));
        if (!store.replace(updated)) {
            throw BearerException.invalid(REALM, "the client no longer exists");
        }
        OIDCClientMetadata before = parse(client.metadataJson());
        if (!Objects.equals(before.getRedirectionURIs(), metadata.getRedirectionURIs())
                || !Objects.equals(before.getScope(), metadata.getScope())) {
            // security-catalogue REG-17: new redirect URIs or scopes need the user's consent again
            authorizations.deleteConsents(clientId);
        }
        LOG.info(() -> "updated client " + clientId);
        audit("client_updated", "success", "client", clientId, "actor", "client:" + clientId);
        return information(clientId, client.issuedAt(), metadata, newSecret, Optional.empty());
    }

    /** RFC 7592 §2.3: deletes the client; its registration access token dies with it. */
    public void delete(String clientId, Optional<String> bearer) {
        authorize(clientId, bearer);
        store.delete(clientId);
        authorizations.deleteConsents(clientId);
        deletions.fire(new ClientDeleted(clientId));
        LOG.info(() -> "deleted client " + clientId);
        audit("client_deleted", "success", "client", clientId, "actor", "client:" + clientId);
    }

    /**
     * RFC 7592 §3: the registration access token must match the client of the URI; compared in constant time.
     * Clients without one (provisioned) have no configuration endpoint.
     */
    private StoredClient authorize(String clientId, Optional<String> bearer) {
        if (bearer.isEmpty()) {
            throw BearerException.missing(REALM);
        }
        Optional<StoredClient> client = clientId == null ? Optional.empty() : store.find(clientId);
        boolean valid = client.flatMap(StoredClient::registrationTokenHash)
                .map(hash -> Secrets.matches(bearer.get(), hash)).orElse(false);
        if (!valid) {
            throw BearerException.invalid(REALM, "the registration access token is not valid for this client");
        }
        return client.get();
    }

    private ClientInformation information(String clientId, Instant issuedAt, OIDCClientMetadata metadata,
            Optional<String> secret, Optional<String> registrationToken) {
        URI configurationUri = URI.create(config.url(Endpoints.REGISTRATION + "/" + clientId));
        return new ClientInformation(new ClientID(clientId), Date.from(issuedAt), metadata,
                secret.map(Secret::new).orElse(null), configurationUri,
                registrationToken.map(BearerAccessToken::new).orElse(null));
    }

    private static boolean needsSecret(OIDCClientMetadata metadata) {
        return !ClientAuthenticationMethod.NONE.equals(metadata.getTokenEndpointAuthMethod());
    }

    private static OIDCClientMetadata parse(String json) {
        try {
            return OIDCClientMetadata.parse(com.nimbusds.oauth2.sdk.util.JSONObjectUtils.parse(json));
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new IllegalStateException("stored client metadata is not valid", e);
        }
    }

    private void audit(String event, String outcome, Object... fields) {
        if (audit != null) {
            audit.record(event, outcome, fields);
        }
    }
}
