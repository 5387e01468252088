package dev.kindemcp.bridge.kinde;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.config.MasterKeyCipher;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.oauth.SingleFlight;
import dev.kindemcp.bridge.store.KindeGrantStore;
import dev.kindemcp.bridge.store.KindeGrantStore.StoredGrant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Keeps the Kinde tokens behind each bridge grant, encrypted under the master key with the grant id bound
 * into the ciphertext, and hands the tool layer a current Kinde access token, refreshing a user's grant with
 * Kinde shortly before it expires: one refresh per grant at a time across every instance sharing the database
 * (the grant's row lock; callers in one JVM also share the result), so that Kinde never sees one refresh token
 * twice. MCP clients never see the Kinde tokens.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.9.2">RFC 9700 §4.9.2 (tokens at rest)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749 §6 Refreshing an Access Token</a>
 * @see <a href="https://modelcontextprotocol.io/docs/tutorials/security/security_best_practices#token-passthrough">MCP Security Best Practices: "Token Passthrough"</a>
 */
@ApplicationScoped
public class TokenVault {

    /** The pauses after the first, second and further refusals of a renewal. */
    static final List<Duration> REFUSAL_BACKOFF = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(2));

    /** Refusals of a grant's refresh token in a row after which the grant ends. */
    static final int REFUSALS_TO_END = 3;

    private static final Logger LOG = Logger.getLogger(TokenVault.class.getName());

    /** A user's Kinde access token is renewed when it expires within this margin. */
    public static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

    private final KindeGrantStore store;
    private final MasterKeyCipher cipher;
    private final KindeGateway gateway;
    private final Clock clock;
    private final SingleFlight<String> refreshes = new SingleFlight<>();

    @Inject
    public TokenVault(KindeGrantStore store, MasterKeyCipher cipher, KindeGateway gateway, Clock clock) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.cipher = Objects.requireNonNull(cipher, "cipher must not be null");
        this.gateway = Objects.requireNonNull(gateway, "gateway must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    TokenVault() { // CDI proxy
        this.store = null;
        this.cipher = null;
        this.gateway = null;
        this.clock = null;
    }

    /** Stores the tokens of a login as a new grant; returns the grant id. */
    public String deposit(KindeLogin login) {
        return create(Optional.of(login.subject()), login.identity().orgCode(), login.tokens());
    }

    /**
     * Stores the Kinde M2M access token of a machine caller as a new grant; returns the grant id. The grant holds
     * no secret and no refresh token: it is usable until the access token expires.
     */
    public String depositMachine(KindeMachineLogin login) {
        return create(Optional.empty(), login.identity().orgCode(), login.tokens());
    }

    /**
     * What the grant's stored Kinde access token says about its holder (organisation, permissions, feature
     * flags), as Kinde signed it at login or at the last refresh; empty when there is no such grant.
     */
    public Optional<KindeIdentity> identity(String grantId) {
        return tokens(grantId).map(t -> KindeIdentity.ofVerifiedToken(t.accessToken()));
    }

    /** The tokens of a grant, decrypted. */
    public Optional<KindeTokens> tokens(String grantId) {
        return find(grantId).map(Entry::tokens);
    }

    /**
     * Replaces the tokens of a grant, encrypted.
     *
     * @throws KindeGrantException {@code UNKNOWN} when there is no such grant (never issued or revoked)
     */
    public void update(String grantId, KindeTokens tokens) {
        write(grantId, new Entry(Objects.requireNonNull(tokens, "tokens must not be null"), Optional.empty()));
    }

    /**
     * The Kinde access token of a grant, for a tool call on behalf of its user or machine. A user's token that
     * expires within {@link #REFRESH_MARGIN} is refreshed with Kinde first and the new tokens are stored; callers
     * that ask for the same grant meanwhile wait for that refresh and share its result. A grant without a refresh
     * token (machine grants) gives its token while it is valid. While Kinde is unreachable, a token that has not
     * expired yet is still given.
     *
     * @throws KindeGrantException {@code UNKNOWN} when there is no such grant; {@code REVOKED} when Kinde
     *                             refused the refresh token (the grant is deleted); {@code EXPIRED} when the token
     *                             expired and cannot be renewed
     * @throws KindeUpstreamException when Kinde is unreachable and the token has expired ({@code UNREACHABLE}), or
     *                                Kinde's refreshed tokens could not be accepted ({@code REJECTED})
     */
    public String currentAccessToken(String grantId) {
        Objects.requireNonNull(grantId, "grantId must not be null");
        Entry entry = find(grantId).orElseThrow(() -> unknown());
        if (!renewalDue(entry, clock.instant())) {
            return usable(grantId, entry, clock.instant());
        }
        return refreshes.run(grantId, () -> store.underLock(grantId, locked -> renew(grantId, locked)));
    }

    /**
     * The renewal, run by one caller per grant across instances, holding the grant's row lock; the grant as read
     * under the lock may have been renewed meanwhile (by another instance), and then is used as it is.
     */
    private String renew(String grantId, Optional<StoredGrant> locked) {
        StoredGrant row = locked.orElseThrow(() -> unknown());
        Entry entry = decrypt(row);
        Instant now = clock.instant();
        KindeTokens current = entry.tokens();
        if (!renewalDue(entry, now)) {
            return usable(grantId, entry, now);
        }
        if (current.refreshToken().isEmpty()) {
            if (now.isBefore(current.accessExpiresAt())) {
                return current.accessToken();
            }
            throw new KindeGrantException(KindeGrantException.Reason.EXPIRED,
                    "the Kinde access token of grant " + grantId + " has expired and the grant cannot be renewed");
        }
        KindeLogin refreshed;
        try {
            refreshed = gateway.refreshLogin(current.refreshToken().get());
        } catch (KindeUpstreamException e) {
            if (e.reason() == KindeUpstreamException.Reason.GRANT_REVOKED) {
                return revoked(grantId, current, e);
            }
            if (e.reason() == KindeUpstreamException.Reason.REFRESH_REFUSED
                    || e.reason() == KindeUpstreamException.Reason.MISCONFIGURED) {
                return refused(grantId, entry, e, now);
            }
            if (e.transientFailure() && now.isBefore(current.accessExpiresAt())) {
                LOG.warning(() -> "Kinde refresh of grant " + grantId + " failed (" + e.describe()
                        + "); the current access token is used until it expires");
                return current.accessToken();
            }
            throw e;
        }
        if (row.kindeSubject().isPresent() && !row.kindeSubject().get().equals(refreshed.subject())) {
            LOG.warning(() -> "security: Kinde's refresh of grant " + grantId + " names another user");
            throw new KindeUpstreamException(KindeUpstreamException.Reason.REJECTED,
                    "Kinde's refreshed tokens name another user than the grant");
        }
        KindeTokens next = refreshed.tokens();
        if (next.idToken().isEmpty() && current.idToken().isPresent()) {
            next = new KindeTokens(next.accessToken(), next.refreshToken(), current.idToken(), next.accessExpiresAt());
        }
        Optional<Instant> renewAfter = renewalDue(new Entry(next, Optional.empty()), now)
                ? Optional.of(next.accessExpiresAt()) : Optional.empty();
        write(grantId, new Entry(next, renewAfter));
        return next.accessToken();
    }

    /**
     * Ends a grant the bridge revoked: its vault entry is deleted; the Kinde refresh token it held is returned
     * so that it can be revoked at Kinde too (empty for machine grants and entries already gone).
     */
    public Optional<String> end(String grantId) {
        Optional<String> refreshToken;
        try {
            refreshToken = find(grantId).flatMap(entry -> entry.tokens().refreshToken());
        } catch (RuntimeException e) {
            // an entry that cannot be read (another master key) still goes; only its Kinde revocation is lost
            LOG.warning(() -> "the vault entry of ended grant " + grantId + " cannot be read; deleted without "
                    + "revoking its Kinde refresh token");
            refreshToken = Optional.empty();
        }
        store.revokeByGrantId(grantId);
        return refreshToken;
    }

    /**
     * Kinde answered {@code invalid_grant}. If the stored refresh token changed meanwhile, another bridge instance
     * renewed the grant first and Kinde rotated the token: its result is used. Otherwise the grant is dead and is
     * deleted.
     */
    private String revoked(String grantId, KindeTokens presented, KindeUpstreamException cause) {
        Optional<Entry> latest = find(grantId);
        if (latest.isPresent() && !latest.get().tokens().refreshToken().equals(presented.refreshToken())) {
            return latest.get().tokens().accessToken();
        }
        store.revokeByGrantId(grantId);
        LOG.info(() -> "Kinde revoked the refresh token of grant " + grantId + "; the grant is deleted");
        throw new KindeGrantException(KindeGrantException.Reason.REVOKED,
                "Kinde revoked grant " + grantId + " (user removed or refresh token revoked)", cause);
    }

    /**
     * Kinde refused a renewal with an error that a retry at once would not change. The grant waits
     * {@link #REFUSAL_BACKOFF} before Kinde is asked again (no call to Kinde on every tool call meanwhile); when
     * Kinde refused the grant's refresh token {@link #REFUSALS_TO_END} times in a row, the grant ends as if Kinde
     * had answered {@code invalid_grant}. A refusal of the bridge's own application credentials (an operator's
     * mistake, named in the log) backs off but never ends grants: fixing the credentials heals them.
     */
    private String refused(String grantId, Entry entry, KindeUpstreamException cause, Instant now) {
        int refusals = entry.refusals() + 1;
        boolean grantRefused = cause.reason() == KindeUpstreamException.Reason.REFRESH_REFUSED;
        if (grantRefused && refusals >= REFUSALS_TO_END) {
            store.revokeByGrantId(grantId);
            LOG.info(() -> "Kinde refused the refresh of grant " + grantId + " " + refusals + " times ("
                    + cause.describe() + "); the grant is deleted");
            throw new KindeGrantException(KindeGrantException.Reason.REVOKED,
                    "Kinde keeps refusing the refresh of grant " + grantId, cause);
        }
        Duration pause = REFUSAL_BACKOFF.get(Math.min(refusals, REFUSAL_BACKOFF.size()) - 1);
        write(grantId, new Entry(entry.tokens(), Optional.of(now.plus(pause)), refusals));
        LOG.warning(() -> "Kinde refused the refresh of grant " + grantId + " (" + cause.describe()
                + "); not asked again for " + pause.toSeconds() + " s");
        return usable(grantId, new Entry(entry.tokens(), Optional.of(now.plus(pause)), refusals), now);
    }

    /** The stored access token while it is valid; after it expired, during a back-off, the grant cannot serve. */
    private static String usable(String grantId, Entry entry, Instant now) {
        if (now.isBefore(entry.tokens().accessExpiresAt())) {
            return entry.tokens().accessToken();
        }
        if (entry.refusals() == 0) {
            throw new KindeGrantException(KindeGrantException.Reason.EXPIRED,
                    "the Kinde access token of grant " + grantId + " has expired");
        }
        throw new KindeGrantException(KindeGrantException.Reason.BACKING_OFF, "the Kinde access token of grant "
                + grantId + " has expired and Kinde refused its renewal; it is tried again after "
                + entry.renewAfter().map(Instant::toString).orElse("a pause"));
    }

    /**
     * Whether the access token must be renewed before use: it expires within the margin, and Kinde has not
     * already handed it back as the current one.
     */
    private static boolean renewalDue(Entry entry, Instant now) {
        if (now.isBefore(entry.tokens().accessExpiresAt().minus(REFRESH_MARGIN))) {
            return false;
        }
        return entry.renewAfter().map(after -> !now.isBefore(after)).orElse(true);
    }

    private String create(Optional<String> subject, Optional<String> orgCode, KindeTokens tokens) {
        String id = "kg_" + Secrets.random(16);
        Instant now = clock.instant();
        store.save(new StoredGrant(id, subject, orgCode,
                cipher.encrypt(toJson(new Entry(tokens, Optional.empty())), context(id)), tokens.accessExpiresAt(),
                now, now));
        return id;
    }

    private void write(String grantId, Entry entry) {
        if (!store.updateTokens(grantId, cipher.encrypt(toJson(entry), context(grantId)),
                entry.tokens().accessExpiresAt(), clock.instant())) {
            throw unknown();
        }
    }

    private Optional<Entry> find(String grantId) {
        return store.find(grantId).map(this::decrypt);
    }

    private Entry decrypt(StoredGrant row) {
        return fromJson(cipher.decrypt(row.tokensEncrypted(), context(row.id())));
    }

    private static KindeGrantException unknown() {
        return new KindeGrantException(KindeGrantException.Reason.UNKNOWN,
                "no such Kinde grant (revoked or never issued)");
    }

    private static String context(String grantId) {
        return "kinde-grant:" + grantId;
    }

    /**
     * What one vault row holds: the tokens and, when a refresh left a token that expires within the margin (Kinde
     * hands back the still-valid access token), the instant before which Kinde is not asked again.
     */
    /**
     * A vault entry: the Kinde tokens, when the next renewal may be tried (Kinde handed back a still-valid token,
     * or refused the last renewal), and how many renewals in a row Kinde refused.
     */
    private record Entry(KindeTokens tokens, Optional<Instant> renewAfter, int refusals) {

        Entry(KindeTokens tokens, Optional<Instant> renewAfter) {
            this(tokens, renewAfter, 0);
        }
    }

    private static String toJson(Entry entry) {
        KindeTokens tokens = entry.tokens();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", tokens.accessToken());
        tokens.refreshToken().ifPresent(t -> json.put("refresh_token", t));
        tokens.idToken().ifPresent(t -> json.put("id_token", t));
        json.put("access_expires_at", tokens.accessExpiresAt().getEpochSecond());
        entry.renewAfter().ifPresent(t -> json.put("renew_after", t.getEpochSecond()));
        if (entry.refusals() > 0) {
            json.put("refusals", entry.refusals());
        }
        return JSONObjectUtils.toJSONString(json);
    }

    private static Entry fromJson(String json) {
        try {
            Map<String, Object> m = JSONObjectUtils.parse(json);
            KindeTokens tokens = new KindeTokens((String) m.get("access_token"),
                    Optional.ofNullable((String) m.get("refresh_token")),
                    Optional.ofNullable((String) m.get("id_token")),
                    Instant.ofEpochSecond(((Number) m.get("access_expires_at")).longValue()));
            Optional<Instant> renewAfter = Optional.ofNullable((Number) m.get("renew_after"))
                    .map(n -> Instant.ofEpochSecond(n.longValue()));
            int refusals = m.get("refusals") instanceof Number n ? n.intValue() : 0;
            return new Entry(tokens, renewAfter, refusals);
        } catch (ParseException e) {
            throw new IllegalStateException("vault entry is not valid JSON", e);
        }
    }
}
